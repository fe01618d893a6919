import type { Kysely } from 'kysely';
import { runStatements } from '../run-sql.js';

// Signals: the org overview's per-team totals read a few metrics of every team over a range of weeks;
// this index answers them by an index-only scan instead of reading every team's weeks. See docs/signals.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `create index signals_team_week_metric_week_idx on signals_team_week (metric, week) include (team_id, value)`,
  );
}
