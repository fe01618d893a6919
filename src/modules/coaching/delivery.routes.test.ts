import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccessFixture, type AccessFixture } from '../../test/access-fixture.js';
import {
  anonymous,
  call,
  getTestServer,
  signIn,
  type Agent,
  type TestServer,
} from '../../test/test-server.js';
import { addInboxItem } from './delivery.inbox.js';
import { deliverMoment } from './delivery.service.js';
import type { InboxType, WebhookDeliveryType, WebhookEndpointType } from './delivery.schema.js';
import { verifySignature } from './delivery.webhooks.js';

describe('coaching delivery API', () => {
  let server: TestServer;
  let f: AccessFixture;
  const agents: Record<string, Agent> = {};
  let managerItem: string;
  let targetItem: string;

  beforeAll(async () => {
    server = await getTestServer({ loginRateLimitPerMinute: 1000 });
    f = await buildAccessFixture(server.ctx.db);
    for (const [name, account] of Object.entries(f.accounts))
      agents[name] = await signIn(server.app, account.email);
    managerItem = (await addInboxItem(server.ctx.db, {
      recipientPersonId: f.people.manager.id,
      subjectPersonId: f.people.target.id,
      kind: 'moment',
      title: 'Debrief the release with Tess',
      body: 'Connect the outcome to her development goal.',
      link: `/people/${f.people.target.id}`,
      dedupeKey: 'release-debrief',
    }))!;
    targetItem = (await addInboxItem(server.ctx.db, {
      recipientPersonId: f.people.target.id,
      kind: 'moment',
      title: 'Prepare for your 1:1',
      body: 'Two things you want to talk about.',
    }))!;
  });
  afterAll(async () => server.close());

  it('lists only my own inbox, with the unread count', async () => {
    const res = await call(server.app, agents.manager!, 'GET', '/api/v1/coaching/inbox');
    expect(res.statusCode).toBe(200);
    const inbox = res.json() as InboxType;
    expect(inbox.unread).toBe(1);
    expect(inbox.items.map((i) => i.id)).toEqual([managerItem]);
    expect(inbox.items[0]!.subject).toEqual({ id: f.people.target.id, name: 'Tess Target' });
    const mine = (await call(server.app, agents.self!, 'GET', '/api/v1/coaching/inbox')).json() as InboxType;
    expect(mine.items.map((i) => i.id)).toEqual([targetItem]);
    expect((await call(server.app, anonymous, 'GET', '/api/v1/coaching/inbox')).statusCode).toBe(401);
  });

  it('ignores the same moment added twice', async () => {
    const again = await addInboxItem(server.ctx.db, {
      recipientPersonId: f.people.manager.id,
      kind: 'moment',
      title: 'Debrief the release with Tess',
      body: 'dup',
      dedupeKey: 'release-debrief',
    });
    expect(again).toBeNull();
  });

  it('marks my items read or acted, and refuses someone else’s', async () => {
    expect(
      (await call(server.app, agents.self!, 'POST', `/api/v1/coaching/inbox/${managerItem}/read`)).statusCode,
    ).toBe(404);
    expect(
      (await call(server.app, agents.manager!, 'POST', `/api/v1/coaching/inbox/${managerItem}/read`))
        .statusCode,
    ).toBe(200);
    let inbox = (
      await call(server.app, agents.manager!, 'GET', '/api/v1/coaching/inbox')
    ).json() as InboxType;
    expect(inbox.unread).toBe(0);
    expect(inbox.items[0]!.readAt).not.toBeNull();
    expect(
      (await call(server.app, agents.manager!, 'POST', `/api/v1/coaching/inbox/${managerItem}/acted`))
        .statusCode,
    ).toBe(200);
    inbox = (
      await call(server.app, agents.manager!, 'GET', '/api/v1/coaching/inbox?unread=true')
    ).json() as InboxType;
    expect(inbox.items).toEqual([]);
  });

  it('keeps personal digest settings and shows the next send time', async () => {
    const bad = await call(server.app, agents.self!, 'PATCH', '/api/v1/me/digest', {
      enabled: true,
      localTime: '25:00',
      weekdaysOnly: true,
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('localTime');
    const res = await call(server.app, agents.self!, 'PATCH', '/api/v1/me/digest', {
      enabled: true,
      localTime: '07:15',
      weekdaysOnly: false,
    });
    expect(res.statusCode).toBe(200);
    const s = res.json() as { localTime: string; timeZone: string; nextSendAt: string };
    expect(s).toMatchObject({ localTime: '07:15', timeZone: 'Europe/Berlin', weekdaysOnly: false });
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(s.nextSendAt));
    expect(local).toBe('07:15');
    const off = await call(server.app, agents.self!, 'PATCH', '/api/v1/me/digest', {
      enabled: false,
      localTime: '07:15',
      weekdaysOnly: true,
    });
    expect((off.json() as { nextSendAt: string | null }).nextSendAt).toBeNull();
  });

  it('lets only administrators manage webhooks; the secret is shown once; a test send is signed and logged', async () => {
    let secret = '';
    const received: boolean[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(
          verifySignature(
            secret,
            {
              signature: req.headers['x-cairn-signature'] as string,
              timestamp: req.headers['x-cairn-timestamp'] as string,
            },
            body,
          ),
        );
        res.statusCode = 200;
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack`;
    try {
      for (const who of ['manager', 'hrIn', 'executive', 'self']) {
        expect(
          (await call(server.app, agents[who]!, 'POST', '/api/v1/coaching/webhooks', { name: 'x', url }))
            .statusCode,
        ).toBe(403);
        expect((await call(server.app, agents[who]!, 'GET', '/api/v1/coaching/webhooks')).statusCode).toBe(
          403,
        );
      }
      const bad = await call(server.app, agents.admin!, 'POST', '/api/v1/coaching/webhooks', {
        name: 'x',
        url: 'ftp://example.com',
      });
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json())).toContain('/body/url');

      const created = await call(server.app, agents.admin!, 'POST', '/api/v1/coaching/webhooks', {
        name: 'Managers channel',
        url,
      });
      expect(created.statusCode).toBe(201);
      const { id, secret: s } = created.json() as { id: string; secret: string };
      secret = s;
      expect(secret).toMatch(/^whsec_/);
      const list = (await call(server.app, agents.admin!, 'GET', '/api/v1/coaching/webhooks')).json() as {
        items: WebhookEndpointType[];
      };
      expect(list.items).toHaveLength(1);
      expect(JSON.stringify(list)).not.toContain(secret);
      expect(list.items[0]!.secretHint).toBe(`…${secret.slice(-4)}`);

      const test = await call(server.app, agents.admin!, 'POST', `/api/v1/coaching/webhooks/${id}/test`);
      expect(test.json()).toEqual({ ok: true, statusCode: 200, error: null });
      expect(received).toEqual([true]);

      expect(
        (await call(server.app, agents.manager!, 'GET', `/api/v1/coaching/webhooks/${id}/deliveries`))
          .statusCode,
      ).toBe(403);
      const log = (
        await call(server.app, agents.admin!, 'GET', `/api/v1/coaching/webhooks/${id}/deliveries`)
      ).json() as {
        items: WebhookDeliveryType[];
      };
      expect(log.items).toHaveLength(1);
      expect(log.items[0]).toMatchObject({
        event: 'test',
        status: 'succeeded',
        attempts: 1,
        lastStatusCode: 200,
      });
      expect(log.items[0]!.log).toHaveLength(1);

      const status = await call(server.app, agents.admin!, 'GET', '/api/v1/coaching/delivery/status');
      expect(status.statusCode).toBe(200);
      expect((status.json() as { digestSchedule: string }).digestSchedule).toBe('*/5 * * * *');
      expect(
        (await call(server.app, agents.hrIn!, 'GET', '/api/v1/coaching/delivery/status')).statusCode,
      ).toBe(403);

      // A new moment goes to the inbox and queues a content-free notice per endpoint; a duplicate does neither.
      const moment = {
        recipientPersonId: f.people.manager.id,
        subjectPersonId: f.people.target.id,
        kind: 'moment',
        title: 'Private title about Tess',
        body: 'Private evidence',
        dedupeKey: 'notify-test',
      };
      const sent = await deliverMoment(server.ctx.db, undefined, moment, {
        publicUrl: 'https://cairn.example/',
      });
      expect(sent.itemId).not.toBeNull();
      expect(sent.deliveries).toHaveLength(1);
      const row = await server.ctx.db
        .selectFrom('coaching_webhook_delivery')
        .select(['payload', 'status'])
        .where('id', '=', sent.deliveries[0]!)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('pending');
      expect(JSON.stringify(row.payload)).toContain('Max Manager has a new coaching moment in Cairn.');
      expect(JSON.stringify(row.payload)).toContain('https://cairn.example/coaching');
      expect(JSON.stringify(row.payload)).not.toContain('Tess');
      expect(await deliverMoment(server.ctx.db, undefined, moment)).toEqual({ itemId: null, deliveries: [] });
      expect(
        (await call(server.app, agents.admin!, 'DELETE', `/api/v1/coaching/webhooks/${id}`)).statusCode,
      ).toBe(200);
      expect(
        (await call(server.app, agents.admin!, 'POST', `/api/v1/coaching/webhooks/${id}/test`)).statusCode,
      ).toBe(404);
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});
