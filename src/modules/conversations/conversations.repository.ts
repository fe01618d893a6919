import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { ConversationListQueryType } from './conversations.schema.js';
import type { ConversationKind, ParticipantRole } from './conversations.tables.js';

/** SQL of the conversations module. Every function takes `db` or a transaction first. */
type Db = Kysely<DB> | Transaction<DB>;

export interface ConversationRow {
  id: string;
  kind: ConversationKind;
  title: string;
  series_id: string | null;
  coach_relationship_id: string | null;
  team_id: string | null;
  team_name: string | null;
  project: string | null;
  scheduled_at: Date;
  duration_minutes: number;
  status: 'scheduled' | 'completed' | 'cancelled';
  participant_key: string;
  prompt_kind: string | null;
  prompt_id: string | null;
  topics_edited: boolean;
}

export interface ParticipantRow {
  conversation_id: string;
  person_id: string;
  name: string;
  title: string | null;
  role: ParticipantRole;
}

function baseQuery(db: Db) {
  return db
    .selectFrom('conversation as c')
    .leftJoin('team as t', 't.id', 'c.team_id')
    .select([
      'c.id',
      'c.kind',
      'c.title',
      'c.series_id',
      'c.coach_relationship_id',
      'c.team_id',
      't.name as team_name',
      'c.project',
      'c.scheduled_at',
      'c.duration_minutes',
      'c.status',
      'c.participant_key',
      'c.prompt_kind',
      'c.prompt_id',
      'c.topics_edited',
    ]);
}

export async function findConversation(db: Db, id: string): Promise<ConversationRow | undefined> {
  return baseQuery(db).where('c.id', '=', id).executeTakeFirst();
}

/** The viewer's conversations (they take part in each), filtered; newest schedule last. */
export async function listConversationsOf(
  db: Db,
  personId: string,
  q: ConversationListQueryType & { ids?: string[] },
): Promise<(ConversationRow & { my_role: ParticipantRole })[]> {
  let query = baseQuery(db)
    .innerJoin('conversation_participant as me', (j) =>
      j.onRef('me.conversation_id', '=', 'c.id').on('me.person_id', '=', personId),
    )
    .select('me.role as my_role')
    // Past-only lists (to without from) come newest first, so the limit keeps the recent ones.
    .orderBy('c.scheduled_at', q.to && !q.from ? 'desc' : 'asc')
    .limit(q.limit ?? 200);
  if (q.ids) query = q.ids.length ? query.where('c.id', 'in', q.ids) : query.where(sql<boolean>`false`);
  if (q.status) query = query.where('c.status', '=', q.status);
  if (q.kind) query = query.where('c.kind', '=', q.kind);
  if (q.role) query = query.where('me.role', '=', q.role);
  if (q.from) query = query.where('c.scheduled_at', '>=', new Date(q.from));
  if (q.to) query = query.where('c.scheduled_at', '<', new Date(q.to));
  if (q.with) {
    const other = q.with;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('conversation_participant as o')
          .select('o.person_id')
          .whereRef('o.conversation_id', '=', 'c.id')
          .where('o.person_id', '=', other),
      ),
    );
  }
  if (q.q && q.q.trim()) {
    // Only text the viewer may read: titles, agenda, actions, shared notes and their own private notes.
    const like = `%${q.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('c.title', 'ilike', like),
        eb('c.project', 'ilike', like),
        eb.exists(
          eb
            .selectFrom('conversation_agenda_item as a')
            .select('a.id')
            .whereRef('a.conversation_id', '=', 'c.id')
            .where('a.text', 'ilike', like),
        ),
        eb.exists(
          eb
            .selectFrom('conversation_action as x')
            .select('x.id')
            .whereRef('x.conversation_id', '=', 'c.id')
            .where('x.text', 'ilike', like),
        ),
        eb.exists(
          eb
            .selectFrom('conversation_note as n')
            .select('n.id')
            .whereRef('n.conversation_id', '=', 'c.id')
            .where('n.body', 'ilike', like)
            .where((w) => w.or([w('n.visibility', '=', 'shared'), w('n.author_person_id', '=', personId)])),
        ),
      ]),
    );
  }
  return query.execute();
}

export async function findParticipants(db: Db, conversationIds: string[]): Promise<ParticipantRow[]> {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom('conversation_participant as p')
    .innerJoin('person', 'person.id', 'p.person_id')
    .select(['p.conversation_id', 'p.person_id', 'person.name', 'person.title', 'p.role'])
    .where('p.conversation_id', 'in', conversationIds)
    .orderBy('p.role')
    .orderBy('person.name')
    .execute();
}

export async function findTopics(db: Db, conversationIds: string[]) {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom('conversation_topic')
    .select(['conversation_id', 'topic', 'source'])
    .where('conversation_id', 'in', conversationIds)
    .orderBy('topic')
    .execute();
}

export interface ActionRow {
  id: string;
  conversation_id: string;
  conversation_title: string;
  text: string;
  owner_person_id: string;
  owner_name: string;
  due_date: string | null;
  done_at: Date | null;
}

function actionQuery(db: Db) {
  return db
    .selectFrom('conversation_action as x')
    .innerJoin('conversation as c', 'c.id', 'x.conversation_id')
    .innerJoin('person as o', 'o.id', 'x.owner_person_id')
    .select([
      'x.id',
      'x.conversation_id',
      'c.title as conversation_title',
      'x.text',
      'x.owner_person_id',
      'o.name as owner_name',
      sql<string | null>`x.due_date::text`.as('due_date'),
      'x.done_at',
    ])
    .orderBy(sql`x.due_date nulls last`)
    .orderBy('x.created_at');
}

export async function findActions(db: Db, conversationIds: string[]): Promise<ActionRow[]> {
  if (conversationIds.length === 0) return [];
  return actionQuery(db).where('x.conversation_id', 'in', conversationIds).execute();
}

/** Actions of every conversation the person takes part in (so both people see each follow-up). */
export async function findActionsOfParticipant(
  db: Db,
  personId: string,
  filter: { openOnly: boolean; overdueBefore?: string },
): Promise<ActionRow[]> {
  let query = actionQuery(db).where((eb) =>
    eb.exists(
      eb
        .selectFrom('conversation_participant as p')
        .select('p.person_id')
        .whereRef('p.conversation_id', '=', 'x.conversation_id')
        .where('p.person_id', '=', personId),
    ),
  );
  if (filter.openOnly) query = query.where('x.done_at', 'is', null).where('c.status', '!=', 'cancelled');
  if (filter.overdueBefore) query = query.where('x.due_date', '<', filter.overdueBefore);
  return query.execute();
}

export async function findAgenda(db: Db, conversationId: string) {
  return db
    .selectFrom('conversation_agenda_item as a')
    .leftJoin('person as p', 'p.id', 'a.added_by_person_id')
    .select([
      'a.id',
      'a.text',
      'a.position',
      'a.done',
      'a.added_by_person_id',
      'p.name as added_by_name',
      'a.carried_from_action_id',
      'a.carried_from_item_id',
    ])
    .where('a.conversation_id', '=', conversationId)
    .orderBy('a.position')
    .orderBy('a.created_at')
    .execute();
}

/**
 * The notes `viewerId` may read in a conversation: every shared note and their own private notes.
 * Another person's private note is never selected, whoever asks.
 */
export async function findVisibleNotes(db: Db, conversationIds: string[], viewerId: string) {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom('conversation_note as n')
    .innerJoin('person as p', 'p.id', 'n.author_person_id')
    .select([
      'n.id',
      'n.conversation_id',
      'n.author_person_id',
      'p.name as author_name',
      'n.visibility',
      'n.body',
      'n.created_at',
      'n.updated_at',
    ])
    .where('n.conversation_id', 'in', conversationIds)
    .where((eb) => eb.or([eb('n.visibility', '=', 'shared'), eb('n.author_person_id', '=', viewerId)]))
    .orderBy('n.created_at')
    .execute();
}

export async function nextAgendaPosition(db: Db, conversationId: string): Promise<number> {
  const row = await db
    .selectFrom('conversation_agenda_item')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

/** The earliest still-scheduled conversation of the same people after `after` ("the next one"). */
export async function findNextOfPair(
  db: Db,
  participantKey: string,
  after: Date,
  excludeId?: string,
): Promise<{ id: string; scheduled_at: Date } | undefined> {
  let q = db
    .selectFrom('conversation')
    .select(['id', 'scheduled_at'])
    .where('participant_key', '=', participantKey)
    .where('status', '=', 'scheduled')
    .where('scheduled_at', '>', after)
    .orderBy('scheduled_at')
    .limit(1);
  if (excludeId) q = q.where('id', '!=', excludeId);
  return q.executeTakeFirst();
}

/** Open follow-ups of earlier conversations of the same people that are overdue on `today`. */
export async function findOverdueActionsOfPair(db: Db, participantKey: string, before: Date, today: string) {
  return db
    .selectFrom('conversation_action as x')
    .innerJoin('conversation as c', 'c.id', 'x.conversation_id')
    .innerJoin('person as o', 'o.id', 'x.owner_person_id')
    .select(['x.id', 'x.text', 'o.name as owner_name', sql<string>`x.due_date::text`.as('due_date')])
    .where('c.participant_key', '=', participantKey)
    .where('c.scheduled_at', '<', before)
    .where('x.done_at', 'is', null)
    .where('x.due_date', '<', today)
    .orderBy('x.due_date')
    .execute();
}

/** Agenda items left unticked in the last completed conversation of the same people before `before`. */
export async function findUndiscussedOfPreviousConversation(db: Db, participantKey: string, before: Date) {
  const previous = await db
    .selectFrom('conversation')
    .select('id')
    .where('participant_key', '=', participantKey)
    .where('status', '=', 'completed')
    .where('scheduled_at', '<', before)
    .orderBy('scheduled_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!previous) return [];
  return db
    .selectFrom('conversation_agenda_item')
    .select(['id', 'text', 'added_by_person_id'])
    .where('conversation_id', '=', previous.id)
    .where('done', '=', false)
    .where('carried_from_action_id', 'is', null)
    .orderBy('position')
    .execute();
}

export async function currentManagerOf(db: Db, personId: string, asOf: string): Promise<string | null> {
  const row = await db
    .selectFrom('reporting_line')
    .select('manager_id')
    .where('person_id', '=', personId)
    .where('valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', asOf)]))
    .orderBy('valid_from', 'desc')
    .executeTakeFirst();
  return row?.manager_id ?? null;
}

export async function activeCoachRelationship(
  db: Db,
  a: string,
  b: string,
  kind: 'peer' | 'upward' | 'external',
  asOf: string,
) {
  return db
    .selectFrom('coach_relationship')
    .select(['id', 'coach_person_id', 'coachee_person_id'])
    .where('kind', '=', kind)
    .where((eb) =>
      eb.or([
        eb.and([eb('coach_person_id', '=', a), eb('coachee_person_id', '=', b)]),
        eb.and([eb('coach_person_id', '=', b), eb('coachee_person_id', '=', a)]),
      ]),
    )
    .where('valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', asOf)]))
    .executeTakeFirst();
}

export async function findPeople(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('person')
    .select(['id', 'name', 'team_id', sql<string | null>`leave_date::text`.as('leave_date')])
    .where('id', 'in', ids)
    .execute();
}

export async function currentTeamMembers(db: Db, teamId: string, asOf: string): Promise<string[]> {
  const rows = await db
    .selectFrom('person')
    .select('id')
    .where('team_id', '=', teamId)
    .where((eb) => eb.or([eb('leave_date', 'is', null), eb('leave_date', '>', asOf)]))
    .execute();
  return rows.map((r) => r.id);
}

/** Ratings of conversations in which `personId` led (manager, coach, facilitator), oldest first. */
export async function findRatingsOfLeader(db: Db, personId: string) {
  return db
    .selectFrom('conversation_rating as r')
    .innerJoin('conversation_participant as p', (j) =>
      j.onRef('p.conversation_id', '=', 'r.conversation_id').on('p.person_id', '=', personId),
    )
    .select(['r.rater_person_id', 'r.score', 'r.comment', 'r.created_at'])
    .where('p.role', 'in', ['manager', 'coach', 'facilitator'])
    .where('r.rater_person_id', '!=', personId)
    .orderBy('r.created_at')
    .orderBy('r.conversation_id')
    .execute();
}
