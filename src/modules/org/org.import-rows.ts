import type { WorkMode } from '../../db/types.js';
import type { ParsedRow, PersonRecord, RecordField } from './org.csv.js';
import { isIsoDate, isTimeZone, WORK_MODES, type PersonSnapshot } from './org.rules.js';

/** Row-level rules of the people import, independent of the database. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_FIELDS: RecordField[] = ['hireDate', 'leaveDate', 'managerSince'];

/** Checks each row on its own (required values, formats) and across rows (duplicates, self-management). */
export function checkFields(
  rows: ParsedRow[],
  err: (line: number, field: RecordField | null, message: string) => void,
): void {
  const byEmployeeId = new Map<string, number>();
  const byEmail = new Map<string, number>();
  for (const { line, record: r } of rows) {
    const email = r.email?.trim() ?? '';
    if (!email) err(line, 'email', 'is required');
    else if (!EMAIL.test(email)) err(line, 'email', `"${email}" is not an e-mail address`);
    if (!r.name?.trim()) err(line, 'name', 'is required');
    for (const field of DATE_FIELDS) {
      const value = r[field];
      if (value && !isIsoDate(value)) err(line, field, `"${value}" is not a date (YYYY-MM-DD)`);
    }
    if (
      r.hireDate &&
      r.leaveDate &&
      isIsoDate(r.hireDate) &&
      isIsoDate(r.leaveDate) &&
      r.leaveDate < r.hireDate
    ) {
      err(line, 'leaveDate', `leave date ${r.leaveDate} is before the hire date ${r.hireDate}`);
    }
    if (r.timeZone && !isTimeZone(r.timeZone)) {
      err(line, 'timeZone', `"${r.timeZone}" is not an IANA time zone (for example Europe/Berlin or UTC)`);
    }
    if (r.workMode && !WORK_MODES.includes(r.workMode.toLowerCase() as WorkMode)) {
      err(line, 'workMode', `"${r.workMode}" is not one of ${WORK_MODES.join(', ')}`);
    }
    if (r.employeeId) {
      const first = byEmployeeId.get(r.employeeId);
      if (first !== undefined)
        err(line, 'employeeId', `employee id "${r.employeeId}" is also on line ${first}`);
      else byEmployeeId.set(r.employeeId, line);
      if (r.managerEmployeeId === r.employeeId)
        err(line, 'managerEmployeeId', 'a person cannot manage themselves');
    }
    if (email) {
      const first = byEmail.get(email.toLowerCase());
      if (first !== undefined) err(line, 'email', `e-mail "${email}" is also on line ${first}`);
      else byEmail.set(email.toLowerCase(), line);
      if (r.managerEmail?.toLowerCase() === email.toLowerCase()) {
        err(line, 'managerEmail', 'a person cannot manage themselves');
      }
    }
  }
}

/** The person a row describes: the stored snapshot with the provided fields applied. */
export function nextSnapshot(
  base: PersonSnapshot,
  r: PersonRecord,
  teamId: string | null | undefined,
): PersonSnapshot {
  const next: PersonSnapshot = { ...base, attributes: { ...base.attributes } };
  const set = <K extends keyof PersonSnapshot>(key: K, value: PersonSnapshot[K] | undefined) => {
    if (value !== undefined) next[key] = value;
  };
  next.email = r.email.trim();
  next.name = r.name.trim();
  set('employeeId', r.employeeId === undefined ? undefined : r.employeeId || null);
  set('title', r.title === undefined ? undefined : r.title || null);
  set('level', r.level === undefined ? undefined : r.level || null);
  set('teamId', teamId);
  set('hireDate', r.hireDate === undefined ? undefined : r.hireDate || null);
  set('leaveDate', r.leaveDate === undefined ? undefined : r.leaveDate || null);
  set('leaveReason', r.leaveReason === undefined ? undefined : r.leaveReason || null);
  set('location', r.location === undefined ? undefined : r.location || null);
  if (r.timeZone !== undefined) next.timeZone = r.timeZone || 'UTC';
  set(
    'workMode',
    r.workMode === undefined ? undefined : ((r.workMode?.toLowerCase() || null) as WorkMode | null),
  );
  for (const [key, value] of Object.entries(r.attributes ?? {})) {
    if (value === null || value === '') delete next.attributes[key];
    else next.attributes[key] = value;
  }
  return next;
}

/** Starting point for a person the import creates. */
export const EMPTY_PERSON: PersonSnapshot = {
  employeeId: null,
  email: '',
  name: '',
  title: null,
  level: null,
  teamId: null,
  hireDate: null,
  leaveDate: null,
  leaveReason: null,
  location: null,
  timeZone: 'UTC',
  workMode: null,
  attributes: {},
};
