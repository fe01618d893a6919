import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildAccessFixture, type AccessFixture } from '../../test/access-fixture.js';
import { call, getTestServer, signIn, type Agent, type TestServer } from '../../test/test-server.js';
import { startFakeChatEndpoint, type FakeChatEndpoint } from './ai.fake-endpoint.js';
import type { AiDraftType, AiSettingsType, DraftResultType } from './ai.schema.js';

/*
 * AI drafting through the API, against a local server speaking the chat-completions format. The
 * fixture plants what must never reach a prompt: the manager's own private note and the report's
 * private note about the same person, a shared note, and an opportunity about someone else addressed
 * to another manager.
 */

const KEY = 'sk-live-SECRET-key-7f3a';
const MANAGER_PRIVATE = 'MANAGER-PRIVATE: worried she might leave';
const TARGET_PRIVATE = 'TARGET-PRIVATE: thinking about another team';
const SHARED = 'SHARED-NOTE: pairing on the release plan';
const OTHER_PERSON = 'OTHER-PERSON-OPPORTUNITY: Pat needs support';

describe('AI drafting API', () => {
  let server: TestServer;
  let f: AccessFixture;
  let fake: FakeChatEndpoint;
  const agents: Record<string, Agent> = {};
  let opportunityId: string;
  let otherOpportunityId: string;

  async function addOpportunity(recipient: string, subject: string, title: string, reason: string) {
    const row = await server.ctx.db
      .insertInto('coaching_opportunity')
      .values({
        recipient_person_id: recipient,
        subject_type: 'person',
        subject_person_id: subject,
        subject_team_id: null,
        trigger: 'sustained_strength',
        polarity: 'growth',
        priority: 'medium',
        framework: 'strengths',
        title,
        reason,
        evidence: JSON.stringify({
          summary: `${reason} (evidence)`,
          items: [
            {
              kind: 'signal',
              label: 'Reviews given per week',
              metric: 'reviews_given',
              value: 12,
              baseline: 5,
              unit: 'reviews',
              from: '2026-10-26',
              to: '2026-11-22',
              link: `/dashboard/people/${subject}`,
              explainLink: null,
              sourceIds: [],
            },
          ],
        }),
        facts: JSON.stringify({ metric: 'reviews given', weeks: 4, ratio: 2.4 }),
        period: '2026-W47',
        dedupe_key: `sustained_strength|${subject}|2026-W47`,
        scan_week: '2026-11-23',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  beforeAll(async () => {
    server = await getTestServer({ loginRateLimitPerMinute: 1000 });
    f = await buildAccessFixture(server.ctx.db);
    fake = await startFakeChatEndpoint();
    for (const [name, account] of Object.entries(f.accounts))
      agents[name] = await signIn(server.app, account.email);

    opportunityId = await addOpportunity(
      f.people.manager.id,
      f.people.target.id,
      'Coach Tess from excellent to exceptional',
      'Reviews given are well above her own baseline for four weeks.',
    );
    otherOpportunityId = await addOpportunity(
      f.people.formerManager.id,
      f.people.peer.id,
      OTHER_PERSON,
      OTHER_PERSON,
    );

    // A 1:1 between the manager and the target, with private notes on both sides and a shared one.
    const conversation = await call(server.app, agents.manager!, 'POST', '/api/v1/conversations', {
      kind: 'one_on_one',
      withPersonIds: [f.people.target.id],
      scheduledAt: '2026-11-20T09:00:00.000Z',
      durationMinutes: 30,
    });
    expect(conversation.statusCode).toBe(201);
    const cid = (conversation.json() as { id: string }).id;
    for (const [agent, visibility, body] of [
      [agents.manager!, 'private', MANAGER_PRIVATE],
      [agents.self!, 'private', TARGET_PRIVATE],
      [agents.manager!, 'shared', SHARED],
    ] as const) {
      const res = await call(server.app, agent, 'POST', `/api/v1/conversations/${cid}/notes`, {
        visibility,
        body,
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    await fake.close();
    await server.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.behaviour = 'ok';
  });

  const configure = (agent: Agent, body: Record<string, unknown>) =>
    call(server.app, agent, 'PUT', '/api/v1/coaching/ai-settings', body);
  const turnOn = async (timeoutSeconds = 5) => {
    const res = await configure(agents.admin!, {
      enabled: true,
      baseUrl: fake.baseUrl,
      model: 'cairn-test-model',
      apiKey: KEY,
      timeoutSeconds,
    });
    expect(res.statusCode).toBe(200);
  };

  it('is off by default: no “Draft with AI”, and a draft request answers the built-in guide with a notice', async () => {
    const status = await call(server.app, agents.manager!, 'GET', '/api/v1/coaching/ai-status');
    expect(status.json()).toEqual({ configured: false, model: null });
    const res = await call(
      server.app,
      agents.manager!,
      'POST',
      `/api/v1/coaching/opportunities/${opportunityId}/draft`,
      {
        kind: 'guide',
      },
    );
    expect(res.statusCode).toBe(200);
    const body = res.json() as DraftResultType;
    expect(body).toMatchObject({ degraded: true, draft: null });
    expect(body.notice).toMatch(/not configured/);
    expect(body.fallback).toMatch(/Opening: /);
    expect(fake.requests).toHaveLength(0);
  });

  it('lets only administrators read and change the settings, and never returns the key', async () => {
    for (const name of ['manager', 'hrIn', 'executive', 'self']) {
      expect((await call(server.app, agents[name]!, 'GET', '/api/v1/coaching/ai-settings')).statusCode).toBe(
        403,
      );
      const put = await configure(agents[name]!, {
        enabled: true,
        baseUrl: fake.baseUrl,
        model: 'x',
        apiKey: 'stolen',
      });
      expect(put.statusCode).toBe(403);
      const test = await call(server.app, agents[name]!, 'POST', '/api/v1/coaching/ai-settings/test', {});
      expect(test.statusCode).toBe(403);
    }
    const put = await configure(agents.admin!, {
      enabled: true,
      baseUrl: fake.baseUrl,
      model: 'cairn-test-model',
      apiKey: KEY,
      timeoutSeconds: 5,
    });
    expect(put.statusCode).toBe(200);
    expect(put.body).not.toContain(KEY);
    expect((put.json() as AiSettingsType).apiKey).toEqual({ set: true, last4: '7f3a' });
    const get = await call(server.app, agents.admin!, 'GET', '/api/v1/coaching/ai-settings');
    expect(get.body).not.toContain(KEY);
    expect(get.json()).toMatchObject({ enabled: true, configured: true, model: 'cairn-test-model' });
    // Saving without a key keeps it.
    await configure(agents.admin!, {
      enabled: true,
      baseUrl: fake.baseUrl,
      model: 'cairn-test-model',
      timeoutSeconds: 5,
    });
    expect(
      (
        (
          await call(server.app, agents.admin!, 'GET', '/api/v1/coaching/ai-settings')
        ).json() as AiSettingsType
      ).apiKey.set,
    ).toBe(true);

    const test = await call(server.app, agents.admin!, 'POST', '/api/v1/coaching/ai-settings/test', {});
    expect(test.json()).toMatchObject({ ok: true, model: 'cairn-test-model', error: null });
    expect(test.body).not.toContain(KEY);

    const bad = await configure(agents.admin!, { enabled: true, baseUrl: 'file:///etc/passwd', model: 'm' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { details: [{ path: '/body/baseUrl' }] } });
    const missing = await configure(agents.admin!, { enabled: true, baseUrl: null, model: null });
    expect(missing.statusCode).toBe(400);

    const status = await call(server.app, agents.manager!, 'GET', '/api/v1/coaching/ai-status');
    expect(status.json()).toEqual({ configured: true, model: 'cairn-test-model' });
  });

  it('builds the prompt only from what the viewer may see, sends the real request, and stores the draft with its inputs', async () => {
    await turnOn();
    const res = await call(
      server.app,
      agents.manager!,
      'POST',
      `/api/v1/coaching/opportunities/${opportunityId}/draft`,
      {
        kind: 'guide',
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as DraftResultType;
    expect(body.degraded).toBe(false);
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.body.model).toBe('cairn-test-model');
    expect(req.body.messages!.map((m) => m.role)).toEqual(['system', 'user']);
    expect(req.body.messages![0]!.content).toMatch(/emotions, mood, sentiment/);

    // What the viewer sees is there …
    expect(req.raw).toContain('Coach Tess from excellent to exceptional');
    expect(req.raw).toContain('Reviews given per week');
    // … and nothing else: no notes of any kind, no one else's opportunity, no identifiers.
    for (const planted of [MANAGER_PRIVATE, TARGET_PRIVATE, SHARED, OTHER_PERSON, 'Pat Peer']) {
      expect(req.raw).not.toContain(planted);
    }
    expect(req.raw).not.toContain(f.people.target.id);
    expect(req.raw).not.toContain(KEY);

    const draft = body.draft!;
    expect(draft).toMatchObject({ status: 'draft', model: 'cairn-test-model', output: fake.reply });
    expect(draft.label).toMatch(/AI draft/);
    expect(draft.messages).toEqual(req.body.messages);
    const stored = await call(server.app, agents.manager!, 'GET', `/api/v1/coaching/drafts/${draft.id}`);
    expect((stored.json() as AiDraftType).messages).toEqual(req.body.messages);
    const list = await call(
      server.app,
      agents.manager!,
      'GET',
      `/api/v1/coaching/opportunities/${opportunityId}/drafts`,
    );
    expect((list.json() as { items: AiDraftType[] }).items.map((d) => d.id)).toContain(draft.id);

    // Only its author may read, accept or discard it; to anyone else it does not exist.
    for (const name of ['admin', 'skipLevel', 'self', 'hrIn']) {
      expect(
        (await call(server.app, agents[name]!, 'GET', `/api/v1/coaching/drafts/${draft.id}`)).statusCode,
      ).toBe(404);
      expect(
        (await call(server.app, agents[name]!, 'POST', `/api/v1/coaching/drafts/${draft.id}/accept`))
          .statusCode,
      ).toBe(404);
    }
    const accepted = await call(
      server.app,
      agents.manager!,
      'POST',
      `/api/v1/coaching/drafts/${draft.id}/accept`,
    );
    expect(accepted.statusCode).toBe(200);
    expect((accepted.json() as AiDraftType).status).toBe('accepted');
    const discard = await call(
      server.app,
      agents.manager!,
      'POST',
      `/api/v1/coaching/drafts/${draft.id}/discard`,
    );
    expect(discard.statusCode).toBe(409);
  });

  it('refuses a draft about an opportunity the viewer may not read, before any prompt is sent', async () => {
    await turnOn();
    for (const name of ['manager', 'admin', 'hrIn', 'self']) {
      const res = await call(
        server.app,
        agents[name]!,
        'POST',
        `/api/v1/coaching/opportunities/${otherOpportunityId}/draft`,
        {
          kind: 'evidence_summary',
        },
      );
      expect([403, 404]).toContain(res.statusCode);
    }
    expect(fake.requests).toHaveLength(0);
  });

  for (const behaviour of ['error500', 'garbage', 'slow'] as const) {
    it(`degrades to the built-in text with a visible notice when the endpoint fails (${behaviour})`, async () => {
      await turnOn(behaviour === 'slow' ? 1 : 5);
      fake.behaviour = behaviour;
      const res = await call(
        server.app,
        agents.manager!,
        'POST',
        `/api/v1/coaching/opportunities/${opportunityId}/draft`,
        {
          kind: 'evidence_summary',
        },
      );
      expect(res.statusCode).toBe(200);
      const body = res.json() as DraftResultType;
      expect(body.degraded).toBe(true);
      expect(body.draft).toBeNull();
      expect(body.notice).toMatch(
        behaviour === 'slow' ? /did not answer within 1 s/ : behaviour === 'garbage' ? /not JSON/ : /500/,
      );
      expect(body.fallback).toContain('Reviews given per week: 12 reviews (baseline 5 reviews)');
    });
  }

  it('validates the draft kind', async () => {
    const res = await call(
      server.app,
      agents.manager!,
      'POST',
      `/api/v1/coaching/opportunities/${opportunityId}/draft`,
      {
        kind: 'sentiment',
      },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });
});
