import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/types.js';
import { readJiraConfig } from '../connectors/jira.connector.js';
import { mapGithubWebhook } from '../github/github.mapper.js';
import type { BatchSummary, NormalisedBatch, NormalisedItem } from '../ingest.model.js';
import { ingestBatch } from '../ingest.pipeline.js';
import { mapJiraWebhook } from '../jira/jira.mapper.js';
import type { JiraWebhookBody } from '../jira/jira.types.js';
import { toBatch } from '../remote/to-batch.js';
import { MappingError, type WorkDraft } from '../remote/work-drafts.js';

/**
 * Processing of one accepted webhook delivery (from the queue, or inline without one): payload →
 * drafts → the pipeline, then the delivery is marked processed or failed. Deliveries may arrive in
 * any order (GitHub retries, redeliveries), so an item is only replaced by a newer version of itself:
 * newer `updated_at`, or on a tie the higher content rank — the final state is the same whatever the
 * order. Attributes only backfill knows (first commit, files) are kept.
 */

export type WebhookSource = 'github' | 'jira';

export interface WebhookJob {
  connectionId: string;
  deliveryId: string;
  source: WebhookSource;
  event: string;
  body: string;
}

function rankOf(item: NormalisedItem): string {
  return crypto.createHash('sha256').update(JSON.stringify(item)).digest('hex').slice(0, 16);
}

function millis(v: Date | string | null | undefined): number {
  if (v === null || v === undefined) return Number.NEGATIVE_INFINITY;
  const t = (v instanceof Date ? v : new Date(v)).getTime();
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** Drops items older than what is stored; merges stored attributes under newer ones. */
export async function keepNewerItems(
  db: Kysely<DB>,
  source: string,
  items: NormalisedItem[],
): Promise<NormalisedItem[]> {
  if (!items.length) return items;
  const stored = await db
    .selectFrom('ingest_work_item')
    .select(['source_id', 'source_updated_at', 'attributes'])
    .where('source', '=', source)
    .where(
      'source_id',
      'in',
      items.map((i) => i.sourceId),
    )
    .execute();
  const bySource = new Map(stored.map((s) => [s.source_id, s]));
  const out: NormalisedItem[] = [];
  for (const item of items) {
    const rank = rankOf(item);
    const s = bySource.get(item.sourceId);
    const attributes = {
      ...((s?.attributes as Record<string, unknown> | undefined) ?? {}),
      ...item.attributes,
      webhookRank: rank,
    };
    if (s) {
      const incoming = millis(item.updatedAt);
      const current = millis(s.source_updated_at);
      if (incoming < current) continue;
      const storedRank = String((s.attributes as Record<string, unknown> | null)?.webhookRank ?? '');
      if (incoming === current && rank <= storedRank) continue;
    }
    out.push({ ...item, attributes });
  }
  return out;
}

function mapDelivery(job: WebhookJob, payload: unknown, jiraProject: string): WorkDraft {
  return job.source === 'github'
    ? mapGithubWebhook(job.event, payload)
    : mapJiraWebhook(payload as JiraWebhookBody, jiraProject);
}

/** Maps and ingests one delivery; a payload the mapper cannot read goes to quarantine, naming the field. */
export async function processDelivery(db: Kysely<DB>, job: WebhookJob): Promise<BatchSummary> {
  const connection = await db
    .selectFrom('ingest_connection')
    .selectAll()
    .where('id', '=', job.connectionId)
    .executeTakeFirst();
  if (!connection)
    throw new Error(`webhook delivery ${job.deliveryId}: connection ${job.connectionId} no longer exists`);
  const rawId = crypto.createHash('sha256').update(job.body).digest('hex');
  const raw = [
    { source: job.source, kind: `webhook:${job.event}`, sourceId: rawId, payload: null as unknown },
  ];
  let batch: NormalisedBatch;
  try {
    const payload: unknown = JSON.parse(job.body);
    raw[0]!.payload = payload;
    const draft = mapDelivery(job, payload, readJiraConfig(connection.config).project);
    batch = toBatch(job.source, draft, { raw });
    batch.items = await keepNewerItems(db, job.source, batch.items ?? []);
  } catch (error) {
    const field = error instanceof MappingError ? error.field : error instanceof SyntaxError ? 'body' : null;
    batch = {
      source: job.source,
      rejected: [
        {
          recordRef: `${job.source} webhook delivery ${job.deliveryId} (${job.event})`,
          field,
          problem:
            error instanceof SyntaxError
              ? `the body is not JSON: ${error.message}`
              : (error as Error).message,
          raw: job.body.length > 100_000 ? job.body.slice(0, 100_000) : job.body,
        },
      ],
    };
  }
  try {
    const summary = await ingestBatch(db, { id: connection.id }, batch);
    await markDelivery(
      db,
      job,
      summary.rejected ? 'failed' : 'processed',
      summary.rejected ? 'rejected: see quarantine' : null,
    );
    return summary;
  } catch (error) {
    await markDelivery(db, job, 'failed', (error as Error).message);
    throw error;
  }
}

async function markDelivery(
  db: Kysely<DB>,
  job: WebhookJob,
  status: 'processed' | 'failed',
  error: string | null,
): Promise<void> {
  await db
    .updateTable('ingest_webhook_delivery')
    .set({ status, error, processed_at: new Date() })
    .where('connection_id', '=', job.connectionId)
    .where('delivery_id', '=', job.deliveryId)
    .execute();
}
