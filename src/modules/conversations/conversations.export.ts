import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { getHelpfulness } from './conversations.helpfulness.js';
import * as repo from './conversations.repository.js';
import { buildDetails, listMyActions } from './conversations.service.js';

/** Every conversation the person takes part in, with exactly the parts they may read (their own private notes, shared notes). */
export async function exportConversations(db: Kysely<DB>, personId: string, now = new Date()) {
  const person = await db
    .selectFrom('person')
    .select(['id', 'name', 'email'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  const rows = await repo.listConversationsOf(db, personId, { limit: 100_000 });
  return {
    exportedAt: now.toISOString(),
    person,
    conversations: await buildDetails(
      db,
      personId,
      rows.map((r) => r.id),
      now,
    ),
    openActions: (await listMyActions(db, personId, 'open', now)).items,
    helpfulnessOfConversationsILed: await getHelpfulness(db, personId),
  };
}
