import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { RoutePluginOptions } from './context.js';

const Health = Type.Object({
  status: Type.String(),
  database: Type.Optional(Type.String()),
  jobs: Type.Optional(Type.String()),
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
