import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildPerson } from '../../test/factories.js';
import { call, getTestServer, signIn, type Agent, type TestServer } from '../../test/test-server.js';
import { todayUtc } from '../access/access.service.js';
import { buildConversationFixture } from './conversations.test-fixture.js';
import type { CoachingEngagementType } from './engagements.schema.js';

type Fixture = Awaited<ReturnType<typeof buildConversationFixture>>;
type ErrorBody = { error: { code: string; message: string; details?: { path: string }[] } };

const DAY = 86_400_000;
const dateIn = (days: number) => todayUtc(new Date(Date.now() + days * DAY));

describe('external coaching engagements through the API', { timeout: 120_000 }, () => {
  let server: TestServer;
  let f: Fixture;
  let coachId: string;
  const agents: Record<string, Agent> = {};

  beforeAll(async () => {
    server = await getTestServer({ loginRateLimitPerMinute: 1000 });
    f = await buildConversationFixture(server.ctx.db);
    const coach = await buildPerson(server.ctx.db, {
      name: 'Yara Outside',
      email: 'yara@coaching.example',
      team_id: null,
    });
    coachId = coach.id;
    const accounts = { ...f.accounts, newCoach: await buildAccount(server.ctx.db, { personId: coach.id }) };
    for (const [name, account] of Object.entries(accounts))
      agents[name] = await signIn(server.app, account.email);
  }, 240_000);
  afterAll(async () => server?.close());

  const target = () => f.people.target.id;
  const start = (agent: string, body: Record<string, unknown>, personId = target()) =>
    call(server.app, agents[agent]!, 'POST', `/api/v1/people/${personId}/coaching-engagements`, body);
  const scheduleExternal = (agent: string, withId: string) =>
    call(server.app, agents[agent]!, 'POST', '/api/v1/conversations', {
      kind: 'external',
      withPersonIds: [withId],
      scheduledAt: new Date(Date.now() + 3 * DAY).toISOString(),
      durationMinutes: 45,
    });
  const deniedAudits = async (action: string) =>
    server.ctx.db
      .selectFrom('audit_log')
      .select(['actor_account_id'])
      .where('action', '=', action)
      .where('decision', '=', 'deny')
      .execute();

  it('an HR partner in scope starts an engagement, after which coach and coachee can meet', async () => {
    // Without an engagement the coachee cannot schedule external coaching with this person.
    const before = await scheduleExternal('self', coachId);
    expect(before.statusCode).toBe(400);

    const res = await start('hrIn', { coachPersonId: coachId });
    expect(res.statusCode).toBe(201);
    const engagement = res.json() as CoachingEngagementType;
    expect(engagement).toMatchObject({
      kind: 'external',
      coach: { id: coachId, name: 'Yara Outside' },
      coachee: { id: target() },
      validFrom: todayUtc(),
      validTo: null,
      active: true,
    });

    const after = await scheduleExternal('self', coachId);
    expect(after.statusCode).toBe(201);
    const fromCoach = await scheduleExternal('newCoach', target());
    expect(fromCoach.statusCode).toBe(201);
  });

  it('coachee, coach, HR partner and admin see the engagement; the manager, a peer and HR out of scope do not', async () => {
    const url = `/api/v1/people/${target()}/coaching-engagements`;
    for (const who of ['self', 'hrIn', 'admin', 'newCoach']) {
      const res = await call(server.app, agents[who]!, 'GET', url);
      expect(res.statusCode, who).toBe(200);
      const names = (res.json() as { items: CoachingEngagementType[] }).items.map((e) => e.coach.name);
      expect(names, who).toEqual(expect.arrayContaining(['Yara Outside', 'Xena External']));
    }
    const deniedBefore = (await deniedAudits('coaching_engagement.read')).length;
    for (const who of ['manager', 'skipLevel', 'peer', 'unrelatedPeer', 'hrOut', 'executive']) {
      const res = await call(server.app, agents[who]!, 'GET', url);
      expect(res.statusCode, who).toBe(403);
      expect(res.body, who).not.toContain('Yara');
    }
    expect((await deniedAudits('coaching_engagement.read')).length - deniedBefore).toBe(6);

    const mine = await call(server.app, agents.newCoach!, 'GET', '/api/v1/me/coaching-engagements');
    expect(mine.statusCode).toBe(200);
    expect((mine.json() as { items: CoachingEngagementType[] }).items.map((e) => e.coachee.id)).toEqual([
      target(),
    ]);
  });

  it('only HR partners in scope and admins start engagements; refusals are audited', async () => {
    const before = (await deniedAudits('coaching_engagement.manage')).length;
    for (const who of ['self', 'manager', 'hrOut', 'executive', 'newCoach']) {
      const res = await start(who, { coachPersonId: f.people.teammate.id });
      expect(res.statusCode, who).toBe(403);
    }
    expect((await deniedAudits('coaching_engagement.manage')).length - before).toBe(5);
    const anonymous = await call(
      server.app,
      { kind: 'anonymous' },
      'POST',
      `/api/v1/people/${target()}/coaching-engagements`,
      {
        coachPersonId: f.people.teammate.id,
      },
    );
    expect([401, 403]).toContain(anonymous.statusCode);
    const count = await server.ctx.db
      .selectFrom('coach_relationship')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('coach_person_id', '=', f.people.teammate.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses bad input with the field that is wrong, and overlapping engagements', async () => {
    const self = await start('admin', { coachPersonId: target() });
    expect(self.statusCode).toBe(400);
    expect((self.json() as ErrorBody).error.details?.[0]?.path).toBe('/body/coachPersonId');

    const unknown = await start('admin', { coachPersonId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(400);
    expect((unknown.json() as ErrorBody).error.details?.[0]?.path).toBe('/body/coachPersonId');

    const backwards = await start('admin', {
      coachPersonId: f.people.teammate.id,
      validFrom: dateIn(10),
      validTo: dateIn(5),
    });
    expect(backwards.statusCode).toBe(400);
    expect((backwards.json() as ErrorBody).error.details?.[0]?.path).toBe('/body/validTo');

    const notADate = await start('admin', { coachPersonId: f.people.teammate.id, validFrom: '31/12/2026' });
    expect(notADate.statusCode).toBe(400);

    const overlap = await start('admin', { coachPersonId: coachId, validFrom: dateIn(30) });
    expect(overlap.statusCode).toBe(409);
    expect((overlap.json() as ErrorBody).error.message).toContain(todayUtc());

    const noPerson = await start('admin', { coachPersonId: coachId }, '00000000-0000-4000-8000-000000000000');
    expect([403, 404]).toContain(noPerson.statusCode);
  });

  it('ending an engagement takes the coach out: no new external conversations, the page shows it ended', async () => {
    const list = await call(
      server.app,
      agents.hrIn!,
      'GET',
      `/api/v1/people/${target()}/coaching-engagements`,
    );
    const engagement = (list.json() as { items: CoachingEngagementType[] }).items.find(
      (e) => e.coach.id === coachId,
    )!;

    const byManager = await call(
      server.app,
      agents.manager!,
      'POST',
      `/api/v1/coaching-engagements/${engagement.id}/end`,
      {},
    );
    expect(byManager.statusCode).toBe(403);

    const tooEarly = await call(
      server.app,
      agents.hrIn!,
      'POST',
      `/api/v1/coaching-engagements/${engagement.id}/end`,
      {
        validTo: dateIn(-400),
      },
    );
    expect(tooEarly.statusCode).toBe(400);

    // An engagement started today ends tomorrow at the earliest; end it, then look at it tomorrow.
    const ended = await call(
      server.app,
      agents.hrIn!,
      'POST',
      `/api/v1/coaching-engagements/${engagement.id}/end`,
      {
        validTo: dateIn(1),
      },
    );
    expect(ended.statusCode).toBe(200);
    expect((ended.json() as CoachingEngagementType).validTo).toBe(dateIn(1));
    const again = await call(
      server.app,
      agents.hrIn!,
      'POST',
      `/api/v1/coaching-engagements/${engagement.id}/end`,
      {
        validTo: dateIn(2),
      },
    );
    expect(again.statusCode).toBe(409);

    // Move the engagement's dates into the past to see the coach lose access as of today.
    await server.ctx.db
      .updateTable('coach_relationship')
      .set({ valid_from: dateIn(-30), valid_to: dateIn(-1) })
      .where('id', '=', engagement.id)
      .execute();
    const refused = await scheduleExternal('newCoach', target());
    expect(refused.statusCode).toBe(400);
    const asCoach = await call(
      server.app,
      agents.newCoach!,
      'GET',
      `/api/v1/people/${target()}/coaching-engagements`,
    );
    expect(asCoach.statusCode).toBe(403);
    const history = await call(
      server.app,
      agents.self!,
      'GET',
      `/api/v1/people/${target()}/coaching-engagements`,
    );
    const past = (history.json() as { items: CoachingEngagementType[] }).items.find(
      (e) => e.id === engagement.id,
    );
    expect(past?.active).toBe(false);
  });
});
