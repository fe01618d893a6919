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

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface RouteCase {
  name: string;
  method: Method;
  url: (f: AccessFixture) => string;
  body?: (f: AccessFixture) => unknown;
  allowed: RelationName[];
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
const PRIVATE_PAGE: RelationName[] = ['self', 'manager', 'skipLevel', 'ceo', 'hrIn', 'admin'];

// Every route that reads or changes organisation data, with who may call it on the fixture's target person.
const ROUTES: RouteCase[] = [
  {
    name: 'person directory card',
    method: 'GET',
    url: (f) => `/api/v1/people/${f.people.target.id}`,
    allowed: EVERYONE,
  },
  {
    name: 'person private page',
    method: 'GET',
    url: (f) => `/api/v1/people/${f.people.target.id}/profile`,
    allowed: PRIVATE_PAGE,
  },
  {
    name: 'person change history',
    method: 'GET',
    url: (f) => `/api/v1/people/${f.people.target.id}/history`,
    allowed: PRIVATE_PAGE,
  },
  {
    name: 'update person',
    method: 'PATCH',
    url: (f) => `/api/v1/people/${f.people.target.id}`,
    body: () => ({ title: 'Senior Engineer' }),
    allowed: ['hrIn', 'admin'],
  },
  { name: 'people directory', method: 'GET', url: () => '/api/v1/people?limit=5', allowed: EVERYONE },
  { name: 'team list', method: 'GET', url: () => '/api/v1/teams', allowed: EVERYONE },
  { name: 'team page', method: 'GET', url: (f) => `/api/v1/teams/${f.teams.platform.id}`, allowed: EVERYONE },
  {
    name: 'rename team',
    method: 'PATCH',
    url: (f) => `/api/v1/teams/${f.teams.platform.id}`,
    body: () => ({ name: 'Platform' }),
    allowed: ['hrIn', 'admin'],
  },
  {
    name: 'segments',
    method: 'GET',
    url: () => '/api/v1/org/segments',
    allowed: ['hrIn', 'hrOut', 'admin', 'executive'],
  },
  {
    name: 'import (dry run)',
    method: 'POST',
    url: () => '/api/v1/org/import?dryRun=true',
    body: () => ({ csv: 'email,name\nnew.person@example.test,New Person\n' }),
    allowed: ['hrIn', 'hrOut', 'admin'],
  },
  { name: 'audit log', method: 'GET', url: () => '/api/v1/audit', allowed: ['admin'] },
  { name: 'accounts', method: 'GET', url: () => '/api/v1/accounts', allowed: ['admin'] },
];

describe('access matrix: every route × every relation', () => {
  let s: TestServer;
  let f: AccessFixture;
  const agents = new Map<RelationName, Agent>();

  beforeAll(async () => {
    s = await getTestServer({ loginRateLimitPerMinute: 1000 });
    f = await buildAccessFixture(s.ctx.db);
    agents.set('anonymous', anonymous);
    for (const [rel, account] of Object.entries(f.accounts))
      agents.set(rel as RelationName, await signIn(s.app, account.email));
  });
  afterAll(() => s.close());

  for (const route of ROUTES) {
    it(`${route.method} ${route.name}`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const rel of RELATIONS) {
        const res = await call(s.app, agents.get(rel)!, route.method, route.url(f), route.body?.(f));
        got[rel] = res.statusCode;
        want[rel] = rel === 'anonymous' ? 401 : route.allowed.includes(rel) ? res.statusCode : 403;
        if (route.allowed.includes(rel)) expect(res.statusCode, `${rel}: ${res.body}`).toBeLessThan(300);
      }
      expect(got).toEqual(want);
    });
  }

  it('writes an audit entry for every denial in the matrix', async () => {
    const denials = await s.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('decision', '=', 'deny')
      .execute();
    const expectedDenials = ROUTES.reduce(
      (n, r) => n + RELATIONS.filter((rel) => !r.allowed.includes(rel)).length,
      0,
    );
    expect(denials.length).toBeGreaterThanOrEqual(expectedDenials);
    const peerOnPrivatePage = denials.find(
      (d) => d.actor_account_id === f.accounts.peer.id && d.action === 'person.read_profile',
    );
    expect(peerOnPrivatePage).toMatchObject({
      resource_type: 'person',
      resource_id: f.people.target.id,
      data_class: 'personal',
    });
    const formerManager = denials.find(
      (d) => d.actor_account_id === f.accounts.formerManager.id && d.action === 'person.read_profile',
    );
    expect(formerManager?.reason).toMatch(/former_manager/);
    expect(denials.some((d) => d.actor_label === 'anonymous' && d.action === 'auth.required')).toBe(true);
  });
});
