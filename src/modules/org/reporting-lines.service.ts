import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Person } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { todayUtc } from '../access/access.service.js';
import * as repo from './org.repository.js';
import { findCycle } from './org.rules.js';
import type { ManagerChangeInput, PersonProfileType } from './org.schema.js';
import { getPersonProfile, notFound, type ChangeContext } from './org.service.js';
import { describeCycle, lineClosed, lineCreated, lineOrderProblem } from './reporting-lines.js';
import * as lines from './reporting-lines.repository.js';

/**
 * Refuses, as a validation error on `path`, a line from `personId` to `managerId` that would close a
 * reporting cycle with today's open lines; the message names the people in reporting order.
 */
export async function refuseReportingCycle(
  trx: Kysely<DB>,
  personId: string,
  managerId: string,
  path: string,
): Promise<void> {
  const open = await lines.findOpenLines(trx);
  open.set(personId, managerId);
  const cycle = findCycle(personId, (p) => open.get(p));
  if (!cycle) return;
  const people = await repo.findPersonCards(trx, { ids: cycle, includeLeavers: true }, todayUtc());
  const names = new Map(people.map((p) => [p.id, p.name]));
  const text = describeCycle(cycle, (p) => names.get(p) ?? p);
  throw new AppError('validation_failed', `That would make a reporting cycle: ${text}.`, [
    { path, message: `would make a reporting cycle: ${text}` },
  ]);
}

/**
 * Sets a person's manager from `effectiveFrom`: closes the current line that day and opens a new one.
 * Lines are never deleted; a change on the day the current line started corrects that line instead.
 */
export async function changeManager(
  db: Kysely<DB>,
  id: string,
  input: ManagerChangeInput,
  ctx: ChangeContext,
): Promise<PersonProfileType> {
  const person = await repo.findPerson(db, id);
  if (!person) throw notFound();
  const { managerId, effectiveFrom } = input;
  if (managerId === id) {
    throw new AppError('validation_failed', `${person.name} cannot be their own manager.`, [
      { path: '/body/managerId', message: 'is the person themselves' },
    ]);
  }
  let manager: Person | undefined;
  if (managerId) {
    manager = await repo.findPerson(db, managerId);
    if (!manager) {
      throw new AppError('validation_failed', `No person with id ${managerId} to be the manager.`, [
        { path: '/body/managerId', message: 'is not a person' },
      ]);
    }
  }
  await db.transaction().execute(async (trx) => {
    const latest = (await lines.findLatestLines(trx, [id])).get(id);
    const current = latest && latest.valid_to === null ? latest : undefined;
    if ((current?.manager_id ?? null) === managerId) return;
    const problem = lineOrderProblem(latest, effectiveFrom, managerId);
    if (problem) {
      throw new AppError(
        'validation_failed',
        `Cannot change the manager from ${effectiveFrom}: ${problem}.`,
        [{ path: '/body/effectiveFrom', message: problem }],
      );
    }
    if (managerId) await refuseReportingCycle(trx, id, managerId, '/body/managerId');
    const changes: repo.OrgChangeInsert[] = [];
    if (current && managerId && current.valid_from === effectiveFrom) {
      await lines.updateLineManager(trx, current.id, managerId);
      changes.push({
        entityType: 'reporting_line',
        entityId: current.id,
        change: 'update',
        ...ctx,
        before: { personId: id, managerId: current.manager_id },
        after: { personId: id, managerId },
      });
    } else {
      if (current) {
        await lines.closeLines(trx, [{ id: current.id, validTo: effectiveFrom }]);
        changes.push(lineClosed(current, effectiveFrom, ctx));
      }
      if (managerId) {
        const line = {
          id: crypto.randomUUID(),
          person_id: id,
          manager_id: managerId,
          valid_from: effectiveFrom,
        };
        await lines.insertLines(trx, [line]);
        changes.push(lineCreated(line, ctx));
      }
    }
    await repo.insertOrgChanges(trx, changes);
  });
  return getPersonProfile(db, id);
}
