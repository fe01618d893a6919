import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildAccount, buildPerson, buildTeam } from '../../test/factories.js';
import { call, getTestServer, signIn, type Agent, type TestServer } from '../../test/test-server.js';
import type { GoalDetailType } from '../goals/goals.schema.js';
import type { NormalisedEvent } from '../ingest/ingest.model.js';
import { ingestBatch } from '../ingest/ingest.pipeline.js';
import { gh } from './signals.fixture.js';
import { signalProgress } from './signals.goal-progress.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

describe('goals linked to a signal follow the rollups', () => {
  let s: TestServer;
  let admin: Agent;
  beforeAll(async () => {
    s = await getTestServer({ loginRateLimitPerMinute: 1000 });
    admin = await signIn(s.app, (await buildAccount(s.ctx.db, { roles: ['admin'] })).email);
  });
  afterAll(() => s.close());

  async function goalWithLink(
    owner: { type: 'team' | 'person'; id: string },
    metric: string,
    unit: string,
    target: number,
    as: Agent = admin,
  ) {
    const created = await call(s.app, as, 'POST', '/api/v1/goals', {
      owner,
      title: `${metric} ${target}`,
      why: 'Delivery is what customers see',
      criteria: { kind: 'target', metric, unit, start: 0, target },
      periodStart: '2026-10-01',
      periodEnd: '2026-12-31',
    });
    expect(created.statusCode, created.body).toBe(201);
    const goalId = (created.json() as GoalDetailType).goal.id;
    const link = await call(s.app, as, 'PUT', `/api/v1/goals/${goalId}/link`, {
      kind: 'signal',
      key: metric,
      aggregation: 'sum',
    });
    expect(link.statusCode, link.body).toBe(200);
    return goalId;
  }

  const detail = async (goalId: string, as: Agent = admin) =>
    (await call(s.app, as, 'GET', `/api/v1/goals/${goalId}`)).json() as GoalDetailType;

  it('a signal change moves the goal’s progress; the history shows why', async () => {
    const team = await buildTeam(s.ctx.db, { name: 'Delivery' });
    const other = await buildTeam(s.ctx.db, { name: 'Elsewhere' });
    const ada = await buildPerson(s.ctx.db, { name: 'Ada Goal', email: 'ada@goal.test', team_id: team.id });
    const bob = await buildPerson(s.ctx.db, { name: 'Bob Else', email: 'bob@goal.test', team_id: other.id });
    const teamGoal = await goalWithLink({ type: 'team', id: team.id }, 'prs_merged', 'pull requests', 10);
    // A person's goal is theirs to set (admins do not see people's goals).
    const adaAgent = await signIn(s.app, (await buildAccount(s.ctx.db, { personId: ada.id })).email);
    const personGoal = await goalWithLink({ type: 'person', id: ada.id }, 'commits', 'commits', 20, adaAgent);
    expect((await detail(teamGoal)).goal.progress).toBe(0);

    const A = gh(ada, 'ada-goal');
    const B = gh(bob, 'bob-goal');
    const merged = (id: string, who: typeof A, at: string): NormalisedEvent => ({
      sourceId: id,
      kind: 'pr_merged',
      occurredAt: at,
      actor: who,
      project: 'acme/app',
    });
    const commit = (id: string, at: string): NormalisedEvent => ({
      sourceId: id,
      kind: 'commit',
      occurredAt: at,
      actor: A,
      project: 'acme/app',
      attributes: { sha: id },
    });
    await ingestBatch(s.ctx.db, null, {
      source: 'github',
      events: [
        merged('m1', A, '2026-10-05T10:00:00Z'),
        merged('m2', A, '2026-11-03T10:00:00Z'),
        merged('m3', A, '2026-11-10T10:00:00Z'),
        merged('m4', A, '2026-11-17T10:00:00Z'),
        merged('m0', A, '2026-09-15T10:00:00Z'), // before the goal's period
        merged('b1', B, '2026-11-03T10:00:00Z'), // another team
        commit('c1', '2026-11-04T10:00:00Z'),
        commit('c2', '2026-11-05T10:00:00Z'),
      ],
    });
    // The live consumer of this server applies the change and refreshes the linked goals.
    await expect.poll(async () => (await detail(teamGoal)).goal.progress, { timeout: 20_000 }).toBe(40);
    const d = await detail(teamGoal);
    expect(d.checkIns.at(-1)).toMatchObject({ source: 'linked', value: 4 });
    const history = (await call(s.app, admin, 'GET', `/api/v1/goals/${teamGoal}/history`)).json() as {
      items: { change: string; reason: string }[];
    };
    expect(history.items[0]).toMatchObject({
      change: 'progress',
      reason: 'prs_merged for team Delivery 2026-Q4 reached 4 pull requests from new work data (signals)',
    });
    await expect
      .poll(async () => (await detail(personGoal, adaAgent)).goal.progress, { timeout: 20_000 })
      .toBe(10);

    // One more merge moves the team goal again (and only by what changed).
    await ingestBatch(s.ctx.db, null, {
      source: 'github',
      events: [merged('m5', A, '2026-11-24T10:00:00Z')],
    });
    await expect.poll(async () => (await detail(teamGoal)).goal.progress, { timeout: 20_000 }).toBe(50);
    expect((await detail(teamGoal)).checkIns.filter((c) => c.source === 'linked')).toHaveLength(2);
  });

  it('answers the aggregations over the goal period, and null for an unknown signal', async () => {
    const team = await buildTeam(s.ctx.db, { name: 'Aggregations' });
    const p = await buildPerson(s.ctx.db, { name: 'Agg', email: 'agg@goal.test', team_id: team.id });
    await s.ctx.db
      .insertInto('signals_person_week')
      .values([
        { person_id: p.id, week: '2026-09-28', metric: 'commits', value: 100 }, // week before the period
        { person_id: p.id, week: '2026-10-05', metric: 'commits', value: 2 },
        { person_id: p.id, week: '2026-10-12', metric: 'commits', value: 6 },
        { person_id: p.id, week: '2026-11-02', metric: 'commits', value: 1 },
        { person_id: p.id, week: '2026-11-02', metric: 'bugfix_done', value: 1 },
        { person_id: p.id, week: '2026-11-02', metric: 'items_done', value: 4 },
      ])
      .execute();
    const q = (key: string, aggregation: 'sum' | 'average' | 'max' | 'count' | 'latest') =>
      signalProgress(s.ctx.db, {
        key,
        aggregation,
        scopePersonId: p.id,
        scopeTeamId: null,
        from: '2026-10-05',
        to: '2026-12-31',
      });
    expect(await q('commits', 'sum')).toBe(9);
    expect(await q('commits', 'average')).toBe(3);
    expect(await q('commits', 'max')).toBe(6);
    expect(await q('commits', 'count')).toBe(3);
    expect(await q('commits', 'latest')).toBe(1);
    expect(await q('bugfix_share', 'sum')).toBe(0.25);
    expect(await q('no_such_signal', 'sum')).toBeNull();
    expect(await q('reviews_given', 'sum')).toBeNull();
  });

  it('offers the signals a goal can follow and refuses any other key', async () => {
    const keys = (await call(s.app, admin, 'GET', '/api/v1/goals/link-keys')).json() as {
      kinds: { kind: string; closed: boolean; keys: { key: string; unit: string }[] }[];
    };
    const signal = keys.kinds.find((k) => k.kind === 'signal')!;
    expect(signal.closed).toBe(true);
    expect(signal.keys).toContainEqual({
      key: 'prs_merged',
      label: 'Pull requests merged',
      unit: 'pull requests',
    });
    expect(signal.keys.map((k) => k.key)).toContain('cycle_review');
    expect(signal.keys.map((k) => k.key)).not.toContain('review_graph');
    const team = await buildTeam(s.ctx.db, { name: 'Keys' });
    const created = await call(s.app, admin, 'POST', '/api/v1/goals', {
      owner: { type: 'team', id: team.id },
      title: 'Merge 50 pull requests',
      why: 'Small changes ship safely',
      criteria: { kind: 'target', metric: 'pull requests', unit: '', start: 0, target: 50 },
      periodStart: '2026-10-01',
      periodEnd: '2026-12-31',
    });
    const goalId = (created.json() as GoalDetailType).goal.id;
    const res = await call(s.app, admin, 'PUT', `/api/v1/goals/${goalId}/link`, {
      kind: 'signal',
      key: 'review_graph',
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(JSON.stringify(res.json())).toContain('/body/key');
  });
});
