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

export interface PersonRelationFacts {
  /** undefined when the person does not exist. */
  targetTeamId: string | null | undefined;
  actorTeamId: string | null;
  /** The actor's depth above the target in today's management chain (1 = direct manager), or null. */
  chainDepth: number | null;
  wasManager: boolean;
  isCoach: boolean;
  inHrScope: boolean;
}

/**
 * Everything `resolveRelations` needs about an actor and a person, in one round trip: the teams of
 * both, the actor's place in the person's management chain on `asOf`, an ended reporting line, an
 * active coach relationship and, for HR accounts, whether the person's team is in their scope.
 */
export async function findPersonRelationFacts(
  db: Kysely<DB>,
  actor: { personId: string | null; accountId: string; isHr: boolean },
  personId: string,
  asOf: string,
): Promise<PersonRelationFacts> {
  const actorPerson = actor.personId;
  const result = await sql<{
    target_team: string | null;
    found: boolean;
    actor_team: string | null;
    depth: number | null;
    was_manager: boolean;
    is_coach: boolean;
    in_scope: boolean;
  }>`
    with recursive chain(manager_id, depth, path) as (
      select rl.manager_id, 1, array[rl.person_id, rl.manager_id]
      from reporting_line rl
      where ${actorPerson}::uuid is not null and rl.person_id = ${personId}
        and rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date)
      union all
      select rl.manager_id, c.depth + 1, c.path || rl.manager_id
      from reporting_line rl
      join chain c on rl.person_id = c.manager_id
      where rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date)
        and not rl.manager_id = any(c.path)
        and c.depth < 50
    ),
    target as (select team_id from person where id = ${personId}),
    up(id, parent_id, depth) as (
      select t.id, t.parent_id, 0 from team t join target on t.id = target.team_id where ${actor.isHr}
      union all
      select t.id, t.parent_id, up.depth + 1 from team t join up on t.id = up.parent_id where up.depth < 50
    )
    select
      (select team_id from target) as target_team,
      exists (select 1 from target) as found,
      (select team_id from person where id = ${actorPerson}::uuid) as actor_team,
      (select min(depth)::int from chain where manager_id = ${actorPerson}::uuid) as depth,
      exists (
        select 1 from reporting_line
        where manager_id = ${actorPerson}::uuid and person_id = ${personId} and valid_to <= ${asOf}::date
      ) as was_manager,
      exists (
        select 1 from coach_relationship
        where coach_person_id = ${actorPerson}::uuid and coachee_person_id = ${personId}
          and valid_from <= ${asOf}::date and (valid_to is null or valid_to > ${asOf}::date)
      ) as is_coach,
      exists (
        select 1 from up join hr_assignment h on h.team_id = up.id and h.account_id = ${actor.accountId}
      ) as in_scope
  `.execute(db);
  const row = result.rows[0]!;
  return {
    targetTeamId: row.found ? row.target_team : undefined,
    actorTeamId: row.actor_team,
    chainDepth: row.depth === null ? null : Number(row.depth),
    wasManager: row.was_manager,
    isCoach: row.is_coach,
    inHrScope: row.in_scope,
  };
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
