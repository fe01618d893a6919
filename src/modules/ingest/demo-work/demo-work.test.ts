import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/test-db.js';
import { generateDemoOrganisation } from '../../demo/demo.generator.js';
import { DEMO_COMPANY } from '../../demo/demo.structure.js';
import { importPeople } from '../../org/org.import.js';
import { demoWorkChunks, generateDemoWork } from './demo-work.generator.js';
import { demoWorkPatterns, seedDemoWork } from './demo-work.service.js';
import { activityOn, DAY_MS } from './demo-work.people.js';

const REF = '2026-11-26';
const org = generateDemoOrganisation(42, { referenceDate: REF });
const work = generateDemoWork(42, REF, org.snapshots.current);

describe('demo work generator', () => {
  it('is deterministic for a seed and differs for another', () => {
    const again = generateDemoWork(42, REF, org.snapshots.current);
    expect(again.pullRequests.map((p) => p.pr.created_at + p.pr.title)).toEqual(
      work.pullRequests.map((p) => p.pr.created_at + p.pr.title),
    );
    const other = generateDemoWork(
      43,
      REF,
      generateDemoOrganisation(43, { referenceDate: REF }).snapshots.current,
    );
    expect(other.pullRequests.length).not.toBe(work.pullRequests.length);
  });

  it('has reviews across teams, changes requested, drafts, reverts, bots, reopened issues and sprints', () => {
    const prs = work.pullRequests;
    const teamOf = new Map(work.engineers.map((e) => [e.login, e.team.name]));
    const reviews = prs.flatMap((p) => p.reviews.map((r) => ({ p, r })));
    const cross = reviews.filter(({ p, r }) => p.author && teamOf.get(r.user!.login) !== p.author.team.name);
    expect(cross.length / reviews.length).toBeGreaterThan(0.08);
    expect(reviews.filter(({ r }) => r.state === 'CHANGES_REQUESTED').length).toBeGreaterThan(100);
    expect(prs.filter((p) => p.readyAt).length).toBeGreaterThan(50);
    expect(prs.filter((p) => p.isRevert).length).toBeGreaterThanOrEqual(1);
    expect(prs.filter((p) => p.isBot).length).toBeGreaterThan(50);
    expect(
      work.issues.filter((i) => i.histories.filter((h) => h.items[0]!.toString === 'Done').length > 1).length,
    ).toBeGreaterThan(5);
    expect(work.sprints.filter((s) => s.sprint.state === 'active')).toHaveLength(6);
    // Nothing happens after the reference day.
    const now = Date.parse(`${REF}T00:00:00Z`);
    for (const c of demoWorkChunks(work))
      for (const e of c.draft.events) expect(e.occurredAt.getTime()).toBeLessThanOrEqual(now);
  });

  it('gives people stories: dips and strong periods show in their output; new hires ramp up; holidays slow everyone', () => {
    const start = Date.parse(`${work.windowStart}T00:00:00Z`);
    const perDay = (email: string, from: string, to: string) => {
      const a = Date.parse(`${from}T00:00:00Z`);
      const b = Date.parse(`${to}T00:00:00Z`);
      const n = work.pullRequests.filter(
        (p) =>
          p.author?.email === email && Date.parse(p.firstCommitAt) >= a && Date.parse(p.firstCommitAt) < b,
      ).length;
      return n / ((b - a) / DAY_MS);
    };
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(work.patterns.filter((p) => p.kind === 'dip')).toHaveLength(3);
    expect(work.patterns.filter((p) => p.kind === 'strength')).toHaveLength(2);
    for (const p of work.patterns) {
      const len = Date.parse(p.to) - Date.parse(p.from);
      const before = perDay(p.email, iso(Math.max(start, Date.parse(p.from) - 2 * len)), p.from);
      const during = perDay(p.email, p.from, p.to);
      if (p.kind === 'dip') expect(during).toBeLessThan(before * 0.7);
      else expect(during).toBeGreaterThan(before * 1.2);
    }
    // New hires (on average, so holidays do not decide it) work far less in their first month than later.
    const newcomers = work.engineers.filter((e) => e.hire > 30 && e.hire < 350 && !e.isManager);
    expect(newcomers.length).toBeGreaterThan(5);
    const sum = (from: number, days: number) =>
      newcomers.reduce(
        (a, e) =>
          a +
          Array.from({ length: days }, (_, d) => activityOn(e, e.hire + from + d, start)).reduce(
            (x, y) => x + y,
            0,
          ),
        0,
      );
    expect(sum(0, 28)).toBeLessThan(sum(150, 28) * 0.45);
    const christmas = work.pullRequests.filter(
      (p) => /-12-(2[4-9]|3[01])T/.test(p.firstCommitAt) && !p.isBot,
    ).length;
    const lateNovember = work.pullRequests.filter(
      (p) => /-11-(1[7-9]|2[0-4])T/.test(p.firstCommitAt) && !p.isBot && p.firstCommitAt < REF,
    ).length;
    expect(christmas).toBeLessThan(lateNovember * 0.3);
  });
});

describe('seedDemoWork (through the ingest pipeline)', () => {
  let t: TestDatabase;
  const db = () => t.database.db;
  const opts = { seed: 42, referenceDate: REF, prPerDay: 0.03 };
  const count = async (table: 'ingest_work_event' | 'ingest_work_item' | 'ingest_business_metric') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestDatabase();
    // The demo organisation's people and teams, loaded as the demo loader does.
    const report = await importPeople(
      db(),
      { records: org.snapshots.current },
      { dryRun: false, source: 'demo', actorAccountId: null, companyName: DEMO_COMPANY },
    );
    expect(report.errors).toEqual([]);
  });
  afterAll(() => t.destroy());

  it('writes items, events and metrics on demo connections, resumes after an interruption, and is then a no-op', async () => {
    // An interrupted load: it stops after three months, then runs again.
    await expect(seedDemoWork(db(), { ...opts, crashAfterMonths: 3 })).rejects.toThrow(
      /stopped after 3 months/,
    );
    const partial = await count('ingest_work_event');
    const resumed = await seedDemoWork(db(), opts);
    expect(resumed.loaded).toBe(true);
    const small = demoWorkChunks(
      generateDemoWork(42, REF, org.snapshots.current, { prPerDay: opts.prPerDay }),
    );
    const expected = new Set(small.flatMap((c) => c.draft.events.map((e) => `${e.source} ${e.sourceId}`)))
      .size;
    const totals = {
      events: await count('ingest_work_event'),
      items: await count('ingest_work_item'),
      metrics: await count('ingest_business_metric'),
    };
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected);
    expect(totals.events).toBe(expected);
    expect(totals.items).toBe(
      new Set(small.flatMap((c) => c.draft.items.map((i) => `${i.source} ${i.sourceId}`))).size,
    );
    expect(totals.metrics).toBeGreaterThan(100);

    const again = await seedDemoWork(db(), opts);
    expect(again.loaded).toBe(false);
    expect(await count('ingest_work_event')).toBe(totals.events);
    const connections = await db().selectFrom('ingest_connection').select(['kind', 'name']).execute();
    expect(connections.filter((c) => c.kind === 'github')).toHaveLength(6);
    expect(connections.filter((c) => c.kind === 'jira')).toHaveLength(6);
    expect((await demoWorkPatterns(db())).length).toBe(5);
    // Nearly all of it is attributed to people; nothing was quarantined.
    const byPerson = await db()
      .selectFrom('ingest_work_event as e')
      .innerJoin('ingest_identity as i', 'i.id', 'e.actor_identity_id')
      .where('i.is_bot', '=', false)
      .select([
        (eb) => eb.fn.countAll<number>().as('all'),
        (eb) => eb.fn.count<number>('e.person_id').as('attributed'),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(byPerson.attributed) / Number(byPerson.all)).toBeGreaterThan(0.9);
    expect(await db().selectFrom('ingest_quarantine').select('id').execute()).toEqual([]);
  });
});
