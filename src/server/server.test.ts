import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildAccount } from '../test/factories.js';
import { anonymous, call, getTestServer, signIn, type TestServer } from '../test/test-server.js';

describe('HTTP server: errors, limits, health, OpenAPI', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await getTestServer({ bodyLimitBytes: 4096 });
  });
  afterAll(() => s.close());

  it('answers /healthz and /readyz', async () => {
    expect((await s.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await s.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().database).toBe(s.testDb.kind);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await s.app.inject('/api/v1/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json().error).toMatchObject({
      code: 'not_found',
      message: 'No route for GET /api/v1/no-such-thing.',
    });
  });

  it('names the field path of a validation error', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'not-an-email' },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/email', '/body/password']));
  });

  it('names a nullable field once, with both accepted types', async () => {
    const admin = await buildAccount(s.ctx.db, { roles: ['admin'] });
    const session = await signIn(s.app, admin.email);
    const res = await call(s.app, session, 'POST', '/api/v1/teams', {
      name: 'Platform',
      kind: 'team',
      parentId: 42,
    });
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { path: string; message: string }[];
    expect(details.filter((d) => d.path === '/body/parentId')).toEqual([
      { path: '/body/parentId', message: 'must match format "uuid" or must be null' },
    ]);
  });

  it('answers an anonymous session probe with 401 and does not audit it', async () => {
    const res = await s.app.inject('/api/v1/auth/session');
    expect(res.statusCode).toBe(401);
    const rows = await s.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.required')
      .where('resource_id', 'like', '%/auth/session%')
      .execute();
    expect(rows).toEqual([]);
  });

  it('rejects invalid JSON with a 400 that says so', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", "password": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.message).toMatch(/not valid JSON/);
  });

  it('rejects oversized bodies with 413', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.c', password: 'x'.repeat(10_000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('sends security headers', async () => {
    const res = await s.app.inject('/healthz');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('lists every API route in the OpenAPI document with request and response schemas', async () => {
    const doc = (await s.app.inject('/api/openapi.json')).json() as {
      paths: Record<
        string,
        Record<string, { responses?: Record<string, { content?: unknown }>; requestBody?: unknown }>
      >;
    };
    const routes = s.app.registeredRoutes.filter(
      (r) => !r.hidden && (r.url.startsWith('/api/v1') || r.url.startsWith('/hooks') || r.url.endsWith('z')),
    );
    expect(routes.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const r of routes) {
      const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      if (!op) {
        missing.push(`${r.method} ${r.url}: not documented`);
        continue;
      }
      const ok = Object.entries(op.responses ?? {}).find(([code]) => code.startsWith('2'));
      if (!ok?.[1].content) missing.push(`${r.method} ${r.url}: no 2xx response schema`);
      if (
        ['POST', 'PUT', 'PATCH'].includes(r.method) &&
        !op.requestBody &&
        !/logout|password-reset$/.test(r.url)
      ) {
        missing.push(`${r.method} ${r.url}: no request body schema`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('serves the browsable API reference at /api/docs', async () => {
    const res = await s.app.inject('/api/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/swagger/i);
  });
});

describe('server errors never leak internals', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await getTestServer();
  });
  afterAll(() => s.close());

  it('answers 500 with a request id and no stack trace', async () => {
    const a = await buildAccount(s.ctx.db);
    const agent = await signIn(s.app, a.email);
    await sql`drop table api_token`.execute(s.ctx.db);
    const res = await call(s.app, agent, 'GET', '/api/v1/me/tokens');
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.error.code).toBe('internal');
    expect(body.error.requestId).toMatch(/[0-9a-f-]{36}/);
    expect(res.body).not.toMatch(/api_token|at .*\.ts|stack/i);
    expect((await call(s.app, anonymous, 'GET', '/healthz')).statusCode).toBe(200);
  });
});
