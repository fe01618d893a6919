/**
 * Digest schedules in the recipient's own time zone ("weekdays 08:30 local"), turned into UTC
 * instants with the IANA database Node ships (Intl). No fixed offsets: each day's offset is looked
 * up, so the send time follows the recipient's clock across daylight-saving changes.
 *
 * - A local time that does not exist (the hour skipped when clocks go forward) is moved forward by
 *   the length of the gap: 02:30 on the spring-forward night in Berlin is sent at 03:30 CEST.
 * - A local time that exists twice (clocks go back) is the earlier of the two instants.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock reading in `timeZone` at `instant`. */
export function localParts(instant: number, timeZone: string): LocalParts & { second: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(instant))
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** UTC offset of `timeZone` at `instant`, in milliseconds (Berlin in summer: +7 200 000). */
export function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant at which the clock in `timeZone` shows the given local date and time. Tries each
 * offset the zone uses around that day; see the module comment for skipped and repeated times.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const candidates = [...new Set([before, after, offsetAt(wall, timeZone)])]
    .map((offset) => wall - offset)
    .filter((instant) => {
      const p = localParts(instant, timeZone);
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wall;
    })
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]!);
  // Skipped by a spring-forward: read the wall time with the offset in force before the gap.
  return new Date(wall - before);
}

/** The local calendar day ('YYYY-MM-DD') in `timeZone` at `instant`. */
export function localDate(instant: number, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

function isWeekend(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

export interface DigestSchedule {
  timeZone: string;
  /** 'HH:MM' local. */
  localTime: string;
  weekdaysOnly: boolean;
}

export interface Occurrence {
  /** The recipient's local day this send belongs to: the idempotency key of a digest. */
  period: string;
  at: Date;
}

/** The first scheduled send strictly after `now`. */
export function nextOccurrence(now: Date, schedule: DigestSchedule): Occurrence {
  const today = localDate(now.getTime(), schedule.timeZone);
  for (let i = 0; i <= 8; i++) {
    const period = addDays(today, i);
    if (schedule.weekdaysOnly && isWeekend(period)) continue;
    const at = zonedTimeToUtc(period, schedule.localTime, schedule.timeZone);
    if (at.getTime() > now.getTime()) return { period, at };
  }
  throw new Error('no occurrence within 8 days');
}

/** The latest scheduled send at or before `now`, or null when none happened in the last week. */
export function latestOccurrence(now: Date, schedule: DigestSchedule): Occurrence | null {
  const today = localDate(now.getTime(), schedule.timeZone);
  for (let i = 0; i >= -7; i--) {
    const period = addDays(today, i);
    if (schedule.weekdaysOnly && isWeekend(period)) continue;
    const at = zonedTimeToUtc(period, schedule.localTime, schedule.timeZone);
    if (at.getTime() <= now.getTime()) return { period, at };
  }
  return null;
}

/** A digest is due when its latest occurrence is at most this old (a server down for a day skips it). */
export const DIGEST_GRACE_MS = 6 * 60 * MINUTE;

/** The occurrence to send now, if one is due (idempotency by `period` is the caller's job). */
export function dueOccurrence(now: Date, schedule: DigestSchedule): Occurrence | null {
  const latest = latestOccurrence(now, schedule);
  if (!latest) return null;
  return now.getTime() - latest.at.getTime() <= DIGEST_GRACE_MS ? latest : null;
}
