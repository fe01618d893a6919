import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Actor, Relation } from './access.types.js';

/**
 * Relations to a coaching conversation. Only taking part counts: a participant's manager, skip-level,
 * HR partner, administrator or executive holds no relation to the conversation, so no policy rule can
 * let them read it (PRODUCT.md §10: HR never reads private coaching notes). Which notes a participant
 * sees (their own private ones, everyone's shared ones) is decided in the conversations repository.
 */
export async function addConversationRelations(
  db: Kysely<DB>,
  actor: Actor,
  conversationId: string,
  relations: Set<Relation>,
): Promise<void> {
  if (actor.kind !== 'account' || !actor.personId) return;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(conversationId)) return;
  const row = await db
    .selectFrom('conversation_participant')
    .select('person_id')
    .where('conversation_id', '=', conversationId)
    .where('person_id', '=', actor.personId)
    .executeTakeFirst();
  if (row) relations.add('conversation_participant');
}
