import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { DB } from '../../db/types.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { ensureConnection } from './ingest.connections.js';
import { runConnection } from './ingest.runner.js';
import { generateRepo } from './ingest.test-repo.js';

// The machine running the suite may be busy; database set-up and git repositories take time there.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

/**
 * Crash safety: `cairn import git` in a child process is killed with SIGKILL at random points,
 * then re-run to the end. The final state must equal a clean import: nothing lost, nothing counted
 * twice.
 *
 * Kept fast without weakening it: each child process costs a CLI start-up, so there are exactly two
 * kills — one early (just after the first committed batch, while the second is being read or
 * written) and one later (after a random number of further batches plus a random delay, which may
 * fall inside a transaction or between two) — then one resume. The clean reference is imported once,
 * in this process, into the same kind of database and with the default batch size (so the result
 * must not depend on batch boundaries either).
 */

const COMMITS = 300;
const BATCH = 25;

const CLI = path.resolve('bin/cairn.js');
let work: string;
let repo: string;
let crashed: TestDatabase | undefined;
let clean: TestDatabase | undefined;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-crash-'));
  repo = path.join(work, 'repo');
  generateRepo(repo, COMMITS);
});
afterAll(async () => {
  await crashed?.destroy();
  await clean?.destroy();
  fs.rmSync(work, { recursive: true, force: true });
});

// Seeded so a failure can be reproduced.
let seed = Number(process.env.CAIRN_CRASH_SEED ?? 7);
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

function runImport(
  target: { url?: string; dataDir?: string },
  killAfterBatches?: number,
  extraDelayMs = 0,
): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CAIRN_GIT_BATCH_SIZE: String(BATCH),
      CAIRN_TRACE_BATCHES: '1',
    };
    delete env.DATABASE_URL;
    if (target.url) env.DATABASE_URL = target.url;
    const args = [
      CLI,
      'import',
      'git',
      repo,
      '--project',
      'crash',
      '--json',
      ...(target.dataDir ? ['--data-dir', target.dataDir] : []),
    ];
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let batches = 0;
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      batches += (d.match(/^progress [1-9]/gm) ?? []).length;
      if (killAfterBatches !== undefined && batches >= killAfterBatches && !child.killed) {
        setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(code);
      else reject(new Error(`import exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

async function snapshot(db: Kysely<DB>) {
  const events = await sql<{
    source_id: string;
    kind: string;
    email: string | null;
    person_id: string | null;
  }>`
    select e.source_id, e.kind, e.occurred_at, e.attributes, e.project, i.external_id as email, e.person_id
    from ingest_work_event e left join ingest_identity i on i.id = e.actor_identity_id order by e.source_id`.execute(
    db,
  );
  const identities =
    await sql`select source, external_id, is_bot from ingest_identity order by source, external_id`.execute(
      db,
    );
  const quarantine = await sql`select count(*)::int as n from ingest_quarantine`.execute(db);
  const cursor = await sql<{ cursor: unknown }>`select cursor from ingest_connection`.execute(db);
  return {
    events: events.rows,
    identities: identities.rows,
    quarantine: quarantine.rows,
    cursor: cursor.rows,
  };
}

function open(target: { url?: string; dataDir?: string }) {
  return openDatabase(target.url ? { databaseUrl: target.url } : { dataDir: target.dataDir! });
}

/**
 * The clean reference: one import in this process, into a fresh database of the same kind. On
 * PGlite the crashed run's data folder starts as a copy of the reference's freshly migrated one, so
 * the embedded database is created and migrated once, not twice.
 */
async function cleanImport(db: Kysely<DB>): Promise<void> {
  const connection = await ensureConnection(db, 'git', 'git crash', { path: repo, project: 'crash' });
  const result = await runConnection(db, connection.id, { trigger: 'cli' });
  expect(result.error).toBeNull();
}

describe('crash safety', () => {
  it('an import killed with SIGKILL at random points and re-run equals a clean import', async () => {
    const pg = Boolean(process.env.DATABASE_URL);
    let crashTarget: { url?: string; dataDir?: string };
    let cleanTarget: { url?: string; dataDir?: string };
    if (pg) {
      crashed = await createTestDatabase();
      clean = await createTestDatabase();
      crashTarget = { url: crashed.url! };
      cleanTarget = { url: clean.url! };
    } else {
      cleanTarget = { dataDir: path.join(work, 'clean') };
      crashTarget = { dataDir: path.join(work, 'crashed') };
      const fresh = await open(cleanTarget);
      await migrateToLatest(fresh.db);
      await fresh.close();
      fs.cpSync(cleanTarget.dataDir!, crashTarget.dataDir!, { recursive: true });
    }
    // Early: right after the first committed batch, within the next one. Later: 2–7 batches on,
    // plus up to 120 ms (a batch of 25 commits takes about that long), so it may land anywhere.
    const kills = [
      await runImport(crashTarget, 1, rand(40)),
      await runImport(crashTarget, 2 + rand(6), rand(120)),
    ].filter((code) => code === null).length;
    expect(kills).toBeGreaterThan(0);
    expect(await runImport(crashTarget)).toBe(0);

    const a = await open(crashTarget);
    const b = await open(cleanTarget);
    try {
      await cleanImport(b.db);
      const left = await snapshot(a.db);
      const right = await snapshot(b.db);
      expect(left.events.filter((e) => e.kind === 'commit')).toHaveLength(COMMITS);
      expect(left).toEqual(right);
      const runs = await sql<{ status: string; error: string | null }>`
        select status, error from ingest_run order by queued_at`.execute(a.db);
      expect(runs.rows.at(-1)!.status).toBe('succeeded');
      // A run a kill interrupted is closed as failed when the next one starts, not left "running".
      expect(runs.rows.filter((r) => r.status === 'running')).toEqual([]);
      // One run per process. A kill that lands after its run committed "succeeded" (a late kill
      // while the process exits) interrupts nothing; every other killed run is closed as interrupted.
      expect(runs.rows).toHaveLength(3);
      const interrupted = runs.rows.filter((r) => r.error?.startsWith('interrupted')).length;
      expect(runs.rows.filter((r) => r.status !== 'succeeded')).toHaveLength(interrupted);
      expect(interrupted).toBeGreaterThanOrEqual(1); // the early kill always lands mid-import
      expect(interrupted).toBeLessThanOrEqual(kills);
    } finally {
      await a.close();
      await b.close();
    }
  }, 600_000);
});
