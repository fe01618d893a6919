import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePluginOptions } from '../../../server/context.js';
import { AppError } from '../../../shared/app-error.js';
import { GITHUB_WEBHOOK_EVENTS } from '../github/github.mapper.js';
import { verifySignature } from '../remote/webhook-signature.js';
import { processDelivery, type WebhookJob, type WebhookSource } from './webhook.process.js';

/**
 * Public webhook receivers, outside /api/v1: `POST /hooks/github/:connectionId` and
 * `POST /hooks/jira/:connectionId`. Each verifies the HMAC-SHA256 signature of the RAW body with
 * the connection's secret (401 and nothing stored otherwise), records the delivery id once (a
 * repeat answers 200 and does nothing), answers 202 and leaves the work to the queue.
 */

export const WEBHOOK_QUEUE = 'ingest.webhook';
/** GitHub caps payloads at 25 MB. */
const MAX_BODY = 25 * 1024 * 1024;

const JIRA_EVENTS = new Set(['jira:issue_created', 'jira:issue_updated', 'sprint_started', 'sprint_closed']);

const Params = Type.Object({ connectionId: Type.String({ format: 'uuid' }) });
const Accepted = Type.Object({
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('processed'),
    Type.Literal('duplicate'),
    Type.Literal('ignored'),
    Type.Literal('pong'),
  ]),
  deliveryId: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
type AcceptedBody = Static<typeof Accepted>;
const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    requestId: Type.Optional(Type.String()),
  }),
});
const responses = {
  200: Accepted,
  202: Accepted,
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
  413: ErrorBody,
};

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The JSON text of a delivery: a JSON body, or GitHub's form encoding (`payload=…`). */
function jsonText(request: FastifyRequest, raw: Buffer): string {
  const type = header(request, 'content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(raw.toString('utf8')).get('payload');
    if (payload === null)
      throw new AppError('validation_failed', 'The form-encoded delivery has no "payload" field.', [
        { path: '/body/payload', message: 'missing' },
      ]);
    return payload;
  }
  return raw.toString('utf8');
}

export async function hookRoutes(app: FastifyInstance, { ctx }: RoutePluginOptions): Promise<void> {
  // Signatures are over the exact bytes sent: keep the body as a Buffer in this scope only.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY }, (_request, body, done) =>
    done(null, body),
  );

  async function receive(
    source: WebhookSource,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<AcceptedBody> {
    const { connectionId } = request.params as { connectionId: string };
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const connection = await ctx.db
      .selectFrom('ingest_connection')
      .select(['id', 'kind', 'secret', 'status'])
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (!connection || connection.kind !== source)
      throw new AppError('not_found', `No ${source} connection ${connectionId}.`);
    const signatureHeader = source === 'github' ? 'x-hub-signature-256' : 'x-hub-signature';
    if (!connection.secret || !verifySignature(connection.secret, raw, header(request, signatureHeader))) {
      throw new AppError(
        'unauthenticated',
        connection.secret
          ? `The ${signatureHeader} signature does not match this connection's secret; the delivery was not stored.`
          : 'This connection has no webhook secret; set one before pointing a webhook at it.',
      );
    }
    if (connection.status === 'disabled') {
      reply.code(202);
      return { status: 'ignored', message: 'This connection is disabled.' };
    }

    const text = jsonText(request, raw);
    let event: string;
    let deliveryId: string;
    if (source === 'github') {
      event = header(request, 'x-github-event') ?? '';
      deliveryId = header(request, 'x-github-delivery') ?? '';
      if (!event)
        throw new AppError('validation_failed', 'The X-GitHub-Event header is missing.', [
          { path: '/headers/x-github-event', message: 'missing' },
        ]);
      if (event === 'ping') return { status: 'pong', message: 'Cairn received the ping.' };
      if (!deliveryId)
        throw new AppError('validation_failed', 'The X-GitHub-Delivery header is missing.', [
          { path: '/headers/x-github-delivery', message: 'missing' },
        ]);
      if (!(GITHUB_WEBHOOK_EVENTS as readonly string[]).includes(event)) {
        reply.code(202);
        return { status: 'ignored', deliveryId, message: `Cairn does not use ${event} events.` };
      }
    } else {
      let parsed: { webhookEvent?: unknown } = {};
      try {
        parsed = JSON.parse(text) as { webhookEvent?: unknown };
      } catch {
        // Quarantined by the processor, which names the problem.
      }
      event = typeof parsed?.webhookEvent === 'string' ? parsed.webhookEvent : 'unknown';
      // Jira retries carry the same identifier; without one the body itself identifies the delivery.
      deliveryId =
        header(request, 'x-atlassian-webhook-identifier') ??
        crypto.createHash('sha256').update(raw).digest('hex');
      if (event !== 'unknown' && !JIRA_EVENTS.has(event)) {
        reply.code(202);
        return { status: 'ignored', deliveryId, message: `Cairn does not use ${event} events.` };
      }
    }

    const inserted = await ctx.db
      .insertInto('ingest_webhook_delivery')
      .values({ connection_id: connection.id, delivery_id: deliveryId, event })
      .onConflict((oc) => oc.columns(['connection_id', 'delivery_id']).doNothing())
      .returning('delivery_id')
      .executeTakeFirst();
    if (!inserted)
      return {
        status: 'duplicate',
        deliveryId,
        message: 'This delivery was received before; nothing changed.',
      };

    const job: WebhookJob = { connectionId: connection.id, deliveryId, source, event, body: text };
    reply.code(202);
    if (ctx.boss) {
      await ctx.boss.send(WEBHOOK_QUEUE, job, { retryLimit: 3, retryDelay: 30 });
      return { status: 'queued', deliveryId };
    }
    // No job queue in this process (tests, `--no-jobs`): process before answering.
    await processDelivery(ctx.db, job);
    return { status: 'processed', deliveryId };
  }

  const schema = (source: string) => ({
    tags: ['webhooks'],
    summary: `Receive a ${source} webhook delivery (signed with the connection's secret)`,
    params: Params,
    // Documents the payload; the route keeps the raw bytes (a Buffer) for the signature check, and
    // the payload is parsed and checked after the signature is verified.
    body: Type.Object(
      {},
      {
        additionalProperties: true,
        description: `The ${source} webhook payload as JSON, signed over its raw bytes`,
      },
    ),
    response: responses,
  });
  app.post(
    '/hooks/github/:connectionId',
    { schema: schema('GitHub'), config: { public: true } },
    (request, reply) => receive('github', request, reply),
  );
  app.post(
    '/hooks/jira/:connectionId',
    { schema: schema('Jira'), config: { public: true } },
    (request, reply) => receive('jira', request, reply),
  );
}
