import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { DB } from '../../db/types.js';
import { createMailer, DIGEST_QUEUE, sendDueDigests, smtpConfigFromEnv } from './delivery.email.js';
import { registerWebhookWorker } from './delivery.webhooks.js';

/** How often the digest job looks for digests that are due (each person's own local time decides). */
export const DIGEST_SCHEDULE_CRON = '*/5 * * * *';

/** Registers the coaching delivery workers: webhook deliveries and the digest schedule. */
export async function registerCoachingJobs(
  boss: PgBoss,
  db: Kysely<DB>,
  options: { publicUrl?: string | undefined } = {},
): Promise<void> {
  await registerWebhookWorker(boss, db);
  await boss.createQueue(DIGEST_QUEUE);
  await boss.schedule(DIGEST_QUEUE, DIGEST_SCHEDULE_CRON);
  await boss.work(DIGEST_QUEUE, async () => {
    const smtp = smtpConfigFromEnv();
    if (!smtp) return;
    const report = await sendDueDigests(db, createMailer(smtp), new Date(), { publicUrl: options.publicUrl });
    for (const f of report.failed)
      process.stderr.write(`digest: could not send to person ${f.personId}: ${f.error}\n`);
  });
}
