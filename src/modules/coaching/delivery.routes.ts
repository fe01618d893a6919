import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { AppError } from '../../shared/app-error.js';
import { IdParams, NoBody, Ok } from '../../shared/schemas.js';
import { authorize } from '../access/access.service.js';
import { getDigestSettings, smtpConfigFromEnv, updateDigestSettings } from './delivery.email.js';
import { DIGEST_SCHEDULE_CRON } from './delivery.jobs.js';
import { listInbox, markInboxItem } from './delivery.inbox.js';
import {
  DeliveryStatus,
  DigestSettings,
  DigestSettingsBody,
  Inbox,
  InboxQuery,
  WebhookDeliveryList,
  WebhookEndpointBody,
  WebhookEndpointCreated,
  WebhookEndpointList,
  WebhookTestResult,
} from './delivery.schema.js';
import {
  attemptDelivery,
  createDelivery,
  createEndpoint,
  deleteEndpoint,
  listDeliveries,
  listEndpoints,
  slackMessage,
} from './delivery.webhooks.js';

function personOf(request: FastifyRequest): string {
  const actor = request.actor;
  if (actor.kind !== 'account' || !actor.personId) {
    throw new AppError('not_found', 'Your account is not linked to a person, so it has no coaching inbox.');
  }
  return actor.personId;
}

/** Coaching delivery: the in-app inbox, personal digest settings, and (administrators) webhooks and SMTP status. */
export const coachingDeliveryRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  const db = ctx.db;

  app.get(
    '/coaching/inbox',
    {
      schema: {
        tags: ['coaching'],
        summary: 'My coaching inbox, newest first',
        querystring: InboxQuery,
        response: { 200: Inbox },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.inbox', { type: 'self' }, requestInfo(request));
      return listInbox(db, personOf(request), { unreadOnly: request.query.unread === true });
    },
  );

  for (const state of ['read', 'acted'] as const) {
    app.post(
      `/coaching/inbox/:id/${state}`,
      {
        schema: {
          tags: ['coaching'],
          summary: state === 'read' ? 'Mark an item of my inbox read' : 'Mark an item of my inbox acted on',
          params: IdParams,
          body: NoBody,
          response: { 200: Ok },
        },
      },
      async (request) => {
        await authorize(db, request.actor, 'coaching.inbox', { type: 'self' }, requestInfo(request));
        await markInboxItem(db, personOf(request), request.params.id, state);
        return { ok: true as const };
      },
    );
  }

  app.get(
    '/me/digest',
    {
      schema: {
        tags: ['coaching'],
        summary: 'My e-mail digest settings and next send time',
        response: { 200: DigestSettings },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.digest_settings', { type: 'self' }, requestInfo(request));
      return getDigestSettings(db, personOf(request));
    },
  );

  app.patch(
    '/me/digest',
    {
      schema: {
        tags: ['coaching'],
        summary: 'Turn my digest on or off and set its local time',
        body: DigestSettingsBody,
        response: { 200: DigestSettings },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.digest_settings', { type: 'self' }, requestInfo(request));
      const personId = personOf(request);
      await updateDigestSettings(db, personId, request.body);
      return getDigestSettings(db, personId);
    },
  );

  app.get(
    '/coaching/delivery/status',
    {
      schema: {
        tags: ['coaching'],
        summary: 'SMTP configuration status (no secrets) and schedules',
        response: { 200: DeliveryStatus },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.delivery.read', { type: 'org' }, requestInfo(request));
      const smtp = smtpConfigFromEnv();
      return {
        smtp: {
          configured: Boolean(smtp),
          host: smtp?.host ?? null,
          port: smtp?.port ?? null,
          secure: smtp?.secure ?? false,
          from: smtp?.from ?? null,
        },
        digestSchedule: DIGEST_SCHEDULE_CRON,
        jobs: ctx.config.jobs,
      };
    },
  );

  app.get(
    '/coaching/webhooks',
    {
      schema: {
        tags: ['coaching'],
        summary: 'Webhook endpoints (secrets are never shown again)',
        response: { 200: WebhookEndpointList },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.delivery.read', { type: 'org' }, requestInfo(request));
      return { items: await listEndpoints(db) };
    },
  );

  app.post(
    '/coaching/webhooks',
    {
      schema: {
        tags: ['coaching'],
        summary: 'Add a webhook endpoint; the response holds its signing secret, shown once',
        body: WebhookEndpointBody,
        response: { 201: WebhookEndpointCreated },
      },
    },
    async (request, reply) => {
      await authorize(db, request.actor, 'coaching.delivery.manage', { type: 'org' }, requestInfo(request));
      const accountId = request.actor.kind === 'account' ? request.actor.accountId : null;
      return reply.status(201).send(await createEndpoint(db, request.body, accountId));
    },
  );

  app.delete(
    '/coaching/webhooks/:id',
    {
      schema: {
        tags: ['coaching'],
        summary: 'Delete a webhook endpoint and its log',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.delivery.manage', { type: 'org' }, requestInfo(request));
      await deleteEndpoint(db, request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/coaching/webhooks/:id/test',
    {
      schema: {
        tags: ['coaching'],
        summary: 'Send a test message now (one attempt, logged) and report the answer',
        params: IdParams,
        body: NoBody,
        response: { 200: WebhookTestResult },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.delivery.manage', { type: 'org' }, requestInfo(request));
      const exists = await db
        .selectFrom('coaching_webhook_endpoint')
        .select('id')
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!exists)
        throw new AppError('not_found', 'No webhook endpoint with this id.', [
          { path: '/params/id', message: 'not found' },
        ]);
      const id = await createDelivery(
        db,
        request.params.id,
        'test',
        slackMessage('This is a test message from Cairn. Coaching moments will arrive here.'),
      );
      return attemptDelivery(db, id, { final: true });
    },
  );

  app.get(
    '/coaching/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['coaching'],
        summary: 'The delivery log of an endpoint: each delivery with its attempts, status codes and errors',
        params: IdParams,
        response: { 200: WebhookDeliveryList },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.delivery.read', { type: 'org' }, requestInfo(request));
      return { items: await listDeliveries(db, request.params.id) };
    },
  );
};
