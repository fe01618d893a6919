import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { POLICY, type Action } from './access.policy.js';
import { findManagementChain } from './access.repository.js';
import type { Relation } from './access.types.js';

export interface ViewerPerson {
  id: string;
  name: string;
  relation: Relation;
}

export interface ViewerList {
  /** The relations the policy lets read the data, in the policy's order. */
  relations: Relation[];
  /** The people who hold one of those relations today (the person themself excluded). */
  people: ViewerPerson[];
}

/**
 * Who may read a person's data under `action` today, by name: the answer to "who sees this?" that a
 * form shows its author. Derived from the POLICY entry so the notice can never drift from the rule.
 * Covers the person-relative relations (manager chain, coaches); role-based relations, if a rule
 * ever had them, are listed in `relations` only.
 */
export async function listViewers(
  db: Kysely<DB>,
  action: Action,
  personId: string,
  asOf: string,
): Promise<ViewerList> {
  const relations = [...POLICY[action].allow] as Relation[];
  const people: ViewerPerson[] = [];
  if (relations.includes('manager') || relations.includes('skip_level_manager')) {
    const chain = await findManagementChain(db, personId, asOf);
    const ids = chain.map((c) => c.managerId);
    const names = ids.length
      ? await db.selectFrom('person').select(['id', 'name']).where('id', 'in', ids).execute()
      : [];
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    for (const c of chain) {
      const relation: Relation = c.depth === 1 ? 'manager' : 'skip_level_manager';
      if (relations.includes(relation))
        people.push({ id: c.managerId, name: nameOf.get(c.managerId) ?? '?', relation });
    }
  }
  if (relations.includes('coach')) {
    const coaches = await db
      .selectFrom('coach_relationship')
      .innerJoin('person', 'person.id', 'coach_relationship.coach_person_id')
      .select(['person.id', 'person.name'])
      .where('coach_relationship.coachee_person_id', '=', personId)
      .where('coach_relationship.valid_from', '<=', asOf)
      .where((eb) =>
        eb.or([eb('coach_relationship.valid_to', 'is', null), eb('coach_relationship.valid_to', '>', asOf)]),
      )
      .orderBy('person.name')
      .execute();
    for (const c of coaches) people.push({ id: c.id, name: c.name, relation: 'coach' });
  }
  return { relations, people };
}
