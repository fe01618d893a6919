import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ServerResponse } from 'node:http';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { IdParams } from '../../shared/schemas.js';
import { scopeHasPerson, scopeHasTeam, signalsScope } from '../access/access.signals.js';
import { authorize, todayUtc } from '../access/access.service.js';
import { SignalsLive, type SignalsUpdate } from './signals.live.js';
import {
  Evidence,
  EvidenceQuery,
  MetricInfo,
  OrgOverview,
  PersonSignals,
  RangeQuery,
  TeamDashboard,
} from './signals.schema.js';
import {
  evidence,
  metricInfo,
  orgOverview,
  personSignals,
  teamDashboard,
  weekRange,
} from './signals.service.js';

const HEARTBEAT_MS = 15_000;

/** Signals API: definitions, org overview, team dashboard, person signals, evidence, and the live stream. */
export const signalsRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  const db = ctx.db;
  const live = new SignalsLive(ctx.database, (error) =>
    app.log.error({ err: error }, 'signals: applying changes failed'),
  );
  await live.start();
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
  });
  app.addHook('onClose', async () => {
    await live.stop();
  });

  app.get(
    '/signals/metrics',
    {
      schema: {
        tags: ['signals'],
        summary: 'Every signal definition',
        response: { 200: Type.Array(MetricInfo) },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'signals.definitions', { type: 'org' }, requestInfo(request));
      return metricInfo();
    },
  );

  app.get(
    '/signals/org',
    {
      schema: {
        tags: ['signals'],
        summary: 'Org overview: totals, weekly series, cycle time and per-team totals (no individuals)',
        querystring: RangeQuery,
        response: { 200: OrgOverview },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'signals.org', { type: 'org' }, requestInfo(request));
      return orgOverview(db, weekRange(request.query));
    },
  );

  app.get(
    '/signals/teams/:id',
    {
      schema: {
        tags: ['signals'],
        summary: 'Team dashboard: velocity, cycle time, quality, review graph, control charts, flags',
        params: IdParams,
        querystring: RangeQuery,
        response: { 200: TeamDashboard },
      },
    },
    async (request) => {
      const { id } = request.params;
      // The viewer's scope is read while the access check runs (it is only used once that passed).
      const [, scope] = await Promise.all([
        authorize(db, request.actor, 'signals.team', { type: 'team', id }, requestInfo(request)),
        signalsScope(db, request.actor, todayUtc()),
      ]);
      // Individual flags only for people the viewer may see (their reports, themselves; admins all).
      return teamDashboard(db, id, weekRange(request.query), (p) => scopeHasPerson(scope, p));
    },
  );

  app.get(
    '/signals/people/:id',
    {
      schema: {
        tags: ['signals'],
        summary: 'A person’s signals against their own baseline, skills trajectory, glue work and flags',
        params: IdParams,
        querystring: RangeQuery,
        response: { 200: PersonSignals },
      },
    },
    async (request) => {
      const { id } = request.params;
      await authorize(db, request.actor, 'signals.person', { type: 'person', id }, requestInfo(request));
      return personSignals(db, id, weekRange(request.query));
    },
  );

  app.get(
    '/signals/evidence',
    {
      schema: {
        tags: ['signals'],
        summary: '“Why this number?” — the source events behind a metric for a person, team or the org',
        querystring: EvidenceQuery,
        response: { 200: Evidence },
      },
    },
    async (request) => {
      const q = request.query;
      const info = requestInfo(request);
      if (q.scope === 'person' && q.id)
        await authorize(db, request.actor, 'signals.person', { type: 'person', id: q.id }, info);
      else if (q.scope === 'team' && q.id)
        await authorize(db, request.actor, 'signals.team', { type: 'team', id: q.id }, info);
      else await authorize(db, request.actor, 'signals.org', { type: 'org' }, info);
      return evidence(db, {
        metric: q.metric,
        scope: q.scope,
        id: q.id ?? null,
        range: weekRange(q),
        limit: q.limit ?? 200,
        sprint: q.sprint ?? null,
      });
    },
  );

  app.get(
    '/stream',
    {
      schema: {
        tags: ['signals'],
        summary:
          'Server-Sent Events: `signals` messages `{ persons, teams }` when rollups the viewer may see change',
        response: {
          200: Type.String({
            description:
              'A text/event-stream: `event: signals` with `data: { persons: string[], teams: string[] }`',
          }),
        },
      },
    },
    async (request, reply) => {
      await authorize(db, request.actor, 'signals.stream', { type: 'self' }, requestInfo(request));
      const scope = await signalsScope(db, request.actor, todayUtc());
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 2000\nevent: ready\ndata: {}\n\n`);
      streams.add(res);
      const send = (u: SignalsUpdate): void => {
        const persons = u.persons.filter((p) => scopeHasPerson(scope, p));
        const teams = u.teams.filter((t) => scopeHasTeam(scope, t));
        if (!u.all && persons.length === 0 && teams.length === 0) return;
        res.write(`event: signals\ndata: ${JSON.stringify({ persons, teams, all: u.all === true })}\n\n`);
      };
      const unsubscribe = live.subscribe(send);
      const heartbeat = setInterval(() => res.write(`: keep-alive\n\n`), HEARTBEAT_MS);
      heartbeat.unref();
      const close = (): void => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(res);
      };
      request.raw.on('close', close);
      res.on('close', close);
    },
  );
};
