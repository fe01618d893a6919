import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Actor, Relation } from './access.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Relations to an AI draft. Only its author holds one: a draft is written from what its author may
 * see, so nobody else — not the subject's other managers, not HR, not an administrator — may read,
 * accept or discard it.
 */
export async function addCoachingDraftRelations(
  db: Kysely<DB>,
  actor: Actor,
  draftId: string,
  relations: Set<Relation>,
): Promise<void> {
  if (actor.kind !== 'account' || !UUID.test(draftId)) return;
  const row = await db
    .selectFrom('coaching_ai_draft')
    .select('id')
    .where('id', '=', draftId)
    .where('created_by_account_id', '=', actor.accountId)
    .executeTakeFirst();
  if (row) relations.add('draft_author');
}
