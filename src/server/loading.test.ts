import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from './config.js';
import { buildLoadingApp, type StartupState } from './loading.js';

describe('the loading screen while the demo organisation loads', () => {
  let app: FastifyInstance;
  let state: StartupState = { percent: 42, step: '18 months of work data' };
  beforeAll(async () => {
    const config = loadConfig({ demo: true, logLevel: 'silent' }, {});
    app = await buildLoadingApp(
      config,
      () => state,
      (handler) => http.createServer(handler),
    );
  });
  afterAll(() => app.close());

  it('is alive but not ready, and says how far the load is', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBe('2');
    expect(ready.json()).toEqual({
      status: 'loading',
      progress: 42,
      step: '18 months of work data',
      message: 'Loading the demo organisation… 42% (18 months of work data)',
    });
  });

  it('tells the web app it is a demo (no logins yet) and that nobody is signed in', async () => {
    expect((await app.inject('/api/v1/auth/demo')).json()).toEqual({ demo: true, logins: [] });
    const session = await app.inject('/api/v1/auth/session');
    expect(session.statusCode).toBe(401);
    expect(session.json().error.code).toBe('unauthenticated');
  });

  it('answers every other API call with a 503 that names the progress', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/people'],
      ['POST', '/api/v1/auth/login'],
      ['POST', '/hooks/github/x'],
    ] as const) {
      const res = await app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(503);
      expect(res.json().error).toMatchObject({
        code: 'starting',
        message: expect.stringContaining('Loading the demo organisation… 42%'),
      });
    }
  });

  it('reports a failed load instead of loading forever', async () => {
    state = { percent: 30, step: 'demo accounts', error: 'disk full' };
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'unavailable',
      message: 'Loading the demo organisation failed: disk full',
    });
    expect((await app.inject('/api/v1/people')).json().error.message).toBe(
      'Loading the demo organisation failed: disk full',
    );
  });

  it('sets the same security headers as the full app', async () => {
    const res = await app.inject('/healthz');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
