import type { Person, Team, WorkMode } from '../../db/types.js';
import type { TenureBand } from './org.schema.js';

/** Pure rules of the organisation model, shared by the API service and the CSV import. */

export const WORK_MODES: readonly WorkMode[] = ['onsite', 'remote', 'hybrid'];

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

let zones: Set<string> | undefined;

/** True for an IANA time-zone name (`Europe/Berlin`, `UTC`); offsets and abbreviations are refused. */
export function isTimeZone(value: string): boolean {
  zones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (zones.has(value)) return true;
  // Links such as `UTC`, `Etc/GMT+1` or `Asia/Calcutta` are valid IANA names not in the canonical list.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
    // Intl matches names case-insensitively; a wrongly cased name is refused so the stored value is canonical.
    return !(resolved !== value && resolved.toLowerCase() === value.toLowerCase());
  } catch {
    return false;
  }
}

/** Whole years between two dates given as YYYY-MM-DD. */
function fullYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  let years = ty - fy;
  if (tm < fm || (tm === fm && td < fd)) years -= 1;
  return years;
}

/** The tenure band on `asOf` (or on the leave date, for a leaver); null without a hire date. */
export function tenureBand(
  hireDate: string | null,
  leaveDate: string | null,
  asOf: string,
): TenureBand | null {
  if (!hireDate) return null;
  const end = leaveDate && leaveDate < asOf ? leaveDate : asOf;
  const years = fullYears(hireDate, end);
  if (years < 1) return '<1y';
  if (years < 2) return '1-2y';
  if (years < 5) return '2-5y';
  if (years < 10) return '5-10y';
  return '10y+';
}

/** A person is active until their leave date has passed. */
export function isActive(leaveDate: string | null, asOf: string): boolean {
  return leaveDate === null || leaveDate >= asOf;
}

/** The nearest team of kind 'department' at or above `teamId`. */
export function departmentOf(
  teamId: string | null,
  teams: Map<string, Pick<Team, 'id' | 'name' | 'kind' | 'parent_id'>>,
): string | null {
  let current = teamId ? teams.get(teamId) : undefined;
  for (let depth = 0; current && depth < 100; depth++) {
    if (current.kind === 'department') return current.name;
    current = current.parent_id ? teams.get(current.parent_id) : undefined;
  }
  return null;
}

/**
 * Follows `managerOf` upwards from `start`; returns the cycle (in reporting order) when the walk
 * comes back to a person already seen, or null when it reaches the top.
 */
export function findCycle(
  start: string,
  managerOf: (id: string) => string | null | undefined,
): string[] | null {
  const seen: string[] = [];
  let current: string | null | undefined = start;
  while (current) {
    const at = seen.indexOf(current);
    if (at >= 0) return seen.slice(at);
    seen.push(current);
    if (seen.length > 100_000) return null;
    current = managerOf(current);
  }
  return null;
}

/** Lower-case, dash-separated slug of a team name. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'team';
}

/** A slug not in `taken` (adds -2, -3 … on collision); records it as taken. */
export function uniqueSlug(name: string, taken: Set<string>): string {
  const base = slugify(name);
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}

/** The fields of a person the change log records, with API (camelCase) names. */
export interface PersonSnapshot {
  employeeId: string | null;
  email: string;
  name: string;
  title: string | null;
  level: string | null;
  teamId: string | null;
  hireDate: string | null;
  leaveDate: string | null;
  leaveReason: string | null;
  location: string | null;
  timeZone: string;
  workMode: WorkMode | null;
  attributes: Record<string, string>;
}

export function personSnapshot(p: Person): PersonSnapshot {
  return {
    employeeId: p.employee_id,
    email: p.email,
    name: p.name,
    title: p.title,
    level: p.level,
    teamId: p.team_id,
    hireDate: p.hire_date,
    leaveDate: p.leave_date,
    leaveReason: p.leave_reason,
    location: p.location,
    timeZone: p.time_zone,
    workMode: p.work_mode,
    attributes: stringRecord(p.attributes),
  };
}

/** The snapshot written back as table columns. */
export function personColumns(s: PersonSnapshot) {
  return {
    employee_id: s.employeeId,
    email: s.email,
    name: s.name,
    title: s.title,
    level: s.level,
    team_id: s.teamId,
    hire_date: s.hireDate,
    leave_date: s.leaveDate,
    leave_reason: s.leaveReason,
    location: s.location,
    time_zone: s.timeZone,
    work_mode: s.workMode,
    attributes: JSON.stringify(s.attributes),
  };
}

export function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ak = Object.keys(a).sort();
    const bk = Object.keys(b).sort();
    return (
      ak.length === bk.length &&
      ak.every(
        (k, i) => k === bk[i] && (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k],
      )
    );
  }
  return a === b;
}

/** The changed fields as before/after records, or null when nothing changed. */
export function diffRecords<T extends object>(
  before: T,
  after: T,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    if (!sameValue(before[key], after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
