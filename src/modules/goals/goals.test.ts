import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccessFixture, type AccessFixture } from '../../test/access-fixture.js';
import { call, getTestServer, signIn, type Agent, type TestServer } from '../../test/test-server.js';
import { createDueReminders, findStalledGoals } from './goals.checkins.js';
import { registerProgressSource, refreshLinkedGoals } from './goals.links.js';
import type { GoalDetailType } from './goals.schema.js';

const Q = { periodStart: '2026-10-01', periodEnd: '2026-12-31' };
const target = (metric: string, start: number, goal: number, unit = '') => ({
  kind: 'target',
  metric,
  unit,
  start,
  target: goal,
});

describe('goals: set, align, measure and modify, evaluate (API)', () => {
  let s: TestServer;
  let f: AccessFixture;
  const as: Record<string, Agent> = {};
  const ids = {} as Record<'company' | 'company2' | 'eng' | 'platform' | 'personal', string>;

  async function create(agent: Agent, body: Record<string, unknown>): Promise<GoalDetailType> {
    const res = await call(s.app, agent, 'POST', '/api/v1/goals', {
      why: 'Because it matters to customers',
      criteria: target('score', 0, 10),
      ...Q,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as GoalDetailType;
  }

  beforeAll(async () => {
    s = await getTestServer({ loginRateLimitPerMinute: 1000 });
    f = await buildAccessFixture(s.ctx.db);
    for (const [k, a] of Object.entries(f.accounts)) as[k] = await signIn(s.app, a.email);
    ids.company = (
      await create(as.executive!, {
        owner: { type: 'team', id: f.teams.company.id },
        title: 'Grow revenue to 10M',
        criteria: target('revenue', 6e6, 10e6, 'EUR'),
      })
    ).goal.id;
    ids.company2 = (
      await create(as.ceo!, {
        owner: { type: 'team', id: f.teams.company.id },
        title: 'Best place to grow a career',
      })
    ).goal.id;
    ids.eng = (
      await create(as.skipLevel!, {
        owner: { type: 'team', id: f.teams.engineering.id },
        title: 'Ship reliable payments',
        parentIds: [ids.company],
      })
    ).goal.id;
    ids.platform = (
      await create(as.manager!, {
        owner: { type: 'team', id: f.teams.platform.id },
        title: 'Platform uptime 99.95%',
        parentIds: [ids.eng],
      })
    ).goal.id;
    ids.personal = (
      await create(as.self!, {
        owner: { type: 'person', id: f.people.target.id },
        title: 'Automate the failover drill',
        parentIds: [ids.platform, ids.company2],
      })
    ).goal.id;
  });
  afterAll(() => s.close());

  it('sets a goal with owner, why, criteria up front, period and role expectations', async () => {
    const res = await call(s.app, as.self!, 'GET', `/api/v1/goals/${ids.personal}`);
    const d = res.json() as GoalDetailType;
    expect(d.goal).toMatchObject({
      level: 'personal',
      periodLabel: '2026-Q4',
      visibility: 'public',
      status: 'active',
      owner: { type: 'person', name: 'Tess Target' },
    });
    expect(d.goal.why).toBe('Because it matters to customers');
    expect(d.parents.map((p) => p.id).sort()).toEqual([ids.platform, ids.company2].sort());
    const rubric = await create(as.self!, {
      owner: { type: 'person', id: f.people.target.id },
      title: 'Become the go-to reviewer for storage',
      roleExpectations: 'Senior engineer: raises the bar in reviews',
      criteria: {
        kind: 'rubric',
        levels: [
          { label: 'Emerging', description: 'Reviews some storage PRs' },
          { label: 'Go-to', description: 'Asked first on every storage PR' },
        ],
      },
      parentIds: [ids.platform],
    });
    expect(rubric.goal.roleExpectations).toMatch(/Senior engineer/);
    expect(rubric.goal.criteria.kind).toBe('rubric');
  });

  it('refuses bad input with the field named', async () => {
    const bad = async (body: Record<string, unknown>, path: string) => {
      const res = await call(s.app, as.self!, 'POST', '/api/v1/goals', {
        owner: { type: 'person', id: f.people.target.id },
        title: 'A goal',
        why: 'Because',
        criteria: target('x', 0, 1),
        ...Q,
        ...body,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(JSON.stringify(res.json())).toContain(path);
    };
    await bad({ criteria: target('x', 5, 5) }, '/body/criteria/target');
    await bad({ periodEnd: '2026-09-01' }, '/body/periodEnd');
    await bad(
      { criteria: { kind: 'rubric', levels: [{ label: 'Only one', description: 'x' }] } },
      '/body/criteria',
    );
    await bad({ why: undefined }, '/body/why');
    await bad(
      {
        parentIds: ['00000000-0000-4000-8000-000000000000'],
      },
      '/body/parentIds/0',
    );
  });

  it('supports several parents, refuses a lower-level parent and cycles with the goals named', async () => {
    // a team goal cannot support a personal goal
    const down = await call(s.app, as.manager!, 'PUT', `/api/v1/goals/${ids.platform}/parents`, {
      parentIds: [ids.personal],
    });
    expect(down.statusCode).toBe(400);
    expect(down.json().error.message).toMatch(/team goal cannot support the personal goal/);
    // a company goal supports nothing
    const root = await call(s.app, as.executive!, 'PUT', `/api/v1/goals/${ids.company}/parents`, {
      parentIds: [ids.company2],
    });
    expect(root.statusCode).toBe(400);
    expect(root.json().error.details[0].path).toBe('/body/parentIds');
    // a cycle between two team goals: Platform uptime → On-call load → Platform uptime
    const oncall = await create(as.manager!, {
      owner: { type: 'team', id: f.teams.platform.id },
      title: 'Halve on-call load',
      parentIds: [ids.platform],
    });
    const cycle = await call(s.app, as.manager!, 'PUT', `/api/v1/goals/${ids.platform}/parents`, {
      parentIds: [ids.eng, oncall.goal.id],
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.message).toBe(
      'Aligning "Platform uptime 99.95%" under "Halve on-call load" would make a cycle: "Platform uptime 99.95%" → "Halve on-call load" → "Platform uptime 99.95%".',
    );
    expect(cycle.json().error.details[0].path).toBe('/body/parentIds/1');
    // a longer cycle through a third goal is found too
    const third = await create(as.manager!, {
      owner: { type: 'team', id: f.teams.platform.id },
      title: 'Automate toil',
      parentIds: [oncall.goal.id],
    });
    const long = await call(s.app, as.manager!, 'PUT', `/api/v1/goals/${ids.platform}/parents`, {
      parentIds: [third.goal.id],
    });
    expect(long.json().error.message).toMatch(
      /"Platform uptime 99.95%" → "Automate toil" → "Halve on-call load" → "Platform uptime 99.95%"/,
    );
    // the refused changes left the alignment as it was
    const still = (
      await call(s.app, as.manager!, 'GET', `/api/v1/goals/${ids.platform}`)
    ).json() as GoalDetailType;
    expect(still.parents.map((p) => p.id)).toEqual([ids.eng]);
    const self = await call(s.app, as.skipLevel!, 'PUT', `/api/v1/goals/${ids.eng}/parents`, {
      parentIds: [ids.eng],
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.message).toMatch(/cannot support itself/);
  });

  it('flags orphans and unsupported company goals in the list and the alignment view', async () => {
    const orphan = await create(as.peer!, {
      owner: { type: 'person', id: f.people.peer.id },
      title: 'Learn Rust',
    });
    expect(orphan.goal.flags).toEqual(['orphan']);
    const lonely = await create(as.executive!, {
      owner: { type: 'team', id: f.teams.company.id },
      title: 'Open an office in Lisbon',
    });
    expect(lonely.goal.flags).toEqual(['unsupported']);
    const view = (await call(s.app, as.peer!, 'GET', '/api/v1/goals/alignment?period=2026-Q4')).json() as {
      nodes: { id: string; flags: string[]; parentIds: string[] }[];
    };
    const byId = new Map(view.nodes.map((n) => [n.id, n]));
    expect(byId.get(orphan.goal.id)!.flags).toEqual(['orphan']);
    expect(byId.get(lonely.goal.id)!.flags).toEqual(['unsupported']);
    expect(byId.get(ids.company)!.flags).toEqual([]);
    expect(byId.get(ids.personal)!.parentIds).toHaveLength(2);
    // one person's chain reaches the company goal through the team and department goals
    const chain = (
      await call(
        s.app,
        as.peer!,
        'GET',
        `/api/v1/goals/alignment?personId=${f.people.target.id}&period=2026-Q4`,
      )
    ).json() as { nodes: { id: string }[] };
    expect(chain.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining([ids.personal, ids.platform, ids.eng, ids.company, ids.company2]),
    );
    expect(chain.nodes.map((n) => n.id)).not.toContain(orphan.goal.id);
  });

  it('keeps history of every change; after check-ins an edit needs a reason', async () => {
    const g = await create(as.self!, {
      owner: { type: 'person', id: f.people.target.id },
      title: 'Cut p99 latency',
      criteria: target('p99 latency', 400, 200, 'ms'),
      parentIds: [ids.platform],
    });
    const id = g.goal.id;
    expect(
      (await call(s.app, as.self!, 'PATCH', `/api/v1/goals/${id}`, { title: 'Cut p99 latency of the API' }))
        .statusCode,
    ).toBe(200);
    const ci = await call(s.app, as.self!, 'POST', `/api/v1/goals/${id}/check-ins`, {
      value: 300,
      confidence: 4,
      blockers: 'Waiting on the cache rollout',
      note: 'Halfway',
    });
    expect(ci.statusCode, ci.body).toBe(201);
    expect((ci.json() as GoalDetailType).goal.progress).toBe(50);
    const noReason = await call(s.app, as.self!, 'PATCH', `/api/v1/goals/${id}`, {
      criteria: target('p99 latency', 400, 250, 'ms'),
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].path).toBe('/body/reason');
    const withReason = await call(s.app, as.self!, 'PATCH', `/api/v1/goals/${id}`, {
      criteria: target('p99 latency', 400, 250, 'ms'),
      periodEnd: '2027-01-31',
      reason: 'The cache vendor slipped a month',
    });
    expect(withReason.statusCode, withReason.body).toBe(200);
    // the same criteria sent back in another key order (as a form does) is no change: no reason asked, no history
    const same = await call(s.app, as.self!, 'PATCH', `/api/v1/goals/${id}`, {
      criteria: { target: 250, start: 400, unit: 'ms', metric: 'p99 latency', kind: 'target' },
      periodEnd: '2027-01-31',
    });
    expect(same.statusCode, same.body).toBe(200);
    const realign = await call(s.app, as.self!, 'PUT', `/api/v1/goals/${id}/parents`, {
      parentIds: [ids.platform, ids.company2],
    });
    expect(realign.statusCode).toBe(400);
    expect(
      (
        await call(s.app, as.self!, 'PUT', `/api/v1/goals/${id}/parents`, {
          parentIds: [ids.platform, ids.company2],
          reason: 'Also a career goal',
        })
      ).statusCode,
    ).toBe(200);
    const history = (await call(s.app, as.peer!, 'GET', `/api/v1/goals/${id}/history`)).json() as {
      items: {
        change: string;
        actorLabel: string;
        before: Record<string, unknown> | null;
        after: Record<string, unknown> | null;
        reason: string | null;
      }[];
    };
    expect(history.items.map((h) => h.change)).toEqual(['align', 'update', 'check_in', 'update', 'create']);
    const edit = history.items[1]!;
    expect(edit).toMatchObject({
      actorLabel: f.accounts.self.email,
      reason: 'The cache vendor slipped a month',
    });
    expect(edit.before).toMatchObject({ criteria: { target: 200 }, periodEnd: '2026-12-31' });
    expect(edit.after).toMatchObject({
      criteria: { target: 250 },
      periodEnd: '2027-01-31',
      periodLabel: '2026-10-01 – 2027-01-31',
    });
    expect(history.items[0]!.after).toMatchObject({
      parents: ['Platform uptime 99.95%', 'Best place to grow a career'],
    });
    expect(history.items[3]!.before).toEqual({ title: 'Cut p99 latency' });
  });

  it('linked progress: a business-metric import moves the goal and the history says why', async () => {
    const metrics: { key: string; team: string; day: string; value: number }[] = [];
    const off = registerProgressSource('business_metric', async (_db, q) => {
      const rows = metrics.filter(
        (m) => m.key === q.key && m.team === q.scopeTeamId && m.day >= q.from && m.day <= q.to,
      );
      return rows.length ? rows.reduce((n, r) => n + r.value, 0) : null;
    });
    try {
      const g = await create(as.manager!, {
        owner: { type: 'team', id: f.teams.platform.id },
        title: 'Platform revenue 2M',
        criteria: target('revenue', 0, 2e6, 'EUR'),
        parentIds: [ids.eng],
      });
      const link = await call(s.app, as.manager!, 'PUT', `/api/v1/goals/${g.goal.id}/link`, {
        kind: 'business_metric',
        key: 'revenue',
        aggregation: 'sum',
      });
      expect(link.statusCode, link.body).toBe(200);
      expect((link.json() as GoalDetailType).link).toMatchObject({
        key: 'revenue',
        scopeTeamId: f.teams.platform.id,
        lastValue: null,
      });
      // the import lands, then calls refreshLinkedGoals
      metrics.push(
        { key: 'revenue', team: f.teams.platform.id, day: '2026-10-15', value: 700_000 },
        { key: 'revenue', team: f.teams.platform.id, day: '2026-11-15', value: 500_000 },
        { key: 'revenue', team: f.teams.mobile.id, day: '2026-11-15', value: 9e6 },
      );
      const results = await refreshLinkedGoals(s.ctx.db, {
        kind: 'business_metric',
        keys: ['revenue'],
        source: 'metrics import',
      });
      expect(results).toEqual([
        {
          goalId: g.goal.id,
          before: 0,
          after: 1_200_000,
          reason: 'revenue for team Platform 2026-Q4 reached 1.2M EUR from metrics import',
        },
      ]);
      const d = (await call(s.app, as.peer!, 'GET', `/api/v1/goals/${g.goal.id}`)).json() as GoalDetailType;
      expect(d.goal.progress).toBe(60);
      expect(d.checkIns.at(-1)).toMatchObject({ source: 'linked', value: 1_200_000 });
      const h = (await call(s.app, as.peer!, 'GET', `/api/v1/goals/${g.goal.id}/history`)).json() as {
        items: { change: string; reason: string }[];
      };
      expect(h.items[0]).toMatchObject({
        change: 'progress',
        reason: 'revenue for team Platform 2026-Q4 reached 1.2M EUR from metrics import',
      });
      // the same data again changes nothing (idempotent), also when refreshed from the goal page
      const again = await call(s.app, as.manager!, 'POST', `/api/v1/goals/${g.goal.id}/link/refresh`, {});
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toEqual({ items: [] });
      expect(
        (await call(s.app, as.peer!, 'POST', `/api/v1/goals/${g.goal.id}/link/refresh`, {})).statusCode,
      ).toBe(403);
      expect(
        await refreshLinkedGoals(s.ctx.db, { kind: 'business_metric', source: 'metrics import' }),
      ).toEqual([]);
      // a rubric goal cannot follow a metric
      const rubric = await create(as.self!, {
        owner: { type: 'person', id: f.people.target.id },
        title: 'Mentor two juniors',
        criteria: {
          kind: 'rubric',
          levels: [
            { label: 'a', description: 'a' },
            { label: 'b', description: 'b' },
          ],
        },
      });
      expect(
        (
          await call(s.app, as.self!, 'PUT', `/api/v1/goals/${rubric.goal.id}/link`, {
            kind: 'signal',
            key: 'reviews_given',
          })
        ).statusCode,
      ).toBe(400);
    } finally {
      off();
    }
  });

  it('a signal change moves a person-scoped goal through the signal source', async () => {
    let reviews = 4;
    const off = registerProgressSource('signal', async (_db, q) =>
      q.key === 'reviews_given' && q.scopePersonId === f.people.target.id ? reviews : null,
    );
    try {
      const g = await create(as.self!, {
        owner: { type: 'person', id: f.people.target.id },
        title: 'Review 20 PRs for other teams',
        criteria: target('reviews given', 0, 20, 'reviews'),
        parentIds: [ids.platform],
      });
      await call(s.app, as.self!, 'PUT', `/api/v1/goals/${g.goal.id}/link`, {
        kind: 'signal',
        key: 'reviews_given',
        aggregation: 'latest',
      });
      reviews = 10;
      const [r] = await refreshLinkedGoals(s.ctx.db, { kind: 'signal', source: 'signal recompute' });
      expect(r).toMatchObject({
        goalId: g.goal.id,
        before: 4,
        after: 10,
        reason: 'reviews_given for Tess Target 2026-Q4 reached 10 reviews from signal recompute',
      });
    } finally {
      off();
    }
  });

  it('offers the keys a goal can follow; refuses an unknown signal and data the caller may not read', async () => {
    const kindsNow = async () =>
      ((await call(s.app, as.peer!, 'GET', '/api/v1/goals/link-keys')).json() as { kinds: unknown[] }).kinds;
    const before = await kindsNow();
    const offSignal = registerProgressSource(
      'signal',
      async (_db, q) => (q.key === 'reviews_given' ? 5 : null),
      {
        keys: () => Promise.resolve([{ key: 'reviews_given', label: 'Reviews given', unit: 'reviews' }]),
        closed: true,
      },
    );
    const offMetric = registerProgressSource('business_metric', () => Promise.resolve(null), {
      keys: () => Promise.resolve([{ key: 'revenue', label: 'revenue', unit: 'EUR' }]),
    });
    try {
      const keys = await call(s.app, as.peer!, 'GET', '/api/v1/goals/link-keys');
      expect(keys.statusCode, keys.body).toBe(200);
      expect(keys.json()).toEqual({
        kinds: [
          {
            kind: 'business_metric',
            available: true,
            closed: false,
            keys: [{ key: 'revenue', label: 'revenue', unit: 'EUR' }],
          },
          {
            kind: 'signal',
            available: true,
            closed: true,
            keys: [{ key: 'reviews_given', label: 'Reviews given', unit: 'reviews' }],
          },
        ],
      });
      const g = await create(as.self!, {
        owner: { type: 'person', id: f.people.target.id },
        title: 'Review 30 pull requests',
        criteria: target('reviews given', 0, 30, 'reviews'),
        parentIds: [ids.platform],
      });
      const link = (body: Record<string, unknown>, agent: Agent = as.self!) =>
        call(s.app, agent, 'PUT', `/api/v1/goals/${g.goal.id}/link`, body);
      // a signal Cairn does not compute is refused with the known ones named
      const unknown = await link({ kind: 'signal', key: 'reviews_givn' });
      expect(unknown.statusCode, unknown.body).toBe(400);
      expect(unknown.json()).toMatchObject({
        error: {
          message: 'There is no signal "reviews_givn". Choose one of: reviews_given.',
          details: [{ path: '/body/key' }],
        },
      });
      // a scope that does not exist is a field error, not a server error
      const nobody = await link({
        kind: 'signal',
        key: 'reviews_given',
        scopePersonId: '00000000-0000-4000-8000-000000000000',
      });
      expect(nobody.statusCode, nobody.body).toBe(400);
      expect(JSON.stringify(nobody.json())).toContain('/body/scopePersonId');
      // following a peer's signals would show their numbers on this goal: refused
      expect(
        (await link({ kind: 'signal', key: 'reviews_given', scopePersonId: f.people.peer.id })).statusCode,
      ).toBe(403);
      // the manager may follow a report's data (they may read it), and the goal moves at once
      const own = await link({ kind: 'signal', key: 'reviews_given' }, as.manager!);
      expect(own.statusCode, own.body).toBe(200);
      expect((own.json() as GoalDetailType).goal.currentValue).toBe(5);
      // a business metric that has not been imported yet is accepted and waits for data
      const waits = await link({ kind: 'business_metric', key: 'bookings', reason: 'Bookings instead' });
      expect(waits.statusCode, waits.body).toBe(200);
      expect((waits.json() as GoalDetailType).link).toMatchObject({ key: 'bookings', lastValue: null });
    } finally {
      offMetric();
      offSignal();
    }
    // removing the test's sources puts back what this server had registered before
    expect(await kindsNow()).toEqual(before);
  });

  it('finds stalled goals (no progress for N periods, falling confidence) and shows them to managers only', async () => {
    const g = await create(as.self!, {
      owner: { type: 'person', id: f.people.target.id },
      title: 'Write the storage RFC',
      criteria: target('sections', 0, 10),
      parentIds: [ids.platform],
    });
    const put = (value: number, confidence: number, at: string) =>
      s.ctx.db
        .insertInto('goal_check_in')
        .values({ goal_id: g.goal.id, value, confidence, source: 'manual', checked_at: `${at}T10:00:00Z` })
        .execute();
    await put(3, 4, '2026-10-08');
    await put(3, 4, '2026-10-15');
    await put(3, 4, '2026-10-22');
    const stalled = await findStalledGoals(s.ctx.db, '2026-10-23', { goalIds: [g.goal.id] });
    expect(stalled.map((x) => x.stall.reason)).toEqual(['no_progress']);
    expect(stalled[0]!.stall.detail).toMatch(/No progress in the last 2 weekly check-in periods/);
    await put(5, 3, '2026-10-29');
    await put(6, 2, '2026-11-05');
    const falling = await findStalledGoals(s.ctx.db, '2026-11-06', { goalIds: [g.goal.id] });
    expect(falling.map((x) => x.stall)).toEqual([
      {
        reason: 'falling_confidence',
        detail: 'Confidence fell at each of the last three check-ins (4 → 3 → 2 of 5).',
      },
    ]);
    await put(8, 4, '2026-11-12');
    expect(await findStalledGoals(s.ctx.db, '2026-11-13', { goalIds: [g.goal.id] })).toEqual([]);

    const forManager = (
      await call(s.app, as.manager!, 'GET', '/api/v1/goals/stalled?asOf=2026-11-06')
    ).json() as { items: { goal: { id: string }; reason: string }[] };
    expect(forManager.items.find((i) => i.goal.id === g.goal.id)?.reason).toBe('falling_confidence');
    const forPeer = (await call(s.app, as.peer!, 'GET', '/api/v1/goals/stalled?asOf=2026-11-06')).json() as {
      items: { goal: { id: string } }[];
    };
    expect(forPeer.items.find((i) => i.goal.id === g.goal.id)).toBeUndefined();
  });

  it('raises a check-in reminder once it is 09:00 in the steward’s own time zone, once per due day', async () => {
    const kolkata = await s.ctx.db
      .updateTable('person')
      .set({ time_zone: 'Asia/Kolkata' })
      .where('id', '=', f.people.peer.id)
      .returning('id')
      .execute();
    expect(kolkata).toHaveLength(1);
    const g = await create(as.peer!, {
      owner: { type: 'person', id: f.people.peer.id },
      title: 'Pair with Mobile weekly',
      cadence: 'weekly',
      periodStart: '2026-10-01',
      periodEnd: '2026-12-31',
    });
    const count = async () =>
      (await s.ctx.db.selectFrom('goal_reminder').select('due_on').where('goal_id', '=', g.goal.id).execute())
        .length;
    // due 2026-10-08; 03:00 UTC is 08:30 in Kolkata: not yet
    await createDueReminders(s.ctx.db, new Date('2026-10-08T03:00:00Z'));
    expect(await count()).toBe(0);
    // 03:31 UTC is 09:01 in Kolkata (and still 05:31 in Berlin)
    await createDueReminders(s.ctx.db, new Date('2026-10-08T03:31:00Z'));
    expect(await count()).toBe(1);
    await createDueReminders(s.ctx.db, new Date('2026-10-08T09:00:00Z'));
    expect(await count()).toBe(1);
    const list = (await call(s.app, as.peer!, 'GET', '/api/v1/goals/reminders')).json() as {
      items: { id: string; goalId: string; dueOn: string }[];
    };
    const reminder = list.items.find((r) => r.goalId === g.goal.id)!;
    expect(reminder.dueOn).toBe('2026-10-08');
    // someone else cannot dismiss it; the steward can
    expect(
      (await call(s.app, as.self!, 'POST', `/api/v1/goals/reminders/${reminder.id}/dismiss`, {})).statusCode,
    ).toBe(404);
    expect(
      (await call(s.app, as.peer!, 'POST', `/api/v1/goals/reminders/${reminder.id}/dismiss`, {})).statusCode,
    ).toBe(200);
    // the next due day raises a new one, and a check-in clears it
    await createDueReminders(s.ctx.db, new Date('2026-10-15T04:00:00Z'));
    expect(await count()).toBe(2);
    await call(s.app, as.peer!, 'POST', `/api/v1/goals/${g.goal.id}/check-ins`, { value: 1, confidence: 4 });
    const after = (await call(s.app, as.peer!, 'GET', '/api/v1/goals/reminders')).json() as {
      items: { goalId: string }[];
    };
    expect(after.items.find((r) => r.goalId === g.goal.id)).toBeUndefined();
  });

  it('evaluates at the period end by owner and manager, as development data', async () => {
    const g = await create(as.self!, {
      owner: { type: 'person', id: f.people.target.id },
      title: 'Migrate the queue',
      criteria: target('queues migrated', 0, 8),
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      parentIds: [ids.platform],
    });
    const early = await create(as.self!, {
      owner: { type: 'person', id: f.people.target.id },
      title: 'Far future',
      periodStart: '2099-01-01',
      periodEnd: '2099-03-31',
    });
    expect(
      (
        await call(s.app, as.self!, 'PUT', `/api/v1/goals/${early.goal.id}/evaluation`, {
          rating: 'met',
          comment: 'Done early',
        })
      ).statusCode,
    ).toBe(409);
    await call(s.app, as.self!, 'POST', `/api/v1/goals/${g.goal.id}/check-ins`, { value: 7, confidence: 4 });
    const own = await call(s.app, as.self!, 'PUT', `/api/v1/goals/${g.goal.id}/evaluation`, {
      rating: 'partially_met',
      comment: 'Seven of eight; the last waits on a vendor',
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().items).toEqual([
      expect.objectContaining({ role: 'owner', rating: 'partially_met', finalValue: 7 }),
    ]);
    const mgr = await call(s.app, as.manager!, 'PUT', `/api/v1/goals/${g.goal.id}/evaluation`, {
      rating: 'met',
      finalValue: 8,
      comment: 'The eighth was out of our hands',
    });
    expect(mgr.json().items.map((e: { role: string }) => e.role)).toEqual(['owner', 'manager']);
    expect(
      (
        await call(s.app, as.peer!, 'PUT', `/api/v1/goals/${g.goal.id}/evaluation`, {
          rating: 'met',
          comment: 'Looks good',
        })
      ).statusCode,
    ).toBe(403);
    const visible = async (agent: Agent) =>
      ((await call(s.app, agent, 'GET', `/api/v1/goals/${g.goal.id}`)).json() as GoalDetailType).evaluations;
    expect(await visible(as.skipLevel!)).toHaveLength(2);
    for (const who of ['peer', 'hrIn', 'admin', 'executive'] as const)
      expect(await visible(as[who]!), who).toBeNull();
    const audit = await s.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'goal.read_evaluation')
      .where('decision', '=', 'allow')
      .execute();
    expect(audit.every((a) => a.data_class === 'development')).toBe(true);
    // the public history records that an assessment happened, not what it said
    const h = (await call(s.app, as.peer!, 'GET', `/api/v1/goals/${g.goal.id}/history`)).json() as {
      items: { change: string; after: unknown }[];
    };
    expect(JSON.stringify(h.items)).not.toContain('vendor');
    // a rubric goal must name a level
    const rubric = await create(as.self!, {
      owner: { type: 'person', id: f.people.target.id },
      title: 'Own the on-call handbook',
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      criteria: {
        kind: 'rubric',
        levels: [
          { label: 'Draft', description: 'x' },
          { label: 'Adopted', description: 'y' },
        ],
      },
    });
    const noLevel = await call(s.app, as.self!, 'PUT', `/api/v1/goals/${rubric.goal.id}/evaluation`, {
      rating: 'met',
      comment: 'It is adopted',
    });
    expect(noLevel.json().error.details[0].path).toBe('/body/rubricLevel');
  });

  it('lists my goals and my team’s goals', async () => {
    const mine = (await call(s.app, as.self!, 'GET', '/api/v1/goals?scope=mine')).json() as {
      items: { id: string; owner: { id: string } }[];
    };
    expect(mine.items.length).toBeGreaterThan(3);
    expect(mine.items.every((g) => g.owner.id === f.people.target.id)).toBe(true);
    const team = (await call(s.app, as.manager!, 'GET', '/api/v1/goals?scope=team')).json() as {
      items: { id: string }[];
    };
    expect(team.items.map((g) => g.id)).toEqual(expect.arrayContaining([ids.personal, ids.platform]));
    expect(team.items.map((g) => g.id)).not.toContain(ids.eng);
  });
});
