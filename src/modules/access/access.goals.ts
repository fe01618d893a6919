import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import * as repo from './access.repository.js';
import { resolveRelations } from './access.service.js';
import type { Actor, Relation } from './access.types.js';

/**
 * Relations for goals and for the teams that own them (PRODUCT.md §7, §10).
 *
 * A team has no "lead" column, so leadership is read from the reporting lines on the day:
 * the leads of a team are its own current members who directly manage someone currently in the
 * team or below it; when no member does (the manager sits in the parent unit), the direct managers
 * of the team's members lead it. Relative to a team:
 * - `manager` — the actor leads the team;
 * - `skip_level_manager` — the actor is above a lead in the management chain;
 * - `peer` — the actor is a member of the team but does not lead it;
 * - `hr_partner` — as for people, the team is in the HR partner's assigned units.
 * A goal takes the relations of its owner: a person goal those to the person, a team goal those to
 * the team.
 */
export async function findTeamLeads(db: Kysely<DB>, teamId: string, asOf: string): Promise<string[]> {
  const result = await sql<{ id: string; own: boolean }>`
    with recursive sub(id, depth) as (
      select id, 0 from team where id = ${teamId}
      union all
      select t.id, sub.depth + 1 from team t join sub on t.parent_id = sub.id where sub.depth < 50
    ),
    members as (
      select p.id, p.team_id from person p join sub on p.team_id = sub.id
      where p.leave_date is null or p.leave_date > ${asOf}::date
    ),
    lines as (
      select rl.manager_id, m.team_id as report_team
      from reporting_line rl join members m on m.id = rl.person_id
      where rl.valid_from <= ${asOf}::date and (rl.valid_to is null or rl.valid_to > ${asOf}::date)
    )
    select distinct l.manager_id as id, (mgr.team_id = ${teamId}) as own
    from lines l join person mgr on mgr.id = l.manager_id
    where (mgr.team_id = ${teamId}) or l.report_team = ${teamId}
  `.execute(db);
  const own = result.rows.filter((r) => r.own).map((r) => r.id);
  return own.length ? own : result.rows.map((r) => r.id);
}

/** The relations the actor's person holds to a team through leadership and membership. */
export async function teamLeadRelations(
  db: Kysely<DB>,
  personId: string,
  teamId: string,
  asOf: string,
): Promise<Relation[]> {
  const leads = await findTeamLeads(db, teamId, asOf);
  if (leads.includes(personId)) return ['manager'];
  for (const lead of leads) {
    const chain = await repo.findManagementChain(db, lead, asOf);
    if (chain.some((c) => c.managerId === personId)) return ['skip_level_manager'];
  }
  const own = await repo.findPersonTeam(db, personId);
  return own === teamId ? ['peer'] : [];
}

/** Adds team-leadership relations for a team resource (harmless to foundation rules: none grant `manager` on a team). */
export async function addTeamLeadRelations(
  db: Kysely<DB>,
  actor: Actor,
  teamId: string,
  asOf: string,
  relations: Set<Relation>,
): Promise<void> {
  if (actor.kind !== 'account' || !actor.personId) return;
  for (const r of await teamLeadRelations(db, actor.personId, teamId, asOf)) relations.add(r);
}

/** Adds the relations the actor holds to a goal's owner (person or team). An unknown goal adds none. */
export async function addGoalRelations(
  db: Kysely<DB>,
  actor: Actor,
  goalId: string,
  _asOf: string,
  relations: Set<Relation>,
): Promise<void> {
  if (actor.kind !== 'account') return;
  const goal = await db
    .selectFrom('goal')
    .select(['owner_person_id', 'owner_team_id'])
    .where('id', '=', goalId)
    .executeTakeFirst();
  if (!goal) return;
  const owner = goal.owner_person_id
    ? ({ type: 'person', id: goal.owner_person_id } as const)
    : ({ type: 'team', id: goal.owner_team_id! } as const);
  for (const r of await resolveRelations(db, actor, owner)) relations.add(r);
}
