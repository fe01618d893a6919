import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccessFixture, type AccessFixture } from '../../test/access-fixture.js';
import {
  anonymous,
  call,
  getTestServer,
  signIn,
  type Agent,
  type TestServer,
} from '../../test/test-server.js';
import type { Actor } from '../access/access.types.js';
import type {
  OpportunityDetailType,
  OpportunityListType,
  OpportunitySummaryType,
} from './opportunities.schema.js';
import { getOpportunityForViewer } from './opportunities.service.js';

describe('coaching opportunities API', () => {
  let server: TestServer;
  let f: AccessFixture;
  const agents: Record<string, Agent> = {};
  let aboutTarget: string;
  let aboutTeam: string;
  let formerManagers: string;

  async function insert(values: {
    recipient: string;
    subject: { type: 'person' | 'team'; id: string };
    trigger: string;
    priority?: 'high' | 'medium' | 'low';
    polarity?: 'corrective' | 'growth' | 'system';
  }): Promise<string> {
    const row = await server.ctx.db
      .insertInto('coaching_opportunity')
      .values({
        recipient_person_id: values.recipient,
        subject_type: values.subject.type,
        subject_person_id: values.subject.type === 'person' ? values.subject.id : null,
        subject_team_id: values.subject.type === 'team' ? values.subject.id : null,
        trigger: values.trigger,
        polarity: values.polarity ?? 'corrective',
        priority: values.priority ?? 'medium',
        framework: 'SBI',
        title: `${values.trigger} title`,
        reason: 'Pull requests merged is 60% below the own baseline.',
        evidence: JSON.stringify({
          summary: 'One signal below baseline.',
          items: [
            {
              kind: 'signal',
              label: 'Pull requests merged: 1.0 a week against 6.0',
              metric: 'prs_merged',
              value: 1,
              baseline: 6,
              unit: 'pull requests',
              from: '2026-10-26',
              to: '2026-11-22',
              link: `/dashboard/people/${values.subject.id}`,
              explainLink: `/api/v1/signals/evidence?metric=prs_merged&scope=person&id=${values.subject.id}`,
              sourceIds: ['flag:1'],
            },
          ],
        }),
        facts: JSON.stringify({
          name: 'Tess',
          metric: 'pull requests merged',
          metrics: 'pull requests merged',
          change: '60%',
          since: '2026-10-26',
          team: 'Platform',
        }),
        period: '2026-10-26',
        dedupe_key: `${values.trigger}|${values.subject.id}`,
        scan_week: '2026-11-23',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  beforeAll(async () => {
    server = await getTestServer({ loginRateLimitPerMinute: 1000 });
    f = await buildAccessFixture(server.ctx.db);
    for (const [name, account] of Object.entries(f.accounts))
      agents[name] = await signIn(server.app, account.email);
    aboutTarget = await insert({
      recipient: f.people.manager.id,
      subject: { type: 'person', id: f.people.target.id },
      trigger: 'individual_dip',
      priority: 'high',
    });
    aboutTeam = await insert({
      recipient: f.people.manager.id,
      subject: { type: 'team', id: f.teams.platform.id },
      trigger: 'team_dip',
      polarity: 'system',
    });
    await insert({
      recipient: f.people.manager.id,
      subject: { type: 'person', id: f.people.peer.id },
      trigger: 'sustained_strength',
      polarity: 'growth',
      priority: 'low',
    });
    // Raised while Fred still managed Tess; the line ended in 2023.
    formerManagers = await insert({
      recipient: f.people.formerManager.id,
      subject: { type: 'person', id: f.people.target.id },
      trigger: 'conversation_gap',
    });
    // Tess's work-style profile: high autonomy, written and asynchronous.
    await server.ctx.db
      .insertInto('profile_submission')
      .values({
        person_id: f.people.target.id,
        questionnaire_version: 1,
        answers: JSON.stringify({}),
        autonomy: 88,
        collaboration: 40,
        structure: 35,
        channel: 'written',
        timing: 'async',
        directness: 'direct',
        drivers: JSON.stringify(['mastery']),
      })
      .execute();
  });
  afterAll(async () => server.close());

  it('lists my opportunities as recipient, highest priority first, with counts', async () => {
    const res = await call(server.app, agents.manager!, 'GET', '/api/v1/coaching/opportunities');
    expect(res.statusCode).toBe(200);
    const list = res.json() as OpportunityListType;
    expect(list.items.map((i) => i.trigger)).toEqual(['individual_dip', 'team_dip', 'sustained_strength']);
    expect(list.items[0]).toMatchObject({
      subject: { type: 'person', id: f.people.target.id, name: 'Tess Target' },
      triggerLabel: 'Individual dip',
      status: 'open',
    });
    expect(list.items[1]!.subject).toEqual({ type: 'team', id: f.teams.platform.id, name: 'Platform' });
    expect(list.counts).toEqual({ open: 3, snoozed: 0, acted: 0, dismissed: 0, suppressedThisWeek: 0 });
    // The subject sees nothing: opportunities are addressed to managers.
    const mine = (
      await call(server.app, agents.self!, 'GET', '/api/v1/coaching/opportunities')
    ).json() as OpportunityListType;
    expect(mine.items).toEqual([]);
    expect((await call(server.app, anonymous, 'GET', '/api/v1/coaching/opportunities')).statusCode).toBe(401);
    const bad = await call(server.app, agents.manager!, 'GET', '/api/v1/coaching/opportunities?status=later');
    expect(bad.statusCode).toBe(400);
  });

  it('shows the recipient the evidence, a guide tailored to the subject and how to start the conversation', async () => {
    const res = await call(
      server.app,
      agents.manager!,
      'GET',
      `/api/v1/coaching/opportunities/${aboutTarget}`,
    );
    expect(res.statusCode).toBe(200);
    const d = res.json() as OpportunityDetailType;
    expect(d.evidence.items[0]).toMatchObject({ metric: 'prs_merged', value: 1, baseline: 6 });
    expect(d.subjectStyle).toMatchObject({
      dominant: 'autonomy',
      communication: { channel: 'written', timing: 'async' },
    });
    expect(d.guide.style).toBe('autonomy');
    expect(d.guide.delivery.join(' ')).toMatch(/in writing/);
    expect(d.conversation).toMatchObject({
      kind: 'one_on_one',
      withPersonIds: [f.people.target.id],
      prompt: { kind: 'coaching_opportunity', id: aboutTarget },
    });
    const team = (
      await call(server.app, agents.manager!, 'GET', `/api/v1/coaching/opportunities/${aboutTeam}`)
    ).json() as OpportunityDetailType;
    expect(team.subjectStyle).toBeNull();
    expect(team.guide.style).toBe('neutral');
    expect(team.conversation).toMatchObject({ kind: 'debrief', teamId: f.teams.platform.id });
  });

  const matrix: [string, number][] = [
    ['manager', 200],
    ['self', 403],
    ['skipLevel', 403],
    ['ceo', 403],
    ['peer', 403],
    ['formerManager', 403],
    ['hrIn', 403],
    ['hrOut', 403],
    ['admin', 403],
    ['executive', 403],
    ['anonymous', 401],
  ];

  it.each(matrix)('access matrix: %s reading an opportunity about a report → %i', async (who, status) => {
    const agent = who === 'anonymous' ? anonymous : agents[who]!;
    const read = await call(server.app, agent, 'GET', `/api/v1/coaching/opportunities/${aboutTarget}`);
    expect(read.statusCode).toBe(status);
    const team = await call(server.app, agent, 'GET', `/api/v1/coaching/opportunities/${aboutTeam}`);
    expect(team.statusCode).toBe(status);
    if (who !== 'manager') {
      const act = await call(
        server.app,
        agent,
        'POST',
        `/api/v1/coaching/opportunities/${aboutTarget}/feedback`,
        { useful: false },
      );
      expect(act.statusCode).toBe(status);
    }
  });

  it('audits every refusal and every allowed read', async () => {
    const rows = await server.ctx.db
      .selectFrom('audit_log')
      .select(['actor_label', 'decision', 'data_class', 'action'])
      .where('resource_type', '=', 'coaching_opportunity')
      .where('resource_id', '=', aboutTarget)
      .execute();
    const denied = new Set(rows.filter((r) => r.decision === 'deny').map((r) => r.actor_label));
    for (const who of ['self', 'skipLevel', 'peer', 'hrIn', 'admin', 'executive'] as const)
      expect(denied.has(f.accounts[who].email), who).toBe(true);
    expect(rows.some((r) => r.decision === 'allow' && r.actor_label === f.accounts.manager.email)).toBe(true);
    expect(rows.every((r) => r.data_class === 'development')).toBe(true);
  });

  it('refuses the recipient once they no longer manage the subject', async () => {
    const res = await call(
      server.app,
      agents.formerManager!,
      'GET',
      `/api/v1/coaching/opportunities/${formerManagers}`,
    );
    expect(res.statusCode).toBe(403);
  });

  it('acts, snoozes, dismisses and records usefulness; bad input names the field', async () => {
    const post = (id: string, action: string, body: unknown) =>
      call(server.app, agents.manager!, 'POST', `/api/v1/coaching/opportunities/${id}/${action}`, body);
    const acted = await post(aboutTarget, 'act', { note: 'Talked on Tuesday; pairing with Pat.' });
    expect(acted.statusCode).toBe(200);
    expect(acted.json()).toMatchObject({
      status: 'acted',
      actedNote: 'Talked on Tuesday; pairing with Pat.',
    });
    const useful = (await post(aboutTarget, 'feedback', { useful: true })).json() as OpportunitySummaryType;
    expect(useful.useful).toBe(true);

    const past = await post(aboutTeam, 'snooze', { until: '2020-01-01' });
    expect(past.statusCode).toBe(400);
    expect(JSON.stringify(past.json())).toContain('/body/until');
    const notADate = await post(aboutTeam, 'snooze', { until: 'next week' });
    expect(notADate.statusCode).toBe(400);
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect((await post(aboutTeam, 'snooze', { until })).json()).toMatchObject({
      status: 'snoozed',
      snoozedUntil: until,
    });
    const snoozed = (
      await call(server.app, agents.manager!, 'GET', '/api/v1/coaching/opportunities?status=snoozed')
    ).json() as OpportunityListType;
    expect(snoozed.items.map((i) => i.id)).toEqual([aboutTeam]);
    // Its day comes: it is open again.
    await server.ctx.db
      .updateTable('coaching_opportunity')
      .set({ snoozed_until: '2026-01-01' })
      .where('id', '=', aboutTeam)
      .execute();
    const open = (
      await call(server.app, agents.manager!, 'GET', '/api/v1/coaching/opportunities')
    ).json() as OpportunityListType;
    expect(open.items.map((i) => i.id)).toContain(aboutTeam);

    const dismissed = await post(aboutTeam, 'dismiss', { reason: 'Known: the CI outage.' });
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', dismissReason: 'Known: the CI outage.' });
    expect((await post(aboutTeam, 'dismiss', { reason: 'x'.repeat(501) })).statusCode).toBe(400);
    expect((await post(aboutTeam, 'feedback', { useful: 'yes' })).statusCode).toBe(400);
    expect((await post(aboutTeam, 'act', { extra: 1 })).statusCode).toBe(400);
    const missing = await post('00000000-0000-4000-8000-000000000000', 'act', {});
    expect(missing.statusCode).toBe(404);

    const all = (
      await call(server.app, agents.manager!, 'GET', '/api/v1/coaching/opportunities?status=all')
    ).json() as OpportunityListType;
    expect(all.counts).toMatchObject({ open: 1, acted: 1, dismissed: 1, snoozed: 0 });
  });

  it('getOpportunityForViewer gives another module exactly what the viewer may see', async () => {
    const actorOf = (who: 'manager' | 'hrIn'): Actor => ({
      kind: 'account',
      accountId: f.accounts[who].id,
      personId: who === 'manager' ? f.people.manager.id : f.people.hrPerson.id,
      email: f.accounts[who].email,
      roles: who === 'hrIn' ? ['hr'] : [],
      isDemo: false,
      via: 'system',
    });
    const d = await getOpportunityForViewer(server.ctx.db, actorOf('manager'), aboutTarget);
    expect(d.id).toBe(aboutTarget);
    await expect(getOpportunityForViewer(server.ctx.db, actorOf('hrIn'), aboutTarget)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
