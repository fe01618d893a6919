import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';

/** The in-app coaching inbox: one row per recipient and moment, with read and acted state. */

export interface InboxItemInput {
  recipientPersonId: string;
  subjectPersonId?: string | null;
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  /** Same key for the same recipient = the same moment; adding it again does nothing. */
  dedupeKey?: string | null;
}

/** Adds a moment to a person's inbox; returns its id, or null when the same dedupe key is already there. */
export async function addInboxItem(db: Kysely<DB>, item: InboxItemInput): Promise<string | null> {
  const row = await db
    .insertInto('coaching_inbox_item')
    .values({
      recipient_person_id: item.recipientPersonId,
      subject_person_id: item.subjectPersonId ?? null,
      kind: item.kind,
      title: item.title,
      body: item.body,
      link: item.link ?? null,
      dedupe_key: item.dedupeKey ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['recipient_person_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

function present(r: {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  subject_person_id: string | null;
  subject_name: string | null;
  created_at: Date;
  read_at: Date | null;
  acted_at: Date | null;
}) {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    subject: r.subject_person_id ? { id: r.subject_person_id, name: r.subject_name ?? '' } : null,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at ? r.read_at.toISOString() : null,
    actedAt: r.acted_at ? r.acted_at.toISOString() : null,
  };
}

/** A person's inbox, newest first, with the unread count. */
export async function listInbox(
  db: Kysely<DB>,
  personId: string,
  options: { unreadOnly?: boolean; limit?: number } = {},
) {
  let q = db
    .selectFrom('coaching_inbox_item')
    .leftJoin('person as subject', 'subject.id', 'coaching_inbox_item.subject_person_id')
    .select([
      'coaching_inbox_item.id',
      'coaching_inbox_item.kind',
      'coaching_inbox_item.title',
      'coaching_inbox_item.body',
      'coaching_inbox_item.link',
      'coaching_inbox_item.subject_person_id',
      'subject.name as subject_name',
      'coaching_inbox_item.created_at',
      'coaching_inbox_item.read_at',
      'coaching_inbox_item.acted_at',
    ])
    .where('coaching_inbox_item.recipient_person_id', '=', personId)
    .orderBy('coaching_inbox_item.created_at', 'desc')
    .orderBy('coaching_inbox_item.id', 'desc')
    .limit(options.limit ?? 100);
  if (options.unreadOnly) q = q.where('coaching_inbox_item.read_at', 'is', null);
  const rows = await q.execute();
  const unread = await db
    .selectFrom('coaching_inbox_item')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient_person_id', '=', personId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { items: rows.map(present), unread: Number(unread.n) };
}

/** Marks one of the person's own items read (or acted on); someone else's item is "not found". */
export async function markInboxItem(
  db: Kysely<DB>,
  personId: string,
  itemId: string,
  state: 'read' | 'acted',
): Promise<void> {
  const now = new Date();
  const res = await db
    .updateTable('coaching_inbox_item')
    .set(state === 'read' ? { read_at: now } : { acted_at: now, read_at: now })
    .where('id', '=', itemId)
    .where('recipient_person_id', '=', personId)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) {
    throw new AppError('not_found', 'No such item in your inbox.', [
      { path: '/params/id', message: 'not in your inbox' },
    ]);
  }
}
