import type { PgBoss } from 'pg-boss';
import { purgeExpiredSessions } from '../modules/accounts/accounts.service.js';
import { registerGoalJobs } from '../modules/goals/goals.jobs.js';
import { registerWebhookJobs } from '../modules/ingest/hooks/hooks.jobs.js';
import { registerCoachingJobs } from '../modules/coaching/delivery.jobs.js';
import { registerOpportunityJobs } from '../modules/coaching/opportunities.jobs.js';
import { registerIngestJobs } from '../modules/ingest/ingest.runner.js';
import type { AppContext } from './context.js';

const PURGE_SESSIONS = 'sessions.purge';

/** Starts pg-boss on the application database and registers the foundation's schedules and workers. */
export async function startJobs(ctx: AppContext): Promise<PgBoss> {
  const boss = ctx.database.createBoss();
  boss.on('error', (error) => process.stderr.write(`jobs: ${error.message}\n`));
  await boss.start();
  await boss.createQueue(PURGE_SESSIONS);
  await boss.schedule(PURGE_SESSIONS, '*/15 * * * *');
  await boss.work(PURGE_SESSIONS, async () => {
    await purgeExpiredSessions(ctx.db, ctx.config);
  });
  await registerGoalJobs(boss, ctx);
  await registerIngestJobs(boss, ctx.db);
  await registerWebhookJobs(boss, ctx.db);
  await registerCoachingJobs(boss, ctx.db, { publicUrl: ctx.config.publicUrl });
  await registerOpportunityJobs(boss, ctx);
  return boss;
}
