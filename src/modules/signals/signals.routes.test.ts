import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/connection.js';
import { buildApp } from '../../server/app.js';
import { buildAccessFixture, type AccessFixture, type RelationName } from '../../test/access-fixture.js';
import { buildAccount } from '../../test/factories.js';
import {
  anonymous,
  call,
  getTestServer,
  signIn,
  type Agent,
  type TestServer,
} from '../../test/test-server.js';
import { ingestBatch } from '../ingest/ingest.pipeline.js';
import { buildSignalsFixture, gh, type SignalsFixture } from './signals.fixture.js';
import { applyAllPendingChanges } from './signals.rollups.js';

let s: TestServer;
let f: AccessFixture;
let sig: SignalsFixture;
const agents = {} as Record<RelationName, Agent>;
let adaAgent: Agent;
const db = () => s.ctx.db;
const RANGE = 'from=2026-01-05&to=2026-01-11';

beforeAll(async () => {
  s = await getTestServer({ loginRateLimitPerMinute: 1000 });
  f = await buildAccessFixture(db());
  for (const [rel, account] of Object.entries(f.accounts))
    agents[rel as RelationName] = await signIn(s.app, account.email);
  agents.anonymous = anonymous;
  sig = await buildSignalsFixture(db());
  await ingestBatch(db(), null, sig.batch);
  await applyAllPendingChanges(db());
  const ada = await buildAccount(db(), { personId: sig.ada.id });
  adaAgent = await signIn(s.app, ada.email);
}, 120_000);
afterAll(() => s.close());

async function status(rel: RelationName, url: string): Promise<number> {
  return (await call(s.app, agents[rel], 'GET', url)).statusCode;
}

const ALL: RelationName[] = [
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

async function matrix(url: string): Promise<RelationName[]> {
  const allowed: RelationName[] = [];
  for (const rel of ALL) {
    const code = await status(rel, url);
    if (code === 200) allowed.push(rel);
    else expect(code, `${rel} on ${url}`).toBe(rel === 'anonymous' ? 401 : 403);
  }
  return allowed;
}

describe('signals visibility (through the access policy)', () => {
  it('a team view: its members, its management chain, admins and executives', async () => {
    expect(await matrix(`/api/v1/signals/teams/${f.teams.platform.id}`)).toEqual([
      'self',
      'manager',
      'skipLevel',
      'ceo',
      'peer',
      'admin',
      'executive',
    ]);
  });

  it('a person’s signals: the person, their management chain and admins — not peers, HR or former managers', async () => {
    expect(await matrix(`/api/v1/signals/people/${f.people.target.id}`)).toEqual([
      'self',
      'manager',
      'skipLevel',
      'ceo',
      'admin',
    ]);
  });

  it('the evidence behind a person’s number follows the person rule', async () => {
    const url = `/api/v1/signals/evidence?metric=commits&scope=person&id=${f.people.target.id}`;
    expect(await matrix(url)).toEqual(['self', 'manager', 'skipLevel', 'ceo', 'admin']);
  });

  it('the org overview: admins and executives only', async () => {
    expect(await matrix('/api/v1/signals/org')).toEqual(['admin', 'executive']);
  });

  it('a team member sees no individual flags of peers on the team view', async () => {
    const res = await call(s.app, agents.peer, 'GET', `/api/v1/signals/teams/${f.teams.platform.id}`);
    const flags = (res.json() as { flags: { subject: { type: string; id: string } }[] }).flags;
    expect(flags.filter((fl) => fl.subject.type === 'person' && fl.subject.id !== f.people.peer.id)).toEqual(
      [],
    );
  });
});

describe('signals API values', () => {
  it('the team dashboard gives the hand-computed totals and cycle-time medians', async () => {
    const res = await call(s.app, agents.admin, 'GET', `/api/v1/signals/teams/${sig.team.id}?${RANGE}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      totals: Record<string, number | null>;
      cycle: { metric: string; p50: number | null; n: number }[];
      graph: { edges: { from: string; to: string; reviews: number }[]; withinTeamReviews: number };
      range: { from: string; to: string };
      byProject: { project: string; commits: number; prsMerged: number }[];
      sprints: unknown[];
    };
    expect(body.range).toEqual({ from: '2026-01-05', to: '2026-01-05' });
    expect(body.totals).toMatchObject({
      prs_merged: 3,
      issues_completed: 2,
      story_points: 7,
      throughput: 5,
      commits: 2,
      reverts: 1,
      reviews_given: 4,
    });
    expect(body.totals.bugfix_share).toBeCloseTo(2 / 5, 10);
    expect(body.totals.changes_requested_per_pr).toBeCloseTo(1 / 3, 10);
    const cycle = Object.fromEntries(body.cycle.map((c) => [c.metric, [c.p50, c.n]]));
    expect(cycle).toEqual({ cycle_coding: [1.5, 2], cycle_pickup: [1.5, 2], cycle_review: [22.5, 2] });
    // Grace reviewed Ada's pull requests three times (the bot's PR has no person; Ada's own review is not an edge).
    expect(body.graph.edges).toEqual([{ from: sig.grace.id, to: sig.ada.id, reviews: 3 }]);
    expect(body.graph.withinTeamReviews).toBe(3);
    // From the rollup: Ada's two commits (not the merge commit, not the bot's) and three merges.
    expect(body.byProject).toEqual([{ project: 'acme/app', commits: 2, prsMerged: 3 }]);
    expect(body.totals.incidents_linked).toBe(0);
    expect(body.sprints).toEqual([]);
  });

  it('“why this number?” lists the source events with links', async () => {
    const res = await call(
      s.app,
      agents.admin,
      'GET',
      `/api/v1/signals/evidence?metric=prs_merged&scope=team&id=${sig.team.id}&${RANGE}`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      total: number;
      value: number;
      rows: { url: string | null; person: { name: string } }[];
    };
    expect(body.total).toBe(3);
    expect(body.value).toBe(3);
    expect(body.rows.map((r) => r.url).sort()).toEqual(
      [1, 2, 3].map((n) => `https://github.com/acme/app/pull/${n}`),
    );
    expect(body.rows[0]!.person.name).toBe('Ada');
    const pickup = await call(
      s.app,
      agents.admin,
      'GET',
      `/api/v1/signals/evidence?metric=cycle_pickup&scope=person&id=${sig.ada.id}&${RANGE}`,
    );
    expect((pickup.json() as { value: number; total: number }).value).toBe(1.5);
    const issues = await call(
      s.app,
      adaAgent,
      'GET',
      `/api/v1/signals/evidence?metric=issues_completed&scope=person&id=${sig.ada.id}&${RANGE}`,
    );
    expect((issues.json() as { rows: { sourceId: string }[] }).rows.map((r) => r.sourceId)).toEqual([
      'KES-2',
    ]);
  });

  it('rejects bad input naming the field', async () => {
    const bad = await call(s.app, agents.admin, 'GET', '/api/v1/signals/evidence?metric=nonsense&scope=org');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('metric');
    const range = await call(s.app, agents.admin, 'GET', '/api/v1/signals/org?from=2026-05-01&to=2026-01-01');
    expect(range.statusCode).toBe(400);
    expect(JSON.stringify(range.json())).toContain('from');
    const noId = await call(s.app, agents.admin, 'GET', '/api/v1/signals/evidence?metric=commits&scope=team');
    expect(noId.statusCode).toBe(400);
  });

  it('the person page carries skills and glue work, and the org overview lists teams without ranking people', async () => {
    const me = await call(s.app, adaAgent, 'GET', `/api/v1/signals/people/${sig.ada.id}?${RANGE}`);
    const body = me.json() as {
      skills: { areas: { name: string; total: number }[] };
      glue: { reviewsGiven: number };
    };
    expect(body.skills.areas[0]).toMatchObject({ name: 'src/api', total: 2 });
    expect(body.glue.reviewsGiven).toBe(0);
    const org = await call(s.app, agents.admin, 'GET', `/api/v1/signals/org?${RANGE}`);
    const overview = org.json() as { teams: { name: string }[] };
    const names = overview.teams.map((t) => t.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(JSON.stringify(org.json())).not.toContain(sig.ada.id);
  });
});

/** Reads server-sent events from a listening server until `until` matches one. */
function readEvents(
  port: number,
  cookie: string,
  until: (event: string, data: string) => boolean,
): { ready: Promise<void>; done: Promise<string>; close: () => void } {
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  let req!: http.ClientRequest;
  const done = new Promise<string>((resolve, reject) => {
    req = http.get(
      { port, path: '/api/v1/stream', headers: { cookie, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let i;
          while ((i = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
            const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
            if (event === 'ready') resolveReady();
            if (until(event, data)) resolve(data);
          }
        });
      },
    );
    req.on('error', reject);
  });
  return { ready, done, close: () => req.destroy() };
}

describe('live stream', () => {
  it('refuses anonymous clients', async () => {
    expect((await call(s.app, anonymous, 'GET', '/api/v1/stream')).statusCode).toBe(401);
  });

  it('an event ingested through one instance reaches an SSE client on another; a peer hears nothing about it', async () => {
    // A second app instance on the same database (its own connection and LISTEN on PostgreSQL).
    let second: Database = s.ctx.database;
    let ownDatabase = false;
    if (s.testDb.url) {
      second = await openDatabase({ databaseUrl: s.testDb.url });
      ownDatabase = true;
    }
    const app2 = await buildApp({ ...s.ctx, database: second, db: second.db });
    await app2.listen({ port: 0, host: '127.0.0.1' });
    const port = (app2.server.address() as AddressInfo).port;
    try {
      const cookie = (a: Agent) => (a.kind === 'session' ? a.cookie : '');
      const manager = readEvents(
        port,
        cookie(agents.manager),
        (e, d) => e === 'signals' && d.includes(f.people.target.id),
      );
      let peerHeard = '';
      const peer = readEvents(port, cookie(agents.peer), (e, d) => {
        if (e === 'signals') peerHeard += d;
        return false;
      });
      await Promise.all([manager.ready, peer.ready]);
      await ingestBatch(db(), null, {
        source: 'github',
        events: [
          {
            sourceId: 'live-1',
            kind: 'commit',
            occurredAt: new Date().toISOString(),
            actor: gh(f.people.target, 't-1'),
            project: 'acme/app',
            attributes: { sha: 'abc' },
          },
        ],
      });
      const data = JSON.parse(await manager.done) as { persons: string[]; teams: string[] };
      expect(data.persons).toContain(f.people.target.id);
      expect(data.teams).toContain(f.teams.platform.id);
      manager.close();
      peer.close();
      expect(peerHeard).not.toContain(f.people.target.id);
      const rows = await db()
        .selectFrom('signals_person_week')
        .select('value')
        .where('person_id', '=', f.people.target.id)
        .where('metric', '=', 'commits')
        .execute();
      expect(rows.map((r) => r.value)).toEqual([1]);
    } finally {
      await app2.close();
      if (ownDatabase) await second.close();
    }
  }, 30_000);
});
