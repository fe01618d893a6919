import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from './errors.js';
import { registerWeb } from './web.js';

describe('web app serving', () => {
  let root: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-web-'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Cairn</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app-1.js'), 'console.log(1)');
    app = Fastify();
    registerErrorHandling(app);
    await registerWeb(app, root);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('serves hashed assets as immutable and client routes as index.html', async () => {
    const asset = await app.inject('/assets/app-1.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const home = await app.inject('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<title>Cairn</title>');
    const page = await app.inject('/teams/123');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Cairn</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('serves files written after start-up (a rebuild while running)', async () => {
    expect((await app.inject('/assets/app-2.js')).statusCode).toBe(404);
    fs.writeFileSync(path.join(root, 'assets', 'app-2.js'), 'console.log(2)');
    const res = await app.inject('/assets/app-2.js');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(2)');
  });

  it('answers a missing file and an unknown API path with a JSON 404', async () => {
    for (const url of ['/assets/missing.js', '/api/v1/nothing-here']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
    }
  });
});
