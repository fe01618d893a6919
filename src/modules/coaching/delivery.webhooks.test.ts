import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import {
  attemptDelivery,
  createDelivery,
  createEndpoint,
  listDeliveries,
  queueWebhooks,
  registerWebhookWorker,
  signBody,
  slackMessage,
  verifySignature,
} from './delivery.webhooks.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

/** A local receiver that verifies each request's signature and answers with the next scripted status. */
async function startReceiver(secretOf: () => string, statuses: number[]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = verifySignature(
        secretOf(),
        {
          signature: req.headers['x-cairn-signature'] as string,
          timestamp: req.headers['x-cairn-timestamp'] as string,
        },
        body,
      );
      received.push({ headers: req.headers, body, verified });
      res.statusCode = statuses.shift() ?? 200;
      res.end(res.statusCode >= 400 ? 'nope' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = JSON.stringify(slackMessage('hello'));
  const now = 1_800_000_000;

  it('verifies a genuine signature', () => {
    expect(
      verifySignature(secret, { signature: signBody(secret, now, body), timestamp: String(now) }, body, now),
    ).toBe(true);
  });

  it('refuses a forged signature, a changed body, a wrong secret and a replayed old timestamp', () => {
    const sig = signBody(secret, now, body);
    expect(
      verifySignature(secret, { signature: 'sha256=' + '0'.repeat(64), timestamp: String(now) }, body, now),
    ).toBe(false);
    expect(
      verifySignature(
        secret,
        { signature: sig, timestamp: String(now) },
        body.replace('hello', 'hullo'),
        now,
      ),
    ).toBe(false);
    expect(verifySignature('whsec_other', { signature: sig, timestamp: String(now) }, body, now)).toBe(false);
    // The same request replayed ten minutes later.
    expect(verifySignature(secret, { signature: sig, timestamp: String(now) }, body, now + 600)).toBe(false);
    // A fresh timestamp on an old signature does not verify either: the timestamp is signed.
    expect(verifySignature(secret, { signature: sig, timestamp: String(now + 600) }, body, now + 600)).toBe(
      false,
    );
    expect(verifySignature(secret, { signature: undefined, timestamp: String(now) }, body, now)).toBe(false);
  });

  it('builds Slack-compatible messages', () => {
    const m = slackMessage('*Ana* has a new coaching moment', 'http://localhost:3000/coaching');
    expect(m.text).toContain('Ana');
    expect(m.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Ana* has a new coaching moment' },
    });
    expect(JSON.stringify(m.blocks[1])).toContain('http://localhost:3000/coaching');
  });
});

describe('webhook delivery', () => {
  let testDb: TestDatabase;
  let boss: PgBoss | undefined;

  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false }).catch(() => undefined);
    await testDb.destroy();
  });

  it('sends a signed request the receiver can verify, and logs the attempt', async () => {
    const db = testDb.database.db;
    let secret = '';
    const receiver = await startReceiver(() => secret, [204]);
    try {
      const endpoint = await createEndpoint(db, { name: 'Team channel', url: receiver.url }, null);
      secret = endpoint.secret;
      const id = await createDelivery(db, endpoint.id, 'test', slackMessage('A test from Cairn'));
      const result = await attemptDelivery(db, id, { final: true });
      expect(result).toEqual({ ok: true, statusCode: 204, error: null });
      expect(receiver.received).toHaveLength(1);
      const got = receiver.received[0]!;
      expect(got.verified).toBe(true);
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers['x-cairn-delivery']).toBe(id);
      expect(JSON.parse(got.body)).toEqual({
        text: 'A test from Cairn',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'A test from Cairn' } }],
      });
      const [log] = await listDeliveries(db, endpoint.id);
      expect(log).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 204 });
    } finally {
      await receiver.close();
    }
  });

  it('marks a delivery failed when its last attempt fails, with the status code and error', async () => {
    const db = testDb.database.db;
    const receiver = await startReceiver(() => 'irrelevant', [503]);
    try {
      const endpoint = await createEndpoint(db, { name: 'Broken', url: receiver.url }, null);
      const id = await createDelivery(db, endpoint.id, 'test', slackMessage('x'));
      expect(await attemptDelivery(db, id, { final: true })).toEqual({
        ok: false,
        statusCode: 503,
        error: 'HTTP 503',
      });
      const [log] = await listDeliveries(db, endpoint.id);
      expect(log).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastStatusCode: 503,
        lastError: 'HTTP 503',
      });
    } finally {
      await receiver.close();
    }
    // Nobody listening at all: the connection error is logged.
    const closed = await createEndpoint(db, { name: 'Gone', url: receiver.url }, null);
    const id = await createDelivery(db, closed.id, 'test', slackMessage('x'));
    const result = await attemptDelivery(db, id, { final: false });
    expect(result.ok).toBe(false);
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/fetch failed|ECONNREFUSED/);
    const [log] = await listDeliveries(db, closed.id);
    expect(log?.status).toBe('retrying');
  });

  it('retries after 500s with backoff through pg-boss until the receiver accepts', async () => {
    const db = testDb.database.db;
    let secret = '';
    const receiver = await startReceiver(() => secret, [500, 500, 200]);
    try {
      await db.updateTable('coaching_webhook_endpoint').set({ enabled: false }).execute();
      const endpoint = await createEndpoint(db, { name: 'Flaky', url: receiver.url }, null);
      secret = endpoint.secret;
      boss = testDb.database.createBoss();
      await boss.start();
      await registerWebhookWorker(boss, db, { pollingIntervalSeconds: 0.5 });
      const [id] = await queueWebhooks(db, boss, 'coaching.moment', slackMessage('retry me'), {
        retryLimit: 4,
        retryDelay: 1,
        retryDelayMax: 2,
      });
      const done = await waitFor(async () => {
        const [d] = await listDeliveries(db, endpoint.id);
        return d && d.status === 'succeeded' ? d : undefined;
      }, 'the delivery to succeed');
      expect(done.id).toBe(id);
      expect(done.attempts).toBe(3);
      expect(done.log.map((a) => a.statusCode)).toEqual([500, 500, 200]);
      expect(done.log.map((a) => a.error)).toEqual(['HTTP 500', 'HTTP 500', null]);
      expect(receiver.received.every((r) => r.verified)).toBe(true);
      // Each retry carries a fresh timestamp and signature, and the same delivery id.
      expect(new Set(receiver.received.map((r) => r.headers['x-cairn-delivery']))).toEqual(new Set([id]));
    } finally {
      await receiver.close();
    }
  }, 90_000);
});
