import { CsvError, parse } from 'csv-parse/sync';
import { editDistance } from './org.rules.js';
import type { ImportError } from './org.schema.js';

/**
 * One person as an HRIS export describes them. A field left `undefined` is not provided (the stored
 * value is kept); `null` or '' clears it. Custom attributes: a `null` value removes that attribute.
 */
export interface PersonRecord {
  employeeId?: string | null;
  email: string;
  name: string;
  title?: string | null;
  level?: string | null;
  department?: string | null;
  team?: string | null;
  managerEmployeeId?: string | null;
  managerEmail?: string | null;
  /** First day of the reporting line (YYYY-MM-DD) when the manager changes. */
  managerSince?: string | null;
  hireDate?: string | null;
  leaveDate?: string | null;
  leaveReason?: string | null;
  location?: string | null;
  /** IANA name; a new person without one gets UTC. */
  timeZone?: string | null;
  workMode?: string | null;
  attributes?: Record<string, string | null>;
}

export type RecordField = Exclude<keyof PersonRecord, 'attributes'>;

/** CSV column → record field. */
export const COLUMNS: Record<string, RecordField> = {
  employee_id: 'employeeId',
  email: 'email',
  name: 'name',
  title: 'title',
  level: 'level',
  department: 'department',
  team: 'team',
  manager_employee_id: 'managerEmployeeId',
  manager_email: 'managerEmail',
  manager_since: 'managerSince',
  hire_date: 'hireDate',
  leave_date: 'leaveDate',
  leave_reason: 'leaveReason',
  location: 'location',
  time_zone: 'timeZone',
  work_mode: 'workMode',
};

const COLUMN_OF = Object.fromEntries(Object.entries(COLUMNS).map(([c, f]) => [f, c])) as Record<
  RecordField,
  string
>;

/** The CSV column name of a record field, for error messages. */
export function columnOf(field: RecordField): string {
  return COLUMN_OF[field];
}

export const REQUIRED_COLUMNS = ['email', 'name'];
export const ATTRIBUTE_PREFIX = 'attr_';

export interface ParsedRow {
  /** Line of the file the row starts on (the header is line 1). */
  line: number;
  record: PersonRecord;
}

function suggest(column: string): string {
  let best = '';
  let bestDistance = Infinity;
  for (const known of Object.keys(COLUMNS)) {
    const d = editDistance(column, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  if (bestDistance <= Math.max(2, Math.floor(column.length / 3))) return `; did you mean "${best}"?`;
  return `; known columns are ${Object.keys(COLUMNS).join(', ')} and attr_<name> for custom attributes`;
}

/** The line a record starts on, from the line it ends on and its raw text. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/(\r\n|\r|\n)$/, '').replace(/^(\r?\n|\r)+/, '');
  return endLine - (body.match(/\n/g)?.length ?? 0);
}

/** The line on which the unfinished record `raw` (the rest of the file) starts. */
function lineOfTail(csv: string, raw: string): number {
  const text = csv.replace(/^\uFEFF/, '');
  const start = text.length - raw.replace(/^\uFEFF/, '').length;
  const skipped = /^(\r?\n|\r)*/.exec(raw)?.[0].match(/\n/g)?.length ?? 0;
  return (text.slice(0, start).match(/\n/g)?.length ?? 0) + 1 + skipped;
}

/**
 * Parses an HRIS export: a header row of known columns (and attr_<name>), then one person per row.
 * Every problem found is reported with its line and column; rows come back only when there are none.
 */
export function parsePeopleCsv(csv: string): { rows: ParsedRow[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  let parsed: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    parsed = parse(csv, {
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const info = error as CsvError & { raw?: string; lines?: number; column?: number | string };
    const line =
      error.code === 'CSV_QUOTE_NOT_CLOSED' && typeof info.raw === 'string'
        ? lineOfTail(csv, info.raw)
        : (info.lines ?? 1);
    const header =
      csv
        .replace(/^\uFEFF/, '')
        .split(/\r?\n|\r/, 1)[0]
        ?.split(',') ?? [];
    const column =
      typeof info.column === 'number' ? (header[info.column]?.trim().toLowerCase() ?? null) : null;
    const message =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field opened on this line is never closed (missing ")'
        : error.message.replace(/ at line \d+/, '');
    return { rows: [], errors: [{ line, column, message }] };
  }
  const [header, ...body] = parsed;
  if (!header) {
    return {
      rows: [],
      errors: [
        {
          line: 1,
          column: null,
          message: 'the file is empty; it needs a header row such as "employee_id,email,name"',
        },
      ],
    };
  }
  const headerLine = startLine(header.info.lines, header.raw);
  const columns = header.record.map((c) => c.trim());
  const seen = new Map<string, number>();
  columns.forEach((original, index) => {
    const name = original.toLowerCase();
    if (name === '') {
      errors.push({
        line: headerLine,
        column: null,
        message: `column ${index + 1} of the header has no name`,
      });
      return;
    }
    if (seen.has(name)) {
      errors.push({
        line: headerLine,
        column: name,
        message: `column "${name}" appears twice in the header`,
      });
    }
    seen.set(name, index);
    if (name.startsWith(ATTRIBUTE_PREFIX)) {
      if (name.length === ATTRIBUTE_PREFIX.length) {
        errors.push({
          line: headerLine,
          column: name,
          message: 'a custom attribute column needs a name after attr_',
        });
      }
    } else if (!(name in COLUMNS)) {
      errors.push({
        line: headerLine,
        column: original,
        message: `unknown column "${original}"${suggest(name)}`,
      });
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!seen.has(required)) {
      errors.push({
        line: headerLine,
        column: required,
        message: `the header has no "${required}" column; it is required`,
      });
    }
  }
  if (errors.length) return { rows: [], errors };

  const rows: ParsedRow[] = [];
  for (const row of body) {
    const line = startLine(row.info.lines, row.raw);
    if (row.record.length !== columns.length) {
      errors.push({
        line,
        column: null,
        message: `the row has ${row.record.length} field${row.record.length === 1 ? '' : 's'}; the header has ${columns.length}`,
      });
      continue;
    }
    const record: PersonRecord = { email: '', name: '' };
    const fields = record as unknown as Record<string, string | null>;
    columns.forEach((original, index) => {
      const value = row.record[index]!.trim();
      const name = original.toLowerCase();
      if (name.startsWith(ATTRIBUTE_PREFIX)) {
        record.attributes ??= {};
        record.attributes[original.slice(ATTRIBUTE_PREFIX.length)] = value === '' ? null : value;
      } else {
        const field = COLUMNS[name]!;
        fields[field] = field === 'email' || field === 'name' ? value : value === '' ? null : value;
      }
    });
    rows.push({ line, record });
  }
  return { rows, errors };
}
