import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildPerson, buildReportingLine, buildTeam } from '../../test/factories.js';
import { call, getTestServer, signIn, type Agent, type TestServer } from '../../test/test-server.js';
import { todayUtc } from '../access/access.service.js';
import { addDays } from './org.rules.js';

let s: TestServer;
let admin: Agent;

beforeAll(async () => {
  s = await getTestServer({ loginRateLimitPerMinute: 1000 });
  const account = await buildAccount(s.ctx.db, { roles: ['admin'] });
  admin = await signIn(s.app, account.email);
});
afterAll(() => s.close());

async function personAgent(values: Parameters<typeof buildPerson>[1] = {}) {
  const person = await buildPerson(s.ctx.db, values);
  const account = await buildAccount(s.ctx.db, { personId: person.id });
  return { person, agent: await signIn(s.app, account.email) };
}

/** The distinct field paths an error names (a nullable field's schema reports each branch). */
function paths(body: { error: { details?: { path: string }[] } }): string[] {
  return [...new Set((body.error.details ?? []).map((d) => d.path))];
}

describe('teams', () => {
  it('creates a company, a department under it by default, and a team; lists them with head counts', async () => {
    const company = await call(s.app, admin, 'POST', '/api/v1/teams', { name: 'Acme', kind: 'company' });
    expect(company.statusCode).toBe(201);
    const companyId = company.json().team.id;
    const dept = await call(s.app, admin, 'POST', '/api/v1/teams', {
      name: 'Engineering',
      kind: 'department',
    });
    expect(dept.statusCode).toBe(201);
    expect(dept.json().team.parentId).toBe(companyId);
    expect(dept.json().path).toEqual([{ id: companyId, name: 'Acme' }]);
    const team = await call(s.app, admin, 'POST', '/api/v1/teams', {
      name: 'Platform Team',
      kind: 'team',
      parentId: dept.json().team.id,
      description: 'Runs the platform',
    });
    expect(team.statusCode).toBe(201);
    const t = team.json();
    expect(t.team).toMatchObject({ slug: 'platform-team', kind: 'team', description: 'Runs the platform' });
    expect(t.path.map((p: { name: string }) => p.name)).toEqual(['Acme', 'Engineering']);

    await buildPerson(s.ctx.db, { team_id: t.team.id, name: 'Member One' });
    await buildPerson(s.ctx.db, { team_id: t.team.id, name: 'Gone Person', leave_date: '2020-01-01' });
    const list = await call(s.app, admin, 'GET', '/api/v1/teams');
    expect(list.statusCode).toBe(200);
    const row = list.json().items.find((i: { id: string }) => i.id === t.team.id);
    expect(row).toEqual({
      id: t.team.id,
      name: 'Platform Team',
      slug: 'platform-team',
      kind: 'team',
      parentId: dept.json().team.id,
      memberCount: 1,
    });

    const detail = await call(s.app, admin, 'GET', `/api/v1/teams/${dept.json().team.id}`);
    expect(detail.json().children.map((c: { name: string }) => c.name)).toEqual(['Platform Team']);
    const members = await call(s.app, admin, 'GET', `/api/v1/teams/${t.team.id}`);
    expect(members.json().members.map((m: { name: string }) => m.name)).toEqual(['Member One']);

    const second = await call(s.app, admin, 'POST', '/api/v1/teams', { name: 'Other Co', kind: 'company' });
    expect(second.statusCode).toBe(409);
  });

  it('refuses a parent cycle naming /body/parentId, and renames', async () => {
    const a = await buildTeam(s.ctx.db, { name: 'Cycle A', kind: 'department' });
    const b = await buildTeam(s.ctx.db, { name: 'Cycle B', parentId: a.id });
    const c = await buildTeam(s.ctx.db, { name: 'Cycle C', parentId: b.id });
    const res = await call(s.app, admin, 'PATCH', `/api/v1/teams/${a.id}`, { parentId: c.id });
    expect(res.statusCode).toBe(400);
    expect(paths(res.json())).toEqual(['/body/parentId']);
    expect(res.json().error.message).toContain('Cycle A');
    const self = await call(s.app, admin, 'PATCH', `/api/v1/teams/${a.id}`, { parentId: a.id });
    expect(self.statusCode).toBe(400);
    const ok = await call(s.app, admin, 'PATCH', `/api/v1/teams/${c.id}`, {
      name: 'Cycle C2',
      parentId: a.id,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().team).toMatchObject({ name: 'Cycle C2', parentId: a.id });
    const log = await s.ctx.db.selectFrom('org_change').selectAll().where('entity_id', '=', c.id).execute();
    expect(log).toHaveLength(1);
    expect(log[0]!.before).toEqual({ name: 'Cycle C', parentId: b.id });
    expect(log[0]!.after).toEqual({ name: 'Cycle C2', parentId: a.id });
  });

  it('validates input, answers 404 JSON for unknown teams and 403 for non-HR', async () => {
    const bad = await call(s.app, admin, 'POST', '/api/v1/teams', { name: '', kind: 'squad' });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad.json())).toEqual(expect.arrayContaining(['/body/name', '/body/kind']));
    const missing = await call(s.app, admin, 'GET', '/api/v1/teams/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const { agent } = await personAgent();
    const denied = await call(s.app, agent, 'POST', '/api/v1/teams', { name: 'Mine', kind: 'team' });
    expect(denied.statusCode).toBe(403);
  });
});

describe('people', () => {
  it('creates a person with a manager, validates time zone and uniqueness', async () => {
    const team = await buildTeam(s.ctx.db, { name: 'Create Team' });
    const boss = await buildPerson(s.ctx.db, { name: 'Boss Create' });
    const res = await call(s.app, admin, 'POST', '/api/v1/people', {
      name: 'Nina New',
      email: 'nina.new@example.test',
      employeeId: 'N-1',
      title: 'Engineer',
      teamId: team.id,
      hireDate: '2024-02-01',
      timeZone: 'America/New_York',
      workMode: 'remote',
      attributes: { guild: 'frontend' },
      managerId: boss.id,
    });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      name: 'Nina New',
      teamId: team.id,
      teamName: 'Create Team',
      managerId: boss.id,
      active: true,
      timeZone: 'America/New_York',
      attributes: { guild: 'frontend' },
    });
    expect(p.reportingHistory).toEqual([
      { managerId: boss.id, managerName: 'Boss Create', validFrom: '2024-02-01', validTo: null },
    ]);

    const tz = await call(s.app, admin, 'POST', '/api/v1/people', {
      name: 'X',
      email: 'x-tz@example.test',
      timeZone: 'Mars/Olympus',
    });
    expect(tz.statusCode).toBe(400);
    expect(paths(tz.json())).toEqual(['/body/timeZone']);
    const dup = await call(s.app, admin, 'POST', '/api/v1/people', {
      name: 'Y',
      email: 'NINA.NEW@example.test',
    });
    expect(dup.statusCode).toBe(409);
    expect(paths(dup.json())).toEqual(['/body/email']);
    const dupId = await call(s.app, admin, 'POST', '/api/v1/people', {
      name: 'Z',
      email: 'z@example.test',
      employeeId: 'N-1',
    });
    expect(dupId.statusCode).toBe(409);
    expect(paths(dupId.json())).toEqual(['/body/employeeId']);
    const badEmail = await call(s.app, admin, 'POST', '/api/v1/people', { name: 'Z', email: 'not-an-email' });
    expect(badEmail.statusCode).toBe(400);
    expect(paths(badEmail.json())).toEqual(['/body/email']);
  });

  it('updates a person, logging only the changed fields', async () => {
    const person = await buildPerson(s.ctx.db, { name: 'Pat Patch', title: 'Engineer' });
    const res = await call(s.app, admin, 'PATCH', `/api/v1/people/${person.id}`, {
      title: 'Senior Engineer',
      location: 'Lisbon',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: 'Senior Engineer', location: 'Lisbon' });
    const log = await s.ctx.db
      .selectFrom('org_change')
      .selectAll()
      .where('entity_id', '=', person.id)
      .execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      change: 'update',
      source: 'api',
      before: { title: 'Engineer', location: null },
      after: { title: 'Senior Engineer', location: 'Lisbon' },
    });
    const same = await call(s.app, admin, 'PATCH', `/api/v1/people/${person.id}`, {
      title: 'Senior Engineer',
    });
    expect(same.statusCode).toBe(200);
    const after = await s.ctx.db
      .selectFrom('org_change')
      .select('id')
      .where('entity_id', '=', person.id)
      .execute();
    expect(after).toHaveLength(1);
    const badLeave = await call(s.app, admin, 'PATCH', `/api/v1/people/${person.id}`, {
      leaveDate: '2001-01-01',
    });
    expect(badLeave.statusCode).toBe(400);
    expect(paths(badLeave.json())).toEqual(['/body/leaveDate']);
    const badDate = await call(s.app, admin, 'PATCH', `/api/v1/people/${person.id}`, {
      hireDate: '2021-13-01',
    });
    expect(badDate.statusCode).toBe(400);
    expect(paths(badDate.json())).toEqual(['/body/hireDate']);
  });

  it('searches by name, e-mail and title, pages with a cursor, and hides leavers unless asked', async () => {
    const team = await buildTeam(s.ctx.db, { name: 'Search Team' });
    for (let i = 0; i < 5; i++) {
      await buildPerson(s.ctx.db, {
        name: `Zed Searchable ${i}`,
        team_id: team.id,
        title: 'Quantum Gardener',
      });
    }
    await buildPerson(s.ctx.db, { name: 'Zed Leaver', team_id: team.id, leave_date: '2021-06-30' });
    const byTitle = await call(s.app, admin, 'GET', '/api/v1/people?q=quantum%20GARDENER');
    expect(byTitle.json().items).toHaveLength(5);
    const first = await call(s.app, admin, 'GET', `/api/v1/people?teamId=${team.id}&limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((p: { name: string }) => p.name)).toEqual([
      'Zed Searchable 0',
      'Zed Searchable 1',
    ]);
    const cursor = first.json().nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await call(
      s.app,
      admin,
      'GET',
      `/api/v1/people?teamId=${team.id}&limit=2&cursor=${cursor}`,
    );
    expect(second.json().items.map((p: { name: string }) => p.name)).toEqual([
      'Zed Searchable 2',
      'Zed Searchable 3',
    ]);
    const all = await call(s.app, admin, 'GET', `/api/v1/people?teamId=${team.id}&includeLeavers=true`);
    const leaver = all.json().items.find((p: { name: string }) => p.name === 'Zed Leaver');
    expect(leaver.active).toBe(false);
    expect(all.json().items).toHaveLength(6);
    expect(all.json().nextCursor).toBeNull();
    const badCursor = await call(s.app, admin, 'GET', '/api/v1/people?cursor=garbage');
    expect(badCursor.statusCode).toBe(400);
    expect(paths(badCursor.json())).toEqual(['/querystring/cursor']);
    const badLimit = await call(s.app, admin, 'GET', '/api/v1/people?limit=0');
    expect(paths(badLimit.json())).toEqual(['/querystring/limit']);
  });

  it('shows a person with manager, reports and whether the profile may be opened', async () => {
    const manager = await buildPerson(s.ctx.db, { name: 'Mia Manager' });
    const report = await buildPerson(s.ctx.db, { name: 'Rex Report' });
    const former = await buildPerson(s.ctx.db, { name: 'Fay Former' });
    await buildReportingLine(s.ctx.db, report.id, manager.id, '2020-01-01');
    await buildReportingLine(s.ctx.db, former.id, manager.id, '2019-01-01', '2020-01-01');
    const { agent } = await personAgent();
    const res = await call(s.app, agent, 'GET', `/api/v1/people/${manager.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().person.name).toBe('Mia Manager');
    expect(res.json().reports.map((r: { name: string }) => r.name)).toEqual(['Rex Report']);
    expect(res.json().canViewProfile).toBe(false);
    const asAdmin = await call(s.app, admin, 'GET', `/api/v1/people/${report.id}`);
    expect(asAdmin.json().manager.name).toBe('Mia Manager');
    expect(asAdmin.json().canViewProfile).toBe(true);
    const missing = await call(s.app, admin, 'GET', '/api/v1/people/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const badId = await call(s.app, admin, 'GET', '/api/v1/people/not-a-uuid');
    expect(badId.statusCode).toBe(400);
    expect(paths(badId.json())).toEqual(['/params/id']);
  });
});

describe('reporting lines', () => {
  it('changing the manager closes the old line, opens a new one, and both show in the history', async () => {
    const oldBoss = await buildPerson(s.ctx.db, { name: 'Olga Old' });
    const newBoss = await buildPerson(s.ctx.db, { name: 'Nils New' });
    const person = await buildPerson(s.ctx.db, { name: 'Carl Changer' });
    await buildReportingLine(s.ctx.db, person.id, oldBoss.id, '2021-01-01');
    const res = await call(s.app, admin, 'PUT', `/api/v1/people/${person.id}/manager`, {
      managerId: newBoss.id,
      effectiveFrom: '2024-07-01',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().managerId).toBe(newBoss.id);
    expect(res.json().reportingHistory).toEqual([
      { managerId: newBoss.id, managerName: 'Nils New', validFrom: '2024-07-01', validTo: null },
      { managerId: oldBoss.id, managerName: 'Olga Old', validFrom: '2021-01-01', validTo: '2024-07-01' },
    ]);
    const history = await call(s.app, admin, 'GET', `/api/v1/people/${person.id}/history`);
    expect(history.statusCode).toBe(200);
    const items = history.json().items as {
      entityType: string;
      change: string;
      after: Record<string, unknown>;
    }[];
    expect(items.map((i) => [i.entityType, i.change])).toEqual(
      expect.arrayContaining([
        ['reporting_line', 'create'],
        ['reporting_line', 'update'],
      ]),
    );
    expect(items.find((i) => i.change === 'create')!.after).toMatchObject({ managerId: newBoss.id });
    expect(items.find((i) => i.change === 'update')!.after).toMatchObject({ validTo: '2024-07-01' });

    const early = await call(s.app, admin, 'PUT', `/api/v1/people/${person.id}/manager`, {
      managerId: oldBoss.id,
      effectiveFrom: '2024-01-01',
    });
    expect(early.statusCode).toBe(400);
    expect(paths(early.json())).toEqual(['/body/effectiveFrom']);

    const none = await call(s.app, admin, 'PUT', `/api/v1/people/${person.id}/manager`, {
      managerId: null,
      effectiveFrom: '2025-01-01',
    });
    expect(none.json().managerId).toBeNull();
    const lines = await s.ctx.db
      .selectFrom('reporting_line')
      .selectAll()
      .where('person_id', '=', person.id)
      .execute();
    expect(lines).toHaveLength(2);
  });

  it("a leave date set through the API ends the leaver's line the day after; an earlier one than the line is refused", async () => {
    const boss = await buildPerson(s.ctx.db, { name: 'Lou Lead' });
    const leaver = await buildPerson(s.ctx.db, { name: 'Lee Leaving', hire_date: '2019-02-01' });
    await buildReportingLine(s.ctx.db, leaver.id, boss.id, '2021-01-01');
    const tooEarly = await call(s.app, admin, 'PATCH', `/api/v1/people/${leaver.id}`, {
      leaveDate: '2020-12-30',
    });
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.json().error.details).toEqual([
      {
        path: '/body/leaveDate',
        message: 'the leave date 2020-12-30 is before the current reporting line started (2021-01-01)',
      },
    ]);
    expect(
      (
        await s.ctx.db
          .selectFrom('person')
          .select('leave_date')
          .where('id', '=', leaver.id)
          .executeTakeFirstOrThrow()
      ).leave_date,
    ).toBeNull();

    const res = await call(s.app, admin, 'PATCH', `/api/v1/people/${leaver.id}`, {
      leaveDate: '2025-03-31',
      leaveReason: 'Resigned',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().managerId).toBeNull();
    expect(res.json().reportingHistory).toEqual([
      { managerId: boss.id, managerName: 'Lou Lead', validFrom: '2021-01-01', validTo: '2025-04-01' },
    ]);
    const history = await call(s.app, admin, 'GET', `/api/v1/people/${leaver.id}/history`);
    expect(
      history.json().items.find((i: { entityType: string }) => i.entityType === 'reporting_line'),
    ).toMatchObject({
      change: 'update',
      before: { validTo: null },
      after: { validTo: '2025-04-01' },
    });
    // Taking the leave date back reopens the line.
    const back = await call(s.app, admin, 'PATCH', `/api/v1/people/${leaver.id}`, { leaveDate: null });
    expect(back.json().reportingHistory[0]).toMatchObject({ validTo: null });
    expect(back.json().managerId).toBe(boss.id);

    // A person created as a leaver gets a line that already ended.
    const created = await call(s.app, admin, 'POST', '/api/v1/people', {
      name: 'Ola Old',
      email: 'ola.old@example.test',
      hireDate: '2018-01-01',
      leaveDate: '2022-06-30',
      managerId: boss.id,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().reportingHistory).toEqual([
      { managerId: boss.id, managerName: 'Lou Lead', validFrom: '2018-01-01', validTo: '2022-07-01' },
    ]);
  });

  it('refuses taking a leave date back when the reopened line would close a reporting cycle', async () => {
    const boss = await buildPerson(s.ctx.db, { name: 'Rae Root' });
    const leaver = await buildPerson(s.ctx.db, { name: 'Lia Later' });
    await buildReportingLine(s.ctx.db, leaver.id, boss.id, '2021-01-01');
    const left = await call(s.app, admin, 'PATCH', `/api/v1/people/${leaver.id}`, {
      leaveDate: '2024-03-31',
    });
    expect(left.statusCode).toBe(200);
    // Meanwhile the former manager came to report to the leaver.
    const moved = await call(s.app, admin, 'PUT', `/api/v1/people/${boss.id}/manager`, {
      managerId: leaver.id,
      effectiveFrom: '2024-06-01',
    });
    expect(moved.statusCode).toBe(200);
    const back = await call(s.app, admin, 'PATCH', `/api/v1/people/${leaver.id}`, { leaveDate: null });
    expect(back.statusCode).toBe(400);
    expect(back.json().error.message).toMatch(/reporting cycle: Lia Later → Rae Root → Lia Later/);
    expect(paths(back.json())).toEqual(['/body/leaveDate']);
    const after = await s.ctx.db
      .selectFrom('person')
      .select(sql<string>`to_char(leave_date, 'YYYY-MM-DD')`.as('leave_date'))
      .where('id', '=', leaver.id)
      .executeTakeFirstOrThrow();
    expect(after.leave_date).toBe('2024-03-31');
    const open = await s.ctx.db
      .selectFrom('reporting_line')
      .select('manager_id')
      .where('person_id', '=', leaver.id)
      .where('valid_to', 'is', null)
      .execute();
    expect(open).toEqual([]);
  });

  it('refuses self-management and reporting cycles, naming the people', async () => {
    const a = await buildPerson(s.ctx.db, { name: 'Ann Apex' });
    const b = await buildPerson(s.ctx.db, { name: 'Ben Middle' });
    const c = await buildPerson(s.ctx.db, { name: 'Cat Bottom' });
    await buildReportingLine(s.ctx.db, b.id, a.id, '2020-01-01');
    await buildReportingLine(s.ctx.db, c.id, b.id, '2020-01-01');
    const cycle = await call(s.app, admin, 'PUT', `/api/v1/people/${a.id}/manager`, {
      managerId: c.id,
      effectiveFrom: '2024-01-01',
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.message).toMatch(/Ann Apex → Cat Bottom → Ben Middle → Ann Apex/);
    expect(paths(cycle.json())).toEqual(['/body/managerId']);
    const self = await call(s.app, admin, 'PUT', `/api/v1/people/${a.id}/manager`, {
      managerId: a.id,
      effectiveFrom: '2024-01-01',
    });
    expect(self.statusCode).toBe(400);
    expect(paths(self.json())).toEqual(['/body/managerId']);
    const badDate = await call(s.app, admin, 'PUT', `/api/v1/people/${a.id}/manager`, {
      managerId: null,
      effectiveFrom: 'tomorrow',
    });
    expect(paths(badDate.json())).toEqual(['/body/effectiveFrom']);
    const lines = await s.ctx.db
      .selectFrom('reporting_line')
      .select('id')
      .where('person_id', '=', a.id)
      .execute();
    expect(lines).toHaveLength(0);
  });
});

describe('profile access', () => {
  it('lets self, manager, skip-level, in-scope HR partner and admin read the profile; denies the rest', async () => {
    const dept = await buildTeam(s.ctx.db, { name: 'Access Dept', kind: 'department' });
    const team = await buildTeam(s.ctx.db, { name: 'Access Team', parentId: dept.id });
    const otherTeam = await buildTeam(s.ctx.db, { name: 'Elsewhere' });
    const skip = await personAgent({ name: 'Skip Level' });
    const manager = await personAgent({ name: 'Direct Manager' });
    const target = await personAgent({ name: 'Tara Target', team_id: team.id });
    const peer = await personAgent({ name: 'Pete Peer', team_id: team.id });
    const former = await personAgent({ name: 'Former Manager' });
    await buildReportingLine(s.ctx.db, manager.person.id, skip.person.id, '2020-01-01');
    await buildReportingLine(s.ctx.db, target.person.id, former.person.id, '2019-01-01', '2022-01-01');
    await buildReportingLine(s.ctx.db, target.person.id, manager.person.id, '2022-01-01');
    const hrIn = await buildAccount(s.ctx.db, { roles: ['hr'], hrTeamIds: [dept.id] });
    const hrOut = await buildAccount(s.ctx.db, { roles: ['hr'], hrTeamIds: [otherTeam.id] });
    const url = `/api/v1/people/${target.person.id}/profile`;
    const status = async (agent: Agent) => (await call(s.app, agent, 'GET', url)).statusCode;

    expect(await status(target.agent)).toBe(200);
    expect(await status(manager.agent)).toBe(200);
    expect(await status(skip.agent)).toBe(200);
    expect(await status(await signIn(s.app, hrIn.email))).toBe(200);
    expect(await status(admin)).toBe(200);
    expect(await status(peer.agent)).toBe(403);
    expect(await status(former.agent)).toBe(403);
    expect(await status(await signIn(s.app, hrOut.email))).toBe(403);
    expect(
      (await call(s.app, peer.agent, 'GET', `/api/v1/people/${target.person.id}/history`)).statusCode,
    ).toBe(403);

    const denials = await s.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'person.read_profile')
      .where('resource_id', '=', target.person.id)
      .where('decision', '=', 'deny')
      .execute();
    expect(denials.map((d) => d.actor_label).sort()).toEqual(
      [peer.person.email, peer.person.email, former.person.email, hrOut.email].sort(),
    );

    const profile = (await call(s.app, target.agent, 'GET', url)).json();
    expect(profile.skipLevelChain.map((p: { name: string }) => p.name)).toEqual([
      'Direct Manager',
      'Skip Level',
    ]);
    expect(profile.segments.department).toBe('Access Dept');
    expect(profile.reportingHistory.map((l: { managerName: string }) => l.managerName)).toEqual([
      'Direct Manager',
      'Former Manager',
    ]);
    const peerView = await call(s.app, peer.agent, 'GET', `/api/v1/people/${target.person.id}`);
    expect(peerView.json().canViewProfile).toBe(false);

    const hrEdit = await call(
      s.app,
      await signIn(s.app, hrIn.email),
      'PATCH',
      `/api/v1/people/${target.person.id}`,
      {
        level: 'L4',
      },
    );
    expect(hrEdit.statusCode).toBe(200);
    const hrOutEdit = await call(
      s.app,
      await signIn(s.app, hrOut.email),
      'PATCH',
      `/api/v1/people/${target.person.id}`,
      {
        level: 'L5',
      },
    );
    expect(hrOutEdit.statusCode).toBe(403);
  });
});

describe('segments', () => {
  it('counts active people by department, level, tenure band, location and work mode (HR, admin, executive)', async () => {
    const fresh = await getTestServer({ loginRateLimitPerMinute: 1000 });
    try {
      const db = fresh.ctx.db;
      const dept = await buildTeam(db, { name: 'Sales', kind: 'department' });
      const team = await buildTeam(db, { name: 'Inside Sales', parentId: dept.id });
      const today = todayUtc();
      await buildPerson(db, {
        team_id: team.id,
        level: 'L2',
        hire_date: addDays(today, -100),
        location: 'Oslo',
        work_mode: 'remote',
        attributes: JSON.stringify({ guild: 'x' }),
      });
      await buildPerson(db, {
        team_id: dept.id,
        level: 'L2',
        hire_date: addDays(today, -800),
        location: 'Oslo',
        work_mode: 'onsite',
      });
      await buildPerson(db, {
        level: 'L3',
        hire_date: addDays(today, -4000),
        location: null,
        work_mode: null,
      });
      await buildPerson(db, { level: 'L9', leave_date: addDays(today, -1) });
      const exec = await buildAccount(db, { roles: ['executive'] });
      const res = await call(fresh.app, await signIn(fresh.app, exec.email), 'GET', '/api/v1/org/segments');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.department).toEqual([
        { value: 'Sales', count: 2 },
        { value: null, count: 1 },
      ]);
      expect(body.level).toEqual([
        { value: 'L2', count: 2 },
        { value: 'L3', count: 1 },
      ]);
      expect(body.tenureBand).toEqual(
        expect.arrayContaining([
          { value: '<1y', count: 1 },
          { value: '2-5y', count: 1 },
          { value: '10y+', count: 1 },
        ]),
      );
      expect(body.workMode).toEqual(expect.arrayContaining([{ value: 'remote', count: 1 }]));
      expect(body.attributes.guild).toEqual(expect.arrayContaining([{ value: 'x', count: 1 }]));
      const employee = await buildAccount(db, { personId: (await buildPerson(db)).id });
      const denied = await call(
        fresh.app,
        await signIn(fresh.app, employee.email),
        'GET',
        '/api/v1/org/segments',
      );
      expect(denied.statusCode).toBe(403);
    } finally {
      await fresh.close();
    }
  });
});
