import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { ensureConnection } from '../../modules/ingest/ingest.connections.js';
import { runConnection, type RunResult } from '../../modules/ingest/ingest.runner.js';
import type { ConnectionKind } from '../../modules/ingest/ingest.tables.js';
import { openRepository } from '../../modules/ingest/connectors/git.log.js';
import { openConfiguredDatabase, withDatabaseOptions } from '../database-options.js';

/**
 * `cairn import git|metrics …` — and the shared runner every work-data import command uses:
 * find-or-create the connection, run it inline with a progress bar on a TTY, print one summary line
 * (or one JSON object with --json), exit 1 when the run failed.
 */

export interface WorkImportOptions {
  json?: boolean;
  dataDir?: string;
}

/** The one JSON object `--json` prints. */
export function summaryJson(label: string, result: RunResult): Record<string, unknown> {
  const s = result.summary;
  return {
    connection: label,
    connectionId: result.connectionId,
    runId: result.runId,
    status: result.status,
    read: s.read,
    created: s.created,
    updated: s.updated,
    unchanged: s.unchanged,
    rejected: s.rejected,
    unmatched: s.unmatched,
    durationMs: result.durationMs,
    ...(result.error ? { error: result.error } : {}),
  };
}

export function summaryLine(label: string, result: RunResult): string {
  const s = result.summary;
  return (
    `${label}: ${s.read} read, ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ` +
    `${s.rejected} rejected, ${s.unmatched} unmatched identit${s.unmatched === 1 ? 'y' : 'ies'} ` +
    `in ${(result.durationMs / 1000).toFixed(1)} s.`
  );
}

/** Runs a connection of `kind` named `name` with `config` from the CLI. Used by every `cairn import <source>`. */
export async function runWorkImport(
  kind: ConnectionKind,
  name: string,
  config: Record<string, unknown>,
  opts: WorkImportOptions,
): Promise<RunResult> {
  const { database } = await openConfiguredDatabase(opts);
  const tty = Boolean(process.stderr.isTTY) && !opts.json;
  const bar = tty
    ? new SingleBar(
        { stream: process.stderr, format: `${name} {bar} {value}/{total} {message}`, hideCursor: true },
        Presets.shades_classic,
      )
    : undefined;
  let started = false;
  try {
    const connection = await ensureConnection(database.db, kind, name, config);
    const result = await runConnection(database.db, connection.id, {
      trigger: 'cli',
      onProgress: (p) => {
        // Crash tests wait for committed batches before killing the process.
        if (process.env.CAIRN_TRACE_BATCHES) process.stderr.write(`progress ${p.done}/${p.total ?? '?'}\n`);
        if (!bar) return;
        const total = p.total ?? Math.max(p.done, 1);
        if (!started) {
          bar.start(total, p.done, { message: p.message ?? '' });
          started = true;
        }
        bar.setTotal(total);
        bar.update(p.done, { message: p.message ?? '' });
      },
    });
    if (started) bar?.stop();
    started = false;
    if (opts.json) process.stdout.write(`${JSON.stringify(summaryJson(name, result))}\n`);
    else if (result.status === 'succeeded') process.stdout.write(`${summaryLine(name, result)}\n`);
    if (result.status === 'failed') {
      if (!opts.json)
        process.stderr.write(`${name}: import failed: ${result.error}\n${summaryLine(name, result)}\n`);
      process.exitCode = 1;
    } else if (result.summary.rejected && !opts.json) {
      process.stderr.write(
        `${result.summary.rejected} record(s) rejected and kept in quarantine (Work data page, or GET /api/v1/quarantine).\n`,
      );
    }
    return result;
  } finally {
    if (started) bar?.stop();
    await database.close();
  }
}

/** Registers `import git` and `import metrics` on the `cairn import` command. */
export function registerWorkImportCommands(command: Command): void {
  withDatabaseOptions(
    command
      .command('git')
      .description('import the history of a local git repository (commits, co-authors, areas, languages)')
      .argument('<path>', 'folder of the repository')
      .option('--since <date>', 'only commits after this date')
      .option('--project <name>', 'project name (default: the folder name)')
      .option('--json', 'print one JSON summary object'),
  ).action(async (repo: string, opts: WorkImportOptions & { since?: string; project?: string }) => {
    if (opts.since && Number.isNaN(new Date(opts.since).getTime()))
      throw new Error(`--since: “${opts.since}” is not a date (e.g. 2025-01-01).`);
    const top = await openRepository(repo);
    const project = opts.project ?? path.basename(top);
    await runWorkImport(
      'git',
      `git ${project}`,
      { path: top, project, ...(opts.since ? { since: opts.since } : {}) },
      opts,
    );
  });

  withDatabaseOptions(
    command
      .command('metrics')
      .description(
        'import business metrics (revenue, satisfaction, incidents …) from CSV or JSON (see docs/ingest.md)',
      )
      .argument('<file>', '.csv or .json file')
      .option('--json', 'print one JSON summary object'),
  ).action(async (file: string, opts: WorkImportOptions) => {
    if (!/\.(csv|json)$/i.test(file)) throw new Error(`${file}: a metrics file must be .csv or .json.`);
    const abs = path.resolve(file);
    await runWorkImport('metrics', `metrics ${path.basename(file)}`, { file: abs }, opts);
  });
}
