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
