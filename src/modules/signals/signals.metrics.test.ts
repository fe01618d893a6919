import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { ingestBatch } from '../ingest/ingest.pipeline.js';
import { buildSignalsFixture, type SignalsFixture } from './signals.fixture.js';
import { addWeeks, cycleBucket, histogramPercentile, METRICS, weekOf } from './signals.metrics.js';
import { percentile } from './signals.service.js';
import { applyAllPendingChanges, rebuildSignals } from './signals.rollups.js';

let t: TestDatabase;
let f: SignalsFixture;
const db = () => t.database.db;
const WEEK = '2026-01-05';

beforeAll(async () => {
  t = await createTestDatabase();
  f = await buildSignalsFixture(db());
  await ingestBatch(db(), null, f.batch);
}, 60_000);
afterAll(() => t.destroy());

async function personWeek(personId: string): Promise<Record<string, number>> {
  const rows = await db()
    .selectFrom('signals_person_week')
    .select(['metric', 'value', 'week'])
    .where('person_id', '=', personId)
    .execute();
  for (const r of rows) expect(String(r.week)).toBe(WEEK);
  return Object.fromEntries(rows.map((r) => [r.metric, r.value]));
}

// Hand-computed from signals.fixture.ts.
const ADA = {
  commits: 2, // c1, the revert c2; the merge commit c3 does not count
  reverts: 1,
  'area:src/api': 2,
  'area:docs': 1,
  'lang:TypeScript': 2,
  'lang:Markdown': 1,
  prs_opened: 4, // 1, 2, 3 and the draft 4
  prs_merged: 3, // 1, 2, 3
  'pc:acme/app': 2, // contribution by project: the two commits …
  'pm:acme/app': 3, // … and the three merged pull requests
  // Cycle-time histograms (quarter-octave buckets): 1 h → 24, 2 h → 28, 22 h and 23 h → 42.
  'cyc:coding:28': 1, // PR 1 (2 h)
  'cyc:coding:24': 1, // PR 2 (1 h)
  'cyc:pickup:28': 1, // PR 1 (2 h)
  'cyc:pickup:24': 1, // PR 3 (1 h)
  'cyc:review:42': 2, // PR 1 (22 h), PR 3 (23 h)
  items_done: 4, // three pull requests and KES-2 (KES-1 was reopened)
  bugfix_done: 2, // PR 1 "fix …" and the Bug KES-2
  changes_requested_received: 1,
  prs_merged_unreviewed: 1, // PR 2
  issues_completed: 1,
  story_points: 5,
};
const GRACE = {
  reviews_given: 4, // two on PR 1, PR 3, the bot's PR 5
  changes_requested_given: 1,
  items_done: 1,
  issues_completed: 1, // KES-3 once, in the week it was finally done
  story_points: 2,
};

describe('metric definitions on the hand-checked fixture', () => {
  it('weeks are UTC ISO weeks starting on Monday', () => {
    expect(weekOf('2026-01-05T00:00:00Z')).toBe('2026-01-05');
    expect(weekOf('2026-01-11T23:59:59Z')).toBe('2026-01-05');
    expect(weekOf('2026-01-04T23:59:59Z')).toBe('2025-12-29');
    expect(addWeeks('2025-12-29', 1)).toBe('2026-01-05');
  });

  it('organisation-wide percentiles from the histograms stay within 9% of the exact ones', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const p of [0.5, 0.85]) {
      const values = Array.from({ length: 2000 }, () => 60 * Math.exp(random() * 8)).sort((a, b) => a - b);
      const buckets = new Map<number, number>();
      for (const v of values) buckets.set(cycleBucket(v), (buckets.get(cycleBucket(v)) ?? 0) + 1);
      const exact = percentile(values, p);
      expect(Math.abs(histogramPercentile(buckets, p)! / exact - 1)).toBeLessThan(0.09);
    }
    expect(histogramPercentile(new Map(), 0.5)).toBeNull();
    expect(cycleBucket(59)).toBe(0);
    expect(cycleBucket(3600)).toBe(24);
  });

  it('every definition has a plain-language description, a unit and levels', () => {
    expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
    for (const m of METRICS) {
      expect(m.description.length).toBeGreaterThan(20);
      expect(m.unit).not.toBe('');
      expect(m.levels.length).toBeGreaterThan(0);
    }
  });

  it('incremental rollups give the hand-computed values (bots excluded)', async () => {
    const applied = await applyAllPendingChanges(db());
    expect(applied.changes).toBeGreaterThan(0);
    expect(await personWeek(f.ada.id)).toEqual(ADA);
    expect(await personWeek(f.grace.id)).toEqual(GRACE);
    const team = await db()
      .selectFrom('signals_team_week')
      .select(['metric', 'value'])
      .where('team_id', '=', f.team.id)
      .execute();
    const byMetric = Object.fromEntries(team.map((r) => [r.metric, r.value]));
    expect(byMetric.reviews_given).toBe(4);
    expect(byMetric.items_done).toBe(5);
    expect(byMetric.issues_completed).toBe(2);
  });

  it('cycle-time stages per merged pull request (no review, draft, self-review)', async () => {
    const facts = await db()
      .selectFrom('signals_item_fact')
      .select(['source_id', 'coding_s', 'pickup_s', 'review_s', 'person_id'])
      .where('kind', '=', 'pull_request')
      .orderBy('source_id')
      .execute();
    const h = (s: number | null) => (s === null ? null : s / 3600);
    const byId = Object.fromEntries(
      facts.map((r) => [r.source_id, [h(r.coding_s), h(r.pickup_s), h(r.review_s)]]),
    );
    expect(byId['acme/app#1']).toEqual([2, 2, 22]);
    expect(byId['acme/app#2']).toEqual([1, null, null]);
    expect(byId['acme/app#3']).toEqual([null, 1, 23]);
    expect(byId['acme/app#4']).toEqual([null, null, null]);
    expect(byId['acme/app#5']).toEqual([null, null, null]); // the bot's
    expect(facts.find((r) => r.source_id === 'acme/app#5')?.person_id).toBeNull();
  });

  it('a rebuild from scratch gives the same values', async () => {
    const r = await rebuildSignals(db());
    expect(r.events).toBe(f.batch.events!.length);
    expect(await personWeek(f.ada.id)).toEqual(ADA);
    expect(await personWeek(f.grace.id)).toEqual(GRACE);
  });
});
