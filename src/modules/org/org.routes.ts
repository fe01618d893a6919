import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoutePluginOptions } from '../../server/context.js';

/** Organisation routes: people, teams, reporting lines, segments. */
export const orgRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (_app, { ctx: _ctx }) => {};
