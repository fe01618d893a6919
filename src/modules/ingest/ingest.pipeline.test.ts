import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Person } from '../../db/types.js';
import { buildAccount, buildPerson, buildTeam } from '../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { isBotIdentity, mapIdentity, markIdentityBot, parseGithubNoreply } from './ingest.identity.js';
import type { NormalisedBatch, NormalisedEvent } from './ingest.model.js';
import { ingestBatch, purgeRawPayloads } from './ingest.pipeline.js';

// The machine running the suite may be busy; database set-up and git repositories take time there.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

let t: TestDatabase;
let ada: Person;
let grace: Person;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestDatabase();
  ada = await buildPerson(db(), { email: 'Ada@Kestrel.test', name: 'Ada' });
  grace = await buildPerson(db(), { email: 'grace@kestrel.test', name: 'Grace' });
}, 300_000);
afterAll(() => t.destroy());

function commit(
  sha: string,
  email: string,
  at = '2026-01-02T10:00:00Z',
  extra: Partial<NormalisedEvent> = {},
): NormalisedEvent {
  return {
    sourceId: `repo:${sha}`,
    kind: 'commit',
    occurredAt: at,
    actor: { source: 'git', externalId: email, email, name: email.split('@')[0] ?? null },
    project: 'repo',
    attributes: { sha, additions: 3, deletions: 1 },
    ...extra,
  };
}

async function eventPeople(): Promise<Record<string, string | null>> {
  const rows = await db().selectFrom('ingest_work_event').select(['source_id', 'person_id']).execute();
  return Object.fromEntries(rows.map((r) => [r.source_id, r.person_id]));
}

describe('ingestBatch', () => {
  it('creates, then reports a re-delivery as unchanged, then an edit as updated', async () => {
    const batch: NormalisedBatch = {
      source: 'test-a',
      events: [commit('a1', 'ada@kestrel.test'), commit('a2', 'grace@kestrel.test')],
      items: [
        {
          sourceId: 'pr-1',
          kind: 'pull_request',
          state: 'open',
          project: 'repo',
          openedAt: '2026-01-01T00:00:00Z',
          author: { source: 'git', externalId: 'ada@kestrel.test' },
        },
      ],
    };
    const first = await ingestBatch(db(), null, batch);
    expect(first).toMatchObject({ read: 3, created: 3, updated: 0, unchanged: 0, rejected: 0, unmatched: 0 });
    const again = await ingestBatch(db(), null, batch);
    expect(again).toMatchObject({ read: 3, created: 0, updated: 0, unchanged: 3 });
    const edited = await ingestBatch(db(), null, {
      source: 'test-a',
      events: [
        commit('a1', 'ada@kestrel.test', '2026-01-02T10:00:00Z', {
          attributes: { sha: 'a1', additions: 4, deletions: 1 },
        }),
      ],
    });
    expect(edited).toMatchObject({ read: 1, updated: 1, created: 0, unchanged: 0 });
    const people = await eventPeople();
    expect(people['repo:a1']).toBe(ada.id);
    expect(people['repo:a2']).toBe(grace.id);
  });

  it('counts duplicates inside one batch once', async () => {
    const e = commit('d1', 'ada@kestrel.test');
    const s = await ingestBatch(db(), null, { source: 'test-dup', events: [e, e, e] });
    expect(s).toMatchObject({ read: 3, created: 1, unchanged: 2 });
  });

  it('never lets an older version of an item replace a newer one (by the source updated-at), in any order', async () => {
    const version = (state: string, updatedAt: string | null, title = `PR in state ${state}`) => ({
      sourceId: 'pr-versions',
      kind: 'pull_request' as const,
      state,
      title,
      project: 'repo',
      openedAt: '2026-02-01T00:00:00Z',
      updatedAt,
      author: { source: 'git', externalId: 'ada@kestrel.test' },
    });
    const open = version('open', '2026-02-01T10:00:00Z');
    const merged = version('merged', '2026-02-03T10:00:00Z');
    const stored = async () =>
      db()
        .selectFrom('ingest_work_item')
        .select(['state', 'title', 'source_updated_at'])
        .where('source', '=', 'test-newest')
        .where('source_id', '=', 'pr-versions')
        .executeTakeFirstOrThrow();

    expect(await ingestBatch(db(), null, { source: 'test-newest', items: [merged] })).toMatchObject({
      created: 1,
    });
    // The older page arrives late: nothing changes and it counts as unchanged.
    expect(await ingestBatch(db(), null, { source: 'test-newest', items: [open] })).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 1,
    });
    expect(await stored()).toMatchObject({
      state: 'merged',
      source_updated_at: new Date('2026-02-03T10:00:00Z'),
    });
    // Both versions in one batch, older last: the newer one is kept.
    expect(await ingestBatch(db(), null, { source: 'test-newest', items: [merged, open] })).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 2,
    });
    expect((await stored()).state).toBe('merged');
    // The same time with other content (a definition changed, re-derived) and a newer version still apply.
    const retitled = version('merged', '2026-02-03T10:00:00Z', 'Retitled');
    expect(await ingestBatch(db(), null, { source: 'test-newest', items: [retitled] })).toMatchObject({
      updated: 1,
    });
    const closed = version('closed', '2026-02-04T10:00:00Z');
    expect(await ingestBatch(db(), null, { source: 'test-newest', items: [open, closed] })).toMatchObject({
      updated: 1,
      unchanged: 1,
    });
    expect(await stored()).toMatchObject({
      state: 'closed',
      source_updated_at: new Date('2026-02-04T10:00:00Z'),
    });
    // A version without an updated-at cannot be ordered and is taken as it comes.
    expect(
      await ingestBatch(db(), null, { source: 'test-newest', items: [version('open', null)] }),
    ).toMatchObject({ updated: 1 });
    expect((await stored()).state).toBe('open');
  });

  it('quarantines invalid records naming source, record and field, and keeps the valid ones', async () => {
    const s = await ingestBatch(db(), null, {
      source: 'test-bad',
      events: [commit('ok', 'ada@kestrel.test'), commit('bad', 'ada@kestrel.test', 'yesterday-ish')],
      metrics: [
        {
          metric: 'revenue',
          value: Number.NaN,
          subject: { teamSlug: 'x' },
          periodStart: '2026-01-01',
          periodEnd: '2026-01-31',
        },
      ],
    });
    expect(s).toMatchObject({ read: 3, created: 1, rejected: 2 });
    const q = await db()
      .selectFrom('ingest_quarantine')
      .selectAll()
      .where('source', '=', 'test-bad')
      .orderBy('record_ref')
      .execute();
    expect(q.map((r) => [r.record_ref, r.field])).toEqual([
      ['event repo:bad', 'occurredAt'],
      ['metric revenue', 'value'],
    ]);
    expect(q[0]!.problem).toContain('test-bad event repo:bad: occurredAt is not a valid timestamp');
    // The same bad record delivered again stays one entry with two attempts.
    await ingestBatch(db(), null, {
      source: 'test-bad',
      events: [commit('bad', 'ada@kestrel.test', 'yesterday-ish')],
    });
    const again = await db()
      .selectFrom('ingest_quarantine')
      .selectAll()
      .where('record_ref', '=', 'event repo:bad')
      .execute();
    expect(again).toHaveLength(1);
    expect(again[0]!.attempts).toBe(2);
  });

  it('rolls back the whole batch (data and cursor) when the database refuses part of it', async () => {
    const conn = await db()
      .insertInto('ingest_connection')
      .values({ kind: 'git', name: 'rollback', config: '{}', cursor: JSON.stringify({ at: 'start' }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      ingestBatch(db(), conn, {
        source: 'test-rb',
        events: [commit('r1', 'ada@kestrel.test')],
        items: [{ sourceId: 'x', kind: 'pull_request', state: 'open', attributes: { bad: '\u0000' } }],
        cursor: { at: 'after' },
      }),
    ).rejects.toThrow();
    expect(
      await db().selectFrom('ingest_work_event').where('source', '=', 'test-rb').selectAll().execute(),
    ).toEqual([]);
    const c = await db()
      .selectFrom('ingest_connection')
      .select('cursor')
      .where('id', '=', conn.id)
      .executeTakeFirstOrThrow();
    expect(c.cursor).toEqual({ at: 'start' });
  });

  it('stores metrics for people and teams and rejects unknown subjects', async () => {
    const team = await buildTeam(db(), { slug: 'platform' });
    const s = await ingestBatch(db(), null, {
      source: 'metrics',
      metrics: [
        {
          metric: 'revenue',
          value: 1200.5,
          unit: 'EUR',
          subject: { teamSlug: 'Platform' },
          periodStart: '2026-01-01',
          periodEnd: '2026-03-31',
        },
        {
          metric: 'csat',
          value: 4.5,
          subject: { personEmail: 'ada@kestrel.test' },
          periodStart: '2026-01-01',
          periodEnd: '2026-01-31',
        },
        {
          metric: 'csat',
          value: 4.5,
          subject: { employeeId: 'nobody' },
          periodStart: '2026-01-01',
          periodEnd: '2026-01-31',
        },
      ],
    });
    expect(s).toMatchObject({ read: 3, created: 2, rejected: 1 });
    const rows = await db()
      .selectFrom('ingest_business_metric')
      .select(['metric', 'team_id', 'person_id', 'value'])
      .orderBy('metric')
      .execute();
    expect(rows).toEqual([
      { metric: 'csat', team_id: null, person_id: ada.id, value: 4.5 },
      { metric: 'revenue', team_id: team.id, person_id: null, value: 1200.5 },
    ]);
  });

  it('keeps work events’ references whole: unknown ones are refused, deleted connections and people are cleared, named identities stay', async () => {
    const conn = await db()
      .insertInto('ingest_connection')
      .values({ kind: 'git', name: 'refs', config: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const leaver = await buildPerson(db(), { email: 'leaver@kestrel.test', name: 'Leaver' });
    await ingestBatch(db(), conn, { source: 'test-refs', events: [commit('f1', 'leaver@kestrel.test')] });
    const event = await db()
      .selectFrom('ingest_work_event')
      .select(['id', 'actor_identity_id', 'person_id', 'connection_id'])
      .where('source', '=', 'test-refs')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ person_id: leaver.id, connection_id: conn.id });
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const column of ['actor_identity_id', 'person_id', 'connection_id'] as const) {
      const insert = db()
        .insertInto('ingest_work_event')
        .values({
          source: 'test-refs',
          source_id: `bad-${column}`,
          kind: 'commit',
          occurred_at: new Date(),
          content_hash: 'x',
          [column]: missing,
        });
      await expect(insert.execute()).rejects.toMatchObject({ code: '23503' });
      await expect(
        db()
          .updateTable('ingest_work_event')
          .set({ [column]: missing })
          .where('id', '=', event.id)
          .execute(),
      ).rejects.toThrow(`ingest_work_event_${column}_fkey`);
    }
    await expect(
      db().deleteFrom('ingest_identity').where('id', '=', event.actor_identity_id!).execute(),
    ).rejects.toMatchObject({ code: '23503' });
    await db().deleteFrom('ingest_connection').where('id', '=', conn.id).execute();
    await db().deleteFrom('person').where('id', '=', leaver.id).execute();
    expect(
      await db()
        .selectFrom('ingest_work_event')
        .select(['actor_identity_id', 'person_id', 'connection_id'])
        .where('id', '=', event.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ actor_identity_id: event.actor_identity_id, person_id: null, connection_id: null });
  });

  it('purges raw payloads older than the retention', async () => {
    await ingestBatch(db(), null, { source: 'test-raw', raw: [{ sourceId: 'p1', payload: { a: 1 } }] });
    expect(await purgeRawPayloads(db(), 30, new Date(Date.now() + 31 * 86_400_000))).toBeGreaterThanOrEqual(
      1,
    );
  });
});

describe('identity resolution', () => {
  it('recognises bots and GitHub no-reply addresses', () => {
    expect(isBotIdentity({ login: 'dependabot[bot]' })).toBe(true);
    expect(isBotIdentity({ email: '49699333+dependabot[bot]@users.noreply.github.com' })).toBe(true);
    expect(isBotIdentity({ name: 'renovate-bot' })).toBe(true);
    expect(isBotIdentity({ login: 'github-actions' })).toBe(true);
    expect(isBotIdentity({ login: 'robotics-rita', name: 'Rita Abbott' })).toBe(false);
    expect(parseGithubNoreply('583231+octocat@users.noreply.github.com')).toEqual({
      id: '583231',
      login: 'octocat',
    });
    expect(parseGithubNoreply('octocat@users.noreply.github.com')).toEqual({ id: null, login: 'octocat' });
    expect(parseGithubNoreply('octocat@github.com')).toBeNull();
  });

  it('matches account e-mails, no-reply addresses through a mapped GitHub identity, and keeps bots out', async () => {
    const lin = await buildPerson(db(), { email: 'lin@kestrel.test' });
    await buildAccount(db(), { personId: lin.id, email: 'lin.alias@kestrel.test' });
    await ingestBatch(db(), null, {
      source: 'test-id',
      events: [
        {
          sourceId: 'gh-1',
          kind: 'pr_opened',
          occurredAt: '2026-02-01T00:00:00Z',
          actor: { source: 'github', externalId: '583231', login: 'octocat', email: 'grace@kestrel.test' },
        },
        commit('i1', 'lin.alias@kestrel.test'),
        commit('i2', '583231+octocat@users.noreply.github.com'),
        {
          ...commit('i3', 'bot@x.test'),
          actor: { source: 'github', externalId: '49699333', login: 'dependabot[bot]' },
        },
      ],
    });
    const people = await eventPeople();
    expect(people['gh-1']).toBe(grace.id);
    expect(people['repo:i1']).toBe(lin.id);
    expect(people['repo:i2']).toBe(grace.id);
    expect(people['repo:i3']).toBeNull();
    const bot = await db()
      .selectFrom('ingest_identity')
      .selectAll()
      .where('login', '=', 'dependabot[bot]')
      .executeTakeFirstOrThrow();
    expect(bot.is_bot).toBe(true);
    const noreply = await db()
      .selectFrom('ingest_identity')
      .selectAll()
      .where('external_id', '=', '583231+octocat@users.noreply.github.com')
      .executeTakeFirstOrThrow();
    expect(noreply.mapped_by).toBe('noreply');
  });

  it('maps an unmatched identity later: its past events follow without re-import; a bot mark removes them', async () => {
    const s = await ingestBatch(db(), null, {
      source: 'test-map',
      events: [commit('m1', 'ada.old@home.test'), commit('m2', 'ada.old@home.test')],
    });
    expect(s.unmatched).toBe(1);
    const identity = s.unmatchedIdentityIds[0]!;
    await mapIdentity(db(), identity, ada.id);
    let people = await eventPeople();
    expect([people['repo:m1'], people['repo:m2']]).toEqual([ada.id, ada.id]);
    const again = await ingestBatch(db(), null, {
      source: 'test-map',
      events: [commit('m1', 'ada.old@home.test'), commit('m3', 'ada.old@home.test')],
    });
    expect(again).toMatchObject({ unchanged: 1, created: 1, unmatched: 0 });
    await markIdentityBot(db(), identity, true);
    people = await eventPeople();
    expect([people['repo:m1'], people['repo:m3']]).toEqual([null, null]);
    const row = await sql<{
      n: number;
    }>`select count(*)::int as n from ingest_identity where person_id is null and not is_bot and id = ${identity}`.execute(
      db(),
    );
    expect(row.rows[0]!.n).toBe(0);
  });
});
