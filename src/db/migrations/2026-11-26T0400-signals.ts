import { sql, type Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Signals: a change log fed by triggers on the work model (so the ingest code needs no hook), the
// per-item facts (cycle times, completion) and the person × week / team × week rollups. See
// docs/signals.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table signals_change (
      id bigint generated always as identity primary key,
      old_event jsonb,
      new_event jsonb,
      item_source text,
      item_source_id text,
      created_at timestamptz not null default now()
    );

    create table signals_item_fact (
      source text not null,
      source_id text not null,
      kind text not null,
      person_id uuid references person (id) on delete cascade,
      week date,
      done_at timestamptz,
      project text,
      fact jsonb not null,
      coding_s double precision,
      pickup_s double precision,
      review_s double precision,
      primary key (source, source_id)
    );
    create index signals_item_fact_person_idx on signals_item_fact (person_id, week);

    create table signals_person_week (
      person_id uuid not null references person (id) on delete cascade,
      week date not null,
      metric text not null,
      value double precision not null,
      primary key (person_id, week, metric)
    );
    create index signals_person_week_week_idx on signals_person_week (week, metric);

    create table signals_team_week (
      team_id uuid not null references team (id) on delete cascade,
      week date not null,
      metric text not null,
      value double precision not null,
      primary key (team_id, week, metric)
    );

    create table signals_state (
      id integer primary key check (id = 1),
      applied_changes bigint not null default 0,
      last_applied_at timestamptz,
      rebuilt_at timestamptz
    );
    insert into signals_state (id) values (1)
  `,
  );
  await sql
    .raw(
      `create function signals_capture_event() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into signals_change (new_event) values (to_jsonb(new));
        elsif tg_op = 'UPDATE' then
          if new.person_id is distinct from old.person_id or new.kind is distinct from old.kind
             or new.occurred_at is distinct from old.occurred_at or new.project is distinct from old.project
             or new.attributes is distinct from old.attributes or new.item_source_id is distinct from old.item_source_id
             or new.actor_identity_id is distinct from old.actor_identity_id then
            insert into signals_change (old_event, new_event) values (to_jsonb(old), to_jsonb(new));
          end if;
        else
          insert into signals_change (old_event) values (to_jsonb(old));
        end if;
        return null;
      end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create function signals_capture_item() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          insert into signals_change (item_source, item_source_id) values (old.source, old.source_id);
        elsif tg_op = 'INSERT' or new.person_id is distinct from old.person_id or new.attributes is distinct from old.attributes
             or new.title is distinct from old.title or new.opened_at is distinct from old.opened_at
             or new.merged_at is distinct from old.merged_at or new.closed_at is distinct from old.closed_at
             or new.state is distinct from old.state then
          insert into signals_change (item_source, item_source_id) values (new.source, new.source_id);
        end if;
        return null;
      end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create function signals_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('signals_change', '');
        return null;
      end $$`,
    )
    .execute(db);
  await runStatements(
    db,
    `
    create trigger signals_event_change after insert or update or delete on ingest_work_event
      for each row execute function signals_capture_event();
    create trigger signals_item_change after insert or update or delete on ingest_work_item
      for each row execute function signals_capture_item();
    create trigger signals_event_notify after insert or update or delete on ingest_work_event
      for each statement execute function signals_notify();
    create trigger signals_item_notify after insert or update or delete on ingest_work_item
      for each statement execute function signals_notify()
  `,
  );
}
