import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError, invalidField } from '../../shared/app-error.js';
import * as repo from './conversations.repository.js';
import { carryForward, mustFind, RATER_ROLES, retagTopics } from './conversations.service.js';
import type { ConversationStatus, NoteVisibility } from './conversations.tables.js';

/** Changes participants make to a conversation: schedule and status, agenda, notes, actions, topics, rating. */
type Db = Kysely<DB>;

async function role(db: Db, conversationId: string, personId: string) {
  const row = await db
    .selectFrom('conversation_participant')
    .select('role')
    .where('conversation_id', '=', conversationId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row?.role;
}

/** Changes title, time, duration or status; holding a meeting carries open items into the next one. */
export async function updateConversation(
  db: Db,
  id: string,
  body: { title?: string; scheduledAt?: string; durationMinutes?: number; status?: ConversationStatus },
  now = new Date(),
): Promise<void> {
  const conv = await mustFind(db, id);
  await db
    .updateTable('conversation')
    .set({
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.scheduledAt !== undefined ? { scheduled_at: new Date(body.scheduledAt) } : {}),
      ...(body.durationMinutes !== undefined ? { duration_minutes: body.durationMinutes } : {}),
      ...(body.status !== undefined
        ? { status: body.status, completed_at: body.status === 'completed' ? now : null }
        : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  if (body.status === 'completed' || body.status === 'cancelled') {
    const next = await repo.findNextOfPair(db, conv.participant_key, new Date(conv.scheduled_at), id);
    if (next) await carryForward(db, next.id, now);
  }
}

export async function addAgendaItem(db: Db, id: string, me: string, text: string): Promise<void> {
  await mustFind(db, id);
  const position = await repo.nextAgendaPosition(db, id);
  await db
    .insertInto('conversation_agenda_item')
    .values({ conversation_id: id, text, position, added_by_person_id: me })
    .execute();
  await retagTopics(db, id);
}

async function mustFindItem(db: Db, id: string, itemId: string) {
  const item = await db
    .selectFrom('conversation_agenda_item')
    .selectAll()
    .where('id', '=', itemId)
    .where('conversation_id', '=', id)
    .executeTakeFirst();
  if (!item) throw new AppError('not_found', 'No such agenda item in this conversation.');
  return item;
}

export async function updateAgendaItem(
  db: Db,
  id: string,
  itemId: string,
  body: { text?: string; done?: boolean },
) {
  await mustFindItem(db, id, itemId);
  await db
    .updateTable('conversation_agenda_item')
    .set({
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.done !== undefined ? { done: body.done } : {}),
    })
    .where('id', '=', itemId)
    .execute();
  if (body.text !== undefined) await retagTopics(db, id);
}

export async function deleteAgendaItem(db: Db, id: string, itemId: string) {
  await mustFindItem(db, id, itemId);
  await db.deleteFrom('conversation_agenda_item').where('id', '=', itemId).execute();
  await retagTopics(db, id);
}

/** Reorders the agenda: `itemIds` must name every item of the conversation exactly once. */
export async function reorderAgenda(db: Db, id: string, itemIds: string[]) {
  const items = await repo.findAgenda(db, id);
  const known = new Set(items.map((i) => i.id));
  if (itemIds.length !== items.length || itemIds.some((i) => !known.has(i))) {
    throw invalidField('/body/itemIds', 'must list every agenda item of the conversation exactly once');
  }
  await db.transaction().execute(async (trx) => {
    for (const [position, itemId] of itemIds.entries()) {
      await trx.updateTable('conversation_agenda_item').set({ position }).where('id', '=', itemId).execute();
    }
  });
}

export async function addNote(
  db: Db,
  id: string,
  me: string,
  visibility: NoteVisibility,
  body: string,
): Promise<string> {
  await mustFind(db, id);
  const row = await db
    .insertInto('conversation_note')
    .values({ conversation_id: id, author_person_id: me, visibility, body })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (visibility === 'shared') await retagTopics(db, id);
  return row.id;
}

/**
 * The author of a note, or undefined when there is no such note in the conversation. A participant
 * asking about someone else's private note gets the same answer as for a missing one.
 */
export async function noteAuthor(
  db: Db,
  id: string,
  noteId: string,
  me: string,
): Promise<string | undefined> {
  const note = await db
    .selectFrom('conversation_note')
    .select(['author_person_id', 'visibility'])
    .where('id', '=', noteId)
    .where('conversation_id', '=', id)
    .executeTakeFirst();
  if (!note) return undefined;
  if (note.visibility === 'private' && note.author_person_id !== me) return undefined;
  return note.author_person_id;
}

export async function updateNote(
  db: Db,
  id: string,
  noteId: string,
  body: { visibility?: NoteVisibility; body?: string },
  now = new Date(),
) {
  await db
    .updateTable('conversation_note')
    .set({
      ...(body.visibility !== undefined ? { visibility: body.visibility } : {}),
      ...(body.body !== undefined ? { body: body.body } : {}),
      updated_at: now,
    })
    .where('id', '=', noteId)
    .where('conversation_id', '=', id)
    .execute();
  await retagTopics(db, id);
}

export async function deleteNote(db: Db, id: string, noteId: string) {
  await db
    .deleteFrom('conversation_note')
    .where('id', '=', noteId)
    .where('conversation_id', '=', id)
    .execute();
  await retagTopics(db, id);
}

async function checkOwner(db: Db, id: string, ownerId: string) {
  if (!(await role(db, id, ownerId)))
    throw invalidField('/body/ownerId', 'the owner must take part in the conversation');
}

export async function addAction(
  db: Db,
  id: string,
  me: string,
  body: { text: string; ownerId: string; dueDate?: string | null | undefined },
) {
  await mustFind(db, id);
  await checkOwner(db, id, body.ownerId);
  const row = await db
    .insertInto('conversation_action')
    .values({
      conversation_id: id,
      text: body.text,
      owner_person_id: body.ownerId,
      due_date: body.dueDate ?? null,
      created_by_person_id: me,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await retagTopics(db, id);
  return row.id;
}

export async function updateAction(
  db: Db,
  id: string,
  actionId: string,
  body: { text?: string; ownerId?: string; dueDate?: string | null; done?: boolean },
  now = new Date(),
) {
  const action = await db
    .selectFrom('conversation_action')
    .select('id')
    .where('id', '=', actionId)
    .where('conversation_id', '=', id)
    .executeTakeFirst();
  if (!action) throw new AppError('not_found', 'No such action in this conversation.');
  if (body.ownerId) await checkOwner(db, id, body.ownerId);
  await db
    .updateTable('conversation_action')
    .set({
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.ownerId !== undefined ? { owner_person_id: body.ownerId } : {}),
      ...(body.dueDate !== undefined ? { due_date: body.dueDate } : {}),
      ...(body.done !== undefined ? { done_at: body.done ? now : null } : {}),
    })
    .where('id', '=', actionId)
    .execute();
  // A follow-up carried into a later agenda is ticked there when it is done.
  if (body.done !== undefined) {
    await db
      .updateTable('conversation_agenda_item')
      .set({ done: body.done })
      .where('carried_from_action_id', '=', actionId)
      .execute();
  }
  if (body.text !== undefined) await retagTopics(db, id);
}

export async function deleteAction(db: Db, id: string, actionId: string) {
  const res = await db
    .deleteFrom('conversation_action')
    .where('id', '=', actionId)
    .where('conversation_id', '=', id)
    .executeTakeFirst();
  if (Number(res.numDeletedRows) === 0)
    throw new AppError('not_found', 'No such action in this conversation.');
  await db.deleteFrom('conversation_agenda_item').where('carried_from_action_id', '=', actionId).execute();
}

/** Participants' own topic list; from then on automatic tagging leaves the conversation alone. */
export async function setTopics(db: Db, id: string, topics: string[]) {
  const clean = [...new Set(topics.map((t) => t.trim().toLowerCase().replace(/\s+/g, '_')).filter(Boolean))];
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('conversation').set({ topics_edited: true }).where('id', '=', id).execute();
    await trx.deleteFrom('conversation_topic').where('conversation_id', '=', id).execute();
    if (clean.length) {
      await trx
        .insertInto('conversation_topic')
        .values(clean.map((topic) => ({ conversation_id: id, topic, source: 'manual' as const })))
        .execute();
    }
  });
}

/** The employee's helpfulness rating (1–5, optional comment), given once. */
export async function rateConversation(
  db: Db,
  id: string,
  me: string,
  score: number,
  comment: string | null | undefined,
  now = new Date(),
) {
  const conv = await mustFind(db, id);
  const myRole = await role(db, id, me);
  if (!myRole || !RATER_ROLES.includes(myRole)) {
    throw new AppError(
      'forbidden',
      'Only the employee or coachee of a conversation rates how helpful it was.',
    );
  }
  if (conv.status === 'cancelled')
    throw invalidField('/params/id', 'a cancelled conversation cannot be rated');
  const ended =
    conv.status === 'completed' ||
    new Date(conv.scheduled_at).getTime() + conv.duration_minutes * 60_000 <= now.getTime();
  if (!ended) throw invalidField('/params/id', 'a conversation can be rated once it has taken place');
  const text = comment?.trim() ? comment.trim() : null;
  const existing = await db
    .selectFrom('conversation_rating')
    .select('score')
    .where('conversation_id', '=', id)
    .where('rater_person_id', '=', me)
    .executeTakeFirst();
  // A rating is final: changing it later would move the aggregate by one person's difference.
  if (existing)
    throw new AppError('conflict', 'You have already rated this conversation; a rating cannot be changed.');
  await db
    .insertInto('conversation_rating')
    .values({ conversation_id: id, rater_person_id: me, score, comment: text })
    .execute();
}
