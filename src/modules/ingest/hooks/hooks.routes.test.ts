import crypto from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../demo/demo.random.js';
import { getTestServer, type TestServer } from '../../../test/test-server.js';
import { loadWebhookExamples } from '../github/github.fixtures.js';
import { GITHUB_WEBHOOK_EVENTS } from '../github/github.mapper.js';
import { createConnection } from '../ingest.connections.js';
import { signBody } from '../remote/webhook-signature.js';
import { processDelivery, type WebhookJob } from './webhook.process.js';

let server: TestServer;
let githubId: string;
let jiraId: string;
const SECRET = 'It’s a Secret to Everybody';
const db = () => server.ctx.db;

const relevant = loadWebhookExamples()
  .filter((e) => (GITHUB_WEBHOOK_EVENTS as readonly string[]).includes(e.name))
  .flatMap((e) => e.examples.map((payload) => ({ event: e.name, body: JSON.stringify(payload) })));

beforeAll(async () => {
  server = await getTestServer();
  githubId = (
    await createConnection(db(), {
      kind: 'github',
      name: 'hooks',
      config: { repo: 'Codertocat/Hello-World' },
      secret: SECRET,
    })
  ).id;
  jiraId = (
    await createConnection(db(), {
      kind: 'jira',
      name: 'jira hooks',
      config: { site: 'https://acme.atlassian.net', project: 'ATL' },
      secret: SECRET,
    })
  ).id;
});
afterAll(() => server.close());

function deliver(
  event: string,
  body: string,
  opts: { secret?: string | null; delivery?: string; connection?: string; contentType?: string } = {},
) {
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/json',
    'x-github-event': event,
    'x-github-delivery': opts.delivery ?? crypto.randomUUID(),
    'user-agent': 'GitHub-Hookshot/044aadd',
  };
  const secret = opts.secret === undefined ? SECRET : opts.secret;
  if (secret !== null) headers['x-hub-signature-256'] = signBody(secret, body);
  return server.app.inject({
    method: 'POST',
    url: `/hooks/github/${opts.connection ?? githubId}`,
    headers,
    payload: body,
  });
}

/** Everything the deliveries produced, without bookkeeping timestamps. */
async function snapshot() {
  const items = await db()
    .selectFrom('ingest_work_item')
    .select([
      'source_id',
      'kind',
      'state',
      'title',
      'number',
      'opened_at',
      'closed_at',
      'merged_at',
      'source_updated_at',
      'attributes',
      'author_identity_id',
    ])
    .orderBy('source_id')
    .execute();
  const events = await db()
    .selectFrom('ingest_work_event')
    .select(['source_id', 'kind', 'occurred_at', 'actor_identity_id', 'item_source_id', 'attributes'])
    .orderBy('source_id')
    .execute();
  const identities = await db()
    .selectFrom('ingest_identity')
    .select(['source', 'external_id', 'login', 'is_bot'])
    .orderBy('external_id')
    .execute();
  const raw = await db().selectFrom('ingest_raw_payload').select('source_id').orderBy('source_id').execute();
  return { items, events, identities, raw: raw.length };
}

async function deliveries(): Promise<number> {
  const r = await db()
    .selectFrom('ingest_webhook_delivery')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('POST /hooks/github/:connectionId', () => {
  let first: Awaited<ReturnType<typeof snapshot>>;

  it('accepts every relevant example payload of @octokit/webhooks-examples with a valid signature', async () => {
    expect(relevant.length).toBeGreaterThan(70);
    for (const d of relevant) {
      const res = await deliver(d.event, d.body);
      expect({ event: d.event, status: res.statusCode }).toEqual({ event: d.event, status: 202 });
      expect(res.json()).toMatchObject({ status: 'processed' });
    }
    first = await snapshot();
    // The examples reuse a handful of ids (Codertocat/Hello-World #1 and #2, one review, one comment …).
    expect(first.events.length).toBe(10);
    expect(first.items.length).toBeGreaterThan(0);
    expect(new Set(first.events.map((e) => e.kind))).toEqual(
      new Set([
        'pr_opened',
        'pr_ready',
        'pr_closed',
        'pr_reopened',
        'review_submitted',
        'review_comment',
        'issue_created',
        'issue_reopened',
        'issue_comment',
        'commit',
      ]),
    );
    const quarantined = await db().selectFrom('ingest_quarantine').select('id').execute();
    expect(quarantined).toEqual([]);
  });

  it('delivering all of them again, shuffled, with new delivery ids changes nothing', async () => {
    const shuffled = new SeededRandom(7).shuffle(relevant);
    for (const d of shuffled) expect((await deliver(d.event, d.body)).statusCode).toBe(202);
    expect(await snapshot()).toEqual(first);
  });

  it('a repeated delivery id answers 200 and does nothing', async () => {
    const d = relevant.find((r) => r.event === 'pull_request_review')!;
    const id = crypto.randomUUID();
    expect((await deliver(d.event, d.body, { delivery: id })).statusCode).toBe(202);
    const before = await deliveries();
    const again = await deliver(d.event, d.body, { delivery: id });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate', deliveryId: id });
    expect(await deliveries()).toBe(before);
  });

  it('forged, stale-secret and unsigned deliveries get 401 and store nothing', async () => {
    const before = { d: await deliveries(), s: await snapshot() };
    const body = JSON.stringify({ ...JSON.parse(relevant[0]!.body), action: 'opened', injected: true });
    const forged = await server.app.inject({
      method: 'POST',
      url: `/hooks/github/${githubId}`,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': signBody(SECRET, relevant[0]!.body),
      },
      payload: body,
    });
    const stale = await deliver('push', relevant.find((r) => r.event === 'push')!.body, {
      secret: 'the-old-secret',
    });
    const unsigned = await deliver('push', relevant.find((r) => r.event === 'push')!.body, { secret: null });
    const garbage = await server.app.inject({
      method: 'POST',
      url: `/hooks/github/${githubId}`,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': 'sha256=zz',
      },
      payload: '{}',
    });
    for (const res of [forged, stale, unsigned, garbage]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    }
    expect(stale.json().error.message).toMatch(/does not match this connection's secret/);
    expect(await deliveries()).toBe(before.d);
    expect(await snapshot()).toEqual(before.s);
  });

  it('answers ping, ignores events it does not use, and 404s an unknown connection', async () => {
    const ping = await deliver('ping', JSON.stringify({ zen: 'Design for failure.', hook_id: 1 }));
    expect(ping.statusCode).toBe(200);
    expect(ping.json()).toEqual({ status: 'pong', message: 'Cairn received the ping.' });
    const before = await deliveries();
    const star = await deliver('star', JSON.stringify({ action: 'created' }));
    expect(star.statusCode).toBe(202);
    expect(star.json()).toMatchObject({ status: 'ignored' });
    expect(await deliveries()).toBe(before);
    const unknown = await deliver('push', '{}', { connection: crypto.randomUUID() });
    expect(unknown.statusCode).toBe(404);
    const notUuid = await deliver('push', '{}', { connection: 'nope' });
    expect(notUuid.statusCode).toBe(400);
  });

  it('a signed but malformed payload is kept in quarantine, naming the delivery and field', async () => {
    const id = crypto.randomUUID();
    const res = await deliver('issues', JSON.stringify({ action: 'opened', issue: { number: 'x' } }), {
      delivery: id,
    });
    expect(res.statusCode).toBe(202);
    const q = await db().selectFrom('ingest_quarantine').selectAll().execute();
    expect(q).toHaveLength(1);
    expect(JSON.stringify(q[0])).toContain(id);
    expect(JSON.stringify(q[0])).toContain('repository.full_name');
    const delivery = await db()
      .selectFrom('ingest_webhook_delivery')
      .selectAll()
      .where('delivery_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(delivery.status).toBe('failed');
  });

  it('accepts GitHub form-encoded deliveries (payload=…) signed over the raw form body', async () => {
    const d = relevant.find((r) => r.event === 'issue_comment')!;
    const form = `payload=${encodeURIComponent(d.body)}`;
    const res = await deliver(d.event, form, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'processed' });
  });

  it('with a job queue: answers 202 at once and leaves the delivery to the worker', async () => {
    const sent: { name: string; data: WebhookJob }[] = [];
    server.ctx.boss = {
      send: async (name: string, data: WebhookJob) => void sent.push({ name, data }),
    } as unknown as PgBoss;
    try {
      const d = {
        event: 'push',
        body: JSON.stringify({
          ...JSON.parse(relevant.find((r) => r.event === 'push')!.body),
          after: 'queued-test',
        }),
      };
      const res = await deliver(d.event, d.body);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ status: 'queued' });
      expect(sent).toHaveLength(1);
      expect(sent[0]!.name).toBe('ingest.webhook');
      const delivery = await db()
        .selectFrom('ingest_webhook_delivery')
        .selectAll()
        .where('delivery_id', '=', sent[0]!.data.deliveryId)
        .executeTakeFirstOrThrow();
      expect(delivery.status).toBe('received');
      await processDelivery(db(), sent[0]!.data);
      const done = await db()
        .selectFrom('ingest_webhook_delivery')
        .selectAll()
        .where('delivery_id', '=', sent[0]!.data.deliveryId)
        .executeTakeFirstOrThrow();
      expect(done.status).toBe('processed');
    } finally {
      server.ctx.boss = undefined;
    }
  });
});

describe('POST /hooks/jira/:connectionId', () => {
  const issue = {
    id: '20001',
    key: 'ATL-1',
    self: 'https://acme.atlassian.net/rest/api/3/issue/20001',
    fields: {
      summary: 'Login page',
      status: { id: '10002', name: 'Done', statusCategory: { key: 'done' } },
      issuetype: { name: 'Story' },
      project: { key: 'ATL' },
      created: '2026-01-05T09:00:00.000+0100',
      updated: '2026-01-08T10:00:00.000+0100',
      assignee: { accountId: '5b10a2844c20165700ede21g', displayName: 'Eli Park' },
      reporter: {
        accountId: '5b10ac8d82e05b22cc7d4ef5',
        displayName: 'Dana Novak',
        emailAddress: 'dana@kestrel.example',
      },
    },
  };
  const body = JSON.stringify({
    timestamp: 1767862800000,
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Dana Novak' },
    issue,
    changelog: {
      id: '10150',
      items: [
        {
          field: 'status',
          fieldtype: 'jira',
          fieldId: 'status',
          from: '10001',
          fromString: 'In Review',
          to: '10002',
          toString: 'Done',
        },
      ],
    },
  });
  const post = (payload: string, signature: string | null, id = crypto.randomUUID()) =>
    server.app.inject({
      method: 'POST',
      url: `/hooks/jira/${jiraId}`,
      headers: {
        'content-type': 'application/json',
        'x-atlassian-webhook-identifier': id,
        ...(signature ? { 'x-hub-signature': signature } : {}),
      },
      payload,
    });

  it('verifies X-Hub-Signature, records the transition once, and refuses unsigned deliveries', async () => {
    expect((await post(body, null)).statusCode).toBe(401);
    expect((await post(body, signBody('wrong', body))).statusCode).toBe(401);
    const id = crypto.randomUUID();
    const ok = await post(body, signBody(SECRET, body), id);
    expect(ok.statusCode).toBe(202);
    expect((await post(body, signBody(SECRET, body), id)).json()).toMatchObject({ status: 'duplicate' });
    const events = await db()
      .selectFrom('ingest_work_event')
      .selectAll()
      .where('source', '=', 'jira')
      .execute();
    expect(events.map((e) => [e.source_id, e.kind])).toEqual([
      ['jira:20001:history:10150:status', 'issue_completed'],
    ]);
    const sprint = JSON.stringify({
      webhookEvent: 'sprint_started',
      sprint: {
        id: 42,
        state: 'active',
        name: 'ATL Sprint 2',
        startDate: '2026-01-12T08:00:00.000Z',
        originBoardId: 7,
      },
    });
    expect((await post(sprint, signBody(SECRET, sprint))).statusCode).toBe(202);
    const started = await db()
      .selectFrom('ingest_work_event')
      .selectAll()
      .where('kind', '=', 'sprint_started')
      .executeTakeFirstOrThrow();
    expect(started).toMatchObject({ source_id: 'jira:sprint:42:started', project: 'ATL' });
  });
});
