import { sql, type Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Signals, second step: dated team membership (a contribution counts for the team the person was in
// when it happened), the review graph and contribution by project as rollups, per-sprint velocity and
// incidents in the item facts, and the indexes the dashboards read by. See docs/signals.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table signals_team_membership (
      id bigint generated always as identity primary key,
      person_id uuid not null references person (id) on delete cascade,
      team_id uuid not null references team (id) on delete cascade,
      valid_from timestamptz,
      valid_to timestamptz,
      check (valid_from is null or valid_to is null or valid_to > valid_from)
    );
    create index signals_team_membership_person_idx on signals_team_membership (person_id, valid_from);
    create index signals_team_membership_team_idx on signals_team_membership (team_id);
    insert into signals_team_membership (person_id, team_id)
      select id, team_id from person where team_id is not null;

    create table signals_review_week (
      reviewer_id uuid not null references person (id) on delete cascade,
      author_id uuid not null references person (id) on delete cascade,
      week date not null,
      reviews double precision not null,
      primary key (reviewer_id, week, author_id)
    );
    create index signals_review_week_author_idx on signals_review_week (author_id, week);

    alter table signals_item_fact add column team_id uuid references team (id) on delete set null;
    create index signals_item_fact_team_idx on signals_item_fact (team_id, week);
    create index signals_item_fact_incident_idx on signals_item_fact using gin ((fact -> 'causedBy'))
      where (fact ->> 'incident') = 'true';
    create index signals_team_week_week_idx on signals_team_week (week, metric);
    create index ingest_work_event_kind_occurred_idx on ingest_work_event (kind, occurred_at)
  `,
  );
  // Who was in which team when: the current team since always for people already here; every later
  // move closes the open row and opens one from now (any writer: import, API, SQL).
  await sql
    .raw(
      `create function signals_track_team() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          if new.team_id is not distinct from old.team_id then return null; end if;
          update signals_team_membership set valid_to = now()
            where person_id = new.id and valid_to is null and (valid_from is null or valid_from < now());
          delete from signals_team_membership
            where person_id = new.id and valid_to is null and valid_from >= now();
        end if;
        if new.team_id is not null then
          insert into signals_team_membership (person_id, team_id, valid_from)
            values (new.id, new.team_id,
              case when tg_op = 'INSERT' or not exists (select 1 from signals_team_membership where person_id = new.id)
                then null else now() end);
        end if;
        return null;
      end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger signals_person_team after insert or update of team_id on person
        for each row execute function signals_track_team()`,
    )
    .execute(db);
}
