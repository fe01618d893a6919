import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { RoutePluginOptions } from './context.js';

export const Health = Type.Object({
  status: Type.String({
    description: "'ok', 'ready', 'loading' (start-up still loading data) or 'unavailable'",
  }),
  database: Type.Optional(Type.String()),
  jobs: Type.Optional(Type.String()),
  /** While loading: how far (0–100) and what is being loaded. */
  progress: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  step: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});

/** Liveness and readiness probes for load balancers and orchestrators. */
export const healthRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: { tags: ['health'], summary: 'Liveness', response: { 200: Health } },
    },
    async () => ({
      status: 'ok',
    }),
  );
  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Readiness: database reachable and migrated',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1 from team limit 1`.execute(ctx.db);
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: 'unreachable or not migrated' });
      }
      return { status: 'ready', database: ctx.database.kind, jobs: ctx.boss ? 'running' : 'off' };
    },
  );
};
