import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, getTestServer, signIn, type Agent, type TestServer } from '../../test/test-server.js';
import type { ConversationDetailType } from './conversations.schema.js';
import { createConversation, getConversation, listMyActions } from './conversations.service.js';
import { addAction, updateConversation } from './conversations.edits.js';
import { buildConversationFixture } from './conversations.test-fixture.js';

type Fixture = Awaited<ReturnType<typeof buildConversationFixture>>;

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const dateOnly = (ms: number) => iso(ms).slice(0, 10);

describe('coaching conversations through the API', { timeout: 120_000 }, () => {
  let server: TestServer;
  let f: Fixture;
  const agents: Record<string, Agent> = {};

  beforeAll(async () => {
    server = await getTestServer({ loginRateLimitPerMinute: 1000 });
    f = await buildConversationFixture(server.ctx.db);
    for (const [name, account] of Object.entries(f.accounts))
      agents[name] = await signIn(server.app, account.email);
  }, 240_000);
  afterAll(async () => server?.close());

  async function schedule(agent: string, body: Record<string, unknown>) {
    const res = await call(server.app, agents[agent]!, 'POST', '/api/v1/conversations', body);
    return {
      status: res.statusCode,
      body: res.json() as ConversationDetailType & { error?: { details?: { path: string }[] } },
    };
  }

  it('schedules all five kinds with the right roles', async () => {
    const at = iso(Date.now() + 2 * DAY);
    const oneOnOne = await schedule('manager', {
      kind: 'one_on_one',
      withPersonIds: [f.people.target.id],
      scheduledAt: at,
      durationMinutes: 30,
    });
    expect(oneOnOne.status).toBe(201);
    expect(oneOnOne.body.participants.map((p) => [p.name, p.role]).sort()).toEqual([
      ['Max Manager', 'manager'],
      ['Tess Target', 'report'],
    ]);
    // The report may schedule a 1:1 with their manager too.
    const fromReport = await schedule('self', {
      kind: 'one_on_one',
      withPersonIds: [f.people.manager.id],
      scheduledAt: at,
      durationMinutes: 30,
    });
    expect(fromReport.status).toBe(201);
    expect(fromReport.body.myRole).toBe('report');

    const upward = await schedule('self', {
      kind: 'upward',
      withPersonIds: [f.people.manager.id],
      scheduledAt: at,
      durationMinutes: 45,
    });
    expect(upward.status).toBe(201);
    expect(upward.body.participants.find((p) => p.role === 'coach')?.name).toBe('Tess Target');
    expect(upward.body.participants.find((p) => p.role === 'coachee')?.name).toBe('Max Manager');

    const peer = await schedule('peer', {
      kind: 'peer',
      withPersonIds: [f.people.target.id],
      scheduledAt: at,
      durationMinutes: 30,
    });
    expect(peer.status).toBe(201);
    expect(peer.body.myRole).toBe('coach');

    const external = await schedule('self', {
      kind: 'external',
      withPersonIds: [f.people.externalCoach.id],
      scheduledAt: at,
      durationMinutes: 60,
    });
    expect(external.status).toBe(201);
    expect(external.body.participants.find((p) => p.role === 'coach')?.name).toBe('Xena External');

    const debrief = await schedule('manager', {
      kind: 'debrief',
      teamId: f.teams.platform.id,
      project: 'Billing migration',
      scheduledAt: at,
      durationMinutes: 60,
      prompt: { kind: 'work_event', id: 'JIRA-123' },
    });
    expect(debrief.status).toBe(201);
    expect(debrief.body.title).toBe('Debrief: Billing migration');
    expect(debrief.body.prompt).toEqual({ kind: 'work_event', id: 'JIRA-123' });
    expect(
      debrief.body.participants
        .filter((p) => p.role === 'member')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Pat Peer', 'Tess Target', 'Uma Unrelated']);
  });

  it('refuses conversations that do not fit the organisation, naming the field', async () => {
    const at = iso(Date.now() + DAY);
    const notMyReport = await schedule('peer', {
      kind: 'one_on_one',
      withPersonIds: [f.people.target.id],
      scheduledAt: at,
      durationMinutes: 30,
    });
    expect(notMyReport.status).toBe(400);
    expect(notMyReport.body.error?.details?.[0]?.path).toBe('/body/withPersonIds/0');
    const noEngagement = await schedule('peer', {
      kind: 'external',
      withPersonIds: [f.people.externalCoach.id],
      scheduledAt: at,
      durationMinutes: 30,
    });
    expect(noEngagement.status).toBe(400);
    const noProject = await schedule('manager', {
      kind: 'debrief',
      teamId: f.teams.platform.id,
      scheduledAt: at,
      durationMinutes: 30,
    });
    expect(noProject.body.error?.details?.[0]?.path).toBe('/body/project');
    const badDuration = await schedule('manager', {
      kind: 'one_on_one',
      withPersonIds: [f.people.target.id],
      scheduledAt: at,
      durationMinutes: 0,
    });
    expect(badDuration.status).toBe(400);
    const badPrompt = await schedule('manager', {
      kind: 'one_on_one',
      withPersonIds: [f.people.target.id],
      scheduledAt: at,
      durationMinutes: 30,
      prompt: { kind: 'Bad Kind!', id: 'x' },
    });
    expect(badPrompt.status).toBe(400);
    const noAccountPerson = await call(server.app, agents.admin!, 'POST', '/api/v1/conversations', {
      kind: 'one_on_one',
      withPersonIds: [f.people.target.id],
      scheduledAt: at,
      durationMinutes: 30,
    });
    expect(noAccountPerson.statusCode).toBe(400);
  });

  it('runs a recurring 1:1 series with a running agenda both sides add to', async () => {
    const start = Date.now() + 3 * DAY;
    const first = await schedule('manager', {
      kind: 'one_on_one',
      withPersonIds: [f.people.peer.id],
      scheduledAt: iso(start),
      durationMinutes: 30,
      cadenceDays: 7,
      occurrences: 3,
      agenda: ['Quarter priorities'],
    });
    expect(first.status).toBe(201);
    expect(first.body.series?.cadenceDays).toBe(7);
    const list = await call(
      server.app,
      agents.peer!,
      'GET',
      `/api/v1/me/conversations?with=${f.people.manager.id}&kind=one_on_one`,
    );
    const items = (list.json() as { items: { seriesId: string | null; scheduledAt: string }[] }).items.filter(
      (i) => i.seriesId === first.body.seriesId,
    );
    expect(items.map((i) => i.scheduledAt)).toEqual([
      iso(start),
      iso(start + 7 * DAY),
      iso(start + 14 * DAY),
    ]);

    // The report adds to the same agenda; the manager ticks one item and reorders.
    const added = await call(
      server.app,
      agents.peer!,
      'POST',
      `/api/v1/conversations/${first.body.id}/agenda`,
      { text: 'My conference talk' },
    );
    expect(added.statusCode).toBe(201);
    const agenda = (added.json() as ConversationDetailType).agenda;
    expect(agenda.map((a) => [a.text, a.addedByName])).toEqual([
      ['Quarter priorities', 'Max Manager'],
      ['My conference talk', 'Pat Peer'],
    ]);
    const reordered = await call(
      server.app,
      agents.manager!,
      'PUT',
      `/api/v1/conversations/${first.body.id}/agenda/order`,
      {
        itemIds: [agenda[1]!.id, agenda[0]!.id],
      },
    );
    expect((reordered.json() as ConversationDetailType).agenda.map((a) => a.text)).toEqual([
      'My conference talk',
      'Quarter priorities',
    ]);
    const partial = await call(
      server.app,
      agents.manager!,
      'PUT',
      `/api/v1/conversations/${first.body.id}/agenda/order`,
      { itemIds: [agenda[1]!.id] },
    );
    expect(partial.statusCode).toBe(400);
    await call(
      server.app,
      agents.manager!,
      'PATCH',
      `/api/v1/conversations/${first.body.id}/agenda/${agenda[0]!.id}`,
      { done: true },
    );

    // Holding the meeting carries the unticked item into the next one of the series.
    await call(server.app, agents.manager!, 'PATCH', `/api/v1/conversations/${first.body.id}`, {
      status: 'completed',
    });
    const nextId = first.body.series!.nextConversationId!;
    const next = (
      await call(server.app, agents.peer!, 'GET', `/api/v1/conversations/${nextId}`)
    ).json() as ConversationDetailType;
    expect(next.agenda.map((a) => a.text)).toEqual(['My conference talk']);
    expect(next.agenda[0]!.carriedFrom?.kind).toBe('agenda');

    const more = await call(server.app, agents.peer!, 'POST', `/api/v1/conversations/${first.body.id}/next`);
    expect(more.statusCode).toBe(201);
    expect((more.json() as ConversationDetailType).scheduledAt).toBe(iso(start + 21 * DAY));
  });

  it('carries overdue follow-ups into the next conversation of the pair and shows them to both people', async () => {
    const db = server.ctx.db;
    const now = new Date();
    const pastId = await createConversation(
      db,
      f.people.manager.id,
      {
        kind: 'one_on_one',
        withPersonIds: [f.people.teammate.id],
        scheduledAt: iso(now.getTime() - 14 * DAY),
        durationMinutes: 30,
      },
      now,
    );
    await addAction(db, pastId, f.people.manager.id, {
      text: 'Send the promotion packet draft',
      ownerId: f.people.teammate.id,
      dueDate: dateOnly(now.getTime() - 2 * DAY),
    });
    await addAction(db, pastId, f.people.manager.id, {
      text: 'Book the design review',
      ownerId: f.people.manager.id,
      dueDate: dateOnly(now.getTime() + 5 * DAY),
    });
    await updateConversation(db, pastId, { status: 'completed' }, now);

    const next = await schedule('unrelatedPeer', {
      kind: 'one_on_one',
      withPersonIds: [f.people.manager.id],
      scheduledAt: iso(now.getTime() + DAY),
      durationMinutes: 30,
    });
    expect(next.status).toBe(201);
    const carried = next.body.agenda.filter((a) => a.carriedFrom?.kind === 'action');
    expect(carried.map((a) => a.text)).toEqual([expect.stringContaining('Send the promotion packet draft')]);

    for (const who of ['manager', 'unrelatedPeer']) {
      const res = await call(
        server.app,
        agents[who]!,
        'GET',
        '/api/v1/me/conversations/actions?status=overdue',
      );
      const texts = (res.json() as { items: { text: string; overdue: boolean }[] }).items.map((i) => i.text);
      expect(texts).toContain('Send the promotion packet draft');
      expect(texts).not.toContain('Book the design review');
    }

    // An action that falls overdue later reaches the already-scheduled next meeting when it is opened.
    const later = new Date(now.getTime() + 7 * DAY);
    const detail = await getConversation(db, f.people.manager.id, next.body.id, later);
    expect(detail.agenda.filter((a) => a.carriedFrom?.kind === 'action').map((a) => a.text)).toEqual([
      expect.stringContaining('Send the promotion packet draft'),
      expect.stringContaining('Book the design review'),
    ]);
    // Reading again does not duplicate; marking the action done ticks the carried item.
    const again = await getConversation(db, f.people.manager.id, next.body.id, later);
    expect(again.agenda.filter((a) => a.carriedFrom?.kind === 'action')).toHaveLength(2);
    const action =
      again.actions.length === 0
        ? (await listMyActions(db, f.people.manager.id, 'open', now)).items.find(
            (a) => a.text === 'Book the design review',
          )!
        : undefined;
    await call(
      server.app,
      agents.manager!,
      'PATCH',
      `/api/v1/conversations/${pastId}/actions/${action!.id}`,
      { done: true },
    );
    const ticked = (
      await call(server.app, agents.manager!, 'GET', `/api/v1/conversations/${next.body.id}`)
    ).json() as ConversationDetailType;
    expect(ticked.agenda.find((a) => a.carriedFrom?.id === action!.id)?.done).toBe(true);
  });

  it('tags topics from shared text only, and lets participants edit them', async () => {
    const c = await schedule('manager', {
      kind: 'one_on_one',
      withPersonIds: [f.people.target.id],
      scheduledAt: iso(Date.now() + 4 * DAY),
      durationMinutes: 30,
    });
    const priv = await call(server.app, agents.manager!, 'POST', `/api/v1/conversations/${c.body.id}/notes`, {
      visibility: 'private',
      body: 'I worry she has a job offer from a recruiter and might quit; retention risk for her career.',
    });
    expect((priv.json() as ConversationDetailType).topics).not.toContain('retention_career');
    const shared = await call(
      server.app,
      agents.manager!,
      'POST',
      `/api/v1/conversations/${c.body.id}/notes`,
      {
        visibility: 'shared',
        body: 'The incident postmortem showed our on-call runbook is out of date; automate the deployment checks.',
      },
    );
    expect((shared.json() as ConversationDetailType).topics).toContain('operational_excellence');
    const edited = await call(server.app, agents.self!, 'PUT', `/api/v1/conversations/${c.body.id}/topics`, {
      topics: ['innovation', 'Mentoring circle'],
    });
    const body = edited.json() as ConversationDetailType;
    expect(body.topics).toEqual(['innovation', 'mentoring_circle']);
    expect(body.topicsEdited).toBe(true);
    // Automatic tagging leaves an edited list alone.
    const after = await call(
      server.app,
      agents.manager!,
      'POST',
      `/api/v1/conversations/${c.body.id}/agenda`,
      { text: 'Revenue pipeline and quota for the quarter' },
    );
    expect((after.json() as ConversationDetailType).topics).toEqual(['innovation', 'mentoring_circle']);
  });

  it('lets only the employee rate, once, after the conversation; the manager sees an aggregate above the threshold', async () => {
    const db = server.ctx.db;
    const future = await schedule('manager', {
      kind: 'one_on_one',
      withPersonIds: [f.people.target.id],
      scheduledAt: iso(Date.now() + 5 * DAY),
      durationMinutes: 30,
    });
    const early = await call(
      server.app,
      agents.self!,
      'POST',
      `/api/v1/conversations/${future.body.id}/rating`,
      { score: 4 },
    );
    expect(early.statusCode).toBe(400);

    const reports = [
      { agent: 'self', person: f.people.target.id, score: 5, comment: 'Clear next steps' },
      { agent: 'peer', person: f.people.peer.id, score: 2, comment: 'Felt rushed' },
      { agent: 'unrelatedPeer', person: f.people.teammate.id, score: 5, comment: null },
    ];
    const held: string[] = [];
    for (const r of reports) {
      const id = await createConversation(db, f.people.manager.id, {
        kind: 'one_on_one',
        withPersonIds: [r.person],
        scheduledAt: iso(Date.now() - 30 * DAY - held.length * 1000),
        durationMinutes: 30,
      });
      held.push(id);
    }
    const managerRates = await call(
      server.app,
      agents.manager!,
      'POST',
      `/api/v1/conversations/${held[0]}/rating`,
      { score: 5 },
    );
    expect(managerRates.statusCode).toBe(403);

    const helpfulness = async () =>
      (await call(server.app, agents.manager!, 'GET', '/api/v1/me/conversations/helpfulness')).json() as {
        visible: boolean;
        mean: number | null;
        count: number;
        comments: string[];
      };
    for (const [i, r] of reports.entries()) {
      const res = await call(
        server.app,
        agents[r.agent]!,
        'POST',
        `/api/v1/conversations/${held[i]}/rating`,
        { score: r.score, comment: r.comment },
      );
      expect(res.statusCode).toBe(201);
      if (i < 2)
        expect(await helpfulness()).toMatchObject({ visible: false, mean: null, count: 0, comments: [] });
    }
    expect(await helpfulness()).toEqual({
      threshold: 3,
      visible: true,
      count: 3,
      mean: 4,
      comments: ['Clear next steps', 'Felt rushed'],
    });
    const twice = await call(server.app, agents.self!, 'POST', `/api/v1/conversations/${held[0]}/rating`, {
      score: 1,
    });
    expect(twice.statusCode).toBe(409);
    const outOfRange = await call(
      server.app,
      agents.peer!,
      'POST',
      `/api/v1/conversations/${held[1]}/rating`,
      { score: 6 },
    );
    expect(outOfRange.statusCode).toBe(400);

    // The employee sees their own rating; the manager's view of the conversation carries none.
    const mine = (
      await call(server.app, agents.self!, 'GET', `/api/v1/conversations/${held[0]}`)
    ).json() as ConversationDetailType;
    expect(mine.myRating).toEqual({ score: 5, comment: 'Clear next steps' });
    const managers = await call(server.app, agents.manager!, 'GET', `/api/v1/conversations/${held[0]}`);
    expect((managers.json() as ConversationDetailType).myRating).toBeNull();
    expect(managers.body).not.toContain('Clear next steps');
  });
});
