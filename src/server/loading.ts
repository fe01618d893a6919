import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerFactory } from 'fastify';
import { registerSecurityHeaders } from './app.js';
import type { Config } from './config.js';
import { Health } from './health.routes.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerWeb } from './plugins/web.js';

/** What start-up is doing before the full app serves: shown by /readyz, the web app and the terminal. */
export interface StartupState {
  percent: number;
  step: string;
  /** Set when loading failed; the server keeps answering with it instead of pretending to load. */
  error?: string;
}

export function loadingMessage(state: StartupState): string {
  if (state.error) return `Loading the demo organisation failed: ${state.error}`;
  return `Loading the demo organisation… ${state.percent}% (${state.step})`;
}

/**
 * The server that answers while a first start loads the demo organisation (a few seconds to a
 * minute): the web app and its files, `/healthz`, `/readyz` (503 with the progress), the demo
 * notice without logins yet, and a 503 naming the progress for every other API path. The full app
 * takes over the same listening socket when the load is done.
 */
export async function buildLoadingApp(
  config: Config,
  state: () => StartupState,
  serverFactory: FastifyServerFactory,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel !== 'silent' ? { level: config.logLevel } : false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: 'loopback',
    genReqId: () => crypto.randomUUID(),
    serverFactory,
  }).withTypeProvider<TypeBoxTypeProvider>();
  registerErrorHandling(app);
  await registerSecurityHeaders(app);

  const notReady = () => {
    const s = state();
    return {
      status: s.error ? 'unavailable' : 'loading',
      progress: s.percent,
      step: s.step,
      message: loadingMessage(s),
    };
  };
  app.get('/healthz', { schema: { hide: true, response: { 200: Health } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true, response: { 503: Health } } }, async (_request, reply) =>
    reply.status(503).header('retry-after', '2').send(notReady()),
  );
  // The login page asks whether this is a demo: it is, and the logins follow once the load is done.
  app.get('/api/v1/auth/demo', { schema: { hide: true } }, async () => ({
    demo: config.demo,
    logins: [],
  }));
  app.get('/api/v1/auth/session', { schema: { hide: true } }, async (request, reply) =>
    reply.status(401).send({
      error: { code: 'unauthenticated', message: 'Not signed in.', requestId: String(request.id) },
    }),
  );
  const unavailable = async (request: { id: string }, reply: FastifyReply) => {
    const s = state();
    return reply
      .status(503)
      .header('retry-after', '2')
      .send({
        error: {
          code: 'starting',
          message: s.error
            ? loadingMessage(s)
            : `Cairn is still starting: ${loadingMessage(s)}. Try again in a few seconds.`,
          requestId: String(request.id),
        },
      });
  };
  app.all('/api/*', { schema: { hide: true } }, unavailable);
  app.all('/hooks/*', { schema: { hide: true } }, unavailable);
  await registerWeb(app);
  await app.ready();
  return app;
}
