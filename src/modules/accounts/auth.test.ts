import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildPerson, TEST_PASSWORD } from '../../test/factories.js';
import { anonymous, call, getTestServer, signIn, type TestServer } from '../../test/test-server.js';

describe('sign-in, sessions and CSRF', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await getTestServer({ loginRateLimitPerMinute: 1000 });
  });
  afterAll(() => s.close());

  it('signs in, reports the session, and signs out', async () => {
    const person = await buildPerson(s.ctx.db, { name: 'Ada Lovelace' });
    await buildAccount(s.ctx.db, { personId: person.id });
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: person.email.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'cairn_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
    const agent = {
      kind: 'session' as const,
      cookie: `cairn_session=${cookie.value}`,
      csrf: res.json().csrfToken,
    };
    const me = await call(s.app, agent, 'GET', '/api/v1/auth/session');
    expect(me.statusCode).toBe(200);
    expect(me.json().account.personName).toBe('Ada Lovelace');
    const out = await call(s.app, agent, 'POST', '/api/v1/auth/logout');
    expect(out.statusCode).toBe(200);
    expect((await call(s.app, agent, 'GET', '/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('refuses a wrong password with a message that does not reveal whether the account exists', async () => {
    const a = await buildAccount(s.ctx.db);
    const wrong = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: a.email, password: 'nope' },
    });
    const unknown = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.test', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('sets Secure on the cookie behind HTTPS', async () => {
    const a = await buildAccount(s.ctx.db);
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: a.email, password: TEST_PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '127.0.0.1',
    });
    expect(res.cookies.find((c) => c.name === 'cairn_session')!.secure).toBe(true);
  });

  it('refuses state-changing requests without the CSRF token, including form posts', async () => {
    const a = await buildAccount(s.ctx.db);
    const agent = await signIn(s.app, a.email);
    if (agent.kind !== 'session') throw new Error('expected a session');
    const noHeader = await s.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: agent.cookie },
      payload: { name: 'x' },
    });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().error.code).toBe('csrf_failed');
    const form = await s.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=evil',
    });
    expect(form.statusCode).toBe(403);
    const withHeader = await call(s.app, agent, 'POST', '/api/v1/me/tokens', { name: 'laptop' });
    expect(withHeader.statusCode).toBe(201);
    const denied = await s.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.csrf')
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });

  it('expires idle sessions', async () => {
    const a = await buildAccount(s.ctx.db);
    const agent = await signIn(s.app, a.email);
    await s.ctx.db
      .updateTable('session')
      .set({ last_seen_at: new Date(Date.now() - (s.ctx.config.sessionIdleMinutes + 1) * 60000) })
      .where('account_id', '=', a.id)
      .execute();
    expect((await call(s.app, agent, 'GET', '/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('expires sessions at the absolute limit even when active', async () => {
    const a = await buildAccount(s.ctx.db);
    const agent = await signIn(s.app, a.email);
    await s.ctx.db
      .updateTable('session')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('account_id', '=', a.id)
      .execute();
    expect((await call(s.app, agent, 'GET', '/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('locks an account after repeated wrong passwords', async () => {
    const a = await buildAccount(s.ctx.db);
    for (let i = 0; i < 5; i++) {
      await s.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: a.email, password: 'wrong' },
      });
    }
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: a.email, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.message).toMatch(/Try again in/);
  });

  it('answers 401 to anonymous API calls and audits the refusal', async () => {
    const res = await call(s.app, anonymous, 'GET', '/api/v1/me/tokens');
    expect(res.statusCode).toBe(401);
    const rows = await s.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.required')
      .execute();
    expect(rows.some((r) => r.resource_id === 'GET /api/v1/me/tokens' && r.decision === 'deny')).toBe(true);
  });
});

describe('login rate limit', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await getTestServer({ loginRateLimitPerMinute: 3 });
  });
  afterAll(() => s.close());

  it('answers 429 once an address exceeds the per-minute limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `x${i}@example.test`, password: 'wrong' },
      });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes[3]).toBe(429);
  });
});
