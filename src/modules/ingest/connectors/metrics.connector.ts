import fs from 'node:fs/promises';
import path from 'node:path';
import type { FieldProblem } from '../../../shared/app-error.js';
import { registerConnector } from '../ingest.connectors.js';
import { refreshGoalsAfterMetrics } from '../ingest.goal-progress.js';
import { parseMetricsFile } from './metrics.file.js';

/**
 * The business-metrics connector: config `{ file }`, a CSV or JSON file on the server. Each run
 * reads the whole file (metrics are keyed by metric, subject and period, so a re-import replaces
 * values and changes nothing when they are the same). Good rows are accepted in batches of 5,000
 * (one transaction each); every bad row is quarantined with its line and column. A file that is
 * not CSV/JSON or lacks required columns fails the run and writes nothing.
 */

const BATCH = 5000;

export class MetricsFileError extends Error {}

async function readFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MetricsFileError(
      `Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}.`,
    );
  }
}

function validate(config: Record<string, unknown>): FieldProblem[] {
  if (typeof config.file !== 'string' || !config.file.trim())
    return [{ path: 'config.file', message: 'is required: a .csv or .json file' }];
  if (!/\.(csv|json)$/i.test(config.file))
    return [{ path: 'config.file', message: 'must end in .csv or .json' }];
  return [];
}

registerConnector('metrics', {
  validateConfig: validate,
  async test(_db, connection) {
    const file = String(connection.config.file ?? '');
    try {
      const parsed = parseMetricsFile(path.basename(file), await readFile(file));
      if (parsed.fileError) return { ok: false, message: parsed.fileError };
      return {
        ok: parsed.rejected.length === 0,
        message: `${file}: ${parsed.metrics.length} good rows, ${parsed.rejected.length} bad rows${parsed.rejected[0] ? ` (first: ${parsed.rejected[0].problem})` : ''}.`,
      };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  },
  async run(ctx) {
    const file = String(ctx.connection.config.file ?? '');
    const parsed = parseMetricsFile(path.basename(file), await readFile(file));
    if (parsed.fileError) throw new MetricsFileError(parsed.fileError);
    const total = parsed.rows;
    let done = 0;
    const rejected = parsed.rejected;
    for (let i = 0; i < parsed.metrics.length || (i === 0 && rejected.length); i += BATCH) {
      const metrics = parsed.metrics.slice(i, i + BATCH);
      done += metrics.length + (i === 0 ? rejected.length : 0);
      await ctx.ingest(
        { source: 'metrics', metrics, ...(i === 0 && rejected.length ? { rejected } : {}) },
        { done, total, message: path.basename(file) },
      );
    }
    // Goals whose progress follows one of these metrics move now, saying why in their history.
    await refreshGoalsAfterMetrics(
      ctx.db,
      parsed.metrics.map((m) => m.metric),
      `metrics import (${path.basename(file)})`,
    );
  },
});
