import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { refreshLinkedGoals, registerProgressSource, type ProgressQuery } from '../goals/goals.links.js';
import { percentile } from './signals.service.js';
import { METRICS, metricById, weekOf, type MetricDefinition } from './signals.metrics.js';

/**
 * Signals as a progress source for goals: a goal linked to `prs_merged` (say) for a person or a team
 * follows that signal over the goal's period, from the same rollups the dashboards read. The key is
 * a metric id of signals.metrics.ts; the period is the weeks (Monday, UTC) from the goal's start to
 * its end. Aggregations: `sum` — the metric over the period (a ratio: its numerator over its
 * denominator; cycle times: the median in hours); `average` / `max` — of the weekly values; `count`
 * — weeks with any; `latest` — the most recent week with any. Registered when this module loads
 * (the signals routes and the live consumer import it).
 */
export async function signalProgress(db: Kysely<DB>, q: ProgressQuery): Promise<number | null> {
  const def = metricById(q.key) as MetricDefinition | undefined;
  if (!def) return null;
  const subject = q.scopePersonId
    ? { table: 'signals_person_week' as const, column: 'person_id' as const, id: q.scopePersonId }
    : q.scopeTeamId
      ? { table: 'signals_team_week' as const, column: 'team_id' as const, id: q.scopeTeamId }
      : null;
  if (!subject) return null;
  const from = weekOf(`${q.from}T00:00:00Z`);
  const to = q.to;

  if (def.aggregation === 'percentile' && def.stage) {
    const rows = await db
      .selectFrom('signals_item_fact')
      .select(sql<number>`${sql.ref(def.stage)}`.as('s'))
      .where(q.scopePersonId ? 'person_id' : 'team_id', '=', subject.id)
      .where('kind', '=', 'pull_request')
      .where('week', '>=', from)
      .where('week', '<=', to)
      .where(sql.ref(def.stage), 'is not', null)
      .execute();
    const values = rows.map((r) => Number(r.s) / 3600).sort((a, b) => a - b);
    return values.length === 0 ? null : percentile(values, 0.5);
  }
  if (!def.rollup || (def.aggregation !== 'sum' && def.aggregation !== 'ratio')) return null;
  const keys = [def.rollup.numerator, ...(def.rollup.denominator ? [def.rollup.denominator] : [])];
  const rows = await sql<{ week: string; metric: string; value: number }>`
    select week::text as week, metric, value from ${sql.table(subject.table)}
    where ${sql.ref(subject.column)} = ${subject.id} and week >= ${from}::date and week <= ${to}::date
      and metric in (${sql.join(keys)})
    order by week`.execute(db);
  const weekly = new Map<string, { num: number; den: number }>();
  for (const r of rows.rows) {
    const w = weekly.get(r.week) ?? { num: 0, den: 0 };
    if (r.metric === def.rollup.numerator) w.num += Number(r.value);
    else w.den += Number(r.value);
    weekly.set(r.week, w);
  }
  const value = (w: { num: number; den: number }) =>
    def.rollup!.denominator ? (w.den === 0 ? null : w.num / w.den) : w.num;
  const weeks = [...weekly.values()].map(value).filter((v): v is number => v !== null);
  switch (q.aggregation) {
    case 'sum': {
      if (weekly.size === 0) return null;
      const total = [...weekly.values()].reduce((a, w) => ({ num: a.num + w.num, den: a.den + w.den }), {
        num: 0,
        den: 0,
      });
      return value(total);
    }
    case 'average':
      return weeks.length === 0 ? null : weeks.reduce((a, b) => a + b, 0) / weeks.length;
    case 'max':
      return weeks.length === 0 ? null : Math.max(...weeks);
    case 'count':
      return weeks.filter((v) => v !== 0).length;
    case 'latest': {
      const last = [...weekly.keys()].sort().at(-1);
      return last === undefined ? null : value(weekly.get(last)!);
    }
    default:
      return null;
  }
}

/** The signals `signalProgress` answers: summed or ratio rollups, and the cycle-time medians. */
export const LINKABLE_SIGNALS = (METRICS as readonly MetricDefinition[]).filter(
  (d) =>
    (d.aggregation === 'percentile' && d.stage) ||
    (d.rollup && (d.aggregation === 'sum' || d.aggregation === 'ratio')),
);

registerProgressSource('signal', signalProgress, {
  keys: () => Promise.resolve(LINKABLE_SIGNALS.map((d) => ({ key: d.id, label: d.label, unit: d.unit }))),
  closed: true,
});

/**
 * After the rollups moved: refreshes every active goal linked to a signal for one of these people or
 * teams (all of them after a rebuild), each with a history line saying which signal moved it.
 */
export async function refreshGoalsAfterSignals(
  db: Kysely<DB>,
  moved: { persons: readonly string[]; teams: readonly string[]; all?: boolean },
) {
  let q = db.selectFrom('goal_link').select('goal_id').where('kind', '=', 'signal');
  if (!moved.all) {
    if (moved.persons.length === 0 && moved.teams.length === 0) return [];
    q = q.where((eb) =>
      eb.or([
        ...(moved.persons.length ? [eb('scope_person_id', 'in', [...moved.persons])] : []),
        ...(moved.teams.length ? [eb('scope_team_id', 'in', [...moved.teams])] : []),
      ]),
    );
  }
  const goalIds = (await q.execute()).map((r) => r.goal_id);
  if (goalIds.length === 0) return [];
  return refreshLinkedGoals(db, { kind: 'signal', goalIds, source: 'new work data (signals)' });
}
