import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildPerson } from '../../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../../test/test-db.js';
import { ensureConnection } from '../ingest.connections.js';
import { runConnection } from '../ingest.runner.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestRepo, generateRepo, TEST_AUTHORS, type TestRepo } from '../ingest.test-repo.js';
import { languageOf, openRepository, resolveRevision } from './git.log.js';

// The machine running the suite may be busy; database set-up and git repositories take time there.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

let t: TestDatabase;
let repo: TestRepo;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestDatabase();
  repo = buildTestRepo();
  for (const a of [TEST_AUTHORS.ada, TEST_AUTHORS.bob, TEST_AUTHORS.carol])
    await buildPerson(db(), { email: a.email, name: a.name });
}, 300_000);
afterAll(async () => {
  repo?.remove();
  await t.destroy();
});

async function commitCounts(): Promise<Map<string, number>> {
  const rows = await sql<{ email: string; n: number }>`
    select i.external_id as email, count(*)::int as n from ingest_work_event e
    join ingest_identity i on i.id = e.actor_identity_id
    where e.kind = 'commit' group by i.external_id`.execute(db());
  return new Map(rows.rows.map((r) => [r.email, r.n]));
}

describe('git connector', () => {
  let connectionId: string;

  it('imports the history: per-person commit counts equal git shortlog -sne', async () => {
    const c = await ensureConnection(db(), 'git', 'git demo', { path: repo.dir, project: 'demo' });
    connectionId = c.id;
    const result = await runConnection(db(), c.id);
    expect(result.error).toBeNull();
    const shortlog = repo.shortlog();
    expect(await commitCounts()).toEqual(shortlog);
    expect(shortlog.get('bob@kestrel.test')).toBe(3); // two as Bob + one through the .mailmap alias, merge included
    // Unmatched: Dan only (the bot is recognised, everyone else matches by e-mail).
    expect(result.summary.unmatched).toBe(1);
    const people = await sql<{ email: string; n: number }>`
      select p.email, count(*)::int as n from ingest_work_event e join person p on p.id = e.person_id
      where e.kind = 'commit' group by p.email order by p.email`.execute(db());
    expect(people.rows).toEqual([
      { email: 'ada@kestrel.test', n: 3 },
      { email: 'bob@kestrel.test', n: 3 },
      { email: 'carol@kestrel.test', n: 2 },
    ]);
  });

  it('records co-authors (mailmapped), the merge, the rename, areas and languages', async () => {
    const co = await sql<{ external_id: string }>`
      select i.external_id from ingest_work_event e join ingest_identity i on i.id = e.actor_identity_id
      where e.kind = 'commit_coauthored' order by 1`.execute(db());
    expect(co.rows.map((r) => r.external_id)).toEqual(['bob@kestrel.test', 'carol@kestrel.test']);
    const events = await db()
      .selectFrom('ingest_work_event')
      .select(['attributes'])
      .where('kind', '=', 'commit')
      .execute();
    const bySubject = new Map(events.map((e) => [e.attributes.subject as string, e.attributes]));
    expect(bySubject.get('Merge feature')).toMatchObject({ merge: true });
    expect((bySubject.get('Merge feature')!.parents as string[]).length).toBe(2);
    expect(bySubject.get('Move the parser')).toMatchObject({
      renames: 1,
      areas: ['lib'],
      paths: ['lib/parser.py'],
    });
    expect(bySubject.get('Add the web client')).toMatchObject({
      areas: ['web'],
      languages: { TypeScript: 1, CSS: 1 },
      additions: 2,
    });
    expect(bySubject.get('Start the API')).toMatchObject({ areas: ['(root)', 'api'] });
    const bot = await db()
      .selectFrom('ingest_identity')
      .select(['is_bot', 'person_id'])
      .where('external_id', 'like', '%dependabot%')
      .executeTakeFirstOrThrow();
    expect(bot).toEqual({ is_bot: true, person_id: null });
  });

  it('re-import changes nothing; a new commit is imported incrementally from the cursor', async () => {
    const before = await db()
      .selectFrom('ingest_work_event')
      .select(['source_id', 'updated_at'])
      .orderBy('source_id')
      .execute();
    const again = await runConnection(db(), connectionId);
    expect(again.summary).toMatchObject({ read: 0, created: 0, updated: 0 });
    await db()
      .updateTable('ingest_connection')
      .set({ cursor: '{}' })
      .where('id', '=', connectionId)
      .execute();
    const full = await runConnection(db(), connectionId);
    expect(full.summary).toMatchObject({ created: 0, updated: 0, unchanged: before.length });
    expect(
      await db()
        .selectFrom('ingest_work_event')
        .select(['source_id', 'updated_at'])
        .orderBy('source_id')
        .execute(),
    ).toEqual(before);
    repo.addCommit('One more');
    const inc = await runConnection(db(), connectionId);
    expect(inc.summary).toMatchObject({ read: 1, created: 1 });
  });

  it('refuses a folder that is not a repository with a clear error', async () => {
    await expect(openRepository('/')).rejects.toThrow('/: not a git repository');
    await expect(openRepository('/no/such/folder')).rejects.toThrow('no such folder');
    const c = await ensureConnection(db(), 'git', 'not a repo', { path: '/' });
    const r = await runConnection(db(), c.id);
    expect(r.status).toBe('failed');
    expect(r.error).toContain('not a git repository');
  });

  it('a run stopped after its first batch stops git, keeps what it wrote and the next run completes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-git-stop-'));
    try {
      generateRepo(dir, 2500);
      const head = await resolveRevision(dir);
      const c = await ensureConnection(db(), 'git', 'stopped', { path: dir, project: 'stopped' });
      const controller = new AbortController();
      const stopped = await runConnection(db(), c.id, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.summary.read > 0) controller.abort();
        },
      });
      expect(stopped).toMatchObject({ status: 'failed', error: 'stopped' });
      const kept = await sql<{ n: number }>`
        select count(*)::int as n from ingest_work_event where project = 'stopped' and kind = 'commit'`.execute(
        db(),
      );
      expect(kept.rows[0]!.n).toBeGreaterThan(0);
      expect(kept.rows[0]!.n).toBeLessThan(2500);
      const cursor = await db()
        .selectFrom('ingest_connection')
        .select('cursor')
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      expect(cursor.cursor.commit).not.toBe(head);
      const rest = await runConnection(db(), c.id);
      expect(rest.status).toBe('succeeded');
      const all = await sql<{ n: number }>`
        select count(*)::int as n from ingest_work_event where project = 'stopped' and kind = 'commit'`.execute(
        db(),
      );
      expect(all.rows[0]!.n).toBe(2500);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps files to languages', () => {
    expect(languageOf('src/a.test.ts')).toBe('TypeScript');
    expect(languageOf('Dockerfile')).toBe('Dockerfile');
    expect(languageOf('LICENSE')).toBeNull();
  });
});
