import { describe, expect, it } from 'vitest';
import {
  dueOccurrence,
  latestOccurrence,
  nextOccurrence,
  offsetAt,
  zonedTimeToUtc,
} from './delivery.schedule.js';

const iso = (d: Date) => d.toISOString();

describe('local wall time → UTC', () => {
  it('follows Europe/Berlin across the March and October changes', () => {
    expect(iso(zonedTimeToUtc('2026-03-27', '08:30', 'Europe/Berlin'))).toBe('2026-03-27T07:30:00.000Z'); // CET
    expect(iso(zonedTimeToUtc('2026-03-30', '08:30', 'Europe/Berlin'))).toBe('2026-03-30T06:30:00.000Z'); // CEST
    expect(iso(zonedTimeToUtc('2026-10-23', '08:30', 'Europe/Berlin'))).toBe('2026-10-23T06:30:00.000Z');
    expect(iso(zonedTimeToUtc('2026-10-26', '08:30', 'Europe/Berlin'))).toBe('2026-10-26T07:30:00.000Z');
  });

  it('follows America/New_York across the March and November changes', () => {
    expect(iso(zonedTimeToUtc('2026-03-06', '08:30', 'America/New_York'))).toBe('2026-03-06T13:30:00.000Z'); // EST
    expect(iso(zonedTimeToUtc('2026-03-09', '08:30', 'America/New_York'))).toBe('2026-03-09T12:30:00.000Z'); // EDT
    expect(iso(zonedTimeToUtc('2026-10-30', '08:30', 'America/New_York'))).toBe('2026-10-30T12:30:00.000Z');
    expect(iso(zonedTimeToUtc('2026-11-02', '08:30', 'America/New_York'))).toBe('2026-11-02T13:30:00.000Z');
  });

  it('moves a time skipped by spring-forward forward by the gap', () => {
    // Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist → 03:30 CEST.
    expect(iso(zonedTimeToUtc('2026-03-29', '02:30', 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
    // New York 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:15 → 03:15 EDT.
    expect(iso(zonedTimeToUtc('2026-03-08', '02:15', 'America/New_York'))).toBe('2026-03-08T07:15:00.000Z');
  });

  it('takes the earlier instant of a time repeated by fall-back', () => {
    // Berlin 2026-10-25: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    expect(iso(zonedTimeToUtc('2026-10-25', '02:30', 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(zonedTimeToUtc('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('reads offsets from the zone database', () => {
    expect(offsetAt(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(offsetAt(Date.parse('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * 3_600_000);
    expect(offsetAt(Date.parse('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  });
});

describe('digest schedule "weekdays 08:30 local"', () => {
  const berlin = { timeZone: 'Europe/Berlin', localTime: '08:30', weekdaysOnly: true };
  const newYork = { timeZone: 'America/New_York', localTime: '08:30', weekdaysOnly: true };

  it('keeps 08:30 on the local clock the week the clocks change (Berlin)', () => {
    // Friday 27 March after the send: next is Monday 30 March, the first CEST weekday.
    const next = nextOccurrence(new Date('2026-03-27T08:00:00Z'), berlin);
    expect(next).toEqual({ period: '2026-03-30', at: new Date('2026-03-30T06:30:00Z') });
    const autumn = nextOccurrence(new Date('2026-10-23T07:00:00Z'), berlin);
    expect(autumn).toEqual({ period: '2026-10-26', at: new Date('2026-10-26T07:30:00Z') });
  });

  it('keeps 08:30 on the local clock in New York, whose change is weeks apart from Europe’s', () => {
    expect(nextOccurrence(new Date('2026-03-06T14:00:00Z'), newYork)).toEqual({
      period: '2026-03-09',
      at: new Date('2026-03-09T12:30:00Z'),
    });
    expect(nextOccurrence(new Date('2026-10-30T13:00:00Z'), newYork)).toEqual({
      period: '2026-11-02',
      at: new Date('2026-11-02T13:30:00Z'),
    });
  });

  it('includes weekends when asked, and then the spring-forward Sunday itself', () => {
    const daily = { timeZone: 'Europe/Berlin', localTime: '02:30', weekdaysOnly: false };
    expect(nextOccurrence(new Date('2026-03-28T12:00:00Z'), daily)).toEqual({
      period: '2026-03-29',
      at: new Date('2026-03-29T01:30:00Z'),
    });
  });

  it('is due once the local time has passed and for a grace period only', () => {
    expect(dueOccurrence(new Date('2026-03-30T06:29:00Z'), berlin)).toBeNull(); // Monday, a minute early; Friday is too old
    expect(dueOccurrence(new Date('2026-03-30T06:31:00Z'), berlin)).toEqual({
      period: '2026-03-30',
      at: new Date('2026-03-30T06:30:00Z'),
    });
    expect(dueOccurrence(new Date('2026-03-30T20:00:00Z'), berlin)).toBeNull();
    // Saturday: the latest occurrence is Friday's.
    expect(latestOccurrence(new Date('2026-03-28T10:00:00Z'), berlin)?.period).toBe('2026-03-27');
  });

  it('uses the recipient’s local day as the period, not the UTC day', () => {
    // 23:30 in New York on Monday is already Tuesday in UTC.
    const late = { timeZone: 'America/New_York', localTime: '23:30', weekdaysOnly: true };
    expect(dueOccurrence(new Date('2026-03-10T03:31:00Z'), late)).toEqual({
      period: '2026-03-09',
      at: new Date('2026-03-10T03:30:00Z'),
    });
  });
});
