import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { getConnector, type ProgressUpdate } from './ingest.connectors.js';
import { emptySummary, type BatchSummary } from './ingest.model.js';
import { ingestBatch } from './ingest.pipeline.js';
import type { Connection } from './ingest.tables.js';

/**
 * Runs connections: inline (CLI, tests) or as pg-boss jobs ("run now" from the API/UI). A run is
 * a row in `ingest_run` holding counts and progress; the connector's batches commit the cursor
 * with their data, so a crashed run resumes where the last committed batch ended.
 */

export const INGEST_RUN_QUEUE = 'ingest.run';
export const INGEST_PURGE_QUEUE = 'ingest.purge-raw';

const CONNECTORS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'connectors');
let loaded: Promise<void> | undefined;

/**
 * Imports every `src/modules/ingest/connectors/*.connector.(ts|js)` once; each calls
 * `registerConnector` at load. New connectors are a new file there — no shared registration line.
 */
export function loadConnectors(): Promise<void> {
  loaded ??= (async () => {
    let files: string[];
    try {
      files = await fs.readdir(CONNECTORS_DIR);
    } catch {
      return;
    }
    for (const file of files.sort()) {
      if (!/\.connector\.(ts|js)$/.test(file) || file.endsWith('.d.ts')) continue;
      await import(pathToFileURL(path.join(CONNECTORS_DIR, file)).href);
    }
  })();
  return loaded;
}

export interface RunOptions {
  trigger?: string;
  /** Use an existing queued run row (from `enqueueRun`). */
  runId?: string;
  onProgress?: (update: ProgressUpdate & { summary: BatchSummary }) => void;
  signal?: AbortSignal;
}

export interface RunResult {
  runId: string;
  connectionId: string;
  status: 'succeeded' | 'failed';
  summary: BatchSummary;
  durationMs: number;
  error: string | null;
}

export async function findConnection(db: Kysely<DB>, id: string): Promise<Connection> {
  const connection = await db
    .selectFrom('ingest_connection')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!connection) throw new AppError('not_found', `No connection ${id}.`);
  return connection;
}

/** Creates a queued run and hands it to pg-boss (or, without a job queue, runs it in the background). */
export async function enqueueRun(
  db: Kysely<DB>,
  boss: PgBoss | undefined,
  connectionId: string,
  trigger = 'api',
): Promise<string> {
  const connection = await findConnection(db, connectionId);
  if (connection.status === 'disabled') throw new AppError('conflict', 'This connection is disabled.');
  const run = await db
    .insertInto('ingest_run')
    .values({ connection_id: connectionId, trigger, status: 'queued', progress: JSON.stringify({ done: 0 }) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('ingest_connection')
    .set({ status: 'queued' })
    .where('id', '=', connectionId)
    .execute();
  if (boss) {
    await boss.send(INGEST_RUN_QUEUE, { connectionId, runId: run.id }, { retryLimit: 2, retryDelay: 30 });
  } else {
    setImmediate(() => {
      runConnection(db, connectionId, { trigger, runId: run.id }).catch(() => undefined);
    });
  }
  return run.id;
}

/**
 * Runs a connection now, in this process. Never throws for connector failures: they are recorded
 * on the run and the connection (status failed, last error) and returned.
 */
export async function runConnection(
  db: Kysely<DB>,
  connectionId: string,
  options: RunOptions = {},
): Promise<RunResult> {
  await loadConnectors();
  const started = Date.now();
  const connection = await findConnection(db, connectionId);
  const connector = getConnector(connection.kind);
  // A run still marked running belongs to a process that died; it resumes from the committed cursor.
  await db
    .updateTable('ingest_run')
    .set({ status: 'failed', finished_at: new Date(), error: 'interrupted (the process running it stopped)' })
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'running')
    .where('id', '!=', options.runId ?? '00000000-0000-0000-0000-000000000000')
    .execute();
  let runId = options.runId;
  if (runId) {
    await db
      .updateTable('ingest_run')
      .set({ status: 'running', started_at: new Date() })
      .where('id', '=', runId)
      .execute();
  } else {
    runId = (
      await db
        .insertInto('ingest_run')
        .values({
          connection_id: connectionId,
          trigger: options.trigger ?? 'cli',
          status: 'running',
          started_at: new Date(),
          progress: JSON.stringify({ done: 0 }),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  await db
    .updateTable('ingest_connection')
    .set({ status: 'running', last_run_at: new Date() })
    .where('id', '=', connectionId)
    .execute();

  const summary = emptySummary();
  const unmatched = new Set<string>();
  let lastProgressWrite = 0;
  const id = runId;
  const controller = new AbortController();
  if (options.signal?.aborted) controller.abort();
  else options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let error: string | null = null;
  try {
    if (!connector) throw new Error(`No connector is installed for ${connection.kind} connections.`);
    let current = connection;
    await connector.run({
      db,
      connection,
      runId: id,
      signal: controller.signal,
      async ingest(batch, progress) {
        const s = await ingestBatch(db, current, batch, {
          runId: id,
          progress: progress
            ? { ...progress, at: new Date().toISOString() }
            : { at: new Date().toISOString() },
        });
        if (batch.cursor) current = { ...current, cursor: batch.cursor };
        summary.read += s.read;
        summary.created += s.created;
        summary.updated += s.updated;
        summary.unchanged += s.unchanged;
        summary.rejected += s.rejected;
        for (const u of s.unmatchedIdentityIds) unmatched.add(u);
        summary.unmatched = unmatched.size;
        options.onProgress?.({ ...(progress ?? { done: summary.read }), summary });
        return s;
      },
      progress(update) {
        options.onProgress?.({ ...update, summary });
        const now = Date.now();
        if (now - lastProgressWrite < 1000) return;
        lastProgressWrite = now;
        void db
          .updateTable('ingest_run')
          .set({ progress: JSON.stringify({ ...update, at: new Date().toISOString() }) })
          .where('id', '=', id)
          .execute()
          .catch(() => undefined);
      },
    });
  } catch (e) {
    error = (e as Error).message || String(e);
  }
  summary.unmatchedIdentityIds = [...unmatched];
  const finishedAt = new Date();
  const status = error ? 'failed' : 'succeeded';
  await db
    .updateTable('ingest_run')
    .set({ status, finished_at: finishedAt, error, unmatched: unmatched.size })
    .where('id', '=', id)
    .execute();
  await db
    .updateTable('ingest_connection')
    .set({
      status,
      last_error: error,
      ...(error ? {} : { last_success_at: finishedAt }),
      updated_at: finishedAt,
    })
    .where('id', '=', connectionId)
    .execute();
  return { runId: id, connectionId, status, summary, durationMs: Date.now() - started, error };
}

/** Registers the run worker and the daily raw-payload purge on pg-boss. Called from src/server/jobs.ts. */
export async function registerIngestJobs(
  boss: PgBoss,
  db: Kysely<DB>,
  options: { rawRetentionDays?: number } = {},
): Promise<void> {
  await boss.createQueue(INGEST_RUN_QUEUE);
  await boss.createQueue(INGEST_PURGE_QUEUE);
  await boss.work<{ connectionId: string; runId?: string }>(INGEST_RUN_QUEUE, async (jobs) => {
    for (const job of jobs) {
      await runConnection(db, job.data.connectionId, {
        trigger: 'job',
        ...(job.data.runId ? { runId: job.data.runId } : {}),
      });
    }
  });
  await boss.schedule(INGEST_PURGE_QUEUE, '17 3 * * *');
  await boss.work(INGEST_PURGE_QUEUE, async () => {
    const { purgeRawPayloads } = await import('./ingest.pipeline.js');
    await purgeRawPayloads(db, options.rawRetentionDays ?? 90);
  });
}

/** Counts for the review queue: identities with no person, not bots, with their event counts. */
export async function countUnmatched(db: Kysely<DB>): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from ingest_identity where person_id is null and not is_bot
  `.execute(db);
  return r.rows[0]?.n ?? 0;
}
