import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import * as repo from './access.repository.js';
import type { Actor, Relation } from './access.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Relations to a coaching opportunity (development data). Only `opportunity_recipient` exists, and
 * only for the manager it was addressed to while they are still in charge of its subject on the day:
 * for a person, still in their management chain; for a team, still directly managing someone in it.
 * A manager who hands a report over loses the opportunities about them the day the line ends. The
 * subject, skip-levels, peers, HR, admins and executives hold no relation, so no rule can let them in.
 */
export async function addOpportunityRelations(
  db: Kysely<DB>,
  actor: Actor,
  opportunityId: string,
  asOf: string,
  relations: Set<Relation>,
): Promise<void> {
  if (actor.kind !== 'account' || !actor.personId || !UUID.test(opportunityId)) return;
  const row = await db
    .selectFrom('coaching_opportunity')
    .select(['recipient_person_id', 'subject_type', 'subject_person_id', 'subject_team_id'])
    .where('id', '=', opportunityId)
    .executeTakeFirst();
  if (!row || row.recipient_person_id !== actor.personId) return;
  if (row.subject_type === 'person' && row.subject_person_id) {
    const chain = await repo.findManagementChain(db, row.subject_person_id, asOf);
    if (chain.some((c) => c.managerId === actor.personId)) relations.add('opportunity_recipient');
    return;
  }
  if (row.subject_team_id) {
    const line = await db
      .selectFrom('reporting_line')
      .innerJoin('person', 'person.id', 'reporting_line.person_id')
      .select('reporting_line.id')
      .where('reporting_line.manager_id', '=', actor.personId)
      .where('person.team_id', '=', row.subject_team_id)
      .where('reporting_line.valid_from', '<=', asOf)
      .where((eb) =>
        eb.or([eb('reporting_line.valid_to', 'is', null), eb('reporting_line.valid_to', '>', asOf)]),
      )
      .executeTakeFirst();
    if (line) relations.add('opportunity_recipient');
  }
}
