import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { createConnection, ensureConnection } from './ingest.connections.js';
import { registerConnector } from './ingest.connectors.js';
import { enqueueRun, loadConnectors, runConnection } from './ingest.runner.js';

// The machine running the suite may be busy; database set-up and git repositories take time there.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

let t: TestDatabase;
const db = () => t.database.db;
let failAfter = Number.POSITIVE_INFINITY;

beforeAll(async () => {
  t = await createTestDatabase();
  // The real connectors load once; the fake registered after them replaces the real Jira one.
  await loadConnectors();
  // A fake jira connector: three pages of events, resuming from `cursor.page`.
  registerConnector('jira', {
    test: async () => ({ ok: true, message: 'fine' }),
    async run(ctx) {
      const start = Number(ctx.connection.cursor.page ?? 0);
      for (let page = start; page < 3; page++) {
        if (page >= failAfter) throw new Error(`page ${page}: the server answered garbage`);
        await ctx.ingest(
          {
            source: 'fake',
            events: [0, 1].map((i) => ({
              sourceId: `p${page}-${i}`,
              kind: 'issue_created',
              occurredAt: '2026-03-01T00:00:00Z',
              actor: { source: 'fake', externalId: `user-${i}` },
            })),
            cursor: { page: page + 1 },
          },
          { done: page + 1, total: 3 },
        );
      }
    },
  });
}, 300_000);
afterAll(() => t.destroy());

describe('runConnection', () => {
  it('records a failed run with its error, then resumes from the committed cursor', async () => {
    const c = await createConnection(db(), { kind: 'jira', name: 'Fake Jira', config: {} });
    failAfter = 2;
    const failed = await runConnection(db(), c.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('page 2: the server answered garbage');
    expect(failed.summary).toMatchObject({ read: 4, created: 4, unmatched: 2 });
    let conn = await db()
      .selectFrom('ingest_connection')
      .selectAll()
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(conn).toMatchObject({ status: 'failed', cursor: { page: 2 } });
    expect(conn.last_error).toContain('garbage');

    failAfter = Number.POSITIVE_INFINITY;
    const ok = await runConnection(db(), c.id);
    expect(ok).toMatchObject({ status: 'succeeded', summary: { read: 2, created: 2 } });
    conn = await db()
      .selectFrom('ingest_connection')
      .selectAll()
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(conn).toMatchObject({ status: 'succeeded', cursor: { page: 3 }, last_error: null });
    const runs = await db()
      .selectFrom('ingest_run')
      .selectAll()
      .where('connection_id', '=', c.id)
      .orderBy('queued_at')
      .execute();
    expect(runs.map((r) => [r.status, r.read, r.created])).toEqual([
      ['failed', 4, 4],
      ['succeeded', 2, 2],
    ]);
  });

  it('runs a queued run in the background when there is no job queue', async () => {
    const c = await ensureConnection(db(), 'jira', 'Queued Jira', { site: 'x' });
    expect((await ensureConnection(db(), 'jira', 'queued jira', { site: 'x' })).id).toBe(c.id);
    const runId = await enqueueRun(db(), undefined, c.id);
    for (let i = 0; i < 100; i++) {
      const run = await db()
        .selectFrom('ingest_run')
        .selectAll()
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      if (run.status === 'succeeded') {
        expect(run.read).toBe(6);
        expect(run.unchanged).toBe(6);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('run did not finish');
  });

  it('refuses a connection of unknown kind and a clashing name', async () => {
    await expect(createConnection(db(), { kind: 'svn' as 'git', name: 'x' })).rejects.toThrow(
      /kind must be one of/,
    );
    await expect(createConnection(db(), { kind: 'jira', name: 'fake jira' })).rejects.toThrow(/exists/);
  });
});
