import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { FieldProblem } from '../../shared/app-error.js';
import type { BatchSummary, NormalisedBatch } from './ingest.model.js';
import type { Connection, ConnectionKind, QuarantineEntry } from './ingest.tables.js';

/**
 * The connector registry. Each connection kind (git, github, jira, metrics) registers one
 * connector; the connections API ("test", "run now"), the pg-boss job runner and the CLI all go
 * through `runConnection` (ingest.runner.ts), which calls the connector's `run` with a context
 * whose `ingest()` writes a batch through the pipeline and records counts, cursor and progress.
 */

export interface ProgressUpdate {
  done: number;
  total?: number | null;
  message?: string;
}

export interface ConnectorRunContext {
  db: Kysely<DB>;
  /** The connection as stored, including `config`, `secret` and the `cursor` to resume from. */
  connection: Connection;
  runId: string;
  /** Set when the run should stop (shutdown); connectors check it between batches. */
  signal: AbortSignal;
  /**
   * Writes one batch through `ingestBatch` (one transaction: data + quarantine + `batch.cursor` +
   * run counts). Returns its summary. Call it once per page/chunk; put the cursor that resumes
   * AFTER this batch in `batch.cursor`.
   */
  ingest(batch: NormalisedBatch, progress?: ProgressUpdate): Promise<BatchSummary>;
  /** Reports progress without data (e.g. "fetching page 3"). Cheap; throttled. */
  progress(update: ProgressUpdate): void;
}

export interface ConnectorTestResult {
  ok: boolean;
  message: string;
}

export interface Connector {
  /** Checks config (and secret) before saving; return field problems with paths like `config.path`. */
  validateConfig?(config: Record<string, unknown>): FieldProblem[];
  /** "Test connection": reachability and credentials, without importing anything. */
  test(db: Kysely<DB>, connection: Connection): Promise<ConnectorTestResult>;
  /** Imports from `connection.cursor` onwards, calling `ctx.ingest` per batch. Throw to fail the run. */
  run(ctx: ConnectorRunContext): Promise<void>;
  /**
   * Optional: re-derives a batch from a quarantined record of this connector (connector-level
   * rejections whose `raw` is source data). Records rejected by the pipeline itself
   * (`raw.kind` is 'event' | 'item' | 'metric') are retried generically and need no hook.
   */
  retry?(db: Kysely<DB>, entry: QuarantineEntry): Promise<NormalisedBatch | null>;
}

const registry = new Map<ConnectionKind, Connector>();

/** Registers (or replaces) the connector for a connection kind. Call at module load. */
export function registerConnector(kind: ConnectionKind, connector: Connector): void {
  registry.set(kind, connector);
}

export function getConnector(kind: ConnectionKind): Connector | undefined {
  return registry.get(kind);
}

export function registeredKinds(): ConnectionKind[] {
  return [...registry.keys()];
}
