import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/app-error.js';
import { buildAccessFixture, type AccessFixture } from '../../test/access-fixture.js';
import { buildAccount, buildPerson } from '../../test/factories.js';
import {
  anonymous,
  call,
  getTestServer,
  signIn,
  type Agent,
  type TestServer,
} from '../../test/test-server.js';
import { seedDemoProfiles } from './profiles.demo.js';
import { ITEMS, scoreAnswers, type ProfileAnswers } from './profiles.questionnaire.js';
import type { WorkStyleProfileType } from './profiles.schema.js';

/** Every item answered `value` as written (before reverse keying). */
function uniform(value: number): Record<string, number> {
  return Object.fromEntries(ITEMS.map((i) => [i.id, value]));
}
const COMM = { channel: 'written', timing: 'async', directness: 'direct' };

function complete(overrides: Partial<ProfileAnswers> = {}): ProfileAnswers {
  return { answers: uniform(3), communication: COMM, drivers: ['mastery'], ...overrides };
}

function problemsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.details ?? [];
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('work-style scoring', () => {
  it('places a neutral answer set in the middle of every scale', () => {
    expect(scoreAnswers(complete()).scores).toEqual({ autonomy: 50, collaboration: 50, structure: 50 });
  });

  it('scores reverse-keyed items as 6 − answer', () => {
    // Agreeing strongly with everything: the forward items push up, the reverse-keyed ones down as much.
    expect(scoreAnswers(complete({ answers: uniform(5) })).scores).toEqual({
      autonomy: 50,
      collaboration: 50,
      structure: 50,
    });
    // A consistently autonomous person: agrees with forward autonomy items, disagrees with reverse ones.
    const answers = uniform(3);
    for (const i of ITEMS.filter((x) => x.dimension === 'autonomy')) answers[i.id] = i.reverse ? 1 : 5;
    expect(scoreAnswers(complete({ answers })).scores).toEqual({
      autonomy: 100,
      collaboration: 50,
      structure: 50,
    });
    for (const i of ITEMS.filter((x) => x.dimension === 'autonomy')) answers[i.id] = i.reverse ? 5 : 1;
    expect(scoreAnswers(complete({ answers })).scores.autonomy).toBe(0);
  });

  it('rounds the mean onto 0–100', () => {
    const answers = uniform(3);
    const [first] = ITEMS.filter((x) => x.dimension === 'structure' && !x.reverse);
    answers[first!.id] = 4; // one step up on one of four items: mean 3.25 → 56.25
    expect(scoreAnswers(complete({ answers })).scores.structure).toBe(56);
  });

  it('refuses incomplete answers naming each missing field', () => {
    const answers = uniform(3);
    delete answers.autonomy_2;
    delete answers.structure_4;
    const problems = problemsOf(() =>
      scoreAnswers({ answers, communication: { channel: 'written' }, drivers: [] }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      '/body/answers/autonomy_2',
      '/body/answers/structure_4',
      '/body/communication/directness',
      '/body/communication/timing',
      '/body/drivers',
    ]);
  });

  it('refuses unknown items, out-of-range answers, unknown and duplicate drivers', () => {
    const problems = problemsOf(() =>
      scoreAnswers(
        complete({
          answers: { ...uniform(3), autonomy_1: 6, extra_9: 3 },
          communication: { ...COMM, timing: 'sometimes' },
          drivers: ['mastery', 'mastery', 'money', 'purpose'],
        }),
      ),
    );
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('/body/answers/autonomy_1');
    expect(paths).toContain('/body/answers/extra_9');
    expect(paths).toContain('/body/communication/timing');
    expect(paths).toContain('/body/drivers/2');
    expect(paths).toContain('/body/drivers');
  });
});

describe('work-style profiles through the API', () => {
  let server: TestServer;
  let f: AccessFixture;
  const agents: Record<string, Agent> = {};
  let coachId: string;

  beforeAll(async () => {
    server = await getTestServer({ loginRateLimitPerMinute: 1000 });
    const db = server.ctx.db;
    f = await buildAccessFixture(db);
    const coach = await buildPerson(db, { name: 'Cleo Coach', team_id: f.teams.field.id });
    coachId = coach.id;
    const coachAccount = await buildAccount(db, { personId: coach.id });
    await db
      .insertInto('coach_relationship')
      .values({
        coach_person_id: coach.id,
        coachee_person_id: f.people.target.id,
        kind: 'external',
        valid_from: '2024-01-01',
      })
      .execute();
    for (const [name, account] of Object.entries({ ...f.accounts, coach: coachAccount })) {
      agents[name] = await signIn(server.app, account.email);
    }
    agents.anonymous = anonymous;
  });
  afterAll(async () => server.close());

  const url = () => `/api/v1/people/${f.people.target.id}/work-style`;
  const body = (overrides: Partial<ProfileAnswers> = {}) => complete(overrides);

  it('lets the person fill in their own profile and returns the scores', async () => {
    const res = await call(server.app, agents.self!, 'POST', url(), body({ drivers: ['mastery', 'growth'] }));
    expect(res.statusCode).toBe(201);
    const profile = res.json() as WorkStyleProfileType;
    expect(profile.current?.scores).toEqual({ autonomy: 50, collaboration: 50, structure: 50 });
    expect(profile.current?.drivers).toEqual(['mastery', 'growth']);
    expect(profile.canEdit).toBe(true);
  });

  it('refuses an incomplete questionnaire with field paths, and stores nothing', async () => {
    const answers = uniform(4);
    delete answers.collaboration_3;
    const res = await call(server.app, agents.self!, 'POST', url(), body({ answers }));
    expect(res.statusCode).toBe(400);
    const details = (res.json() as { error: { details: { path: string }[] } }).error.details;
    expect(details.map((d) => d.path)).toEqual(['/body/answers/collaboration_3']);
    const now = (await call(server.app, agents.self!, 'GET', url())).json() as WorkStyleProfileType;
    expect(now.history).toHaveLength(1);
  });

  it('refuses an answer outside 1–5 at the schema', async () => {
    const res = await call(
      server.app,
      agents.self!,
      'POST',
      url(),
      body({ answers: { ...uniform(3), autonomy_1: 0 } }),
    );
    expect(res.statusCode).toBe(400);
  });

  it('keeps every submission and says what changed', async () => {
    const answers = uniform(3);
    for (const i of ITEMS.filter((x) => x.dimension === 'autonomy')) answers[i.id] = i.reverse ? 1 : 5;
    const res = await call(
      server.app,
      agents.self!,
      'POST',
      url(),
      body({ answers, communication: { ...COMM, channel: 'verbal' }, drivers: ['mastery', 'purpose'] }),
    );
    expect(res.statusCode).toBe(201);
    const profile = res.json() as WorkStyleProfileType;
    expect(profile.history).toHaveLength(2);
    expect(profile.current?.id).toBe(profile.history[0]!.id);
    expect(profile.current?.bands.autonomy).toBe('high');
    expect(profile.current?.changes).toEqual([
      'Autonomy 50 → 100',
      'How I prefer to receive feedback: Written → Spoken (in person or on a call)',
      'Drivers added: Purpose',
      'Drivers removed: Career growth',
    ]);
    expect(profile.history[1]!.changes).toEqual([]);
    expect(profile.history[1]!.scores.autonomy).toBe(50);
  });

  it('tells the person exactly who sees the profile', async () => {
    const profile = (await call(server.app, agents.self!, 'GET', url())).json() as WorkStyleProfileType;
    expect(profile.viewers.relations).toEqual(['self', 'manager', 'skip_level_manager', 'coach']);
    expect(profile.viewers.people).toEqual([
      { id: f.people.manager.id, name: 'Max Manager', relation: 'manager' },
      { id: f.people.director.id, name: 'Dana Director', relation: 'skip_level_manager' },
      { id: f.people.ceo.id, name: 'Cora CEO', relation: 'skip_level_manager' },
      { id: coachId, name: 'Cleo Coach', relation: 'coach' },
    ]);
    expect(profile.viewers.notice).toContain('Max Manager');
    expect(profile.viewers.notice).toContain('HR, administrators and executives cannot read it');
  });

  const READERS = ['self', 'manager', 'skipLevel', 'ceo', 'coach'];
  const ALL = [
    'self',
    'manager',
    'skipLevel',
    'ceo',
    'coach',
    'formerManager',
    'peer',
    'hrIn',
    'hrOut',
    'admin',
    'executive',
    'anonymous',
  ];

  it.each(ALL)('read visibility matrix: %s', async (who) => {
    const res = await call(server.app, agents[who]!, 'GET', url());
    const expected = who === 'anonymous' ? 401 : READERS.includes(who) ? 200 : 403;
    expect(res.statusCode).toBe(expected);
    if (expected === 200) {
      const profile = res.json() as WorkStyleProfileType;
      expect(profile.current?.scores.autonomy).toBe(100);
      expect(profile.canEdit).toBe(who === 'self');
    }
  });

  it.each(ALL.filter((w) => w !== 'self'))('only the person may submit: %s is refused', async (who) => {
    const res = await call(server.app, agents[who]!, 'POST', url(), body());
    expect(res.statusCode).toBe(who === 'anonymous' ? 401 : 403);
  });

  it('audits reads of the profile and refusals', async () => {
    const rows = await server.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'decision', 'data_class', 'actor_label'])
      .where('action', '=', 'profile.read')
      .where('resource_id', '=', f.people.target.id)
      .execute();
    expect(rows.some((r) => r.decision === 'allow' && r.data_class === 'development')).toBe(true);
    expect(rows.some((r) => r.decision === 'deny' && r.actor_label === f.accounts.admin.email)).toBe(true);
  });

  it('serves the questionnaire to any signed-in person', async () => {
    const res = await call(server.app, agents.peer!, 'GET', '/api/v1/profiles/questionnaire');
    expect(res.statusCode).toBe(200);
    const q = res.json() as { items: { reverse: boolean }[] };
    expect(q.items.length).toBe(ITEMS.length);
    expect(q.items.some((i) => i.reverse)).toBe(true);
    expect((await call(server.app, anonymous, 'GET', '/api/v1/profiles/questionnaire')).statusCode).toBe(401);
  });

  it('seeds demo profiles deterministically and resumably', async () => {
    const db = server.ctx.db;
    const first = await seedDemoProfiles(db, { seed: 7, referenceDate: '2026-11-26' });
    expect(first).toBeGreaterThan(0);
    const rows = await db.selectFrom('profile_submission').select(['person_id', 'autonomy']).execute();
    expect(await seedDemoProfiles(db, { seed: 7, referenceDate: '2026-11-26' })).toBe(0);
    expect(await db.selectFrom('profile_submission').select('id').execute()).toHaveLength(rows.length);
  });
});
