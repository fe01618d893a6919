import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerFactory } from 'fastify';
import { auditRoutes } from '../modules/access/audit.routes.js';
import { accountRoutes } from '../modules/accounts/accounts.routes.js';
import { authRoutes } from '../modules/accounts/auth.routes.js';
import { conversationRoutes } from '../modules/conversations/conversations.routes.js';
import { engagementRoutes } from '../modules/conversations/engagements.routes.js';
import { goalRoutes } from '../modules/goals/goals.routes.js';
import { hookRoutes } from '../modules/ingest/hooks/hooks.routes.js';
import { ingestRoutes } from '../modules/ingest/ingest.routes.js';
import { coachingDeliveryRoutes } from '../modules/coaching/delivery.routes.js';
import { coachingOpportunityRoutes } from '../modules/coaching/opportunities.routes.js';
import { coachingAiRoutes } from '../modules/coaching/ai.routes.js';
import { getOpportunityForViewer } from '../modules/coaching/opportunities.service.js';
import { orgRoutes } from '../modules/org/org.routes.js';
import { profilesRoutes } from '../modules/profiles/profiles.routes.js';
import type { AppContext } from './context.js';
import { healthRoutes } from './health.routes.js';
import { signalsRoutes } from '../modules/signals/signals.routes.js';
import { registerAuth } from './plugins/auth.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerWeb } from './plugins/web.js';

export interface BuildAppOptions {
  logger?: boolean;
  /** An HTTP server that is already listening (start-up hands it over from the loading screen). */
  serverFactory?: FastifyServerFactory;
}

/** Security headers (helmet): a strict content security policy for the web app. */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only makes sense behind HTTPS; the operator's proxy sets it.
    hsts: false,
  });
}

/**
 * Assembles the HTTP server: security headers, cookies, errors, auth + CSRF, the OpenAPI document,
 * each module's routes under /api/v1, and the web app at `/`.
 */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: ctx.config.logLevel } : false,
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: 'loopback',
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    genReqId: () => crypto.randomUUID(),
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandling(app);
  await registerSecurityHeaders(app);
  await app.register(cookie);
  registerAuth(app, ctx);
  // Actions without input (run now, schedule next, …) accept an empty POST as well as `{}`.
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && request.body === undefined) (request as { body: unknown }).body = {};
  });
  await registerOpenApi(app);

  await app.register(healthRoutes, { ctx });
  await app.register(hookRoutes, { ctx });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { ctx });
      await api.register(accountRoutes, { ctx });
      await api.register(auditRoutes, { ctx });
      await api.register(orgRoutes, { ctx });
      await api.register(conversationRoutes, { ctx });
      await api.register(engagementRoutes, { ctx });
      await api.register(goalRoutes, { ctx });
      await api.register(ingestRoutes, { ctx });
      await api.register(signalsRoutes, { ctx });
      await api.register(profilesRoutes, { ctx });
      await api.register(coachingDeliveryRoutes, { ctx });
      await api.register(coachingOpportunityRoutes, { ctx });
      await api.register(coachingAiRoutes, { ctx, loadOpportunity: getOpportunityForViewer });
    },
    { prefix: '/api/v1' },
  );
  await registerWeb(app);
  await app.ready();
  return app;
}
