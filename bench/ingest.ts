import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { DB } from '../src/db/types.js';
import { logArgs } from '../src/modules/ingest/connectors/git.log.js';
import { ensureConnection } from '../src/modules/ingest/ingest.connections.js';
import type { NormalisedEvent } from '../src/modules/ingest/ingest.model.js';
import { ingestBatch } from '../src/modules/ingest/ingest.pipeline.js';
import { runConnection } from '../src/modules/ingest/ingest.runner.js';
import { generateRepo } from '../src/modules/ingest/ingest.test-repo.js';
import { dropDatabase } from '../src/test/test-db.js';
import { median, round3, type BenchResult, type Log } from './result.js';

/**
 * Work-data benchmarks.
 * - Pipeline throughput: N normalised events (JSON lines) through parse → identity resolution →
 *   idempotent upsert (→ the signals change capture the rollups apply), in batches of 5,000, against
 *   a bare COPY of the same rows into a plain table of the same database in the same run. Target on
 *   PostgreSQL: ≥ 0.5 of COPY. `size` shows the ceiling — COPY straight into ingest_work_event — and
 *   where it goes, so the ratio can be read against what the table itself allows.
 * - git import of a generated repository (git fast-import) against `git log --numstat` on the same
 *   repository. Target: the whole import ≤ 3× the bare git log. On the embedded database
 *   (`git_import`, in a data folder on disk as `cairn` keeps it) and, when PostgreSQL is
 *   configured, on PostgreSQL too (`git_import_postgres`); medians of three runs of each side.
 */

/** PostgreSQL for the benchmarks: CAIRN_BENCH_PG_URL, else DATABASE_URL, else none. */
function benchPostgresUrl(): string | undefined {
  return process.env.CAIRN_BENCH_PG_URL || process.env.DATABASE_URL || undefined;
}

/** Creates a scratch database on the server of `adminUrl`; `drop` waits for its connections to close. */
async function scratchDatabase(
  adminUrl: string,
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `cairn_bench_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => dropDatabase(adminUrl, name) };
}

const BATCH = 5000;

function syntheticEventLines(n: number): string[] {
  const lines: string[] = [];
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < n; i++) {
    const who = i % 200;
    const event: NormalisedEvent = {
      sourceId: `bench-${i}`,
      kind: i % 3 === 0 ? 'review_submitted' : 'commit',
      occurredAt: new Date(start + i * 60_000).toISOString(),
      actor: {
        source: 'git',
        externalId: `dev${who}@bench.example`,
        email: `dev${who}@bench.example`,
        name: `Dev ${who}`,
      },
      project: `repo-${i % 10}`,
      attributes: { additions: i % 97, deletions: i % 13, areas: ['api', 'web'].slice(0, 1 + (i % 2)) },
    };
    lines.push(JSON.stringify(event));
  }
  return lines;
}

function csvField(v: string): string {
  return `"${v.replace(/"/g, '""')}"`;
}

interface BenchDb {
  kind: 'pglite' | 'postgres';
  db: Kysely<DB>;
  /** COPY the CSV into `target` (a table, optionally with a column list); returns milliseconds. */
  copy(csv: string, target?: string): Promise<number>;
  close(): Promise<void>;
}

async function pgliteDb(): Promise<BenchDb> {
  const pglite = new PGlite();
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    kind: 'pglite',
    db,
    async copy(csv, target = 'bench_copy') {
      const blob = new Blob([csv]);
      const t0 = performance.now();
      await pglite.query(`copy ${target} from '/dev/blob' with (format csv)`, [], { blob });
      return performance.now() - t0;
    },
    close: () => db.destroy(),
  };
}

async function postgresDb(adminUrl: string): Promise<BenchDb> {
  const scratch = await scratchDatabase(adminUrl);
  const pool = new pg.Pool({ connectionString: scratch.url, max: 4 });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    async copy(csv, target = 'bench_copy') {
      // Server-side COPY from a file (the bench runs next to its PostgreSQL); no extra client library.
      const file = path.join(os.tmpdir(), `${scratch.name}.csv`);
      fs.writeFileSync(file, csv);
      fs.chmodSync(file, 0o644);
      try {
        const t0 = performance.now();
        await sql.raw(`copy ${target} from '${file}' with (format csv)`).execute(db);
        return performance.now() - t0;
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
    async close() {
      await db.destroy();
      await scratch.drop();
    },
  };
}

async function pipelineOn(target: BenchDb, lines: string[], log: Log): Promise<BenchResult> {
  const { db } = target;
  await migrateToLatest(db);
  await sql`create table bench_copy (source text, source_id text, kind text, occurred_at timestamptz, project text, actor text, attributes jsonb)`.execute(
    db,
  );
  const n = lines.length;
  log(`bench: pipeline (${target.kind}) — ${n} events…`);
  const t0 = performance.now();
  for (let i = 0; i < n; i += BATCH) {
    const events = lines.slice(i, i + BATCH).map((l) => JSON.parse(l) as NormalisedEvent);
    await ingestBatch(db, null, { source: 'bench', events });
  }
  const pipelineMs = performance.now() - t0;
  const csv = lines
    .map((l) => {
      const e = JSON.parse(l) as NormalisedEvent;
      return [
        'bench',
        e.sourceId,
        e.kind,
        String(e.occurredAt),
        e.project ?? '',
        e.actor?.externalId ?? '',
        JSON.stringify(e.attributes ?? {}),
      ]
        .map(csvField)
        .join(',');
    })
    .join('\n');
  const copyMs = await target.copy(`${csv}\n`);
  const copied = await sql<{ n: number }>`select count(*)::int as n from bench_copy`.execute(db);
  if (copied.rows[0]?.n !== n) throw new Error(`COPY loaded ${copied.rows[0]?.n} rows, expected ${n}`);
  // The ceiling: the same rows COPYed straight into ingest_work_event (its indexes, the per-statement
  // reference check and the signals change capture; no parsing, identities or upsert) — what any
  // pipeline writing that table could at best reach, as a ratio of the plain COPY.
  const identities = await sql<{ id: string; external_id: string }>`
    select id, external_id from ingest_identity where source = 'git'`.execute(db);
  const identityOf = new Map(identities.rows.map((r) => [r.external_id, r.id]));
  const workCsv = (source: string) =>
    `${lines
      .map((l) => {
        const e = JSON.parse(l) as NormalisedEvent;
        return [
          source,
          e.sourceId,
          e.kind,
          String(e.occurredAt),
          e.project ?? '',
          identityOf.get(e.actor?.externalId ?? '') ?? '',
          JSON.stringify(e.attributes ?? {}),
          'x',
        ]
          .map(csvField)
          .join(',');
      })
      .join('\n')}\n`;
  const columns =
    'ingest_work_event (source, source_id, kind, occurred_at, project, actor_identity_id, attributes, content_hash)';
  const ceilingMs = await target.copy(workCsv('bench-ceiling'), columns);
  // Where the ceiling goes (this scratch database only): without the signals change capture of
  // inserts (the statement-level trigger writing the statement's event ids to signals_change), then
  // without any trigger (the reference check included) — indexes only.
  await sql`alter table ingest_work_event disable trigger signals_event_insert`.execute(db);
  const noSignalsMs = await target.copy(workCsv('bench-no-signals'), columns);
  await sql`alter table ingest_work_event disable trigger all`.execute(db);
  const indexesOnlyMs = await target.copy(workCsv('bench-indexes-only'), columns);
  await sql`alter table ingest_work_event enable trigger all`.execute(db);
  const perSec = n / (pipelineMs / 1000);
  const copyPerSec = n / (copyMs / 1000);
  const ratio = perSec / copyPerSec;
  return {
    name: `ingest_pipeline_${target.kind}`,
    value: round3(perSec),
    unit: 'events/s',
    baseline: round3(copyPerSec),
    baseline_name: 'bare COPY of the same rows into a plain table, same database, same run',
    ratio: round3(ratio),
    target: '>= 0.5',
    met: ratio >= 0.5,
    size: {
      events: n,
      batch: BATCH,
      identities: 200,
      ceiling_ratio: round3(copyMs / ceilingMs),
      ceiling_without_signals_trigger_ratio: round3(copyMs / noSignalsMs),
      ceiling_indexes_only_ratio: round3(copyMs / indexesOnlyMs),
      // How close the pipeline comes to that ceiling (1 = as fast as COPY into the table).
      pipeline_to_ceiling_ratio: round3(ceilingMs / pipelineMs),
    },
  };
}

/** Pipeline throughput on PGlite, and on PostgreSQL when CAIRN_BENCH_PG_URL or DATABASE_URL is set. */
export async function benchIngestPipeline(n: number, log: Log): Promise<BenchResult[]> {
  const lines = syntheticEventLines(n);
  const results: BenchResult[] = [];
  const targets: (() => Promise<BenchDb>)[] = [pgliteDb];
  const pgUrl = benchPostgresUrl();
  if (pgUrl) targets.push(() => postgresDb(pgUrl));
  for (const make of targets) {
    const target = await make();
    try {
      results.push(await pipelineOn(target, lines, log));
    } finally {
      await target.close();
    }
  }
  return results;
}

function timeGitLog(repo: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('git', ['-C', repo, 'log', '--numstat'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`git log exited ${code}`)),
    );
  });
}

/** Runs of each side of the git benchmark; the figures are the medians (shared, noisy machines). */
const GIT_RUNS = 3;

/**
 * Imports a generated `commits`-commit repository and compares with `git log --numstat` on it: on
 * the embedded database as `cairn` runs it (a data folder on disk), and on PostgreSQL when one is
 * configured. Each side runs GIT_RUNS times, alternating (a fresh database for every import); the
 * figures are the medians. Generation time is logged and reported in `size.generate_s` (it is not
 * part of either figure).
 */
export async function benchGitImport(commits: number, log: Log): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-git-'));
  const repo = path.join(dir, 'repo');
  log(`bench: generating a ${commits}-commit repository with git fast-import…`);
  const g0 = performance.now();
  generateRepo(repo, commits);
  const generateS = (performance.now() - g0) / 1000;
  log(`bench: generated in ${generateS.toFixed(1)} s`);
  const results: BenchResult[] = [];
  try {
    // Warm the file cache so neither side pays for the first read.
    await timeGitLog(repo);
    const pgUrl = benchPostgresUrl();
    const targets: {
      kind: 'pglite' | 'postgres';
      open(run: number): Promise<{ database: Database; drop(): Promise<void> }>;
    }[] = [
      {
        kind: 'pglite',
        async open(run) {
          const dataDir = path.join(dir, `data-${run}`);
          return {
            database: await openDatabase({ dataDir }),
            drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
          };
        },
      },
    ];
    if (pgUrl)
      targets.push({
        kind: 'postgres',
        async open() {
          const scratch = await scratchDatabase(pgUrl);
          return { database: await openDatabase({ databaseUrl: scratch.url }), drop: () => scratch.drop() };
        },
      });
    for (const target of targets) {
      const importRuns: number[] = [];
      const gitLogRuns: number[] = [];
      let events = 0;
      for (let run = 0; run < GIT_RUNS; run++) {
        const { database, drop } = await target.open(run);
        try {
          await migrateToLatest(database.db);
          gitLogRuns.push(await timeGitLog(repo));
          const connection = await ensureConnection(database.db, 'git', 'bench', {
            path: repo,
            project: 'bench',
          });
          log(
            `bench: importing ${commits} commits into ${target.kind}, run ${run + 1} of ${GIT_RUNS} (the same walk as: git ${logArgs({ to: 'HEAD' }).slice(2, 6).join(' ')} …)…`,
          );
          const t0 = performance.now();
          const result = await runConnection(database.db, connection.id, { trigger: 'bench' });
          importRuns.push(performance.now() - t0);
          if (result.status !== 'succeeded') throw new Error(`git import failed: ${result.error}`);
          events = result.summary.read;
        } finally {
          await database.close();
          await drop();
        }
      }
      const importMs = median(importRuns);
      const gitLogMs = median(gitLogRuns);
      const ratio = importMs / gitLogMs;
      results.push({
        name: target.kind === 'pglite' ? 'git_import' : 'git_import_postgres',
        value: round3(importMs / 1000),
        unit: 's',
        baseline: round3(gitLogMs / 1000),
        baseline_name: 'git log --numstat on the same repository, same run',
        ratio: round3(ratio),
        target: '<= 3',
        met: ratio <= 3,
        size: {
          commits,
          events,
          database: target.kind === 'pglite' ? 'pglite (data folder on disk)' : 'postgres',
          runs: GIT_RUNS,
          import_s: importRuns.map((ms) => round3(ms / 1000)).join(' '),
          git_log_s: gitLogRuns.map((ms) => round3(ms / 1000)).join(' '),
          generate_s: round3(generateS),
        },
      });
    }
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
