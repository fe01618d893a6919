import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';

/** Depth of each current manager above `personId` on `asOf` (1 = direct manager, 2 = skip level, …). */
export async function findManagementChain(
  db: Kysely<DB>,
  personId: string,
  asOf: string,
): Promise<{ managerId: string; depth: number }[]> {
  const result = await sql<{ manager_id: string; depth: number }>`
    with recursive chain(person_id, manager_id, depth, path) as (
      select rl.person_id, rl.manager_id, 1, array[rl.person_id, rl.manager_id]
      from reporting_line rl
      where rl.person_id = ${personId}
        and rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date)
      union all
      select rl.person_id, rl.manager_id, c.depth + 1, c.path || rl.manager_id
      from reporting_line rl
      join chain c on rl.person_id = c.manager_id
      where rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date)
        and not rl.manager_id = any(c.path)
        and c.depth < 50
    )
    select manager_id, min(depth)::int as depth from chain group by manager_id order by depth
  `.execute(db);
  return result.rows.map((r) => ({ managerId: r.manager_id, depth: Number(r.depth) }));
}

/** True when `managerId` managed `personId` at some time before `asOf` (the line has ended). */
export async function wasManager(
  db: Kysely<DB>,
  managerId: string,
  personId: string,
  asOf: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('reporting_line')
    .select('id')
    .where('manager_id', '=', managerId)
    .where('person_id', '=', personId)
    .where('valid_to', '<=', asOf)
    .executeTakeFirst();
  return row !== undefined;
}

/** True when an active coach relationship makes `coachId` a coach of `coacheeId` on `asOf`. */
export async function isCoach(
  db: Kysely<DB>,
  coachId: string,
  coacheeId: string,
  asOf: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('coach_relationship')
    .select('id')
    .where('coach_person_id', '=', coachId)
    .where('coachee_person_id', '=', coacheeId)
    .where('valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', asOf)]))
    .executeTakeFirst();
  return row !== undefined;
}

/** True when `teamId` is one of the HR partner's assigned units or lies below one. */
export async function isTeamInHrScope(db: Kysely<DB>, accountId: string, teamId: string): Promise<boolean> {
  const result = await sql<{ hit: number }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from team where id = ${teamId}
      union all
      select t.id, t.parent_id, up.depth + 1 from team t join up on t.id = up.parent_id where up.depth < 50
    )
    select 1 as hit from up join hr_assignment h on h.team_id = up.id and h.account_id = ${accountId} limit 1
  `.execute(db);
  return result.rows.length > 0;
}

export async function findPersonTeam(db: Kysely<DB>, personId: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('person').select('team_id').where('id', '=', personId).executeTakeFirst();
  return row ? row.team_id : undefined;
}

export interface AuditInsert {
  actorAccountId: string | null;
  actorLabel: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  decision: 'allow' | 'deny';
  reason: string | null;
  dataClass: string | null;
  ip: string | null;
  requestId: string | null;
}

export async function insertAudit(db: Kysely<DB>, entry: AuditInsert): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_account_id: entry.actorAccountId,
      actor_label: entry.actorLabel,
      action: entry.action,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId,
      decision: entry.decision,
      reason: entry.reason,
      data_class: entry.dataClass,
      ip: entry.ip,
      request_id: entry.requestId,
    })
    .execute();
}

export interface AuditQuery {
  actorAccountId?: string | undefined;
  decision?: 'allow' | 'deny' | undefined;
  action?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  before?: number | undefined;
  limit: number;
}

export async function listAudit(db: Kysely<DB>, q: AuditQuery) {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('account', 'account.id', 'audit_log.actor_account_id')
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.actor_account_id',
      'audit_log.actor_label',
      'audit_log.action',
      'audit_log.resource_type',
      'audit_log.resource_id',
      'audit_log.decision',
      'audit_log.reason',
      'audit_log.data_class',
      'audit_log.ip',
      'audit_log.request_id',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(q.limit);
  if (q.actorAccountId) query = query.where('audit_log.actor_account_id', '=', q.actorAccountId);
  if (q.decision) query = query.where('audit_log.decision', '=', q.decision);
  if (q.action) query = query.where('audit_log.action', '=', q.action);
  if (q.resourceType) query = query.where('audit_log.resource_type', '=', q.resourceType);
  if (q.resourceId) query = query.where('audit_log.resource_id', '=', q.resourceId);
  if (q.before) query = query.where('audit_log.id', '<', q.before);
  return query.execute();
}

/** True when the person manages at least one other person on `asOf`. */
export async function hasCurrentReports(db: Kysely<DB>, personId: string, asOf: string): Promise<boolean> {
  const row = await db
    .selectFrom('reporting_line')
    .select('id')
    .where('manager_id', '=', personId)
    .where('valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', asOf)]))
    .executeTakeFirst();
  return row !== undefined;
}
