import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { buildPerson, buildReportingLine, buildTeam } from '../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { addWeeks, weekOf } from '../signals/signals.metrics.js';
import { scanOpportunities, selectWithinLimit } from './opportunities.scan.js';
import {
  registerOpportunitySource,
  unregisterOpportunitySource,
  type OpportunityCandidate,
} from './opportunities.sources.js';

/**
 * Each rule on a small fixture: fires when it should, silent on noise. One database; every test
 * starts from an empty set of opportunities, signals and conversations.
 */
const AS_OF = '2026-11-26';
const LAST_WEEK = addWeeks(weekOf(`${AS_OF}T00:00:00Z`), -1);

let t: TestDatabase;
let db: Kysely<DB>;
let team: { id: string };
let otherTeam: { id: string };
let manager: { id: string };
let alice: { id: string };
let bob: { id: string };
let carol: { id: string };

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.database.db;
  const company = await buildTeam(db, { name: 'Company', kind: 'company' });
  team = await buildTeam(db, { name: 'Platform', kind: 'team', parentId: company.id });
  otherTeam = await buildTeam(db, { name: 'Mobile', kind: 'team', parentId: company.id });
  manager = await buildPerson(db, { name: 'Max Manager', team_id: team.id, hire_date: '2019-01-01' });
  alice = await buildPerson(db, { name: 'Alice', team_id: team.id, hire_date: '2020-01-01' });
  bob = await buildPerson(db, { name: 'Bob', team_id: team.id, hire_date: '2020-01-01' });
  carol = await buildPerson(db, { name: 'Carol', team_id: otherTeam.id, hire_date: '2020-01-01' });
  for (const p of [alice, bob, carol]) await buildReportingLine(db, p.id, manager.id, '2024-01-01');
});
afterAll(async () => t.destroy());

async function reset() {
  for (const table of [
    'coaching_opportunity',
    'coaching_opportunity_suppressed',
    'coaching_inbox_item',
    'signals_person_week',
    'signals_team_week',
    'conversation',
    'goal',
    'ingest_work_event',
  ] as const)
    await db.deleteFrom(table).execute();
}
/** An active personal goal, started recently (not stalled), for each report. */
async function giveGoals(people: { id: string }[] = [alice, bob, carol]) {
  for (const p of people)
    await db
      .insertInto('goal')
      .values({
        owner_person_id: p.id,
        level: 'personal',
        title: 'Grow',
        why: 'Because',
        criteria: JSON.stringify({ kind: 'target', metric: 'x', unit: 'x', start: 0, target: 1 }),
        period_label: 'Q',
        period_start: '2026-11-20',
        period_end: '2026-12-31',
        visibility: 'private',
        status: 'active',
        cadence: 'monthly',
        steward_person_id: p.id,
      })
      .execute();
}
beforeEach(async () => {
  await reset();
  await giveGoals();
});

/** 20 weeks of a steady series with small noise, ending last week; `recent` overrides the last weeks. */
function series(base: number, recent: number[] = [], noise = [0, 1, -1, 0.5, -0.5]) {
  const weeks: { week: string; value: number }[] = [];
  for (let i = 19; i >= 0; i--) {
    const week = addWeeks(LAST_WEEK, -i);
    const r = recent.length - 1 - i;
    weeks.push({
      week,
      value: i < recent.length ? recent[recent.length - 1 - i]! : base + noise[i % noise.length]!,
    });
    void r;
  }
  return weeks;
}

async function personSeries(personId: string, metric: string, values: { week: string; value: number }[]) {
  await db
    .insertInto('signals_person_week')
    .values(values.map((v) => ({ person_id: personId, metric, week: v.week, value: v.value })))
    .execute();
}
async function teamSeries(teamId: string, metric: string, values: { week: string; value: number }[]) {
  await db
    .insertInto('signals_team_week')
    .values(values.map((v) => ({ team_id: teamId, metric, week: v.week, value: v.value })))
    .execute();
}

async function opportunities() {
  return db
    .selectFrom('coaching_opportunity')
    .selectAll()
    .orderBy('trigger')
    .orderBy('subject_person_id')
    .execute();
}

async function scan(options: Parameters<typeof scanOpportunities>[1] = {}) {
  return scanOpportunities(db, { asOf: AS_OF, maxPerWeek: 50, ...options });
}

// A held 1:1 between the manager and a report on a day (with a career topic if asked).
async function oneOnOne(
  reportId: string,
  day: string,
  opts: { status?: 'completed' | 'cancelled' | 'scheduled'; career?: boolean } = {},
) {
  const c = await db
    .insertInto('conversation')
    .values({
      kind: 'one_on_one',
      title: '1:1',
      scheduled_at: `${day}T10:00:00Z`,
      duration_minutes: 30,
      status: opts.status ?? 'completed',
      participant_key: [manager.id, reportId].sort().join(','),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('conversation_participant')
    .values([
      { conversation_id: c.id, person_id: manager.id, role: 'manager' },
      { conversation_id: c.id, person_id: reportId, role: 'report' },
    ])
    .execute();
  if (opts.career)
    await db
      .insertInto('conversation_topic')
      .values({ conversation_id: c.id, topic: 'retention_career', source: 'auto' })
      .execute();
  return c.id;
}

/** Recent 1:1s and career talks with everyone, so that only the rule under test can fire. */
async function quietConversations() {
  for (const p of [alice, bob, carol]) await oneOnOne(p.id, '2026-11-20', { career: true });
}

describe('signal rules', () => {
  it('raises an individual dip for the person whose own series dipped, not for steady colleagues', async () => {
    await quietConversations();
    await personSeries(alice.id, 'prs_merged', series(6, [1, 0, 1, 0]));
    await personSeries(bob.id, 'prs_merged', series(6));
    await teamSeries(team.id, 'prs_merged', series(20));
    await scan();
    const found = await opportunities();
    expect(found.map((o) => [o.trigger, o.subject_person_id])).toEqual([['individual_dip', alice.id]]);
    const dip = found[0]!;
    expect(dip).toMatchObject({ polarity: 'corrective', recipient_person_id: manager.id, framework: 'SBI' });
    const ev = dip.evidence as {
      items: { metric: string; value: number; baseline: number; link: string; explainLink: string }[];
    };
    expect(ev.items[0]).toMatchObject({ metric: 'prs_merged', link: `/dashboard/people/${alice.id}` });
    expect(ev.items[0]!.value).toBeLessThan(ev.items[0]!.baseline);
    expect(ev.items[0]!.explainLink).toMatch(
      /^\/api\/v1\/signals\/evidence\?metric=prs_merged&scope=person&id=/,
    );
  });

  it('stays silent on noise around the baseline', async () => {
    await quietConversations();
    await personSeries(alice.id, 'prs_merged', series(6, [], [0, 2, -2, 1, -1]));
    await personSeries(bob.id, 'commits', series(10, [], [3, -3, 2, -2, 0]));
    await teamSeries(team.id, 'prs_merged', series(20, [], [2, -2, 1, -1, 0]));
    const r = await scan();
    expect(r.created).toBe(0);
  });

  it('turns a team-wide dip into one system opportunity about the team, not individual dips', async () => {
    await quietConversations();
    await personSeries(alice.id, 'prs_merged', series(6, [1, 0, 1, 0]));
    await personSeries(bob.id, 'prs_merged', series(6, [1, 1, 0, 0]));
    await teamSeries(team.id, 'prs_merged', series(20, [4, 3, 2, 3]));
    await scan();
    const found = await opportunities();
    expect(found.map((o) => [o.trigger, o.subject_type, o.subject_team_id])).toEqual([
      ['team_dip', 'team', team.id],
    ]);
    expect(found[0]).toMatchObject({ polarity: 'system', recipient_person_id: manager.id, priority: 'high' });
    expect(found[0]!.title).toMatch(/barrier/);
  });

  it("raises one person's slump as their individual dip, not as a team dip, when it alone pulls the team down", async () => {
    await quietConversations();
    await personSeries(alice.id, 'prs_merged', series(6, [1, 0, 1, 0]));
    await personSeries(bob.id, 'prs_merged', series(6));
    // The team's series drops by Alice's drop alone: without her it stays at 14.
    await teamSeries(team.id, 'prs_merged', series(20, [15, 14, 15, 14]));
    await scan();
    const found = await opportunities();
    expect(found.map((o) => [o.trigger, o.subject_type, o.subject_person_id])).toEqual([
      ['individual_dip', 'person', alice.id],
    ]);
  });

  it('raises a sustained strength (growth), and a new strength as a quick signal-change note', async () => {
    await quietConversations();
    await personSeries(alice.id, 'reviews_given', series(4, [12, 13, 12, 14]));
    await personSeries(bob.id, 'reviews_given', series(4, [14, 15]));
    await teamSeries(team.id, 'reviews_given', series(12));
    await scan();
    const found = await opportunities();
    expect(found.map((o) => [o.trigger, o.subject_person_id, o.polarity])).toEqual([
      ['signal_change', bob.id, 'growth'],
      ['sustained_strength', alice.id, 'growth'],
    ]);
  });
});

describe('relationship rules', () => {
  it('raises a long gap since the last 1:1, not when one was recent or is planned soon', async () => {
    await oneOnOne(alice.id, '2026-09-01', { career: true }); // 86 days ago
    await oneOnOne(bob.id, '2026-11-10', { career: true }); // recent
    await oneOnOne(carol.id, '2026-09-01', { career: true });
    await oneOnOne(carol.id, '2026-12-01', { status: 'scheduled' }); // planned in 5 days
    await scan();
    const found = await opportunities();
    expect(found.map((o) => [o.trigger, o.subject_person_id])).toEqual([['conversation_gap', alice.id]]);
    expect(found[0]).toMatchObject({ priority: 'high', period: 'after:2026-09-01', polarity: 'corrective' });
  });

  it('raises ramp-up milestones in the two weeks after day 30/60/90 only', async () => {
    const newHire = await buildPerson(db, { name: 'Nia New', team_id: team.id, hire_date: '2026-10-25' }); // day 32
    const later = await buildPerson(db, { name: 'Leo Later', team_id: team.id, hire_date: '2026-10-05' }); // day 52
    await buildReportingLine(db, newHire.id, manager.id, '2026-10-25');
    await buildReportingLine(db, later.id, manager.id, '2026-10-05');
    await quietConversations();
    await oneOnOne(newHire.id, '2026-11-20');
    await oneOnOne(later.id, '2026-11-20');
    await scan();
    const found = (await opportunities()).filter((o) => o.trigger === 'ramp_up');
    expect(found.map((o) => [o.subject_person_id, o.period])).toEqual([[newHire.id, 'day-30']]);
    await db.deleteFrom('reporting_line').where('person_id', 'in', [newHire.id, later.id]).execute();
    await db.deleteFrom('person').where('id', 'in', [newHire.id, later.id]).execute();
  });

  it('raises overdue follow-ups, recognises follow-through, and suggests due career talks', async () => {
    const c1 = await oneOnOne(alice.id, '2026-11-20');
    const c2 = await oneOnOne(bob.id, '2026-11-20', { career: true });
    await oneOnOne(carol.id, '2026-11-20', { career: true });
    await db
      .insertInto('conversation_action')
      .values([
        { conversation_id: c1, text: 'a', owner_person_id: alice.id, due_date: '2026-11-01' },
        { conversation_id: c1, text: 'b', owner_person_id: alice.id, due_date: '2026-11-10' },
        ...[1, 2, 3].map((i) => ({
          conversation_id: c2,
          text: `done ${i}`,
          owner_person_id: bob.id,
          due_date: '2026-11-20',
          done_at: new Date(`2026-11-1${i}T10:00:00Z`),
        })),
        // One, barely overdue: noise for Carol.
        { conversation_id: c2, text: 'c', owner_person_id: carol.id, due_date: '2026-11-24' },
      ])
      .execute();
    await scan();
    const found = await opportunities();
    expect(found.map((o) => [o.trigger, o.subject_person_id])).toEqual([
      ['career_conversation', alice.id],
      ['follow_through', bob.id],
      ['overdue_followups', alice.id],
    ]);
  });

  it('suggests a development goal when a report has none, and notices cancelled 1:1s', async () => {
    await quietConversations();
    await db.deleteFrom('goal').where('owner_person_id', '=', bob.id).execute();
    await oneOnOne(carol.id, '2026-11-06', { status: 'cancelled' });
    await oneOnOne(carol.id, '2026-11-13', { status: 'cancelled' });
    await oneOnOne(alice.id, '2026-11-13', { status: 'cancelled' }); // one alone is noise
    await scan();
    const found = await opportunities();
    expect(found.map((o) => [o.trigger, o.subject_person_id, o.polarity])).toEqual([
      ['development_goal', bob.id, 'growth'],
      ['missed_one_on_ones', carol.id, 'corrective'],
    ]);
    expect(found[0]!.period).toBe('2026-Q4');
  });

  /** A Q4 target goal checked in weekly at the same value since early November: no progress. */
  async function flatGoal(owner: { owner_person_id: string } | { owner_team_id: string }, title: string) {
    const personal = 'owner_person_id' in owner;
    const goal = await db
      .insertInto('goal')
      .values({
        ...owner,
        level: personal ? 'personal' : 'team',
        title,
        why: 'So the team can decide',
        criteria: JSON.stringify({
          kind: 'target',
          metric: 'sections',
          unit: 'sections',
          start: 0,
          target: 10,
        }),
        period_label: '2026-Q4',
        period_start: '2026-10-01',
        period_end: '2026-12-31',
        visibility: personal ? 'private' : 'public',
        status: 'active',
        cadence: 'weekly',
        steward_person_id: personal ? owner.owner_person_id : manager.id,
        current_value: 3,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const day of ['2026-11-05', '2026-11-12', '2026-11-19', '2026-11-25'])
      await db
        .insertInto('goal_check_in')
        .values({
          goal_id: goal.id,
          value: 3,
          confidence: 4,
          source: 'manual',
          checked_at: `${day}T10:00:00Z`,
        })
        .execute();
    return goal;
  }

  it('raises a stalled goal of a report through findStalledGoals', async () => {
    await quietConversations();
    const goal = await flatGoal({ owner_person_id: alice.id }, 'Write the storage RFC');
    await scan();
    const found = await opportunities();
    expect(found.map((o) => [o.trigger, o.subject_person_id])).toEqual([['stalled_goal', alice.id]]);
    const ev = found[0]!.evidence as { items: { link: string; sourceIds: string[] }[] };
    expect(ev.items[0]).toMatchObject({ link: `/goals/${goal.id}`, sourceIds: [goal.id] });
  });

  it('raises a stalled team goal to the manager of the team, about the team', async () => {
    await quietConversations();
    await flatGoal({ owner_team_id: team.id }, 'Cut p95 build time');
    await scan();
    const found = (await opportunities()).filter((o) => o.trigger === 'stalled_goal');
    expect(found.map((o) => [o.recipient_person_id, o.subject_type, o.subject_team_id])).toEqual([
      [manager.id, 'team', team.id],
    ]);
    expect(found[0]!.title).toBe('Platform\'s goal "Cut p95 build time" has stalled');
  });
});

describe('moments in the workflow', () => {
  it('raises sprint start/close and epic kickoff/debrief for the managers of the people in the project', async () => {
    await quietConversations();
    const ev = (
      kind: string,
      sourceId: string,
      at: string,
      personId: string | null,
      attributes: object = {},
    ) => ({
      source: 'jira',
      source_id: sourceId,
      kind,
      person_id: personId,
      occurred_at: new Date(`${at}T09:00:00Z`),
      project: 'PLAT',
      attributes: JSON.stringify(attributes),
      content_hash: sourceId,
    });
    await db
      .insertInto('ingest_work_event')
      .values([
        ev('issue_completed', 'e1', '2026-11-10', alice.id),
        ev('issue_completed', 'e2', '2026-11-12', bob.id),
        ev('sprint_started', 'jira:sprint:7:started', '2026-11-24', null, {
          name: 'PLAT Sprint 7',
          sprintId: 7,
        }),
        ev('sprint_closed', 'jira:sprint:6:closed', '2026-11-23', null, {
          name: 'PLAT Sprint 6',
          sprintId: 6,
        }),
        // A sprint of three weeks ago is not a moment any more.
        ev('sprint_started', 'jira:sprint:5:started', '2026-11-03', null, {
          name: 'PLAT Sprint 5',
          sprintId: 5,
        }),
      ])
      .execute();
    await db
      .insertInto('ingest_work_item')
      .values({
        source: 'jira',
        source_id: 'jira:epic:1',
        kind: 'ticket',
        project: 'PLAT',
        title: 'Storage v2',
        state: 'done',
        person_id: alice.id,
        opened_at: new Date('2026-11-21T09:00:00Z'),
        closed_at: new Date('2026-11-25T09:00:00Z'),
        attributes: JSON.stringify({ issueType: 'Epic' }),
        content_hash: 'x',
      })
      .execute();
    await scan();
    const found = await opportunities();
    expect(found.map((o) => [o.trigger, o.subject_type, o.subject_team_id, o.period])).toEqual([
      ['epic_debrief', 'team', team.id, 'epic_debrief:jira:epic:1'],
      ['epic_kickoff', 'team', team.id, 'epic_kickoff:jira:epic:1'],
      ['sprint_close', 'team', team.id, 'sprint_close:jira:sprint:6'],
      ['sprint_start', 'team', team.id, 'sprint_start:jira:sprint:7'],
    ]);
    expect(found.every((o) => o.recipient_person_id === manager.id && o.polarity === 'growth')).toBe(true);
    await db.deleteFrom('ingest_work_item').execute();
  });
});

describe('extension point', () => {
  afterEach(() => unregisterOpportunitySource('test.surveys'));

  it('takes candidates from a registered source, with its own guide template', async () => {
    await quietConversations();
    registerOpportunitySource({
      id: 'test.surveys',
      description: 'a fake survey source',
      collect: async (ctx) =>
        (ctx.reportsByManager.get(manager.id) ?? []).slice(0, 1).map((r): OpportunityCandidate => ({
          recipientPersonId: manager.id,
          subject: { type: 'team', id: r.teamId! },
          trigger: 'survey_safety_drop',
          polarity: 'system',
          priority: 'high',
          framework: 'GROW',
          title: 'Psychological safety dipped in Platform',
          reason: 'The pulse fell two points.',
          period: '2026-11',
          evidence: { summary: 'Pulse survey (anonymised, above the minimum group size).', items: [] },
          facts: { team: 'Platform' },
        })),
      templates: {
        survey_safety_drop: {
          label: 'Safety pulse dropped',
          opening:
            'Our safety pulse in {team} dipped — I’d like to understand what makes speaking up harder.',
          talkingPoints: ['Thank people for answering.'],
          questions: ['What would make it easier to raise a concern?'],
          avoid: ['Trying to find out who answered what.'],
        },
      },
    });
    const r = await scan();
    expect(r.bySource['test.surveys']).toBe(1);
    const found = await opportunities();
    expect(found.map((o) => o.trigger)).toEqual(['survey_safety_drop']);
    expect(() =>
      registerOpportunitySource({ id: 'Bad Id', description: '', collect: async () => [] }),
    ).toThrow(/lower-case/);
  });

  it('reports a failing source and still runs the others', async () => {
    registerOpportunitySource({
      id: 'test.surveys',
      description: 'broken',
      collect: async () => {
        throw new Error('survey store offline');
      },
    });
    const r = await scan();
    expect(r.errors).toEqual([{ source: 'test.surveys', message: 'survey store offline' }]);
    expect(r.bySource['conversations.gap']).toBeGreaterThan(0);
  });
});

describe('de-duplication and the weekly limit', () => {
  it('never raises the same trigger, subject and period twice; a second scan creates nothing', async () => {
    // No 1:1s at all: a gap and a career talk for everyone.
    const first = await scan();
    expect(first.created).toBe(6);
    const again = await scan();
    expect(again).toMatchObject({ created: 0, duplicates: 6 });
    const inbox = await db.selectFrom('coaching_inbox_item').selectAll().execute();
    expect(inbox).toHaveLength(6);
    const opp = await db.selectFrom('coaching_opportunity').select(['id', 'inbox_item_id']).execute();
    for (const o of opp) {
      const item = inbox.find((i) => i.id === o.inbox_item_id)!;
      expect(item.link).toBe(`/coaching/opportunities/${o.id}`);
      expect(item.kind).toBe('coaching_opportunity');
    }
  });

  it('delivers at most N a week, highest priority first, and counts the rest as held back', async () => {
    // Gaps for all three (high), career talks for Bob and Carol (low).
    await oneOnOne(alice.id, '2026-09-01', { career: true });
    const r = await scan({ maxPerWeek: 2 });
    expect(r).toMatchObject({ candidates: 5, created: 2, suppressed: 3 });
    const found = await opportunities();
    expect(found.map((o) => o.priority)).toContain('high');
    expect(found.some((o) => o.polarity === 'growth')).toBe(true);
    const held = await db.selectFrom('coaching_opportunity_suppressed').selectAll().execute();
    expect(held).toHaveLength(3);
    // The same week: still full.
    expect((await scan({ maxPerWeek: 2 })).created).toBe(0);
    // Next week there is room again; held-back moments come back.
    expect((await scan({ maxPerWeek: 2, asOf: '2026-12-01' })).created).toBe(2);
  });

  it('orders by priority, interleaves polarities and keeps one growth moment', () => {
    const c = (priority: 'high' | 'medium' | 'low', polarity: 'corrective' | 'growth', n: number) =>
      ({ priority, polarity, title: `${priority}-${polarity}-${n}` }) as OpportunityCandidate;
    const { kept, held } = selectWithinLimit(
      [
        c('medium', 'corrective', 1),
        c('high', 'corrective', 2),
        c('high', 'corrective', 3),
        c('low', 'growth', 4),
      ],
      3,
    );
    expect(kept.map((k) => k.title)).toEqual(['high-corrective-2', 'high-corrective-3', 'low-growth-4']);
    expect(held.map((k) => k.title)).toEqual(['medium-corrective-1']);
    expect(selectWithinLimit([c('high', 'corrective', 1)], 0).kept).toEqual([]);
  });

  it('refuses a malformed --as-of', async () => {
    await expect(scanOpportunities(db, { asOf: '26.11.2026' })).rejects.toThrow(/YYYY-MM-DD/);
  });
});
