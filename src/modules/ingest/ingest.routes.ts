import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { AppError } from '../../shared/app-error.js';
import { IdParams, Ok } from '../../shared/schemas.js';
import { authorize } from '../access/access.service.js';
import { createConnection, deleteConnection, updateConnection } from './ingest.connections.js';
import { mapIdentity, markIdentityBot, unmapIdentity } from './ingest.identity.js';
import { enqueueRun, findConnection } from './ingest.runner.js';
import {
  ConnectionCreateBody,
  ConnectionCreated,
  ConnectionList,
  ConnectionUpdateBody,
  ConnectionView,
  IdentityBotBody,
  IdentityMapBody,
  IdentityPage,
  IdentityQuery,
  IdentityView,
  NoBody,
  QuarantineDetail,
  QuarantinePage,
  QuarantineQuery,
  RetryResult,
  RunList,
  RunListQuery,
  RunQueued,
  RunView,
  TestResult,
  WorkEventPage,
  WorkEventQuery,
} from './ingest.schema.js';
import {
  discardQuarantine,
  getConnectionView,
  getIdentityView,
  getQuarantine,
  getRun,
  listConnectionViews,
  listIdentities,
  listPersonEvents,
  listQuarantine,
  listRuns,
  retryQuarantine,
  testConnection,
  unredactConfig,
} from './ingest.service.js';

const tags = ['work data'];

/**
 * Work-data routes: connections (admin), runs, quarantine, the identity review queue, and a
 * person's work events (self, management chain, admin).
 */
export const ingestRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  const db = ctx.db;
  const read = (request: FastifyRequest) =>
    authorize(db, request.actor, 'ingest.read', { type: 'org' }, requestInfo(request));
  const manage = (request: FastifyRequest) =>
    authorize(db, request.actor, 'ingest.manage', { type: 'org' }, requestInfo(request));

  app.get(
    '/connections',
    {
      schema: {
        tags,
        summary: 'Work-data connections with status, last run, errors and cursor',
        response: { 200: ConnectionList },
      },
    },
    async (request) => {
      await read(request);
      return { items: await listConnectionViews(db) };
    },
  );

  app.post(
    '/connections',
    {
      schema: {
        tags,
        summary: 'Create a connection (admin)',
        body: ConnectionCreateBody,
        response: { 201: ConnectionCreated },
      },
    },
    async (request, reply) => {
      await manage(request);
      const { kind, name, config, secret } = request.body;
      const created = await createConnection(db, {
        kind,
        name,
        config: config ?? {},
        secret: secret === true ? true : typeof secret === 'string' ? secret : null,
      });
      const view = await getConnectionView(db, created.id);
      reply.code(201);
      return { ...view, ...(secret === true && created.secret ? { secret: created.secret } : {}) };
    },
  );

  app.get(
    '/connections/:id',
    { schema: { tags, summary: 'A connection', params: IdParams, response: { 200: ConnectionView } } },
    async (request) => {
      await read(request);
      return getConnectionView(db, request.params.id);
    },
  );

  app.patch(
    '/connections/:id',
    {
      schema: {
        tags,
        summary: 'Change a connection: name, config, secret, enabled, reset the cursor (admin)',
        params: IdParams,
        body: ConnectionUpdateBody,
        response: { 200: ConnectionCreated },
      },
    },
    async (request) => {
      await manage(request);
      const { id } = request.params;
      const current = await findConnection(db, id);
      const b = request.body;
      const updated = await updateConnection(db, id, {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.config !== undefined ? { config: unredactConfig(b.config, current.config) } : {}),
        ...(b.secret !== undefined ? { secret: b.secret === false ? null : b.secret } : {}),
        ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
        ...(b.resetCursor ? { cursor: {} } : {}),
      });
      const view = await getConnectionView(db, id);
      return { ...view, ...(b.secret === true && updated.secret ? { secret: updated.secret } : {}) };
    },
  );

  app.delete(
    '/connections/:id',
    {
      schema: {
        tags,
        summary: 'Delete a connection and its runs; imported data stays (admin)',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await manage(request);
      await deleteConnection(db, request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/connections/:id/test',
    {
      schema: {
        tags,
        summary: 'Test a connection without importing',
        params: IdParams,
        body: NoBody,
        response: { 200: TestResult },
      },
    },
    async (request) => {
      await manage(request);
      return testConnection(db, request.params.id);
    },
  );

  app.post(
    '/connections/:id/run',
    {
      schema: {
        tags,
        summary: 'Run now: queues an import job',
        params: IdParams,
        body: NoBody,
        response: { 202: RunQueued },
      },
    },
    async (request, reply) => {
      await manage(request);
      const runId = await enqueueRun(db, ctx.boss, request.params.id, 'api');
      reply.code(202);
      return { runId };
    },
  );

  app.get(
    '/connections/:id/runs',
    {
      schema: {
        tags,
        summary: 'Recent runs, newest first',
        params: IdParams,
        querystring: RunListQuery,
        response: { 200: RunList },
      },
    },
    async (request) => {
      await read(request);
      return { items: await listRuns(db, request.params.id, request.query.limit ?? 20) };
    },
  );

  app.get(
    '/runs/:id',
    {
      schema: {
        tags,
        summary: 'One run with its counts and progress',
        params: IdParams,
        response: { 200: RunView },
      },
    },
    async (request) => {
      await read(request);
      return getRun(db, request.params.id);
    },
  );

  app.get(
    '/quarantine',
    {
      schema: {
        tags,
        summary: 'Rejected records',
        querystring: QuarantineQuery,
        response: { 200: QuarantinePage },
      },
    },
    async (request) => {
      await read(request);
      return listQuarantine(db, request.query);
    },
  );

  app.get(
    '/quarantine/:id',
    {
      schema: {
        tags,
        summary: 'One rejected record with its raw data',
        params: IdParams,
        response: { 200: QuarantineDetail },
      },
    },
    async (request) => {
      await read(request);
      return getQuarantine(db, request.params.id);
    },
  );

  app.post(
    '/quarantine/:id/retry',
    {
      schema: {
        tags,
        summary: 'Feed a rejected record through the pipeline again',
        params: IdParams,
        body: NoBody,
        response: { 200: RetryResult },
      },
    },
    async (request) => {
      await manage(request);
      return retryQuarantine(db, request.params.id);
    },
  );

  app.post(
    '/quarantine/:id/discard',
    {
      schema: {
        tags,
        summary: 'Discard a rejected record',
        params: IdParams,
        body: NoBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await manage(request);
      await discardQuarantine(db, request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/identities',
    {
      schema: {
        tags,
        summary: 'Source identities; by default the review queue of unmatched ones with their event counts',
        querystring: IdentityQuery,
        response: { 200: IdentityPage },
      },
    },
    async (request) => {
      await read(request);
      return listIdentities(db, request.query);
    },
  );

  app.post(
    '/identities/:id/map',
    {
      schema: {
        tags,
        summary: 'Map an identity to a person; its past events are attributed at once',
        params: IdParams,
        body: IdentityMapBody,
        response: { 200: IdentityView },
      },
    },
    async (request) => {
      await manage(request);
      const { id } = request.params;
      await getIdentityView(db, id);
      const person = await db
        .selectFrom('person')
        .select('id')
        .where('id', '=', request.body.personId)
        .executeTakeFirst();
      if (!person)
        throw new AppError('validation_failed', 'No such person.', [
          { path: 'body.personId', message: 'names no person' },
        ]);
      await mapIdentity(db, id, person.id);
      return getIdentityView(db, id);
    },
  );

  app.post(
    '/identities/:id/unmap',
    {
      schema: {
        tags,
        summary: 'Remove a mapping; the identity returns to the review queue',
        params: IdParams,
        body: NoBody,
        response: { 200: IdentityView },
      },
    },
    async (request) => {
      await manage(request);
      await getIdentityView(db, request.params.id);
      await unmapIdentity(db, request.params.id);
      return getIdentityView(db, request.params.id);
    },
  );

  app.post(
    '/identities/:id/bot',
    {
      schema: {
        tags,
        summary: 'Mark (or unmark) an identity as a bot: its events leave people’s signals',
        params: IdParams,
        body: IdentityBotBody,
        response: { 200: IdentityView },
      },
    },
    async (request) => {
      await manage(request);
      await getIdentityView(db, request.params.id);
      await markIdentityBot(db, request.params.id, request.body.isBot);
      return getIdentityView(db, request.params.id);
    },
  );

  app.get(
    '/people/:id/events',
    {
      schema: {
        tags,
        summary: 'A person’s work events, newest first (self, management chain, admin)',
        params: IdParams,
        querystring: WorkEventQuery,
        response: { 200: WorkEventPage },
      },
    },
    async (request) => {
      const { id } = request.params;
      const person = await db.selectFrom('person').select('id').where('id', '=', id).executeTakeFirst();
      await authorize(db, request.actor, 'work_events.read', { type: 'person', id }, requestInfo(request));
      if (!person) throw new AppError('not_found', 'No such person.');
      return listPersonEvents(db, id, request.query);
    },
  );
};
