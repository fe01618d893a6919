import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../access/access.types.js';
import { buildAccount, buildPerson } from '../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { AiEndpointError, baseUrlProblem, chatCompletion } from './ai.client.js';
import { startFakeChatEndpoint, type FakeChatEndpoint } from './ai.fake-endpoint.js';
import {
  buildMessages,
  createDraft,
  decideDraft,
  getAiSettings,
  promptData,
  saveAiSettings,
  SYSTEM_PROMPT,
  testAiConnection,
  type OpportunityLoader,
} from './ai.service.js';
import type { OpportunityDetailType } from './opportunities.schema.js';

const OPP_ID = '00000000-0000-4000-8000-000000000001';
const PERSON_ID = '00000000-0000-4000-8000-000000000002';

function opportunity(): OpportunityDetailType {
  return {
    id: OPP_ID,
    trigger: 'sustained_strength',
    triggerLabel: 'Sustained strength',
    polarity: 'growth',
    priority: 'medium',
    framework: 'strengths',
    title: 'Review work well above baseline for 4 weeks',
    reason: 'Reviews given are 2.1× her own baseline for four weeks in a row.',
    subject: { type: 'person', id: PERSON_ID, name: 'Tess Target' },
    status: 'open',
    snoozedUntil: null,
    actedAt: null,
    actedNote: null,
    dismissReason: null,
    useful: null,
    period: '2026-W47',
    createdAt: '2026-11-20T08:00:00.000Z',
    evidence: {
      summary: 'Reviews given well above baseline.',
      items: [
        {
          kind: 'signal',
          label: 'Reviews given per week',
          metric: 'reviews_given',
          value: 13,
          baseline: 6,
          unit: 'reviews',
          from: '2026-10-26',
          to: '2026-11-22',
          link: `/dashboard/people/${PERSON_ID}`,
          explainLink: `/api/v1/signals/people/${PERSON_ID}/explain?metric=reviews_given`,
          sourceIds: ['flag-1'],
        },
      ],
    },
    guide: {
      framework: 'strengths',
      frameworkSteps: [
        { step: 'Notice', prompt: 'Name the strength' },
        { step: 'Grow', prompt: 'Where next' },
      ],
      style: 'autonomy',
      styleSummary: 'High autonomy: lead with outcomes and leave the how to her.',
      opening: 'Your reviews carried the release.',
      talkingPoints: ['What made the reviews effective'],
      questions: ['Where would you like to take this?'],
      avoid: ['Prescribing the how'],
      delivery: ['Written summary first'],
    },
    subjectStyle: null,
    conversation: {
      kind: 'one_on_one',
      withPersonIds: [PERSON_ID],
      teamId: null,
      title: 'Strengths 1:1',
      prompt: { kind: 'coaching_opportunity', id: OPP_ID },
      agenda: ['Reviews'],
    },
  };
}

describe('AI drafting service', () => {
  let t: TestDatabase;
  let fake: FakeChatEndpoint;
  let actor: Actor;
  let loads = 0;
  const load: OpportunityLoader = async () => {
    loads++;
    return opportunity();
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    fake = await startFakeChatEndpoint();
    const person = await buildPerson(t.database.db);
    const account = await buildAccount(t.database.db, { personId: person.id });
    actor = {
      kind: 'account',
      accountId: account.id,
      personId: person.id,
      email: account.email,
      roles: [],
      isDemo: false,
      via: 'session',
    };
  });
  afterAll(async () => {
    await fake.close();
    await t.destroy();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.behaviour = 'ok';
  });

  it('is off by default and then answers with the built-in guide and a notice, without calling anything', async () => {
    const settings = await getAiSettings(t.database.db);
    expect(settings).toMatchObject({
      enabled: false,
      configured: false,
      apiKey: { set: false, last4: null },
    });
    const result = await createDraft(t.database.db, actor, OPP_ID, 'guide', load);
    expect(result.degraded).toBe(true);
    expect(result.draft).toBeNull();
    expect(result.notice).toMatch(/not configured/);
    expect(result.fallback).toContain('Opening: Your reviews carried the release.');
    expect(result.fallback).toContain('Tailored to Tess Target: High autonomy');
    const evidence = await createDraft(t.database.db, actor, OPP_ID, 'evidence_summary', load);
    expect(evidence.fallback).toContain(
      '- Reviews given per week: 13 reviews (baseline 6 reviews), 2026-10-26 – 2026-11-22',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses to turn on without a base URL and a model, and rejects unsafe base URLs', async () => {
    const db = t.database.db;
    await expect(
      saveAiSettings(db, { enabled: true, baseUrl: null, model: null }, null),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: [
        { path: '/body/baseUrl', message: 'is required to turn AI drafting on' },
        { path: '/body/model', message: 'is required to turn AI drafting on' },
      ],
    });
    expect(baseUrlProblem('ftp://x')).toMatch(/http/);
    expect(baseUrlProblem('https://user:pw@host/v1')).toMatch(/user name/);
    expect(baseUrlProblem('not a url')).toMatch(/absolute URL/);
    expect(baseUrlProblem('http://localhost:11434/v1')).toBeNull();
  });

  it('sends the real chat-completions request with the key as a Bearer token and stores the draft with its inputs', async () => {
    const db = t.database.db;
    const saved = await saveAiSettings(
      db,
      { enabled: true, baseUrl: `${fake.baseUrl}/`, model: 'llama-3.1-8b', apiKey: 'sk-test-abcd1234' },
      null,
    );
    expect(saved).toMatchObject({ configured: true, apiKey: { set: true, last4: '1234' } });
    expect(JSON.stringify(saved)).not.toContain('sk-test');

    const result = await createDraft(db, actor, OPP_ID, 'guide', load);
    expect(result.degraded).toBe(false);
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test-abcd1234');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body.model).toBe('llama-3.1-8b');
    expect(req.body.stream).toBe(false);
    expect(req.body.messages).toEqual(buildMessages('guide', opportunity()));
    expect(req.body.messages![0]).toEqual({ role: 'system', content: SYSTEM_PROMPT });
    expect(SYSTEM_PROMPT).toMatch(/Do not infer, guess or describe anyone’s emotions, mood, sentiment/);
    // The prompt carries what the viewer sees, without identifiers or links.
    expect(req.body.messages![1]!.content).toContain('Reviews given per week');
    expect(req.body.messages![1]!.content).not.toContain(PERSON_ID);
    expect(req.body.messages![1]!.content).not.toContain('/dashboard/');
    // Only the named fields: not the status, nor the conversation suggestion.
    expect(req.body.messages![1]!.content).not.toContain('Strengths 1:1');
    expect(req.body.messages![1]!.content).not.toContain('"status"');
    expect(req.body.messages![1]!.content).toContain('"styleSummary"');

    const draft = result.draft!;
    expect(draft).toMatchObject({
      status: 'draft',
      kind: 'guide',
      model: 'llama-3.1-8b',
      opportunityId: OPP_ID,
    });
    expect(draft.label).toMatch(/AI draft/);
    expect(draft.output).toBe(fake.reply);
    expect(draft.messages).toEqual(req.body.messages);
    const row = await db
      .selectFrom('coaching_ai_draft')
      .selectAll()
      .where('id', '=', draft.id)
      .executeTakeFirstOrThrow();
    expect(row.messages).toEqual(req.body.messages);
    expect(row.base_url).toBe(`${fake.baseUrl}/`);

    const accepted = await decideDraft(db, actor, draft.id, 'accepted', load);
    expect(accepted.status).toBe('accepted');
    expect(accepted.decidedAt).not.toBeNull();
    await expect(decideDraft(db, actor, draft.id, 'discarded', load)).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('sends no Authorization header when no key is set (a local server)', async () => {
    const db = t.database.db;
    await saveAiSettings(db, { enabled: true, baseUrl: fake.baseUrl, model: 'local', apiKey: null }, null);
    expect((await getAiSettings(db)).apiKey).toEqual({ set: false, last4: null });
    await createDraft(db, actor, OPP_ID, 'evidence_summary', load);
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
    expect(fake.requests[0]!.body.messages![1]!.content).toMatch(/^Summarise the evidence/);
  });

  for (const [behaviour, pattern] of [
    ['error500', /answered 500: The model is overloaded/],
    ['unauthorized', /answered 401: Incorrect API key provided\. Check the API key/],
    ['garbage', /not JSON/],
    ['empty', /without text in choices\[0\]\.message\.content/],
  ] as const) {
    it(`degrades to the built-in guide with a notice when the endpoint fails (${behaviour})`, async () => {
      const db = t.database.db;
      await saveAiSettings(db, { enabled: true, baseUrl: fake.baseUrl, model: 'm', apiKey: 'k-1' }, null);
      fake.behaviour = behaviour;
      const before = (await db.selectFrom('coaching_ai_draft').select('id').execute()).length;
      const result = await createDraft(db, actor, OPP_ID, 'guide', load);
      expect(result.degraded).toBe(true);
      expect(result.draft).toBeNull();
      expect(result.notice).toMatch(pattern);
      expect(result.notice).toMatch(/built-in guide/);
      expect(result.fallback).toContain('Questions:');
      expect((await db.selectFrom('coaching_ai_draft').select('id').execute()).length).toBe(before);
    });
  }

  it('degrades when the endpoint does not answer within the timeout', async () => {
    const db = t.database.db;
    await saveAiSettings(db, { enabled: true, baseUrl: fake.baseUrl, model: 'm', timeoutSeconds: 1 }, null);
    fake.behaviour = 'slow';
    const started = Date.now();
    const result = await createDraft(db, actor, OPP_ID, 'guide', load);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.degraded).toBe(true);
    expect(result.notice).toMatch(/did not answer within 1 s/);
  });

  it('explains an unreachable endpoint', async () => {
    const closed = await startFakeChatEndpoint();
    await closed.close();
    const endpoint = { baseUrl: closed.baseUrl, model: 'm', apiKey: null, timeoutSeconds: 5 };
    const error = await chatCompletion(endpoint, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiEndpointError);
    expect((error as Error).message).toBe(`Cannot reach ${closed.baseUrl}/chat/completions: ECONNREFUSED.`);
  });

  it('tests a connection with values being edited, and reports failures as text', async () => {
    const db = t.database.db;
    fake.behaviour = 'ok';
    const ok = await testAiConnection(db, { baseUrl: fake.baseUrl, model: 'other', apiKey: 'sk-new-9999' });
    expect(ok).toMatchObject({ ok: true, model: 'other', error: null });
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-new-9999');
    fake.behaviour = 'error500';
    const bad = await testAiConnection(db, {});
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/500/);
    expect(await testAiConnection(db, { baseUrl: 'ftp://nope' })).toMatchObject({ ok: false });
  });

  it('strips identifiers and links from the prompt data', () => {
    expect(
      promptData({
        id: 'x',
        name: 'A',
        subjectId: 'y',
        link: '/a',
        explainLink: '/b',
        list: [{ sourceIds: ['1'], v: 2 }],
      }),
    ).toEqual({
      name: 'A',
      list: [{ v: 2 }],
    });
    expect(loads).toBeGreaterThan(0);
  });
});
