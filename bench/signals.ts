import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { addWeeks, weekOf } from '../src/modules/signals/signals.metrics.js';
import { applyPendingChanges, rebuildSignals } from '../src/modules/signals/signals.rollups.js';
import { teamDashboard } from '../src/modules/signals/signals.service.js';
import { median, round3, type BenchResult, type Log } from './result.js';

export interface SignalsBenchOptions {
  people: number;
  weeks: number;
  eventsPerPersonWeek: number;
  samples: number;
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
}

/**
 * A generated organisation (teams of 10, `weeks` of commits, merged pull requests and reviews) in
 * an in-memory database; events are written straight into the work model with the capture trigger
 * off, then rolled up by `rebuildSignals`.
 */
async function generate(
  database: Database,
  o: SignalsBenchOptions,
  log: Log,
): Promise<{ teamId: string; from: string; to: string }> {
  const db = database.db;
  const teams = Math.max(1, Math.ceil(o.people / 10));
  await sql`insert into team (name, slug, kind) select 'Bench team ' || g, 'bench-team-' || g, 'team' from generate_series(1, ${teams}) g`.execute(
    db,
  );
  await sql`
    insert into person (name, email, employee_id, time_zone, hire_date, team_id)
    select 'Bench person ' || g, 'bench-' || g || '@bench.test', 'B-' || g, 'UTC', '2020-01-01',
      (select id from team where slug = 'bench-team-' || (1 + (g - 1) / 10))
    from generate_series(1, ${o.people}) g`.execute(db);
  await sql`alter table ingest_work_event disable trigger signals_event_change`.execute(db);
  const to = weekOf(new Date());
  const from = addWeeks(to, -(o.weeks - 1));
  const started = performance.now();
  await sql`
    insert into ingest_work_event (source, source_id, kind, person_id, occurred_at, project, attributes, content_hash)
    select 'bench', p.rn || '/' || w || '/' || k,
      case when k % 5 = 0 then 'pr_merged' when k % 5 = 1 then 'review_submitted' else 'commit' end,
      p.id, ${from}::date + (w * 7 + (k % 5)) * interval '1 day' + (k * interval '37 minutes'), 'bench/repo',
      case when k % 5 = 1 then '{"state":"approved"}'::jsonb else '{"areas":["src/api"],"languages":{"TypeScript":3}}'::jsonb end, 'h'
    from (select id, row_number() over (order by id) as rn from person where email like 'bench-%') p,
      generate_series(0, ${o.weeks - 1}) w, generate_series(1, ${o.eventsPerPersonWeek}) k`.execute(db);
  await sql`alter table ingest_work_event enable trigger signals_event_change`.execute(db);
  const count = await db
    .selectFrom('ingest_work_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  log(
    `signals bench: ${Number(count.n).toLocaleString('en')} events for ${o.people} people in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const team = await db
    .selectFrom('team')
    .select('id')
    .where('slug', '=', 'bench-team-1')
    .executeTakeFirstOrThrow();
  return { teamId: team.id, from, to };
}

/** The team's weekly numbers from the rollups (what the dashboard's series and totals read). */
async function rollupTeamWeekly(
  database: Database,
  teamId: string,
  from: string,
  to: string,
): Promise<unknown[]> {
  return database.db
    .selectFrom('signals_team_week')
    .select(['week', 'metric', 'value'])
    .where('team_id', '=', teamId)
    .where('week', '>=', from)
    .where('week', '<=', to)
    .where('metric', 'in', ['commits', 'prs_merged', 'reviews_given'])
    .execute();
}

/** The same weekly team numbers computed the naive way: aggregating raw events on every request. */
async function naiveTeamWeekly(
  database: Database,
  teamId: string,
  from: string,
  to: string,
): Promise<unknown[]> {
  const r = await sql`
    select date_trunc('week', e.occurred_at at time zone 'UTC')::date as week, e.kind, count(*)
    from ingest_work_event e join person p on p.id = e.person_id
    where p.team_id = ${teamId} and e.occurred_at >= ${from}::date and e.occurred_at < ${addWeeks(to, 1)}::date
      and e.kind in ('commit', 'pr_merged', 'review_submitted')
    group by 1, 2`.execute(database.db);
  return r.rows;
}

export async function benchSignals(o: SignalsBenchOptions, log: Log): Promise<BenchResult[]> {
  const database = await openDatabase({ memory: true });
  try {
    await migrateToLatest(database.db);
    const { teamId, from, to } = await generate(database, o, log);
    const events = o.people * o.weeks * o.eventsPerPersonWeek;
    const t0 = performance.now();
    await rebuildSignals(database.db);
    const rebuildMs = performance.now() - t0;
    log(`signals bench: rebuild in ${(rebuildMs / 1000).toFixed(1)} s`);

    const dash: number[] = [];
    const full: number[] = [];
    const naive: number[] = [];
    for (let i = 0; i < o.samples; i++) {
      let s = performance.now();
      await rollupTeamWeekly(database, teamId, from, to);
      dash.push(performance.now() - s);
      s = performance.now();
      await naiveTeamWeekly(database, teamId, from, to);
      naive.push(performance.now() - s);
      s = performance.now();
      await teamDashboard(database.db, teamId, { from, to }, () => true);
      full.push(performance.now() - s);
    }

    // Incremental: one new event applied at a time, against the rebuild's cost per event.
    const person = await database.db
      .selectFrom('person')
      .select('id')
      .where('team_id', '=', teamId)
      .executeTakeFirstOrThrow();
    const per: number[] = [];
    for (let i = 0; i < Math.max(5, Math.floor(o.samples / 2)); i++) {
      await sql`insert into ingest_work_event (source, source_id, kind, person_id, occurred_at, project, attributes, content_hash)
        values ('bench', ${`live-${i}`}, 'commit', ${person.id}, now(), 'bench/repo', '{}'::jsonb, 'h')`.execute(
        database.db,
      );
      const s = performance.now();
      await applyPendingChanges(database.db);
      per.push(performance.now() - s);
    }
    const size = { people: o.people, weeks: o.weeks, events, database: 'pglite' };
    const dashP95 = p95(dash);
    const naiveP95 = p95(naive);
    const incremental = median(per);
    return [
      {
        name: 'signals_team_weekly_series_p95',
        value: round3(dashP95),
        unit: 'ms',
        baseline: round3(naiveP95),
        baseline_name: 'naive weekly aggregation over raw events (same answer)',
        // value / baseline, as every bench line: ≤ 0.05 is the issue's "at least 20× faster".
        ratio: round3(dashP95 / naiveP95),
        target: '<= 0.05',
        met: dashP95 / naiveP95 <= 0.05,
        size: {
          ...size,
          p50_ms: round3(median(dash)),
          baseline_p50_ms: round3(median(naive)),
          // The whole team dashboard (also review graph, projects, cycle percentiles, flags).
          full_dashboard_p50_ms: round3(median(full)),
          full_dashboard_p95_ms: round3(p95(full)),
        },
      },
      {
        name: 'signals_incremental_update_per_event',
        value: round3(incremental),
        unit: 'ms',
        baseline: round3(rebuildMs),
        baseline_name: 'full rebuild of the same rollups',
        ratio: round3(incremental / rebuildMs),
        target: '<= 0.01',
        met: incremental / rebuildMs <= 0.01,
        size: { ...size, rebuild_events_per_s: round3(events / (rebuildMs / 1000)) },
      },
    ];
  } finally {
    await database.close();
  }
}
