import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { refreshLinkedGoals, registerProgressSource, type ProgressQuery } from '../goals/goals.links.js';

/**
 * Business metrics as a progress source for goals: a goal linked to `revenue` (say) for team Payments
 * follows the imported values of that metric for that team within the goal's period. Registered
 * when this module loads (the metrics connector imports it), so the server, the job worker and the CLI
 * all answer the goals module's question the same way.
 */
export async function businessMetricProgress(db: Kysely<DB>, q: ProgressQuery): Promise<number | null> {
  let query = db
    .selectFrom('ingest_business_metric')
    .where('metric', '=', q.key)
    .where('period_start', '>=', q.from)
    .where('period_end', '<=', q.to);
  if (q.scopePersonId) query = query.where('person_id', '=', q.scopePersonId);
  else if (q.scopeTeamId) query = query.where('team_id', '=', q.scopeTeamId);
  if (q.aggregation === 'latest') {
    const row = await query
      .select('value')
      .orderBy('period_end', 'desc')
      .orderBy('period_start', 'desc')
      .executeTakeFirst();
    return row ? Number(row.value) : null;
  }
  const aggregate = {
    sum: sql<number | null>`sum(value)`,
    average: sql<number | null>`avg(value)`,
    max: sql<number | null>`max(value)`,
    count: sql<number | null>`count(*)`,
  }[q.aggregation];
  const row = await query.select([aggregate.as('v'), sql<number>`count(*)`.as('n')]).executeTakeFirst();
  if (!row || Number(row.n) === 0 || row.v === null) return null;
  return Number(row.v);
}

/** The metrics imported so far (a goal may also be linked to one that has not arrived yet). */
export async function businessMetricKeys(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('ingest_business_metric')
    .select(['metric', sql<string>`coalesce(max(unit), '')`.as('unit')])
    .groupBy('metric')
    .execute();
  return rows.map((r) => ({ key: r.metric, label: r.metric, unit: r.unit }));
}

registerProgressSource('business_metric', businessMetricProgress, {
  keys: businessMetricKeys,
  closed: false,
});

/** After metrics land: moves every active goal linked to one of these metrics, with a history line. */
export async function refreshGoalsAfterMetrics(db: Kysely<DB>, metrics: Iterable<string>, source: string) {
  const keys = [...new Set(metrics)];
  if (keys.length === 0) return [];
  return refreshLinkedGoals(db, { kind: 'business_metric', keys, source });
}
