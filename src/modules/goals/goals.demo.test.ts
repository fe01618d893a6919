import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, getTestServer, signIn, type TestServer } from '../../test/test-server.js';
import { DEMO_PASSWORD, loadDemoOrganisation } from '../demo/demo.service.js';
import { findStalledGoals } from './goals.checkins.js';
import { refreshLinkedGoals } from './goals.links.js';
import { seedDemoGoals, seedDemoLinkedGoals } from './goals.demo.js';

const DAY = '2026-11-25';

describe('demo goals for Kestrel Labs', () => {
  let s: TestServer;
  let logins: { email: string; role: string }[];

  beforeAll(async () => {
    s = await getTestServer({ demo: true, loginRateLimitPerMinute: 1000 });
    logins = (await loadDemoOrganisation(s.ctx.db, { seed: 42, referenceDate: DAY })).logins;
  }, 180_000);
  afterAll(() => s.close());

  it('has company, department, team and personal goals in one tree with check-in histories', async () => {
    const goals = await s.ctx.db
      .selectFrom('goal')
      .select(['id', 'level', 'period_label', 'visibility'])
      .execute();
    const levels = new Set(goals.map((g) => g.level));
    expect([...levels].sort()).toEqual(['company', 'department', 'personal', 'team']);
    expect(goals.filter((g) => g.period_label === '2026-Q4').length).toBeGreaterThan(25);
    expect(goals.some((g) => g.visibility === 'private')).toBe(true);
    const checkIns = await s.ctx.db.selectFrom('goal_check_in').select('goal_id').execute();
    expect(checkIns.length).toBeGreaterThan(150);
    const links = await s.ctx.db.selectFrom('goal_link').selectAll().execute();
    expect(links.length).toBeGreaterThan(2);
    // Every check-in is in its goal's history, with who (or which data) and why.
    const history = await s.ctx.db
      .selectFrom('goal_history')
      .select(['change', 'reason'])
      .where('change', 'in', ['check_in', 'progress'])
      .execute();
    expect(history).toHaveLength(checkIns.length);
    expect(history.map((h) => h.reason)).toContainEqual(
      expect.stringMatching(/^revenue for team Sales EMEA 2026-Q4 reached [\d.]+k EUR from metrics import$/),
    );
    // the business-metric goals agree with the demo's metrics: refreshing them from the data changes nothing
    expect(await refreshLinkedGoals(s.ctx.db, { kind: 'business_metric', source: 'a check' })).toEqual([]);
    const metricLinks = links.filter((l) => l.kind === 'business_metric');
    expect(metricLinks.map((l) => l.key).sort()).toEqual(['customer_satisfaction', 'revenue']);
    expect(metricLinks.every((l) => l.last_value !== null)).toBe(true);
    // Goals follow business metrics and a signal; the signal-linked one got its check-ins from the rollups.
    expect(new Set(links.map((l) => l.kind))).toEqual(new Set(['business_metric', 'signal']));
    const signal = links.find((l) => l.kind === 'signal')!;
    expect(signal).toMatchObject({ key: 'reviews_given' });
    expect(Number(signal.last_value)).toBeGreaterThan(0);
    const followed = await s.ctx.db
      .selectFrom('goal_check_in')
      .select(['value', 'source', 'note'])
      .where('goal_id', '=', signal.goal_id)
      .orderBy('checked_at')
      .execute();
    expect(followed.length).toBeGreaterThan(3);
    expect(followed.every((c) => c.source === 'linked')).toBe(true);
    expect(Number(followed.at(-1)!.value)).toBe(Number(signal.last_value));
    expect(followed.at(-1)!.note).toMatch(
      /^reviews_given for team Platform 2026-Q4 reached \d+ reviews from new work data \(signals\)$/,
    );
    const evaluations = await s.ctx.db.selectFrom('goal_evaluation').select('role').execute();
    expect(evaluations.map((e) => e.role)).toEqual(expect.arrayContaining(['owner', 'manager']));
    // each assessment (owner's and manager's) is in the history, without its content
    const evaluated = await s.ctx.db
      .selectFrom('goal_history')
      .select('after')
      .where('change', '=', 'evaluate')
      .execute();
    expect(evaluated).toHaveLength(evaluations.length);
    // counted targets check in whole numbers (22 services, not 22.08)
    const counted = await s.ctx.db
      .selectFrom('goal_check_in as c')
      .innerJoin('goal as g', 'g.id', 'c.goal_id')
      .select(['c.value', 'g.criteria', 'g.title'])
      .execute();
    const whole = counted.filter(
      (c) =>
        c.criteria.kind === 'target' &&
        Number.isInteger(c.criteria.start) &&
        Number.isInteger(c.criteria.target) &&
        Math.abs(c.criteria.target - c.criteria.start) >= 10,
    );
    expect(whole.some((c) => c.title === 'Move every service to the new deploy pipeline')).toBe(true);
    expect(whole.filter((c) => !Number.isInteger(Number(c.value)))).toEqual([]);
  });

  it('shows stalled goals, an orphan and an unsupported company goal', async () => {
    const stalled = await findStalledGoals(s.ctx.db, DAY);
    expect(stalled.map((x) => x.stall.reason)).toEqual(
      expect.arrayContaining(['no_progress', 'falling_confidence']),
    );
    const manager = logins.find((l) => l.role === 'manager')!;
    const agent = await signIn(s.app, manager.email, DEMO_PASSWORD);
    const view = (await call(s.app, agent, 'GET', '/api/v1/goals/alignment?period=2026-Q4')).json() as {
      nodes: { flags: string[]; level: string }[];
    };
    expect(view.nodes.some((n) => n.flags.includes('orphan'))).toBe(true);
    expect(view.nodes.some((n) => n.level === 'company' && n.flags.includes('unsupported'))).toBe(true);
    // A goal's history reads newest first, also where a change sits between check-ins (the target moved).
    const platform = (await call(s.app, agent, 'GET', '/api/v1/goals?scope=mine')).json() as {
      items: { id: string; title: string }[];
    };
    const availability = platform.items.find((g) => g.title === '99.95% API availability')!;
    const history = (await call(s.app, agent, 'GET', `/api/v1/goals/${availability.id}/history`)).json() as {
      items: { at: string; change: string; reason: string | null }[];
    };
    const times = history.items.map((h) => h.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(history.items.find((h) => h.change === 'update')!.reason).toMatch(/Four nines/);
    const team = (await call(s.app, agent, 'GET', '/api/v1/goals?scope=team')).json() as {
      items: { level: string }[];
    };
    expect(team.items.map((g) => g.level)).toEqual(expect.arrayContaining(['team', 'personal']));
  });

  it('is idempotent: a second run writes nothing', async () => {
    const before = await s.ctx.db.selectFrom('goal').select('id').execute();
    expect(await seedDemoGoals(s.ctx.db, { referenceDate: DAY })).toBe(0);
    expect(await seedDemoLinkedGoals(s.ctx.db, { referenceDate: DAY })).toBe(0);
    expect(await s.ctx.db.selectFrom('goal').select('id').execute()).toHaveLength(before.length);
  });
});
