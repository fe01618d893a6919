import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';

/** Of the given people, those who own an active personal goal whose period includes the day. */
export async function findPeopleWithActiveGoals(
  db: Kysely<DB>,
  personIds: readonly string[],
  asOf: string,
): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('goal')
    .select('owner_person_id')
    .distinct()
    .where('owner_person_id', 'in', [...personIds])
    .where('status', '=', 'active')
    .where('period_start', '<=', asOf)
    .where('period_end', '>=', asOf)
    .execute();
  return new Set(rows.flatMap((r) => (r.owner_person_id ? [r.owner_person_id] : [])));
}
