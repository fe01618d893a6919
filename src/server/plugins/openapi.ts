import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '../../shared/schemas.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  hidden: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, for the test that checks the OpenAPI document is complete. */
    registeredRoutes: RegisteredRoute[];
  }
}

/**
 * OpenAPI document at /api/openapi.json and a browsable reference at /api/docs, both built from the
 * route schemas. Every route also gets the shared error body for 4xx/5xx, so the document is complete.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema(ErrorBody);
  const registered: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registered);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== 'HEAD') registered.push({ method, url: route.url, hidden: Boolean(route.schema?.hide) });
    }
    if (route.schema?.hide) return;
    const schema = (route.schema ??= {});
    const response = (schema.response ??= {}) as Record<string, unknown>;
    response['4xx'] ??= { $ref: 'ErrorBody#' };
    response['5xx'] ??= { $ref: 'ErrorBody#' };
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cairn API',
        version: '1',
        description:
          'Everything the Cairn UI does, as JSON. Authenticate with the session cookie (and send X-CSRF-Token on ' +
          'state-changing requests) or with a personal API token: `Authorization: Bearer cairn_pat_…` ' +
          '(create one with `cairn token create --email you@example.com`).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (cairn_pat_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'cairn_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () =>
    app.swagger(),
  );
}
