import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { DB } from '../../../db/types.js';
import { WEBHOOK_QUEUE } from './hooks.routes.js';
import { processDelivery, type WebhookJob } from './webhook.process.js';

/** The worker that ingests accepted webhook deliveries, one at a time (order-safe, see webhook.process.ts). */
export async function registerWebhookJobs(boss: PgBoss, db: Kysely<DB>): Promise<void> {
  await boss.createQueue(WEBHOOK_QUEUE);
  await boss.work<WebhookJob>(WEBHOOK_QUEUE, async (jobs) => {
    for (const job of jobs) await processDelivery(db, job.data);
  });
}
