import type { GoalCadence, GoalCriteria, GoalLevel } from './goals.tables.js';

/** Pure rules of the goals module: progress, cadence, periods, stall detection. No database. */

export const CADENCE_DAYS: Record<GoalCadence, number> = { weekly: 7, biweekly: 14, monthly: 30 };

/** Higher ranks sit lower in the tree; a goal may only support goals of its own rank or above. */
export const LEVEL_RANK: Record<GoalLevel, number> = { company: 0, department: 1, team: 2, personal: 3 };

/** 0–100: where `value` lies between the start and the target (either direction); rubric goals check in percent. */
export function progressOf(criteria: GoalCriteria, value: number | null): number {
  if (value === null) return 0;
  if (criteria.kind === 'rubric') return clamp(value);
  const span = criteria.target - criteria.start;
  if (span === 0) return value >= criteria.target ? 100 : 0;
  return clamp(((value - criteria.start) / span) * 100);
}

function clamp(n: number): number {
  return Math.round(Math.max(0, Math.min(100, n)) * 10) / 10;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "2026-Q4" when the dates are exactly a calendar quarter, "2026" for a year, else "start – end". */
export function periodLabelFor(start: string, end: string): string {
  const year = start.slice(0, 4);
  const quarterStarts = ['01-01', '04-01', '07-01', '10-01'];
  const quarterEnds = ['03-31', '06-30', '09-30', '12-31'];
  const q = quarterStarts.indexOf(start.slice(5));
  if (q >= 0 && end === `${year}-${quarterEnds[q]}`) return `${year}-Q${q + 1}`;
  if (start.slice(5) === '01-01' && end === `${year}-12-31`) return year;
  return `${start} – ${end}`;
}

/** The calendar quarter containing `date`: label, first and last day. */
export function quarterOf(date: string): { label: string; start: string; end: string } {
  const year = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3);
  const start = `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
  const end = addDays(q === 3 ? `${year + 1}-01-01` : `${year}-${String(q * 3 + 4).padStart(2, '0')}-01`, -1);
  return { label: `${year}-Q${q + 1}`, start, end };
}

/** The local calendar date and hour of an instant in an IANA time zone (UTC when the zone is unknown). */
export function localDateTime(now: Date, timeZone: string): { date: string; hour: number } {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

/** The day the next check-in is due: a cadence after the last one, or after the period starts. */
export function nextCheckInDue(
  cadence: GoalCadence,
  periodStart: string,
  lastCheckIn: string | null,
): string {
  return addDays(lastCheckIn ?? periodStart, CADENCE_DAYS[cadence]);
}

export interface StallInput {
  criteria: GoalCriteria;
  cadence: GoalCadence;
  periodStart: string;
  /** Oldest first. `date` is the check-in day (YYYY-MM-DD). */
  checkIns: { date: string; value: number; confidence: number }[];
}

export interface Stall {
  reason: 'no_progress' | 'falling_confidence';
  detail: string;
}

/** How many check-in periods without progress make a goal stalled (the default of `findStalledGoals`). */
export const STALL_PERIODS = 2;

/**
 * A goal is stalled on `asOf` when its progress has not moved forward over the last `periods` check-in
 * periods (once that long has passed since it started), or when confidence fell at three check-ins in a
 * row, or dropped to 2 or lower from a higher value at the latest check-in.
 */
export function detectStall(input: StallInput, asOf: string, periods = STALL_PERIODS): Stall | null {
  const days = CADENCE_DAYS[input.cadence] * periods;
  const upTo = input.checkIns.filter((c) => c.date <= asOf);
  const latest = upTo.at(-1);
  const nowProgress = progressOf(input.criteria, latest ? latest.value : null);
  if (nowProgress < 100 && daysBetween(input.periodStart, asOf) >= days) {
    const windowStart = addDays(asOf, -days);
    const before = upTo.filter((c) => c.date <= windowStart).at(-1);
    const baseline = before ? progressOf(input.criteria, before.value) : 0;
    if (nowProgress <= baseline) {
      const span = `${periods} ${input.cadence} check-in periods (${days} days)`;
      const detail = latest
        ? `No progress in the last ${span}: still at ${nowProgress}%.`
        : `No check-in since the goal started ${daysBetween(input.periodStart, asOf)} days ago (${span} expected).`;
      return { reason: 'no_progress', detail };
    }
  }
  const last3 = upTo.slice(-3).map((c) => c.confidence);
  if (last3.length === 3 && last3[0]! > last3[1]! && last3[1]! > last3[2]!) {
    return {
      reason: 'falling_confidence',
      detail: `Confidence fell at each of the last three check-ins (${last3.join(' → ')} of 5).`,
    };
  }
  const [prev, last] = upTo.slice(-2).map((c) => c.confidence);
  if (prev !== undefined && last !== undefined && last <= 2 && last < prev) {
    return { reason: 'falling_confidence', detail: `Confidence dropped from ${prev} to ${last} of 5.` };
  }
  return null;
}

/** The fields a change to a goal compares, with their before/after values (only those that differ). */
export function diffFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (after[key] === undefined) continue;
    if (canonical(before[key] ?? null) !== canonical(after[key] ?? null)) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

/** JSON with object keys sorted, so criteria read back from the database compare equal to the same criteria sent. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** Compact number for history lines: 1200000 → "1.2M", 0.93 → "0.93". */
export function formatValue(n: number, unit = ''): string {
  const abs = Math.abs(n);
  let s: string;
  if (abs >= 1e6) s = `${trim(n / 1e6)}M`;
  else if (abs >= 1e4) s = `${trim(n / 1e3)}k`;
  else s = trim(n);
  return unit && unit !== '%' ? `${s} ${unit}` : `${s}${unit}`;
}

function trim(n: number): string {
  return String(Math.round(n * 100) / 100);
}
