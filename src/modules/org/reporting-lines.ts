import type { OrgChangeInsert } from './org.repository.js';
import type { LineRow } from './reporting-lines.repository.js';
import type { ChangeContext } from './org.service.js';

/** Rules of dated reporting lines shared by the API and the import: append-only history, change-log rows. */

/** The change-log row for a newly opened line. */
export function lineCreated(
  line: { id: string; person_id: string; manager_id: string; valid_from: string },
  ctx: ChangeContext,
): OrgChangeInsert {
  return {
    entityType: 'reporting_line',
    entityId: line.id,
    change: 'create',
    ...ctx,
    before: null,
    after: {
      personId: line.person_id,
      managerId: line.manager_id,
      validFrom: line.valid_from,
      validTo: null,
    },
  };
}

/** The change-log row for a line closed on `validTo`. */
export function lineClosed(
  line: { id: string; person_id: string; manager_id: string },
  validTo: string,
  ctx: ChangeContext,
): OrgChangeInsert {
  return {
    entityType: 'reporting_line',
    entityId: line.id,
    change: 'update',
    ...ctx,
    before: { personId: line.person_id, managerId: line.manager_id, validTo: null },
    after: { personId: line.person_id, managerId: line.manager_id, validTo },
  };
}

/**
 * Why a manager change taking effect on `from` cannot follow the person's latest line, or null.
 * History is append-only: a change may not start before the current line does.
 */
export function lineOrderProblem(
  latest: LineRow | undefined,
  from: string,
  managerId: string | null,
): string | null {
  if (!latest) return null;
  if (latest.valid_to === null) {
    if (from < latest.valid_from) {
      return `the current reporting line started on ${latest.valid_from}; a change must take effect on or after that day`;
    }
    if (from === latest.valid_from && managerId === null) {
      return `the current reporting line started on ${from}; end it on a later day`;
    }
    return null;
  }
  if (from < latest.valid_to) {
    return `the last reporting line ran until ${latest.valid_to}; a new one must start on or after that day`;
  }
  return null;
}

/** Names the people of a reporting cycle, e.g. "Ann → Bob → Ann". */
export function describeCycle(ids: string[], nameOf: (id: string) => string): string {
  return [...ids, ids[0]!].map(nameOf).join(' → ');
}

/** The day after an ISO date. */
export function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** What a leave date does to the person's latest reporting line. */
export type LeaveLineChange = { line: LineRow; validTo: string | null } | { problem: string } | null;

/**
 * A leaver reports to their manager up to and including the leave date: the latest line ends
 * (exclusive) the day after it. Setting a leave date closes the open line; moving the leave date
 * moves the end of the line it closed; removing it reopens that line. A line that ended for another
 * reason (a manager change) is left alone.
 */
export function leaveLineChange(
  latest: LineRow | undefined,
  leaveBefore: string | null,
  leaveAfter: string | null,
): LeaveLineChange {
  if (!latest || leaveBefore === leaveAfter) return null;
  const closedByLeave = leaveBefore !== null && latest.valid_to === dayAfter(leaveBefore);
  if (latest.valid_to !== null && !closedByLeave) return null;
  if (leaveAfter === null) return closedByLeave ? { line: latest, validTo: null } : null;
  const validTo = dayAfter(leaveAfter);
  if (validTo <= latest.valid_from) {
    return {
      problem: `the leave date ${leaveAfter} is before the current reporting line started (${latest.valid_from})`,
    };
  }
  return validTo === latest.valid_to ? null : { line: latest, validTo };
}

/** The change-log row for a line whose end moved (closed, moved or reopened). */
export function lineEndChanged(line: LineRow, validTo: string | null, ctx: ChangeContext): OrgChangeInsert {
  return {
    entityType: 'reporting_line',
    entityId: line.id,
    change: 'update',
    ...ctx,
    before: { personId: line.person_id, managerId: line.manager_id, validTo: line.valid_to },
    after: { personId: line.person_id, managerId: line.manager_id, validTo },
  };
}
