import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { DB } from '../../db/types.js';
import { addInboxItem, type InboxItemInput } from './delivery.inbox.js';
import { queueWebhooks, slackMessage } from './delivery.webhooks.js';

/**
 * Delivers one coaching moment: into the recipient's inbox and, when it is new, a notice to every
 * webhook endpoint. The notice names the recipient only and links to Cairn: endpoints are usually
 * shared channels, so the moment's content stays behind sign-in. The e-mail digest picks the moment
 * up at the recipient's next local send time.
 */
export async function deliverMoment(
  db: Kysely<DB>,
  boss: PgBoss | undefined,
  item: InboxItemInput,
  options: { publicUrl?: string | undefined } = {},
): Promise<{ itemId: string | null; deliveries: string[] }> {
  const itemId = await addInboxItem(db, item);
  if (!itemId) return { itemId, deliveries: [] };
  const person = await db
    .selectFrom('person')
    .select('name')
    .where('id', '=', item.recipientPersonId)
    .executeTakeFirstOrThrow();
  const base = options.publicUrl?.replace(/\/$/, '');
  const deliveries = await queueWebhooks(
    db,
    boss,
    'coaching.moment',
    slackMessage(`${person.name} has a new coaching moment in Cairn.`, base ? `${base}/coaching` : undefined),
  );
  return { itemId, deliveries };
}
