import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../../db/types.js';
import { buildPerson, buildTeam } from '../../test/factories.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../test/test-db.js';
import { ingestBatch } from '../ingest/ingest.pipeline.js';
import { BOT, gh } from './signals.fixture.js';
import {
  applyAllPendingChanges,
  applyPendingChanges,
  pendingChangeCount,
  rebuildSignals,
} from './signals.rollups.js';

let t: TestDatabase;
let people: Person[];
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestDatabase();
  const teamA = await buildTeam(db());
  const teamB = await buildTeam(db());
  people = [];
  for (let i = 0; i < 4; i++) people.push(await buildPerson(db(), { team_id: i < 2 ? teamA.id : teamB.id }));
}, 60_000);
afterAll(() => t.destroy());

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

async function snapshot(): Promise<{
  person: string[];
  team: string[];
  facts: string[];
  pairs: string[];
  org: string[];
}> {
  const person = await db().selectFrom('signals_person_week').selectAll().execute();
  const org = await db().selectFrom('signals_org_week').selectAll().execute();
  const pairs = await db().selectFrom('signals_review_week').selectAll().execute();
  const team = await db().selectFrom('signals_team_week').selectAll().execute();
  const facts = await db().selectFrom('signals_item_fact').select(['source_id', 'fact']).execute();
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    person: person.map((r) => `${r.person_id}|${r.week}|${r.metric}|${round(r.value)}`).sort(),
    team: team.map((r) => `${r.team_id}|${r.week}|${r.metric}|${round(r.value)}`).sort(),
    facts: facts.map((r) => `${r.source_id}|${JSON.stringify(r.fact)}`).sort(),
    pairs: pairs.map((r) => `${r.reviewer_id}|${r.author_id}|${r.week}|${round(r.reviews)}`).sort(),
    org: org.map((r) => `${r.week}|${r.metric}|${round(r.value)}`).sort(),
  };
}

const KINDS = [
  'commit',
  'commit_coauthored',
  'pr_opened',
  'pr_merged',
  'review_submitted',
  'issue_completed',
  'issue_reopened',
  'pr_ready_for_review',
];
const STATES = ['approved', 'changes_requested', 'commented', 'dismissed'];

describe('incremental rollups', () => {
  it(
    'equal a full rebuild after a random sequence of inserts, updates, deletes, identity remaps and team moves',
    { timeout: 240_000 },
    async () => {
      const random = rng(20261126);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
      const actors = [...people.map((p, i) => gh(p, `p${i}`)), BOT];
      const items = ['acme/app#1', 'acme/app#2', 'acme/app#3', 'KES-1', 'KES-2', 'INC-1'];
      // Items first (authors fixed), then a random stream of event changes.
      await ingestBatch(db(), null, {
        source: 'github',
        items: items.map((id, i) => ({
          sourceId: id,
          kind: id.startsWith('acme') ? ('pull_request' as const) : ('issue' as const),
          project: id.startsWith('acme') ? 'acme/app' : 'KES',
          title: i === 0 ? 'fix it' : i === 5 ? 'Outage after acme/app#2 and acme/app#3' : `Item ${i}`,
          state: 'open',
          author: actors[i % actors.length]!,
          openedAt: '2026-02-02T09:00:00Z',
          attributes: {
            firstCommitAt: '2026-02-01T09:00:00Z',
            storyPoints: i + 1,
            issueType: i === 4 ? 'Bug' : i === 5 ? 'Incident' : 'Story',
            sprintIds: i >= 3 ? [7, 8 + i] : [],
          },
        })),
      });
      let seq = 0;
      for (let step = 0; step < 120; step++) {
        const roll = random();
        const existing = await db().selectFrom('ingest_work_event').select(['id', 'source_id']).execute();
        if (roll < 0.55 || existing.length < 5) {
          const kind = pick(KINDS);
          const day = 1 + Math.floor(random() * 40);
          await ingestBatch(db(), null, {
            source: 'github',
            events: [
              {
                sourceId: `e${seq++}`,
                kind,
                occurredAt: new Date(Date.UTC(2026, 1, day, Math.floor(random() * 24))).toISOString(),
                actor: pick(actors),
                project: 'acme/app',
                itemSourceId: kind.startsWith('commit') ? null : pick(items),
                attributes: {
                  state: pick(STATES),
                  storyPoints: Math.floor(random() * 5),
                  areas: [pick(['src/api', 'src/web', 'docs'])],
                  languages: { [pick(['TypeScript', 'SQL'])]: 3 },
                  merge: random() < 0.1,
                  subject: random() < 0.2 ? 'Revert "x"' : 'Change',
                },
              },
            ],
          });
        } else if (roll < 0.75) {
          const e = pick(existing);
          await sql`update ingest_work_event set occurred_at = occurred_at + interval '5 days', kind = ${pick(KINDS)} where id = ${e.id}`.execute(
            db(),
          );
        } else if (roll < 0.9) {
          const e = pick(existing);
          await db().deleteFrom('ingest_work_event').where('id', '=', e.id).execute();
        } else if (roll < 0.93) {
          // Someone moves team: later events count for the new team, earlier ones stay.
          const who = pick(people);
          const teams = [...new Set(people.map((p) => p.team_id))];
          await db()
            .updateTable('person')
            .set({ team_id: pick(teams) })
            .where('id', '=', who.id)
            .execute();
        } else {
          // Identity mapping changes: one identity's past events move to another person.
          const who = pick(people);
          const e = pick(existing);
          await db()
            .updateTable('ingest_work_event')
            .set({ person_id: random() < 0.2 ? null : who.id })
            .where('id', '=', e.id)
            .execute();
        }
        // Apply in uneven batches, sometimes leaving work queued across several steps.
        if (random() < 0.4) await applyPendingChanges(db(), { limit: 1 + Math.floor(random() * 6) });
      }
      await applyAllPendingChanges(db());
      expect(await pendingChangeCount(db())).toBe(0);
      const incremental = await snapshot();
      expect(incremental.person.length).toBeGreaterThan(10);
      await rebuildSignals(db(), { pageSize: 7 });
      const rebuilt = await snapshot();
      expect(incremental.person).toEqual(rebuilt.person);
      expect(incremental.team).toEqual(rebuilt.team);
      expect(incremental.facts).toEqual(rebuilt.facts);
      expect(incremental.pairs).toEqual(rebuilt.pairs);
      expect(incremental.org).toEqual(rebuilt.org);
      // The org rollup is the sum of the team rollup over teams.
      const sums = new Map<string, number>();
      for (const r of await db().selectFrom('signals_team_week').selectAll().execute())
        sums.set(`${r.week}|${r.metric}`, (sums.get(`${r.week}|${r.metric}`) ?? 0) + r.value);
      expect(incremental.org).toEqual(
        [...sums]
          .filter(([, v]) => Math.abs(v) >= 1e-9)
          .map(([k, v]) => `${k}|${Math.round(v * 1e6) / 1e6}`)
          .sort(),
      );
      expect(incremental.org.length).toBeGreaterThan(0);
      expect(incremental.pairs.length).toBeGreaterThan(0);
      expect(incremental.person.some((r) => r.includes('|incidents_linked|'))).toBe(true);
      expect(incremental.person.some((r) => r.includes('|si:'))).toBe(true);
      // Streaming in tiny pages, adding partial sums to the tables every few entries: the same rollups.
      await rebuildSignals(db(), { pageSize: 3, flushAt: 4 });
      expect(await snapshot()).toEqual(rebuilt);
    },
  );

  it(
    'equal a full rebuild when writers insert, update and delete events while the changes are being applied',
    { timeout: 240_000 },
    async () => {
      // On PostgreSQL the writers and the applier run on separate connections at once: an event
      // inserted (captured by id) and updated or deleted before or while its insert is applied must
      // count once, as it is in the end.
      const actors = people.map((p, i) => gh(p, `p${i}`));
      let writing = 3;
      const writer = async (w: number) => {
        const random = rng(7000 + w);
        const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
        const mine: string[] = [];
        for (let step = 0; step < 40; step++) {
          const roll = random();
          if (roll < 0.5 || mine.length < 3) {
            const ids = [0, 1, 2].map((k) => `w${w}-${step}-${k}`);
            mine.push(...ids);
            await ingestBatch(db(), null, {
              source: 'concurrent',
              events: ids.map((sourceId) => ({
                sourceId,
                kind: pick(['commit', 'review_submitted', 'pr_merged']),
                occurredAt: new Date(Date.UTC(2026, 2, 1 + Math.floor(random() * 20))).toISOString(),
                actor: pick(actors),
                project: 'acme/app',
                attributes: { state: pick(STATES), areas: ['src/api'], languages: { SQL: 2 } },
              })),
            });
          } else if (roll < 0.85) {
            await sql`update ingest_work_event set occurred_at = occurred_at + interval '8 days', kind = ${pick(KINDS)}
              where source = 'concurrent' and source_id = ${pick(mine)}`.execute(db());
          } else {
            const gone = mine.splice(Math.floor(random() * mine.length), 1)[0]!;
            await db()
              .deleteFrom('ingest_work_event')
              .where('source', '=', 'concurrent')
              .where('source_id', '=', gone)
              .execute();
          }
        }
        writing--;
      };
      const applier = async () => {
        const random = rng(99);
        while (writing > 0) await applyPendingChanges(db(), { limit: 1 + Math.floor(random() * 8) });
      };
      await Promise.all([writer(1), writer(2), writer(3), applier()]);
      await applyAllPendingChanges(db());
      expect(await pendingChangeCount(db())).toBe(0);
      const incremental = await snapshot();
      expect(incremental.person.some((r) => r.includes('2026-03'))).toBe(true);
      await rebuildSignals(db());
      expect(incremental).toEqual(await snapshot());
    },
  );

  // Needs a second connection: the update commits while the applier is between reading the change
  // log and reading the event rows (the embedded database has one connection, so it cannot interleave).
  it.runIf(testDatabaseKind() === 'postgres')(
    'an update committed while its insert is being applied counts once, as it is in the end',
    async () => {
      const [author] = people;
      await applyAllPendingChanges(db());
      await ingestBatch(db(), null, {
        source: 'race',
        events: [
          {
            sourceId: 'race-1',
            kind: 'commit',
            occurredAt: '2026-04-06T10:00:00Z',
            actor: gh(author!, 'p0'),
            attributes: {},
          },
        ],
      });
      await applyPendingChanges(db(), {
        beforeEventRows: async () => {
          await sql`update ingest_work_event set occurred_at = '2026-04-13T10:00:00Z' where source_id = 'race-1'`.execute(
            db(),
          );
        },
      });
      await applyAllPendingChanges(db());
      const weeks = await db()
        .selectFrom('signals_person_week')
        .select(['week', 'value'])
        .where('person_id', '=', author!.id)
        .where('metric', '=', 'commits')
        .where('week', '>=', '2026-04-06')
        .orderBy('week')
        .execute();
      expect(weeks).toEqual([{ week: '2026-04-13', value: 1 }]);
    },
  );

  it.runIf(testDatabaseKind() === 'postgres')(
    'a rollup row written outside the lock while a batch is applied: the batch runs again and counts once',
    async () => {
      const author = people[1]!;
      const commit = (sourceId: string) =>
        ingestBatch(db(), null, {
          source: 'race',
          events: [
            {
              sourceId,
              kind: 'commit',
              occurredAt: '2026-05-04T10:00:00Z',
              actor: gh(author, 'p1'),
              attributes: {},
            },
          ],
        });
      await commit('retry-1');
      await applyAllPendingChanges(db());
      await commit('retry-2');
      let writes = 0;
      await applyPendingChanges(db(), {
        beforeEventRows: async () => {
          // Once: the row this batch adds to is rewritten (unchanged) and committed meanwhile.
          if (writes++ > 0) return;
          await sql`update signals_person_week set value = value
            where person_id = ${author.id} and week = '2026-05-04' and metric = 'commits'`.execute(db());
        },
      });
      expect(writes).toBe(2);
      await applyAllPendingChanges(db());
      const week = await db()
        .selectFrom('signals_person_week')
        .select('value')
        .where('person_id', '=', author.id)
        .where('week', '=', '2026-05-04')
        .where('metric', '=', 'commits')
        .executeTakeFirstOrThrow();
      expect(week.value).toBe(2);
    },
  );

  it('an identity mapped later moves its past events into the person’s rollups', async () => {
    const person = await buildPerson(db(), { team_id: people[0]!.team_id });
    await ingestBatch(db(), null, {
      source: 'git',
      events: [
        {
          sourceId: 'late-1',
          kind: 'commit',
          occurredAt: '2026-03-02T10:00:00Z',
          actor: { source: 'git', externalId: 'unknown@elsewhere.test' },
          attributes: {},
        },
      ],
    });
    await applyAllPendingChanges(db());
    const before = await db()
      .selectFrom('signals_person_week')
      .selectAll()
      .where('person_id', '=', person.id)
      .execute();
    expect(before).toEqual([]);
    await db()
      .updateTable('ingest_work_event')
      .set({ person_id: person.id })
      .where('source_id', '=', 'late-1')
      .execute();
    await applyAllPendingChanges(db());
    const after = await db()
      .selectFrom('signals_person_week')
      .select(['metric', 'value'])
      .where('person_id', '=', person.id)
      .execute();
    expect(after).toEqual([
      { metric: 'commits', value: 1 },
      { metric: 'pc:(none)', value: 1 },
    ]);
  });
});
