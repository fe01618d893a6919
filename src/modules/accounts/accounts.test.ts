import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildPerson, buildTeam, TEST_PASSWORD } from '../../test/factories.js';
import { anonymous, call, getTestServer, signIn, type TestServer } from '../../test/test-server.js';
import { hashPassword } from './secrets.js';

const run = promisify(execFile);

// One server (and database) for the API tests of this file: each test makes its own accounts.
let s: TestServer;
beforeAll(async () => {
  s = await getTestServer({ loginRateLimitPerMinute: 1000 });
});
afterAll(() => s.close());

describe('personal API tokens', () => {
  it('creates a token that authenticates as Bearer without CSRF, lists it without the secret, and revokes it', async () => {
    const a = await buildAccount(s.ctx.db, { roles: ['admin'] });
    const session = await signIn(s.app, a.email);
    const created = await call(s.app, session, 'POST', '/api/v1/me/tokens', { name: 'ci' });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^cairn_pat_/);

    const bearer = { kind: 'token' as const, token };
    expect((await call(s.app, bearer, 'GET', '/api/v1/accounts')).statusCode).toBe(200);
    // State-changing request with a bearer token needs no CSRF token.
    const second = await call(s.app, bearer, 'POST', '/api/v1/me/tokens', { name: 'second' });
    expect(second.statusCode).toBe(201);

    const list = await call(s.app, session, 'GET', '/api/v1/me/tokens');
    expect(
      list
        .json()
        .items.map((t: { name: string }) => t.name)
        .sort(),
    ).toEqual(['ci', 'second']);
    expect(list.body).not.toContain(token);
    const stored = await s.ctx.db
      .selectFrom('api_token')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);

    expect((await call(s.app, session, 'DELETE', `/api/v1/me/tokens/${id}`)).statusCode).toBe(200);
    const after = await call(s.app, bearer, 'GET', '/api/v1/accounts');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/revoked/);
  });

  it('refuses a forged token and audits it', async () => {
    const res = await call(
      s.app,
      { kind: 'token', token: 'cairn_pat_forged' },
      'GET',
      '/api/v1/auth/session',
    );
    expect(res.statusCode).toBe(401);
    const rows = await s.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.token')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
  });

  it('refuses expired tokens', async () => {
    const a = await buildAccount(s.ctx.db);
    const session = await signIn(s.app, a.email);
    const { token, id } = (
      await call(s.app, session, 'POST', '/api/v1/me/tokens', { name: 'short', expiresInDays: 1 })
    ).json();
    await s.ctx.db
      .updateTable('api_token')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    expect((await call(s.app, { kind: 'token', token }, 'GET', '/api/v1/me/tokens')).statusCode).toBe(401);
  });

  it('cannot revoke someone else’s token', async () => {
    const a = await buildAccount(s.ctx.db);
    const b = await buildAccount(s.ctx.db);
    const sa = await signIn(s.app, a.email);
    const sb = await signIn(s.app, b.email);
    const { id } = (await call(s.app, sa, 'POST', '/api/v1/me/tokens', { name: 'mine' })).json();
    expect((await call(s.app, sb, 'DELETE', `/api/v1/me/tokens/${id}`)).statusCode).toBe(404);
  });
});

describe('account administration and password reset', () => {
  it('lets only admins list and manage accounts; non-admin attempts are audited', async () => {
    const admin = await buildAccount(s.ctx.db, { roles: ['admin'] });
    const user = await buildAccount(s.ctx.db);
    const sa = await signIn(s.app, admin.email);
    const su = await signIn(s.app, user.email);
    expect((await call(s.app, su, 'GET', '/api/v1/accounts')).statusCode).toBe(403);
    expect((await call(s.app, anonymous, 'GET', '/api/v1/accounts')).statusCode).toBe(401);
    const denial = await s.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('actor_account_id', '=', user.id)
      .where('action', '=', 'account.list')
      .executeTakeFirst();
    expect(denial?.decision).toBe('deny');

    const team = await buildTeam(s.ctx.db, { kind: 'department' });
    const person = await buildPerson(s.ctx.db);
    const created = await call(s.app, sa, 'POST', '/api/v1/accounts', {
      email: person.email,
      personId: person.id,
      roles: ['hr'],
      hrTeamIds: [team.id],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      email: person.email,
      roles: ['hr'],
      hrTeamIds: [team.id],
      disabled: false,
    });
    const dup = await call(s.app, sa, 'POST', '/api/v1/accounts', { email: person.email.toUpperCase() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details[0].path).toBe('/body/email');
    const samePerson = await call(s.app, sa, 'POST', '/api/v1/accounts', {
      email: `second-${person.email}`,
      personId: person.id,
    });
    expect(samePerson.statusCode).toBe(409);
    expect(samePerson.json().error.details).toEqual([
      { path: '/body/personId', message: 'already has an account' },
    ]);

    const bad = await call(s.app, sa, 'PATCH', `/api/v1/accounts/${created.json().id}`, {
      hrTeamIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (await call(s.app, sa, 'PATCH', `/api/v1/accounts/${admin.id}`, { disabled: true })).statusCode,
    ).toBe(409);
  });

  it('disabling an account ends its sessions', async () => {
    const admin = await buildAccount(s.ctx.db, { roles: ['admin'] });
    const user = await buildAccount(s.ctx.db);
    const sa = await signIn(s.app, admin.email);
    const su = await signIn(s.app, user.email);
    expect(
      (await call(s.app, sa, 'PATCH', `/api/v1/accounts/${user.id}`, { disabled: true })).json().disabled,
    ).toBe(true);
    expect((await call(s.app, su, 'GET', '/api/v1/auth/session')).statusCode).toBe(401);
    const again = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(again.statusCode).toBe(403);
  });

  it('issues a one-time reset link that sets a new password and ends old sessions', async () => {
    const admin = await buildAccount(s.ctx.db, { roles: ['admin'] });
    const user = await buildAccount(s.ctx.db, { email: 'forgetful@example.test' });
    const sa = await signIn(s.app, admin.email);
    const old = await signIn(s.app, user.email);
    const issued = await call(s.app, sa, 'POST', `/api/v1/accounts/${user.id}/password-reset`);
    expect(issued.statusCode).toBe(201);
    const { token, resetUrl } = issued.json();
    expect(resetUrl).toContain(`/reset-password?token=${token}`);

    const weak = await call(s.app, anonymous, 'POST', '/api/v1/auth/password-reset', {
      token,
      newPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details[0].path).toBe('/body/newPassword');

    const ok = await call(s.app, anonymous, 'POST', '/api/v1/auth/password-reset', {
      token,
      newPassword: 'a much longer passphrase',
    });
    expect(ok.statusCode).toBe(200);
    expect((await call(s.app, old, 'GET', '/api/v1/auth/session')).statusCode).toBe(401);
    await signIn(s.app, user.email, 'a much longer passphrase');
    const reused = await call(s.app, anonymous, 'POST', '/api/v1/auth/password-reset', {
      token,
      newPassword: 'yet another passphrase',
    });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.message).toMatch(/invalid or has expired/);
  });

  it('changes one’s own password only with the current one', async () => {
    const user = await buildAccount(s.ctx.db);
    const su = await signIn(s.app, user.email);
    const wrong = await call(s.app, su, 'POST', '/api/v1/auth/password', {
      currentPassword: 'nope',
      newPassword: 'brand new passphrase',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0].path).toBe('/body/currentPassword');
    const ok = await call(s.app, su, 'POST', '/api/v1/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'brand new passphrase',
    });
    expect(ok.statusCode).toBe(200);
    await signIn(s.app, user.email, 'brand new passphrase');
  });

  it('refuses demo accounts outside demo mode', async () => {
    const hashDemo = await hashPassword('demo');
    await s.ctx.db
      .insertInto('account')
      .values({ email: 'demo.person@example.test', password_hash: hashDemo, roles: [], is_demo: true })
      .execute();
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'demo.person@example.test', password: 'demo' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/demo mode/);
  });
});

describe('cairn token create', () => {
  it('prints a token that the API accepts', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-token-'));
    const { openDatabase } = await import('../../db/connection.js');
    const { migrateToLatest } = await import('../../db/migrate.js');
    const database = await openDatabase({ dataDir });
    await migrateToLatest(database.db);
    await buildAccount(database.db, { email: 'robot@example.test' });
    await database.close();

    const env = { ...process.env, DATABASE_URL: '' };
    const { stdout } = await run(
      'node',
      [
        'bin/cairn.js',
        'token',
        'create',
        '--email',
        'robot@example.test',
        '--name',
        'nightly',
        '--data-dir',
        dataDir,
      ],
      { env },
    );
    const token = stdout.trim();
    expect(token).toMatch(/^cairn_pat_[A-Za-z0-9_-]{40,}$/);

    const unknown = await run(
      'node',
      ['bin/cairn.js', 'token', 'create', '--email', 'nobody@example.test', '--data-dir', dataDir],
      { env },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((unknown as { code: number }).code).toBe(1);
    expect((unknown as { stderr: string }).stderr).toMatch(/No account with e-mail nobody@example.test/);

    const { getTestServerOn } = await import('../../test/test-server.js');
    const s = await getTestServerOn(dataDir);
    try {
      const res = await call(s.app, { kind: 'token', token }, 'GET', '/api/v1/auth/session');
      expect(res.statusCode).toBe(200);
      expect(res.json().account.email).toBe('robot@example.test');
    } finally {
      await s.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
