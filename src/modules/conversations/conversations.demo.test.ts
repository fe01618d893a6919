import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoOrganisation } from '../demo/demo.service.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { seedDemoConversations } from './conversations.demo.js';
import { getConversation, listMyConversations } from './conversations.service.js';

describe('demo conversation history', { timeout: 120_000 }, () => {
  let t: TestDatabase;
  const referenceDate = '2026-11-20';

  beforeAll(async () => {
    t = await createTestDatabase();
    const started = Date.now();
    await loadDemoOrganisation(t.database.db, { seed: 42, referenceDate });
    process.stdout.write(
      `demo organisation with conversations loaded in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
    );
  }, 300_000);
  afterAll(async () => t?.destroy());

  it('has all five kinds, series at weekly or fortnightly cadence, notes of both visibilities, follow-ups and ratings', async () => {
    const db = t.database.db;
    const kinds = await db
      .selectFrom('conversation')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    const count = new Map(kinds.map((k) => [k.kind, Number(k.n)]));
    expect(count.get('one_on_one')).toBeGreaterThan(300);
    for (const kind of ['debrief', 'peer', 'upward', 'external'] as const)
      expect(count.get(kind) ?? 0, kind).toBeGreaterThan(0);
    const cadences = await db.selectFrom('conversation_series').select('cadence_days').distinct().execute();
    expect(cadences.map((c) => c.cadence_days).sort()).toEqual([14, 7]);
    const notes = await db
      .selectFrom('conversation_note')
      .select(['visibility', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('visibility')
      .execute();
    expect(notes.map((n) => n.visibility).sort()).toEqual(['private', 'shared']);
    const overdue = await db
      .selectFrom('conversation_action')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('done_at', 'is', null)
      .where('due_date', '<', referenceDate)
      .executeTakeFirstOrThrow();
    expect(Number(overdue.n)).toBeGreaterThan(0);
    const ratings = await db
      .selectFrom('conversation_rating')
      .select(sql<number>`avg(score)::float`.as('mean'))
      .executeTakeFirstOrThrow();
    expect(ratings.mean).toBeGreaterThan(2.5);
    expect(ratings.mean).toBeLessThan(5);
    // People meet on working days.
    const weekend = await db
      .selectFrom('conversation')
      .select('id')
      .where(sql<boolean>`extract(isodow from scheduled_at at time zone 'UTC') in (6, 7)`)
      .execute();
    expect(weekend).toHaveLength(0);
    // Upcoming meetings exist for the calendar, and no scheduled meeting lies in the past.
    const upcoming = await db
      .selectFrom('conversation')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('scheduled_at', '<', new Date(`${referenceDate}T00:00:00Z`))
      .execute();
    expect(upcoming).toHaveLength(0);
  });

  it('is seeded once: running it again changes nothing', async () => {
    const db = t.database.db;
    const before = await db
      .selectFrom('conversation')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await seedDemoConversations(db, { seed: 42, referenceDate });
    const after = await db
      .selectFrom('conversation')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('reads like a real history through the service: a manager’s 1:1s carry overdue follow-ups into the next one', async () => {
    const db = t.database.db;
    const withOverdue = await db
      .selectFrom('conversation_action as x')
      .innerJoin('conversation as c', 'c.id', 'x.conversation_id')
      .select(['c.participant_key', 'c.created_by_person_id'])
      .where('x.done_at', 'is', null)
      .where('x.due_date', '<', referenceDate)
      .where('c.kind', '=', 'one_on_one')
      .executeTakeFirstOrThrow();
    const manager = withOverdue.created_by_person_id!;
    const list = await listMyConversations(db, manager, { status: 'scheduled', limit: 500 });
    const next = list.items.find(
      (i) => [...i.participants.map((p) => p.personId)].sort().join(',') === withOverdue.participant_key,
    )!;
    const detail = await getConversation(db, manager, next.id, new Date(`${referenceDate}T12:00:00Z`));
    expect(detail.agenda.some((a) => a.carriedFrom?.kind === 'action')).toBe(true);
  });
});
