import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.js';
import type { DB } from '../../db/types.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { generateRepo } from './ingest.test-repo.js';

/**
 * Crash safety: `cairn import git` in a child process is killed with SIGKILL at random points
 * (after a random number of committed batches plus a random delay), then re-run to the end. The
 * final state must equal a clean import: nothing lost, nothing counted twice.
 */

const CLI = path.resolve('bin/cairn.js');
let work: string;
let repo: string;
let crashed: TestDatabase | undefined;
let clean: TestDatabase | undefined;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-crash-'));
  repo = path.join(work, 'repo');
  generateRepo(repo, 400);
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
    const env: NodeJS.ProcessEnv = { ...process.env, CAIRN_GIT_BATCH_SIZE: '25', CAIRN_TRACE_BATCHES: '1' };
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

async function open(target: { url?: string; dataDir?: string }) {
  return openDatabase(target.url ? { databaseUrl: target.url } : { dataDir: target.dataDir! });
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
      crashTarget = { dataDir: path.join(work, 'crashed') };
      cleanTarget = { dataDir: path.join(work, 'clean') };
    }
    // Kill twice, each after a random number of committed batches plus a random delay.
    let kills = 0;
    for (let i = 0; i < 2; i++) {
      const code = await runImport(crashTarget, 1 + rand(4), rand(150));
      if (code === null) kills++;
    }
    expect(kills).toBeGreaterThan(0);
    expect(await runImport(crashTarget)).toBe(0);
    expect(await runImport(cleanTarget)).toBe(0);

    const a = await open(crashTarget);
    const b = await open(cleanTarget);
    try {
      const left = await snapshot(a.db);
      const right = await snapshot(b.db);
      expect(left.events.filter((e) => e.kind === 'commit')).toHaveLength(400);
      expect(left).toEqual(right);
      const runs = await sql<{ status: string }>`select status from ingest_run order by queued_at`.execute(
        a.db,
      );
      expect(runs.rows.at(-1)!.status).toBe('succeeded');
    } finally {
      await a.close();
      await b.close();
    }
  }, 600_000);
});
