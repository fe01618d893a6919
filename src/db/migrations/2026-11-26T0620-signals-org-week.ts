import { sql, type Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Signals: the organisation × week rollup, kept equal to the sum of the team × week rollup by
// statement-level triggers on it (whoever writes it: the live applier, the rebuild, a team deleted),
// so the org overview reads weeks × metrics rows instead of summing every team's. See docs/signals.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table signals_org_week (
      week date not null,
      metric text not null,
      value double precision not null,
      primary key (week, metric)
    );
    insert into signals_org_week (week, metric, value)
      select week, metric, sum(value) from signals_team_week group by week, metric
      having abs(sum(value)) >= 1e-9
  `,
  );
  // One function for the three statements: the change is sum(new) − sum(old) per (week, metric);
  // rows that cancel out are removed (only the keys this statement touched).
  await sql
    .raw(
      `create function signals_org_week_sync() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into signals_org_week (week, metric, value)
            select week, metric, sum(value) from signals_team_week_new group by week, metric
            on conflict (week, metric) do update set value = signals_org_week.value + excluded.value;
          delete from signals_org_week w using (select distinct week, metric from signals_team_week_new) k
            where w.week = k.week and w.metric = k.metric and abs(w.value) < 1e-9;
        elsif tg_op = 'UPDATE' then
          insert into signals_org_week (week, metric, value)
            select week, metric, sum(value) from (
              select week, metric, value from signals_team_week_new
              union all select week, metric, -value from signals_team_week_old) d
            group by week, metric
            on conflict (week, metric) do update set value = signals_org_week.value + excluded.value;
          delete from signals_org_week w using (select distinct week, metric from signals_team_week_new) k
            where w.week = k.week and w.metric = k.metric and abs(w.value) < 1e-9;
        else
          insert into signals_org_week (week, metric, value)
            select week, metric, -sum(value) from signals_team_week_old group by week, metric
            on conflict (week, metric) do update set value = signals_org_week.value + excluded.value;
          delete from signals_org_week w using (select distinct week, metric from signals_team_week_old) k
            where w.week = k.week and w.metric = k.metric and abs(w.value) < 1e-9;
        end if;
        return null;
      end $$`,
    )
    .execute(db);
  await runStatements(
    db,
    `
    create trigger signals_org_week_insert after insert on signals_team_week
      referencing new table as signals_team_week_new
      for each statement execute function signals_org_week_sync();
    create trigger signals_org_week_update after update on signals_team_week
      referencing old table as signals_team_week_old new table as signals_team_week_new
      for each statement execute function signals_org_week_sync();
    create trigger signals_org_week_delete after delete on signals_team_week
      referencing old table as signals_team_week_old
      for each statement execute function signals_org_week_sync()
  `,
  );
}
