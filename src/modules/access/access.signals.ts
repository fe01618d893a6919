import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Actor, Relation } from './access.types.js';

/**
 * Relations to a team for the signals views: `team_member` (the actor's person is a current member)
 * and `team_manager` (the actor is above a current member in today's management chain).
 */
export async function signalsTeamRelations(
  db: Kysely<DB>,
  actorPersonId: string,
  teamId: string,
  asOf: string,
): Promise<Relation[]> {
  const out: Relation[] = [];
  const own = await db
    .selectFrom('person')
    .select('team_id')
    .where('id', '=', actorPersonId)
    .executeTakeFirst();
  if (own?.team_id === teamId) out.push('team_member');
  const hit = await sql<{ hit: number }>`
    with recursive reports(person_id, depth) as (
      select rl.person_id, 1 from reporting_line rl
      where rl.manager_id = ${actorPersonId}
        and rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date)
      union
      select rl.person_id, r.depth + 1 from reporting_line rl join reports r on rl.manager_id = r.person_id
      where rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date) and r.depth < 50
    )
    select 1 as hit from person p join reports r on r.person_id = p.id where p.team_id = ${teamId} limit 1
  `.execute(db);
  if (hit.rows.length > 0) out.push('team_manager');
  return out;
}

/** Who and which teams the actor may see signals of; `all*` for admins (people) and admins/executives (teams). */
export interface SignalsScope {
  allPeople: boolean;
  allTeams: boolean;
  personIds: Set<string>;
  teamIds: Set<string>;
}

/**
 * The same rules as the POLICY entries signals.person / signals.team, as sets, for filtering many
 * subjects at once (the live stream, flags on a team view). Self and transitive reports; their teams.
 */
export async function signalsScope(db: Kysely<DB>, actor: Actor, asOf: string): Promise<SignalsScope> {
  const scope: SignalsScope = { allPeople: false, allTeams: false, personIds: new Set(), teamIds: new Set() };
  if (actor.kind !== 'account') return scope;
  if (actor.roles.includes('admin')) scope.allPeople = true;
  if (actor.roles.includes('admin') || actor.roles.includes('executive')) scope.allTeams = true;
  if (!actor.personId) return scope;
  const rows = await sql<{ id: string; team_id: string | null }>`
    with recursive reports(person_id, depth) as (
      select ${actor.personId}::uuid, 0
      union
      select rl.person_id, r.depth + 1 from reporting_line rl join reports r on rl.manager_id = r.person_id
      where rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date) and r.depth < 50
    )
    select p.id, p.team_id from person p join reports r on r.person_id = p.id
  `.execute(db);
  for (const r of rows.rows) {
    scope.personIds.add(r.id);
    if (r.team_id) scope.teamIds.add(r.team_id);
  }
  return scope;
}

export function scopeHasPerson(scope: SignalsScope, id: string): boolean {
  return scope.allPeople || scope.personIds.has(id);
}

export function scopeHasTeam(scope: SignalsScope, id: string): boolean {
  return scope.allTeams || scope.teamIds.has(id);
}
