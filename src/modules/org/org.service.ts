import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { can, todayUtc } from '../access/access.service.js';
import type { Actor } from '../access/access.types.js';
import * as repo from './org.repository.js';
import * as lineRepo from './reporting-lines.repository.js';
import { leaveLineChange, lineCreated, lineEndChanged } from './reporting-lines.js';
import { refuseReportingCycle } from './reporting-lines.service.js';
import type { LineRow } from './reporting-lines.repository.js';
import {
  departmentOf,
  diffRecords,
  isTimeZone,
  personColumns,
  personSnapshot,
  stringRecord,
  tenureBand,
  type PersonSnapshot,
} from './org.rules.js';
import type {
  OrgChangeItemType,
  OrgSegmentsType,
  PeopleQueryType,
  PersonCardType,
  PersonCreateInput,
  PersonDetailType,
  PersonProfileType,
  PersonUpdateInput,
} from './org.schema.js';

/** Who made a change and through what, for the change log. */
export interface ChangeContext {
  source: 'api' | 'import' | 'demo' | 'cli';
  actorAccountId: string | null;
}

export { changeManager } from './reporting-lines.service.js';

/** The 404 for an unknown person id. */
export function notFound(): AppError {
  return new AppError('not_found', 'No person with that id.');
}

function encodeCursor(card: PersonCardType): string {
  return Buffer.from(JSON.stringify([card.name, card.id])).toString('base64url');
}

function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      if (/^[0-9a-f-]{36}$/i.test(value[1])) return { name: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'The cursor is not one this API returned.', [
    { path: '/querystring/cursor', message: 'is not a valid cursor; use nextCursor from the previous page' },
  ]);
}

/** A page of directory cards, filtered by text, team and leaver status. */
export async function listPeople(
  db: Kysely<DB>,
  query: PeopleQueryType,
): Promise<{ items: PersonCardType[]; nextCursor: string | null }> {
  const asOf = todayUtc();
  const limit = query.limit ?? 50;
  let teamIds: string[] | undefined;
  if (query.teamId) {
    teamIds = query.includeSubteams ? await repo.findTeamSubtreeIds(db, query.teamId) : [query.teamId];
  }
  const rows = await repo.findPersonCards(
    db,
    {
      q: query.q?.trim() || undefined,
      teamIds,
      includeLeavers: query.includeLeavers ?? false,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    },
    asOf,
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

async function requireCard(db: Kysely<DB>, id: string, asOf: string): Promise<PersonCardType> {
  const [card] = await repo.findPersonCards(db, { ids: [id], includeLeavers: true }, asOf);
  if (!card) throw notFound();
  return card;
}

/** The directory page of a person: card, manager, direct reports, and whether the actor may open the profile. */
export async function getPersonDetail(db: Kysely<DB>, actor: Actor, id: string): Promise<PersonDetailType> {
  const asOf = todayUtc();
  const person = await requireCard(db, id, asOf);
  const [manager] = person.managerId
    ? await repo.findPersonCards(db, { ids: [person.managerId], includeLeavers: true }, asOf)
    : [];
  const reports = await repo.findPersonCards(db, { managerId: id, includeLeavers: false }, asOf);
  const canViewProfile = await can(db, actor, 'person.read_profile', { type: 'person', id });
  return { person, manager: manager ?? null, reports, canViewProfile };
}

/** The private profile: employment details, segments, reporting history and the management chain. */
export async function getPersonProfile(db: Kysely<DB>, id: string): Promise<PersonProfileType> {
  const asOf = todayUtc();
  const row = await repo.findPersonProfile(db, id, asOf);
  if (!row) throw notFound();
  return {
    ...repo.profileCard(row, asOf),
    employeeId: row.employee_id,
    level: row.level,
    hireDate: row.hire_date,
    leaveDate: row.leave_date,
    leaveReason: row.leave_reason,
    location: row.location,
    timeZone: row.time_zone,
    workMode: row.work_mode,
    attributes: stringRecord(row.attributes),
    segments: {
      department: row.department,
      level: row.level,
      tenureBand: tenureBand(row.hire_date, row.leave_date, asOf),
      location: row.location,
      workMode: row.work_mode,
    },
    reportingHistory: row.lines.map((l) => ({
      managerId: l.manager_id,
      managerName: l.manager_name,
      validFrom: l.valid_from,
      validTo: l.valid_to,
    })),
    skipLevelChain: row.chain.map((c) => repo.profileCard(c, asOf)),
  };
}

/** Every recorded change to a person and their reporting lines, newest first. */
export async function getPersonHistory(db: Kysely<DB>, id: string): Promise<{ items: OrgChangeItemType[] }> {
  if (!(await repo.findPerson(db, id))) throw notFound();
  const rows = await repo.findPersonChanges(db, id, 1000);
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      entityType: r.entity_type,
      entityId: r.entity_id,
      change: r.change,
      source: r.source,
      actorAccountId: r.actor_account_id,
      before: r.before,
      after: r.after,
    })),
  };
}

async function validatePerson(db: Kysely<DB>, next: PersonSnapshot, selfId: string | null): Promise<void> {
  const problems: { path: string; message: string }[] = [];
  if (!isTimeZone(next.timeZone)) {
    problems.push({
      path: '/body/timeZone',
      message: `"${next.timeZone}" is not an IANA time zone (for example Europe/Berlin or UTC)`,
    });
  }
  if (next.hireDate && next.leaveDate && next.leaveDate < next.hireDate) {
    problems.push({
      path: '/body/leaveDate',
      message: `leave date ${next.leaveDate} is before the hire date ${next.hireDate}`,
    });
  }
  if (next.teamId) {
    const team = await db.selectFrom('team').select('id').where('id', '=', next.teamId).executeTakeFirst();
    if (!team) problems.push({ path: '/body/teamId', message: `no team with id ${next.teamId}` });
  }
  if (problems.length) throw new AppError('validation_failed', problems[0]!.message, problems);
  const sameEmail = await repo.findPersonByEmail(db, next.email);
  if (sameEmail && sameEmail.id !== selfId) {
    throw new AppError(
      'conflict',
      `Another person (${sameEmail.name}) already has the e-mail ${next.email}.`,
      [{ path: '/body/email', message: 'is already used by another person' }],
    );
  }
  if (next.employeeId) {
    const sameId = await repo.findPersonByEmployeeId(db, next.employeeId);
    if (sameId && sameId.id !== selfId) {
      throw new AppError(
        'conflict',
        `Another person (${sameId.name}) already has the employee id ${next.employeeId}.`,
        [{ path: '/body/employeeId', message: 'is already used by another person' }],
      );
    }
  }
}

function uniqueViolation(error: unknown): AppError | null {
  if ((error as { code?: unknown }).code !== '23505') return null;
  return new AppError('conflict', 'Another person already has that e-mail or employee id.', [
    { path: '/body/email', message: 'or employeeId is already used by another person' },
  ]);
}

/** Adds a person (and, optionally, their first reporting line); both are recorded in the change log. */
export async function createPerson(
  db: Kysely<DB>,
  input: PersonCreateInput,
  ctx: ChangeContext,
): Promise<PersonProfileType> {
  const next: PersonSnapshot = {
    employeeId: input.employeeId ?? null,
    email: input.email.trim(),
    name: input.name.trim(),
    title: input.title ?? null,
    level: input.level ?? null,
    teamId: input.teamId ?? null,
    hireDate: input.hireDate ?? null,
    leaveDate: input.leaveDate ?? null,
    leaveReason: input.leaveReason ?? null,
    location: input.location ?? null,
    timeZone: input.timeZone ?? 'UTC',
    workMode: input.workMode ?? null,
    attributes: input.attributes ?? {},
  };
  await validatePerson(db, next, null);
  if (input.managerId && !(await repo.findPerson(db, input.managerId))) {
    throw new AppError('validation_failed', `No person with id ${input.managerId} to be the manager.`, [
      { path: '/body/managerId', message: 'is not a person' },
    ]);
  }
  const id = crypto.randomUUID();
  try {
    await db.transaction().execute(async (trx) => {
      await repo.insertPeople(trx, [{ id, ...personColumns(next) }]);
      const changes: repo.OrgChangeInsert[] = [
        { entityType: 'person', entityId: id, change: 'create', ...ctx, before: null, after: { ...next } },
      ];
      if (input.managerId) {
        const line = {
          id: crypto.randomUUID(),
          person_id: id,
          manager_id: input.managerId,
          valid_from: input.managerSince ?? next.hireDate ?? todayUtc(),
        };
        await lineRepo.insertLines(trx, [line]);
        changes.push(lineCreated(line, ctx));
        const end = leaveEnd({ ...line, valid_to: null }, null, next.leaveDate);
        if (end) {
          await lineRepo.closeLines(trx, [{ id: line.id, validTo: end.validTo }]);
          changes.push(lineEndChanged(end.line, end.validTo, ctx));
        }
      }
      await repo.insertOrgChanges(trx, changes);
    });
  } catch (error) {
    throw uniqueViolation(error) ?? error;
  }
  return getPersonProfile(db, id);
}

/**
 * The end a leave date gives the person's latest reporting line (see `leaveLineChange`), or null;
 * a leave date before that line started is a validation error on `leaveDate`.
 */
function leaveEnd(
  latest: LineRow | undefined,
  before: string | null,
  after: string | null,
): { line: LineRow; validTo: string | null } | null {
  const change = leaveLineChange(latest, before, after);
  if (change && 'problem' in change) {
    throw new AppError('validation_failed', `Invalid leave date: ${change.problem}.`, [
      { path: '/body/leaveDate', message: change.problem },
    ]);
  }
  return change;
}

/** Changes a person's record; only the changed fields are logged. A leave date ends the reporting line. */
export async function updatePerson(
  db: Kysely<DB>,
  id: string,
  input: PersonUpdateInput,
  ctx: ChangeContext,
): Promise<PersonProfileType> {
  const row = await repo.findPerson(db, id);
  if (!row) throw notFound();
  const before = personSnapshot(row);
  const next: PersonSnapshot = { ...before };
  for (const key of Object.keys(input) as (keyof PersonUpdateInput)[]) {
    const value = input[key];
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  next.email = next.email.trim();
  next.name = next.name.trim();
  await validatePerson(db, next, id);
  const diff = diffRecords(before, next);
  if (diff) {
    try {
      await db.transaction().execute(async (trx) => {
        await repo.updatePeople(trx, [{ id, ...personColumns(next) }]);
        const changes: repo.OrgChangeInsert[] = [
          { entityType: 'person', entityId: id, change: 'update', ...ctx, ...diff },
        ];
        if (before.leaveDate !== next.leaveDate) {
          const latest = (await lineRepo.findLatestLines(trx, [id])).get(id);
          const end = leaveEnd(latest, before.leaveDate, next.leaveDate);
          if (end) {
            // Taking a leave date back reopens the line: refused if the manager now reports to them.
            if (end.validTo === null)
              await refuseReportingCycle(trx, id, end.line.manager_id, '/body/leaveDate');
            await lineRepo.closeLines(trx, [{ id: end.line.id, validTo: end.validTo }]);
            changes.push(lineEndChanged(end.line, end.validTo, ctx));
          }
        }
        await repo.insertOrgChanges(trx, changes);
      });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
  }
  return getPersonProfile(db, id);
}

function countBy(values: (string | null)[]): { value: string | null; count: number }[] {
  const counts = new Map<string | null, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
}

/** Counts of today's active people by department, level, tenure band, location, work mode and custom attribute. */
export async function getSegments(db: Kysely<DB>): Promise<OrgSegmentsType> {
  const asOf = todayUtc();
  const rows = await repo.findActiveSegmentRows(db, asOf);
  const teams = new Map((await repo.findAllTeams(db)).map((t) => [t.id, t]));
  const attrs = rows.map((r) => stringRecord(r.attributes));
  const attrNames = [...new Set(attrs.flatMap((a) => Object.keys(a)))].sort();
  return {
    department: countBy(rows.map((r) => departmentOf(r.team_id, teams))),
    level: countBy(rows.map((r) => r.level)),
    tenureBand: countBy(rows.map((r) => tenureBand(r.hire_date, r.leave_date, asOf))),
    location: countBy(rows.map((r) => r.location)),
    workMode: countBy(rows.map((r) => r.work_mode)),
    attributes: Object.fromEntries(attrNames.map((n) => [n, countBy(attrs.map((a) => a[n] ?? null))])),
  };
}
