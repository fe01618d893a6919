/**
 * Times in the viewer's own time zone (their person record's), not the browser's: a manager in
 * Berlin travelling to New York still plans in the zone their calendar lives in.
 */

function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** 'YYYY-MM-DDTHH:mm' as a wall-clock time in `timeZone` → the UTC instant (ISO). */
export function zonedLocalToIso(local: string, timeZone: string): string {
  const wall = Date.parse(`${local}:00Z`);
  let guess = wall - offsetMs(wall, timeZone);
  const second = offsetMs(guess, timeZone);
  if (wall - second !== guess) guess = wall - second;
  return new Date(guess).toISOString();
}

/** The instant as 'YYYY-MM-DDTHH:mm' on the wall clock of `timeZone` (for a datetime-local input). */
export function isoToZonedLocal(iso: string, timeZone: string): string {
  const t = Date.parse(iso);
  return new Date(t + offsetMs(t, timeZone)).toISOString().slice(0, 16);
}

export function formatDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(new Date(iso));
}

export function dayKey(iso: string, timeZone: string): string {
  return isoToZonedLocal(iso, timeZone).slice(0, 10);
}

export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
}

export function formatWhen(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

export function formatRange(iso: string, minutes: number, timeZone: string): string {
  const end = new Date(Date.parse(iso) + minutes * 60_000).toISOString();
  return `${formatTime(iso, timeZone)}–${formatTime(end, timeZone)}`;
}
