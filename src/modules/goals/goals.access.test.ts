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

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
interface Goals {
  personal: string;
  private: string;
  team: string;
  company: string;
  ended: string;
}
interface RouteCase {
  name: string;
  method: Method;
  url: (f: AccessFixture, g: Goals) => string;
  body?: (f: AccessFixture, g: Goals) => unknown;
  allowed: RelationName[];
  /** The status a refused caller gets: 403, or 404 where the goal's existence is not revealed. */
  denied?: number;
}

const EVERYONE: RelationName[] = [
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
];
const RELATIONS: RelationName[] = [...EVERYONE, 'anonymous'];
const OWNER_AND_CHAIN: RelationName[] = ['self', 'manager', 'skipLevel', 'ceo'];
const TEAM_LEADS: RelationName[] = ['manager', 'skipLevel', 'ceo', 'admin'];
const COMPANY: RelationName[] = ['ceo', 'executive', 'admin'];
const Q = {
  periodStart: '2026-10-01',
  periodEnd: '2026-12-31',
  why: 'It matters',
  criteria: { kind: 'target', metric: 'x', unit: '', start: 0, target: 10 },
};

const ROUTES: RouteCase[] = [
  { name: 'list goals', method: 'GET', url: () => '/api/v1/goals', allowed: EVERYONE },
  { name: 'alignment view', method: 'GET', url: () => '/api/v1/goals/alignment', allowed: EVERYONE },
  {
    name: 'read a public personal goal',
    method: 'GET',
    url: (_f, g) => `/api/v1/goals/${g.personal}`,
    allowed: EVERYONE,
  },
  {
    name: 'read a private goal',
    method: 'GET',
    url: (_f, g) => `/api/v1/goals/${g.private}`,
    allowed: OWNER_AND_CHAIN,
    denied: 404,
  },
  {
    name: 'history of a private goal',
    method: 'GET',
    url: (_f, g) => `/api/v1/goals/${g.private}/history`,
    allowed: OWNER_AND_CHAIN,
    denied: 404,
  },
  {
    name: 'edit a personal goal',
    method: 'PATCH',
    url: (_f, g) => `/api/v1/goals/${g.personal}`,
    body: () => ({ title: 'Automate the failover drill' }),
    allowed: OWNER_AND_CHAIN,
  },
  {
    name: 'check in on a personal goal',
    method: 'POST',
    url: (_f, g) => `/api/v1/goals/${g.personal}/check-ins`,
    body: () => ({ value: 2, confidence: 4 }),
    allowed: OWNER_AND_CHAIN,
  },
  {
    name: 'edit a private goal',
    method: 'PATCH',
    url: (_f, g) => `/api/v1/goals/${g.private}`,
    body: () => ({ title: 'Prepare for the staff promotion' }),
    allowed: OWNER_AND_CHAIN,
    denied: 404,
  },
  {
    name: 'edit a team goal',
    method: 'PATCH',
    url: (_f, g) => `/api/v1/goals/${g.team}`,
    body: () => ({ title: 'Platform uptime 99.95%' }),
    allowed: TEAM_LEADS,
  },
  {
    name: 'edit a company goal',
    method: 'PATCH',
    url: (_f, g) => `/api/v1/goals/${g.company}`,
    body: () => ({ title: 'Grow revenue to 10M' }),
    allowed: COMPANY,
  },
  {
    name: 'set a personal goal for the target',
    method: 'POST',
    url: () => '/api/v1/goals',
    body: (f) => ({ ...Q, owner: { type: 'person', id: f.people.target.id }, title: 'Personal goal' }),
    allowed: OWNER_AND_CHAIN,
  },
  {
    name: 'set a Platform team goal',
    method: 'POST',
    url: () => '/api/v1/goals',
    body: (f) => ({ ...Q, owner: { type: 'team', id: f.teams.platform.id }, title: 'Team goal' }),
    allowed: TEAM_LEADS,
  },
  {
    name: 'set a company goal',
    method: 'POST',
    url: () => '/api/v1/goals',
    body: (f) => ({ ...Q, owner: { type: 'team', id: f.teams.company.id }, title: 'Company goal' }),
    allowed: COMPANY,
  },
  {
    name: 'evaluate a personal goal',
    method: 'PUT',
    url: (_f, g) => `/api/v1/goals/${g.ended}/evaluation`,
    body: () => ({ rating: 'met', comment: 'Done well' }),
    allowed: OWNER_AND_CHAIN,
  },
  {
    name: 'stalled goals of my reports',
    method: 'GET',
    url: () => '/api/v1/goals/stalled',
    allowed: EVERYONE,
  },
  {
    name: 'link a team goal to a business metric',
    method: 'PUT',
    url: (_f, g) => `/api/v1/goals/${g.team}/link`,
    body: () => ({ kind: 'business_metric', key: 'revenue' }),
    allowed: TEAM_LEADS,
  },
  {
    name: 'refresh a team goal from its data',
    method: 'POST',
    url: (_f, g) => `/api/v1/goals/${g.team}/link/refresh`,
    body: () => ({}),
    allowed: TEAM_LEADS,
  },
  {
    name: 'what a goal can follow (signals, business metrics)',
    method: 'GET',
    url: () => '/api/v1/goals/link-keys',
    allowed: EVERYONE,
  },
];

describe('goals access matrix: every route × every relation', () => {
  let s: TestServer;
  let f: AccessFixture;
  const g = {} as Goals;
  const agents = new Map<RelationName, Agent>();

  beforeAll(async () => {
    s = await getTestServer({ loginRateLimitPerMinute: 1000 });
    f = await buildAccessFixture(s.ctx.db);
    agents.set('anonymous', anonymous);
    for (const [rel, account] of Object.entries(f.accounts))
      agents.set(rel as RelationName, await signIn(s.app, account.email));
    const make = async (agent: RelationName, body: Record<string, unknown>) => {
      const res = await call(s.app, agents.get(agent)!, 'POST', '/api/v1/goals', { ...Q, ...body });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { goal: { id: string } }).goal.id;
    };
    g.company = await make('executive', {
      owner: { type: 'team', id: f.teams.company.id },
      title: 'Grow revenue to 10M',
    });
    g.team = await make('manager', {
      owner: { type: 'team', id: f.teams.platform.id },
      title: 'Platform uptime 99.95%',
      parentIds: [g.company],
    });
    g.personal = await make('self', {
      owner: { type: 'person', id: f.people.target.id },
      title: 'Automate the failover drill',
      parentIds: [g.team],
    });
    g.private = await make('self', {
      owner: { type: 'person', id: f.people.target.id },
      title: 'Prepare for the staff promotion',
      visibility: 'private',
    });
    g.ended = await make('self', {
      owner: { type: 'person', id: f.people.target.id },
      title: 'Last quarter',
      periodStart: '2026-01-01',
      periodEnd: '2026-03-31',
    });
  });
  afterAll(() => s.close());

  for (const route of ROUTES) {
    it(`${route.method} ${route.name}`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const rel of RELATIONS) {
        const res = await call(s.app, agents.get(rel)!, route.method, route.url(f, g), route.body?.(f, g));
        got[rel] = res.statusCode;
        want[rel] =
          rel === 'anonymous' ? 401 : route.allowed.includes(rel) ? res.statusCode : (route.denied ?? 403);
        if (route.allowed.includes(rel)) expect(res.statusCode, `${rel}: ${res.body}`).toBeLessThan(300);
      }
      expect(got).toEqual(want);
    });
  }

  it('keeps private goals out of lists and the alignment view for everyone but the owner and the chain', async () => {
    for (const rel of EVERYONE) {
      const list = (await call(s.app, agents.get(rel)!, 'GET', '/api/v1/goals')).json() as {
        items: { id: string }[];
      };
      const view = (
        await call(s.app, agents.get(rel)!, 'GET', '/api/v1/goals/alignment?period=2026-Q4')
      ).json() as { nodes: { id: string }[]; hiddenCount: number };
      const sees = OWNER_AND_CHAIN.includes(rel);
      expect(
        list.items.some((i) => i.id === g.private),
        rel,
      ).toBe(sees);
      expect(
        view.nodes.some((i) => i.id === g.private),
        rel,
      ).toBe(sees);
      expect(view.hiddenCount, rel).toBe(sees ? 0 : 1);
      expect(
        list.items.some((i) => i.id === g.personal),
        rel,
      ).toBe(true);
    }
  });

  it('audits the refusals with the goal and its data class', async () => {
    const denials = await s.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('decision', '=', 'deny')
      .where('action', 'like', 'goal.%')
      .execute();
    const peerEdit = denials.find(
      (d) =>
        d.actor_account_id === f.accounts.peer.id &&
        d.action === 'goal.update' &&
        d.resource_id === g.personal,
    );
    expect(peerEdit).toMatchObject({ resource_type: 'goal', data_class: 'directory' });
    expect(peerEdit?.reason).toMatch(/peer/);
    const adminPrivate = denials.find(
      (d) => d.actor_account_id === f.accounts.admin.id && d.action === 'goal.read_private',
    );
    expect(adminPrivate).toMatchObject({ resource_id: g.private, data_class: 'development' });
  });
});
