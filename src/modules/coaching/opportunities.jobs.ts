import type { PgBoss } from 'pg-boss';
import type { AppContext } from '../../server/context.js';
import { UPDATED_CHANNEL } from '../signals/signals.rollups.js';
import { scanOpportunities } from './opportunities.scan.js';

export const OPPORTUNITY_SCAN_QUEUE = 'coaching.opportunities.scan';
/** Daily at 05:00 UTC; the scan is idempotent, so re-runs are harmless. */
export const OPPORTUNITY_SCAN_CRON = '0 5 * * *';
/** After signals change, one scan at most every this many seconds (pg-boss singleton). */
export const SIGNAL_SCAN_THROTTLE_SECONDS = 600;

/**
 * Registers the coaching-opportunity scan: daily on a schedule, and shortly after the signals are
 * updated (a new flag becomes an asynchronous prompt without waiting for the next day). Any instance
 * may run it; pg-boss's singleton key keeps it to one queued scan per throttle window.
 */
export async function registerOpportunityJobs(
  boss: PgBoss,
  ctx: Pick<AppContext, 'db' | 'database' | 'config'>,
) {
  await boss.createQueue(OPPORTUNITY_SCAN_QUEUE);
  await boss.schedule(OPPORTUNITY_SCAN_QUEUE, OPPORTUNITY_SCAN_CRON);
  await boss.work(OPPORTUNITY_SCAN_QUEUE, async () => {
    const r = await scanOpportunities(ctx.db, { boss, publicUrl: ctx.config.publicUrl });
    for (const e of r.errors)
      process.stderr.write(`coaching scan: source ${e.source} failed: ${e.message}\n`);
  });
  const unlisten = await ctx.database.listen(UPDATED_CHANNEL, () => {
    boss
      .send(
        OPPORTUNITY_SCAN_QUEUE,
        {},
        { singletonKey: 'signals', singletonSeconds: SIGNAL_SCAN_THROTTLE_SECONDS },
      )
      .catch((error: Error) => process.stderr.write(`coaching scan: could not queue: ${error.message}\n`));
  });
  boss.on('stopped', () => void unlisten());
}
