import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../server/app.js';
import { loadConfig, type Config } from '../server/config.js';
import type { AppContext } from '../server/context.js';
import { TEST_PASSWORD } from './factories.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface TestServer {
  app: FastifyInstance;
  ctx: AppContext;
  testDb: TestDatabase;
  close(): Promise<void>;
}

/** A Fastify app on a fresh migrated database, for API tests through `inject`. No jobs, no listening socket. */
export async function getTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const testDb = await createTestDatabase();
  const config = loadConfig({ jobs: false, demo: false, logLevel: 'silent', ...overrides }, {});
  const ctx: AppContext = { db: testDb.database.db, database: testDb.database, config, boss: undefined };
  const app = await buildApp(ctx);
  return {
    app,
    ctx,
    testDb,
    async close() {
      await app.close();
      await testDb.destroy();
    },
  };
}

/** How a test client authenticates: a browser session (cookie + CSRF token) or a bearer token. */
export type Agent =
  | { kind: 'anonymous' }
  | { kind: 'session'; cookie: string; csrf: string }
  | { kind: 'token'; token: string };
export const anonymous: Agent = { kind: 'anonymous' };

/** Signs in through the real login route and returns the session agent. */
export async function signIn(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Agent> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'cairn_session');
  if (!cookie) throw new Error('no session cookie set');
  return {
    kind: 'session',
    cookie: `cairn_session=${cookie.value}`,
    csrf: (res.json() as { csrfToken: string }).csrfToken,
  };
}

/** Sends a request as the agent, adding the cookie, CSRF header or bearer token it needs. */
export function call(
  app: FastifyInstance,
  agent: Agent,
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const h: Record<string, string> = { ...headers };
  if (agent.kind === 'session') {
    h.cookie = agent.cookie;
    if (method !== 'GET' && method !== 'HEAD') h['x-csrf-token'] ??= agent.csrf;
  }
  if (agent.kind === 'token') h.authorization = `Bearer ${agent.token}`;
  return app.inject({
    method,
    url,
    headers: h,
    ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
  });
}

/** A test app on an existing embedded data folder (for tests that also run the CLI against that folder). */
export async function getTestServerOn(dataDir: string, overrides: Partial<Config> = {}): Promise<TestServer> {
  const { openDatabase } = await import('../db/connection.js');
  const database = await openDatabase({ dataDir });
  const config = loadConfig({ jobs: false, demo: false, logLevel: 'silent', dataDir, ...overrides }, {});
  const ctx: AppContext = { db: database.db, database, config, boss: undefined };
  const app = await buildApp(ctx);
  const testDb: TestDatabase = { database, kind: 'pglite', url: undefined, destroy: () => database.close() };
  return {
    app,
    ctx,
    testDb,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
