import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../../test/factories.js';
import { createTestDatabase } from '../../test/test-db.js';
import { call, getTestServer, signIn, type TestServer } from '../../test/test-server.js';
import { importPeople } from '../org/org.import.js';
import { dayAfter } from '../org/reporting-lines.js';
import { generateDemoOrganisation } from './demo.generator.js';
import { DEMO_PASSWORD, isDemoLoaded, loadDemoOrganisation, type DemoLoadResult } from './demo.service.js';

const DAY = '2026-11-25';
// `date` columns are typed as 'YYYY-MM-DD' strings; compare them as days whatever the driver returns.
const day = (value: string | Date | null): string | null =>
  value === null ? null : new Date(value).toISOString().slice(0, 10);

describe('loadDemoOrganisation', () => {
  let s: TestServer;
  let result: DemoLoadResult;
  const expected = generateDemoOrganisation(42, { referenceDate: DAY });

  beforeAll(async () => {
    s = await getTestServer({ demo: true, loginRateLimitPerMinute: 1000 });
    result = await loadDemoOrganisation(s.ctx.db, { seed: 42, referenceDate: DAY });
  }, 120_000);
  afterAll(() => s.close());

  it('creates every person, 15 teams under 4 departments and the leadership team under the company, and marks the demo loaded', async () => {
    expect(result.loaded).toBe(true);
    expect(result.people).toBe(expected.snapshots.current.length);
    expect(result.teams).toBe(16);
    const leadership = await s.ctx.db
      .selectFrom('person')
      .innerJoin('team', 'team.id', 'person.team_id')
      .innerJoin('team as parent', 'parent.id', 'team.parent_id')
      .select(['person.title', 'team.kind', 'parent.kind as parentKind'])
      .where('team.name', '=', 'Leadership team')
      .orderBy('person.title')
      .execute();
    expect(leadership).toEqual([
      { title: 'Chief Executive Officer', kind: 'team', parentKind: 'company' },
      { title: 'Chief of Staff', kind: 'team', parentKind: 'company' },
    ]);
    const teamless = await s.ctx.db
      .selectFrom('person')
      .select('name')
      .where('team_id', 'is', null)
      .execute();
    expect(teamless).toEqual([]);
    const kinds = await s.ctx.db.selectFrom('team').select(['kind', 'name']).execute();
    expect(
      kinds
        .filter((t) => t.kind === 'department')
        .map((t) => t.name)
        .sort(),
    ).toEqual(['Engineering', 'People & Operations', 'Product & Design', 'Sales & Customer Success']);
    expect(kinds.filter((t) => t.kind === 'company').map((t) => t.name)).toEqual(['Kestrel Labs']);
    expect(await isDemoLoaded(s.ctx.db)).toBe(true);
  });

  it("keeps reporting history: ended lines to former managers beside the current ones, leavers' lines ended", async () => {
    const lines = await s.ctx.db.selectFrom('reporting_line').selectAll().execute();
    const people = await s.ctx.db.selectFrom('person').select(['id', 'leave_date']).execute();
    const leaveEnd = new Map(people.map((p) => [p.id, p.leave_date ? dayAfter(day(p.leave_date)!) : null]));
    const ended = lines.filter((l) => l.valid_to !== null);
    const endedByLeave = ended.filter((l) => day(l.valid_to) === leaveEnd.get(l.person_id));
    const endedByChange = ended.filter((l) => !endedByLeave.includes(l));
    const changed = expected.snapshots.current.filter(
      (r, i) => r.managerEmployeeId !== expected.snapshots.history[i]!.managerEmployeeId,
    );
    expect(endedByChange.length).toBe(changed.length);
    for (const l of endedByChange) {
      const next = lines.find((n) => n.person_id === l.person_id && day(n.valid_from) === day(l.valid_to));
      expect(next?.valid_to === null || day(next!.valid_to) === leaveEnd.get(l.person_id)).toBe(true);
    }
    // Every leaver reported to their manager up to their leave date, and to nobody after it.
    const leaversWithManager = expected.snapshots.current.filter((r) => r.leaveDate && r.managerEmployeeId);
    expect(endedByLeave.length).toBe(leaversWithManager.length);
    expect(lines.filter((l) => l.valid_to === null && leaveEnd.get(l.person_id))).toEqual([]);
    const changes = await s.ctx.db.selectFrom('org_change').select('source').distinct().execute();
    expect(changes.map((c) => c.source)).toEqual(['demo']);
  });

  it('creates demo accounts with roles and HR scopes, leavers disabled', async () => {
    const accounts = await s.ctx.db.selectFrom('account').selectAll().execute();
    expect(accounts).toHaveLength(expected.accounts.length);
    expect(accounts.every((a) => a.is_demo && a.person_id)).toBe(true);
    expect(new Set(accounts.map((a) => a.password_hash)).size).toBe(1);
    expect(accounts.filter((a) => a.disabled_at).length).toBe(
      expected.accounts.filter((a) => a.disabled).length,
    );
    const hr = await s.ctx.db
      .selectFrom('hr_assignment')
      .innerJoin('team', 'team.id', 'hr_assignment.team_id')
      .innerJoin('account', 'account.id', 'hr_assignment.account_id')
      .select(['account.email', 'team.name', 'team.kind'])
      .execute();
    expect(hr).toHaveLength(4);
    expect(hr.every((h) => h.kind === 'department')).toBe(true);
  });

  it('lets each suggested demo login sign in with the demo password, and serves the logins', async () => {
    const demo = await s.app.inject({ method: 'GET', url: '/api/v1/auth/demo' });
    expect(demo.json()).toEqual({ demo: true, logins: expected.logins });
    for (const label of ['admin', 'HR partner', 'executive', 'manager (director)', 'manager', 'employee']) {
      const login = expected.logins.find((l) => l.role === label)!;
      const agent = await signIn(s.app, login.email, DEMO_PASSWORD);
      const session = (await call(s.app, agent, 'GET', '/api/v1/auth/session')).json();
      expect(session.account.personName).toBe(login.name);
      expect(session.account.isManager).toBe(label.startsWith('manager') || label === 'executive');
    }
  });

  it('is a no-op the second time', async () => {
    const again = await loadDemoOrganisation(s.ctx.db, { seed: 7 });
    expect(again).toMatchObject({ loaded: false, seed: 42, people: result.people, logins: expected.logins });
    const accounts = await s.ctx.db.selectFrom('account').select('id').execute();
    expect(accounts).toHaveLength(expected.accounts.length);
  });
});

describe('loadDemoOrganisation on other databases', () => {
  it('refuses a database that already holds people', async () => {
    const t = await createTestDatabase();
    try {
      await buildPerson(t.database.db);
      await expect(loadDemoOrganisation(t.database.db)).rejects.toThrow(/already holds 1 people/);
      expect(await isDemoLoaded(t.database.db)).toBe(false);
    } finally {
      await t.destroy();
    }
  });

  it('resumes a load interrupted after the older export', async () => {
    const t = await createTestDatabase();
    try {
      const db = t.database.db;
      const org = generateDemoOrganisation(5, { referenceDate: DAY });
      const value = JSON.stringify({ seed: 5, referenceDate: DAY, stage: 'started' });
      await db.insertInto('app_setting').values({ key: 'demo.loading', value }).execute();
      await importPeople(
        db,
        { records: org.snapshots.history },
        { dryRun: false, source: 'demo', actorAccountId: null },
      );
      // The work data is not what this test is about: a light load keeps it quick.
      const resumed = await loadDemoOrganisation(db, { seed: 99, workPrPerDay: 0.02 });
      expect(resumed).toMatchObject({ loaded: true, seed: 5, people: org.snapshots.current.length });
      const loading = await db
        .selectFrom('app_setting')
        .select('key')
        .where('key', '=', 'demo.loading')
        .execute();
      expect(loading).toEqual([]);
    } finally {
      await t.destroy();
    }
  }, 120_000);
});
