import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccessFixture, type AccessFixture, type RelationName } from '../../test/access-fixture.js';
import {
  anonymous,
  call,
  getTestServer,
  signIn,
  type Agent,
  type TestServer,
} from '../../test/test-server.js';
import { ingestBatch } from './ingest.pipeline.js';
import { buildTestRepo, type TestRepo } from './ingest.test-repo.js';

const RELATIONS: RelationName[] = [
  'self',
  'manager',
  'skipLevel',
  'ceo',
  'formerManager',
  'peer',
  'hrIn',
  'hrOut',
  'admin',
  'executive',
  'anonymous',
];

let s: TestServer;
let f: AccessFixture;
let repo: TestRepo;
const agents = new Map<RelationName, Agent>();

beforeAll(async () => {
  s = await getTestServer({ loginRateLimitPerMinute: 1000 });
  f = await buildAccessFixture(s.ctx.db);
  agents.set('anonymous', anonymous);
  for (const [rel, account] of Object.entries(f.accounts))
    agents.set(rel as RelationName, await signIn(s.app, account.email));
  repo = buildTestRepo();
  // Tess (the fixture's target) has work events: 30 commits and 5 reviews.
  await ingestBatch(s.ctx.db, null, {
    source: 'test',
    events: [
      ...Array.from({ length: 30 }, (_, i) => ({
        sourceId: `c${i}`,
        kind: 'commit',
        occurredAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
        actor: { source: 'git', externalId: f.people.target.email, email: f.people.target.email },
        attributes: { n: i },
      })),
      ...Array.from({ length: 5 }, (_, i) => ({
        sourceId: `r${i}`,
        kind: 'review_submitted',
        occurredAt: new Date(Date.UTC(2026, 1, 1 + i)).toISOString(),
        actor: { source: 'github', externalId: '77', login: 'tess', email: f.people.target.email },
        attributes: { state: 'approved' },
      })),
    ],
  });
});
afterAll(async () => {
  repo.remove();
  await s.close();
});

const admin = () => agents.get('admin')!;

async function waitForRun(runId: string) {
  for (let i = 0; i < 200; i++) {
    const res = await call(s.app, admin(), 'GET', `/api/v1/runs/${runId}`);
    const run = res.json() as { status: string };
    if (run.status === 'succeeded' || run.status === 'failed') return res.json() as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('run did not finish');
}

describe('access matrix', () => {
  const cases: {
    name: string;
    method: 'GET' | 'POST';
    url: () => string;
    body?: unknown;
    allowed: RelationName[];
  }[] = [
    {
      name: 'person events',
      method: 'GET',
      url: () => `/api/v1/people/${f.people.target.id}/events`,
      allowed: ['self', 'manager', 'skipLevel', 'ceo', 'admin'],
    },
    { name: 'connections', method: 'GET', url: () => '/api/v1/connections', allowed: ['admin'] },
    { name: 'identity queue', method: 'GET', url: () => '/api/v1/identities', allowed: ['admin'] },
    { name: 'quarantine', method: 'GET', url: () => '/api/v1/quarantine', allowed: ['admin'] },
    {
      name: 'create connection',
      method: 'POST',
      url: () => '/api/v1/connections',
      body: { kind: 'metrics', name: `m-${Math.random()}`, config: { file: '/tmp/x.csv' } },
      allowed: ['admin'],
    },
  ];
  for (const c of cases) {
    it(`${c.method} ${c.name}`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const rel of RELATIONS) {
        const body = c.body ? { ...(c.body as object), name: `m-${rel}` } : undefined;
        const res = await call(s.app, agents.get(rel)!, c.method, c.url(), body);
        got[rel] = res.statusCode;
        want[rel] =
          rel === 'anonymous' ? 401 : c.allowed.includes(rel) ? (c.method === 'POST' ? 201 : 200) : 403;
      }
      expect(got).toEqual(want);
    });
  }
});

describe('person events', () => {
  it('pages with a total and filters by kind and dates', async () => {
    const url = `/api/v1/people/${f.people.target.id}/events`;
    const page = (await call(s.app, agents.get('self')!, 'GET', `${url}?limit=10&offset=10`)).json() as {
      items: { kind: string; occurredAt: string }[];
      total: number;
    };
    expect(page.total).toBe(35);
    expect(page.items).toHaveLength(10);
    expect(page.items[0]!.occurredAt >= page.items[9]!.occurredAt).toBe(true);
    const reviews = (await call(s.app, admin(), 'GET', `${url}?kind=review_submitted`)).json() as {
      total: number;
      items: { identity: { label: string } }[];
    };
    expect(reviews.total).toBe(5);
    expect(reviews.items[0]!.identity.label).toBe('tess');
    const jan = (
      await call(s.app, admin(), 'GET', `${url}?kind=commit&from=2026-01-10&to=2026-01-19`)
    ).json() as { total: number };
    expect(jan.total).toBe(10);
    const bad = await call(s.app, admin(), 'GET', `${url}?from=yesterday`);
    expect(bad.statusCode).toBe(400);
  });
});

describe('connections API', () => {
  it('creates a git connection, tests it, runs it, lists the run, and maps an unmatched identity', async () => {
    const created = await call(s.app, admin(), 'POST', '/api/v1/connections', {
      kind: 'git',
      name: 'Demo repo',
      config: { path: repo.dir, project: 'demo' },
    });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: string }).id;
    const test = (await call(s.app, admin(), 'POST', `/api/v1/connections/${id}/test`)).json() as {
      ok: boolean;
      message: string;
    };
    expect(test.ok).toBe(true);
    expect(test.message).toContain('commits');
    const queued = await call(s.app, admin(), 'POST', `/api/v1/connections/${id}/run`);
    expect(queued.statusCode).toBe(202);
    const run = await waitForRun((queued.json() as { runId: string }).runId);
    expect(run).toMatchObject({ status: 'succeeded', created: 12 });
    const view = (await call(s.app, admin(), 'GET', `/api/v1/connections/${id}`)).json() as {
      status: string;
      cursor: { commit: string };
      lastRun: { id: string };
    };
    expect(view.status).toBe('succeeded');
    expect(view.cursor.commit).toMatch(/^[0-9a-f]{40}$/);
    const runs = (await call(s.app, admin(), 'GET', `/api/v1/connections/${id}/runs`)).json() as {
      items: unknown[];
    };
    expect(runs.items).toHaveLength(1);

    const queue = (await call(s.app, admin(), 'GET', '/api/v1/identities')).json() as {
      items: { id: string; email: string; eventCount: number }[];
    };
    const ada = queue.items.find((i) => i.email === 'ada@kestrel.test')!;
    expect(ada.eventCount).toBe(3);
    const mapped = await call(s.app, admin(), 'POST', `/api/v1/identities/${ada.id}/map`, {
      personId: f.people.peer.id,
    });
    expect(mapped.statusCode).toBe(200);
    expect(mapped.json()).toMatchObject({
      personId: f.people.peer.id,
      mappedBy: 'explicit',
      personName: 'Pat Peer',
    });
    const events = (
      await call(s.app, admin(), 'GET', `/api/v1/people/${f.people.peer.id}/events?kind=commit`)
    ).json() as { total: number };
    expect(events.total).toBe(3);
    const wrong = await call(s.app, admin(), 'POST', `/api/v1/identities/${ada.id}/map`, {
      personId: '00000000-0000-4000-8000-000000000000',
    });
    expect(wrong.statusCode).toBe(400);
    const bot = await call(s.app, admin(), 'POST', `/api/v1/identities/${ada.id}/bot`, { isBot: true });
    expect(bot.json()).toMatchObject({ isBot: true, personId: null });
    expect(
      (
        (await call(s.app, admin(), 'GET', `/api/v1/people/${f.people.peer.id}/events`)).json() as {
          total: number;
        }
      ).total,
    ).toBe(0);
  });

  it('redacts secrets in config, keeps them on update, and validates config per kind', async () => {
    const created = await call(s.app, admin(), 'POST', '/api/v1/connections', {
      kind: 'github',
      name: 'GitHub acme',
      config: { repo: 'acme/api', token: 'ghp_secret' },
      secret: true,
    });
    const body = created.json() as {
      id: string;
      config: { token: string };
      secret: string;
      hasSecret: boolean;
      webhookPath: string;
    };
    expect(body.config.token).toBe('********');
    expect(body.secret.length).toBeGreaterThan(20);
    expect(body.webhookPath).toBe(`/hooks/github/${body.id}`);
    await call(s.app, admin(), 'PATCH', `/api/v1/connections/${body.id}`, {
      config: { repo: 'acme/web', token: '********' },
    });
    const stored = await s.ctx.db
      .selectFrom('ingest_connection')
      .select('config')
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(stored.config).toEqual({ repo: 'acme/web', token: 'ghp_secret' });
    const bad = await call(s.app, admin(), 'POST', '/api/v1/connections', {
      kind: 'git',
      name: 'No path',
      config: {},
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('config.path');
    expect((await call(s.app, admin(), 'DELETE', `/api/v1/connections/${body.id}`)).statusCode).toBe(200);
    expect((await call(s.app, admin(), 'GET', `/api/v1/connections/${body.id}`)).statusCode).toBe(404);
  });

  it('lists quarantine, retries a record after its cause is fixed, and discards another', async () => {
    await ingestBatch(s.ctx.db, null, {
      source: 'metrics',
      metrics: [
        {
          metric: 'revenue',
          value: 10,
          subject: { personEmail: 'later@kestrel.test' },
          periodStart: '2026-01-01',
          periodEnd: '2026-01-31',
        },
        {
          metric: 'revenue',
          value: 11,
          subject: { teamSlug: 'nope' },
          periodStart: '2026-01-01',
          periodEnd: '2026-01-31',
        },
      ],
    });
    const list = (await call(s.app, admin(), 'GET', '/api/v1/quarantine')).json() as {
      items: { id: string; problem: string }[];
      total: number;
    };
    expect(list.total).toBe(2);
    const later = list.items.find((i) => i.problem.includes('later@kestrel.test'))!;
    const detail = (await call(s.app, admin(), 'GET', `/api/v1/quarantine/${later.id}`)).json() as {
      raw: { kind: string };
    };
    expect(detail.raw.kind).toBe('metric');
    const first = (await call(s.app, admin(), 'POST', `/api/v1/quarantine/${later.id}/retry`)).json();
    expect(first).toMatchObject({ status: 'pending' });
    await s.ctx.db
      .insertInto('person')
      .values({ email: 'later@kestrel.test', name: 'Later', time_zone: 'UTC' })
      .execute();
    const second = (await call(s.app, admin(), 'POST', `/api/v1/quarantine/${later.id}/retry`)).json();
    expect(second).toEqual({ status: 'resolved', problem: null });
    const other = list.items.find((i) => i.id !== later.id)!;
    expect((await call(s.app, admin(), 'POST', `/api/v1/quarantine/${other.id}/discard`)).statusCode).toBe(
      200,
    );
    expect(
      ((await call(s.app, admin(), 'GET', '/api/v1/quarantine')).json() as { total: number }).total,
    ).toBe(0);
    expect(
      ((await call(s.app, admin(), 'GET', '/api/v1/quarantine?status=all')).json() as { total: number })
        .total,
    ).toBe(2);
  });
});
