import { CsvError, parse } from 'csv-parse/sync';
import type { NormalisedMetric, Rejection } from '../ingest.model.js';
import { isIsoDate } from '../ingest.validate.js';

/**
 * Business-metric files (docs/ingest.md): CSV with a header row, or JSON (an array of objects, or
 * `{ "metrics": [...] }`) with the same field names. One metric value per row:
 *   metric, value, period (2026-03 | 2026-Q1 | 2026 | 2026-03-15) or period_start + period_end,
 *   exactly one of person_email, employee_id, team (slug), optional unit and note.
 * Every bad row is reported with its line (CSV) or index (JSON) and column, and quarantined on its
 * own; the good rows are accepted.
 */

export const KNOWN_METRICS = [
  'revenue',
  'customer_satisfaction',
  'nps',
  'incidents',
  'errors',
  'error_rate',
  'initiatives_launched',
] as const;

const COLUMNS = new Set([
  'metric',
  'value',
  'period',
  'period_start',
  'period_end',
  'person_email',
  'employee_id',
  'team',
  'unit',
  'note',
]);

export interface ParsedMetrics {
  metrics: NormalisedMetric[];
  rejected: Rejection[];
  /** A problem with the file as a whole (not CSV/JSON, no metric column …): nothing is imported. */
  fileError: string | null;
  rows: number;
}

/** Expands a period to its first and last day. */
export function parsePeriod(period: string): { start: string; end: string } | null {
  const p = period.trim();
  let m = /^(\d{4})$/.exec(p);
  if (m) return { start: `${m[1]}-01-01`, end: `${m[1]}-12-31` };
  m = /^(\d{4})-Q([1-4])$/i.exec(p);
  if (m) {
    const q = Number(m[2]);
    const start = `${m[1]}-${String(q * 3 - 2).padStart(2, '0')}-01`;
    return { start, end: lastDay(Number(m[1]), q * 3) };
  }
  m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12)
    return { start: `${p}-01`, end: lastDay(Number(m[1]), Number(m[2])) };
  if (isIsoDate(p)) return { start: p, end: p };
  return null;
}

function lastDay(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0));
  return d.toISOString().slice(0, 10);
}

type Row = Record<string, unknown>;

export function parseMetricsFile(name: string, text: string): ParsedMetrics {
  const isJson = /\.json$/i.test(name) || /^\s*[[{]/.test(text);
  let rows: { where: string; row: Row }[];
  if (isJson) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return {
        metrics: [],
        rejected: [],
        rows: 0,
        fileError: `${name}: not valid JSON (${(e as Error).message}).`,
      };
    }
    const list = Array.isArray(doc) ? doc : (doc as { metrics?: unknown })?.metrics;
    if (!Array.isArray(list))
      return {
        metrics: [],
        rejected: [],
        rows: 0,
        fileError: `${name}: expected an array of metric rows or { "metrics": [...] }.`,
      };
    rows = list.map((row, i) => ({ where: `${name} item ${i + 1}`, row: (row ?? {}) as Row }));
  } else {
    let records: string[][];
    try {
      records = parse(text, {
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
        trim: true,
      }) as string[][];
    } catch (e) {
      const line =
        e instanceof CsvError && 'lines' in e
          ? ` line ${String((e as unknown as { lines: number }).lines)}`
          : '';
      return {
        metrics: [],
        rejected: [],
        rows: 0,
        fileError: `${name}${line}: not valid CSV (${(e as Error).message}).`,
      };
    }
    if (!records.length)
      return { metrics: [], rejected: [], rows: 0, fileError: `${name}: the file is empty.` };
    const header = records[0]!.map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_'),
    );
    const unknown = header.filter((h) => !COLUMNS.has(h));
    if (unknown.length)
      return {
        metrics: [],
        rejected: [],
        rows: 0,
        fileError: `${name} line 1: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${[...COLUMNS].join(', ')}).`,
      };
    for (const need of ['metric', 'value'])
      if (!header.includes(need))
        return {
          metrics: [],
          rejected: [],
          rows: 0,
          fileError: `${name} line 1: the ${need} column is missing.`,
        };
    if (!header.includes('period') && !(header.includes('period_start') && header.includes('period_end')))
      return {
        metrics: [],
        rejected: [],
        rows: 0,
        fileError: `${name} line 1: needs a period column, or period_start and period_end.`,
      };
    rows = records.slice(1).map((cells, i) => ({
      where: `${name} line ${i + 2}`,
      row: Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ''])),
    }));
    // Too many cells in a row is a problem of that row.
    records.slice(1).forEach((cells, i) => {
      if (cells.length > header.length) rows[i]!.row.__extra = cells.length;
    });
  }
  const metrics: NormalisedMetric[] = [];
  const rejected: Rejection[] = [];
  const csvHeader = isJson ? null : rows[0] ? Object.keys(rows[0].row).filter((k) => k !== '__extra') : null;
  const col = (field: string) => {
    if (!csvHeader) return field;
    const i = csvHeader.indexOf(field);
    return i >= 0 ? `column ${i + 1} (${field})` : field;
  };
  for (const { where, row } of rows) {
    const reject = (field: string, problem: string) =>
      rejected.push({
        recordRef: where,
        field: col(field),
        problem: `${where}, ${col(field)}: ${problem}`,
        raw: row,
      });
    if (typeof row.__extra === 'number') {
      reject('row', `has ${row.__extra} cells, more than the header`);
      continue;
    }
    const str = (k: string) => (row[k] === undefined || row[k] === null ? '' : String(row[k]).trim());
    const metric = str('metric')
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (!metric) {
      reject('metric', 'is empty');
      continue;
    }
    if (!(KNOWN_METRICS as readonly string[]).includes(metric) && !/^custom\.[a-z0-9_]+$/.test(metric)) {
      reject('metric', `unknown metric “${metric}” (known: ${KNOWN_METRICS.join(', ')}, or custom.<name>)`);
      continue;
    }
    const rawValue = row.value;
    const value = typeof rawValue === 'number' ? rawValue : Number(str('value').replace(/[\s_]/g, ''));
    if (str('value') === '' || !Number.isFinite(value)) {
      reject('value', `is not a number: ${JSON.stringify(rawValue ?? '')}`);
      continue;
    }
    let start: string;
    let end: string;
    if (str('period')) {
      const p = parsePeriod(str('period'));
      if (!p) {
        reject(
          'period',
          `is not a period (2026, 2026-Q1, 2026-03 or 2026-03-15): ${JSON.stringify(str('period'))}`,
        );
        continue;
      }
      ({ start, end } = p);
    } else {
      start = str('period_start');
      end = str('period_end');
      if (!isIsoDate(start)) {
        reject('period_start', `is not a date YYYY-MM-DD: ${JSON.stringify(start)}`);
        continue;
      }
      if (!isIsoDate(end)) {
        reject('period_end', `is not a date YYYY-MM-DD: ${JSON.stringify(end)}`);
        continue;
      }
      if (end < start) {
        reject('period_end', `is before period_start (${start})`);
        continue;
      }
    }
    const subjects = (['person_email', 'employee_id', 'team'] as const).filter((k) => str(k));
    if (subjects.length !== 1) {
      reject(
        subjects[1] ?? 'person_email',
        subjects.length
          ? `name only one of person_email, employee_id or team (got ${subjects.join(' and ')})`
          : 'needs a person_email, employee_id or team',
      );
      continue;
    }
    const s = subjects[0]!;
    const subject =
      s === 'person_email'
        ? { personEmail: str(s) }
        : s === 'employee_id'
          ? { employeeId: str(s) }
          : { teamSlug: str(s) };
    metrics.push({
      metric,
      value,
      unit: str('unit') || null,
      subject,
      periodStart: start,
      periodEnd: end,
      attributes: { ...(str('note') ? { note: str('note') } : {}), row: where },
    });
  }
  return { metrics, rejected, rows: rows.length, fileError: null };
}
