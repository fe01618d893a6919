import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';

/**
 * Outbound webhooks: Slack-compatible JSON (`{ text, blocks }`), signed with a per-endpoint secret,
 * retried with exponential backoff by pg-boss, every attempt written to the delivery log.
 *
 * Signature: `X-Cairn-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with
 * `X-Cairn-Timestamp: <unix seconds>`. The timestamp is inside the signed text so a receiver that
 * refuses old timestamps also refuses replays (see docs/coaching-delivery.md).
 */

export const WEBHOOK_QUEUE = 'coaching.webhook';
export const SIGNATURE_HEADER = 'x-cairn-signature';
export const TIMESTAMP_HEADER = 'x-cairn-timestamp';
export const DELIVERY_HEADER = 'x-cairn-delivery';
export const EVENT_HEADER = 'x-cairn-event';
/** How many times pg-boss retries a failed delivery (so at most RETRY_LIMIT + 1 attempts). */
export const RETRY_LIMIT = 5;
const REQUEST_TIMEOUT_MS = 10_000;

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

/** Generates an endpoint secret (shown to the administrator once). */
export function generateSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString('base64url')}`;
}

/** The signature header value for a raw body sent at `timestamp` (unix seconds). */
export function signBody(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute the signature over the raw body, compare in constant time, and
 * refuse timestamps more than `toleranceSeconds` away from its clock.
 */
export function verifySignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  if (!headers.signature || !headers.timestamp || !/^\d+$/.test(headers.timestamp)) return false;
  const ts = Number(headers.timestamp);
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signBody(secret, ts, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

/** A Slack-compatible message: plain `text` (notifications, fallbacks) and Block Kit `blocks`. */
export function slackMessage(text: string, link?: string): SlackMessage {
  const blocks: Record<string, unknown>[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (link) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Cairn' }, url: link }],
    });
  }
  return { text, blocks };
}

function validateUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('validation_failed', 'The webhook URL is not a valid URL.', [
      { path: '/body/url', message: 'is not a URL' },
    ]);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new AppError('validation_failed', 'The webhook URL must use http or https.', [
      { path: '/body/url', message: 'must start with https:// (or http://)' },
    ]);
  }
}

/** Adds an endpoint; the returned secret is not shown again. */
export async function createEndpoint(
  db: Kysely<DB>,
  input: { name: string; url: string },
  accountId: string | null,
): Promise<{ id: string; secret: string }> {
  validateUrl(input.url);
  const secret = generateSecret();
  const row = await db
    .insertInto('coaching_webhook_endpoint')
    .values({ name: input.name.trim(), url: input.url, secret, created_by_account_id: accountId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, secret };
}

export async function listEndpoints(db: Kysely<DB>) {
  const rows = await db.selectFrom('coaching_webhook_endpoint').selectAll().orderBy('created_at').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    url: r.url,
    enabled: r.enabled,
    secretHint: `…${r.secret.slice(-4)}`,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function deleteEndpoint(db: Kysely<DB>, id: string): Promise<void> {
  const res = await db.deleteFrom('coaching_webhook_endpoint').where('id', '=', id).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw new AppError('not_found', 'No webhook endpoint with this id.');
}

/** Records a delivery to one endpoint (status pending); the caller queues or attempts it. */
export async function createDelivery(
  db: Kysely<DB>,
  endpointId: string,
  event: string,
  message: SlackMessage,
): Promise<string> {
  const row = await db
    .insertInto('coaching_webhook_delivery')
    .values({ endpoint_id: endpointId, event, payload: JSON.stringify(message) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface RetryOptions {
  retryLimit?: number;
  /** Seconds before the first retry; doubled each time (pg-boss retryBackoff). */
  retryDelay?: number;
  retryDelayMax?: number;
}

/** Records and queues a delivery to every enabled endpoint; returns the delivery ids. */
export async function queueWebhooks(
  db: Kysely<DB>,
  boss: PgBoss | undefined,
  event: string,
  message: SlackMessage,
  retry: RetryOptions = {},
): Promise<string[]> {
  const endpoints = await db
    .selectFrom('coaching_webhook_endpoint')
    .select('id')
    .where('enabled', '=', true)
    .execute();
  const ids: string[] = [];
  for (const e of endpoints) {
    const id = await createDelivery(db, e.id, event, message);
    ids.push(id);
    if (boss) {
      const retryLimit = retry.retryLimit ?? RETRY_LIMIT;
      await boss.send(
        WEBHOOK_QUEUE,
        { deliveryId: id, retryLimit },
        {
          retryLimit,
          retryBackoff: true,
          retryDelay: retry.retryDelay ?? 10,
          retryDelayMax: retry.retryDelayMax ?? 3600,
        },
      );
    }
  }
  return ids;
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

/**
 * Sends a delivery once and logs the attempt. `final` marks the last try: a failure then leaves
 * the delivery `failed` instead of `retrying`.
 */
export async function attemptDelivery(
  db: Kysely<DB>,
  deliveryId: string,
  options: { final: boolean; now?: () => Date } = { final: true },
): Promise<AttemptResult> {
  const delivery = await db
    .selectFrom('coaching_webhook_delivery')
    .innerJoin(
      'coaching_webhook_endpoint',
      'coaching_webhook_endpoint.id',
      'coaching_webhook_delivery.endpoint_id',
    )
    .select([
      'coaching_webhook_delivery.id',
      'coaching_webhook_delivery.event',
      'coaching_webhook_delivery.payload',
      'coaching_webhook_delivery.attempts',
      'coaching_webhook_delivery.status',
      'coaching_webhook_endpoint.url',
      'coaching_webhook_endpoint.secret',
    ])
    .where('coaching_webhook_delivery.id', '=', deliveryId)
    .executeTakeFirst();
  if (!delivery) return { ok: true, statusCode: null, error: 'delivery or endpoint no longer exists' };
  if (delivery.status === 'succeeded') return { ok: true, statusCode: null, error: null };

  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const started = performance.now();
  let result: AttemptResult;
  try {
    const res = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Cairn-Webhooks/1',
        [SIGNATURE_HEADER]: signBody(delivery.secret, timestamp, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        [DELIVERY_HEADER]: delivery.id,
        [EVENT_HEADER]: delivery.event,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    result = res.ok
      ? { ok: true, statusCode: res.status, error: null }
      : { ok: false, statusCode: res.status, error: `HTTP ${res.status}` };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    result = {
      ok: false,
      statusCode: null,
      error: `${error instanceof Error ? error.message : String(error)}${cause}`,
    };
  }
  const attempt = delivery.attempts + 1;
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('coaching_webhook_attempt')
      .values({
        delivery_id: delivery.id,
        attempt,
        status_code: result.statusCode,
        error: result.error,
        duration_ms: Math.round(performance.now() - started),
      })
      .execute();
    await trx
      .updateTable('coaching_webhook_delivery')
      .set({
        attempts: attempt,
        last_status_code: result.statusCode,
        last_error: result.error,
        status: result.ok ? 'succeeded' : options.final ? 'failed' : 'retrying',
        updated_at: now,
        ...(result.ok ? { delivered_at: now } : {}),
      })
      .where('id', '=', delivery.id)
      .execute();
  });
  return result;
}

/** Registers the worker that performs queued deliveries; a failed attempt throws so pg-boss retries it. */
export async function registerWebhookWorker(
  boss: PgBoss,
  db: Kysely<DB>,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<void> {
  await boss.createQueue(WEBHOOK_QUEUE);
  await boss.work<{ deliveryId: string; retryLimit: number }>(
    WEBHOOK_QUEUE,
    { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
    async (jobs) => {
      for (const job of jobs) {
        const final = job.retryCount >= job.data.retryLimit;
        const result = await attemptDelivery(db, job.data.deliveryId, { final });
        if (!result.ok) throw new Error(result.error ?? 'webhook delivery failed');
      }
    },
  );
}

/** The delivery log of an endpoint, newest first, with every attempt. */
export async function listDeliveries(db: Kysely<DB>, endpointId: string, limit = 50) {
  const deliveries = await db
    .selectFrom('coaching_webhook_delivery')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  const ids = deliveries.map((d) => d.id);
  const attempts = ids.length
    ? await db
        .selectFrom('coaching_webhook_attempt')
        .selectAll()
        .where('delivery_id', 'in', ids)
        .orderBy('attempt')
        .execute()
    : [];
  return deliveries.map((d) => ({
    id: d.id,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    createdAt: d.created_at.toISOString(),
    deliveredAt: d.delivered_at ? d.delivered_at.toISOString() : null,
    log: attempts
      .filter((a) => a.delivery_id === d.id)
      .map((a) => ({
        attempt: a.attempt,
        at: a.at.toISOString(),
        statusCode: a.status_code,
        error: a.error,
        durationMs: a.duration_ms,
      })),
  }));
}
