import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError, invalidField } from '../../shared/app-error.js';
import * as repo from './conversations.repository.js';
import type {
  ConversationActionItemType,
  ConversationCreateBodyType,
  ConversationDetailType,
  ConversationListQueryType,
  ConversationSummaryType,
} from './conversations.schema.js';
import type { ConversationKind, ParticipantRole } from './conversations.tables.js';
import { tagTopics, topicInfo } from './conversations.topics.js';

type Db = Kysely<DB>;

/** Roles whose holder is "the employee" of a conversation and rates its helpfulness. */
export const RATER_ROLES: readonly ParticipantRole[] = ['report', 'coachee', 'member'];
/** Roles whose holder led the conversation and sees ratings only in aggregate. */
export const LEADER_ROLES: readonly ParticipantRole[] = ['manager', 'coach', 'facilitator'];

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function participantKey(personIds: string[]): string {
  return [...personIds].sort().join(',');
}

interface Planned {
  participants: { personId: string; role: ParticipantRole }[];
  title: string;
  coachRelationshipId: string | null;
}

/** Decides who takes which role, checking the conversation fits the organisation (reporting lines, coach relationships). */
async function planParticipants(
  db: Db,
  me: string,
  body: ConversationCreateBodyType,
  asOf: string,
): Promise<Planned> {
  const others = body.withPersonIds.filter((id) => id !== me);
  const people = await repo.findPeople(db, [me, ...others, ...(body.coachId ? [body.coachId] : [])]);
  const byId = new Map(people.map((p) => [p.id, p]));
  others.forEach((id, i) => {
    const p = byId.get(id);
    if (!p) throw invalidField(`/body/withPersonIds/${i}`, 'no such person');
    if (p.leave_date && p.leave_date <= asOf)
      throw invalidField(`/body/withPersonIds/${i}`, `${p.name} has left the organisation`);
  });
  const name = (id: string) => byId.get(id)?.name ?? 'someone';
  const kind = body.kind;

  if (kind === 'debrief') {
    if (!body.teamId) throw invalidField('/body/teamId', 'a project debrief needs the team');
    if (!body.project) throw invalidField('/body/project', 'a project debrief needs the project');
    const members = others.length
      ? others
      : (await repo.currentTeamMembers(db, body.teamId, asOf)).filter((id) => id !== me);
    if (members.length === 0)
      throw invalidField('/body/withPersonIds', 'a debrief needs at least one other person');
    return {
      participants: [
        { personId: me, role: 'facilitator' },
        ...members.map((personId) => ({ personId, role: 'member' as const })),
      ],
      title: body.title ?? `Debrief: ${body.project}`,
      coachRelationshipId: null,
    };
  }

  if (others.length !== 1)
    throw invalidField(
      '/body/withPersonIds',
      'this kind of conversation is between you and one other person',
    );
  const other = others[0]!;
  const myManager = await repo.currentManagerOf(db, me, asOf);
  const theirManager = await repo.currentManagerOf(db, other, asOf);

  if (kind === 'one_on_one' || kind === 'upward') {
    let manager: string;
    let report: string;
    if (theirManager === me) [manager, report] = [me, other];
    else if (myManager === other) [manager, report] = [other, me];
    else
      throw invalidField(
        '/body/withPersonIds/0',
        `${kind === 'upward' ? 'upward coaching' : 'a 1:1'} is between a person and their current manager`,
      );
    if (kind === 'one_on_one') {
      return {
        participants: [
          { personId: manager, role: 'manager' },
          { personId: report, role: 'report' },
        ],
        title: body.title ?? `1:1 ${name(manager)} / ${name(report)}`,
        coachRelationshipId: null,
      };
    }
    // Upward coaching: the employee coaches their manager.
    const rel = await ensureCoachRelationship(db, report, manager, 'upward', asOf);
    return {
      participants: [
        { personId: report, role: 'coach' },
        { personId: manager, role: 'coachee' },
      ],
      title: body.title ?? `Upward coaching: ${name(report)} coaches ${name(manager)}`,
      coachRelationshipId: rel,
    };
  }

  if (kind === 'external') {
    const rel = await repo.activeCoachRelationship(db, me, other, 'external', asOf);
    if (!rel)
      throw invalidField(
        '/body/withPersonIds/0',
        'external coaching needs an active external coaching engagement between you',
      );
    return {
      participants: [
        { personId: rel.coach_person_id, role: 'coach' },
        { personId: rel.coachee_person_id, role: 'coachee' },
      ],
      title: body.title ?? `External coaching: ${name(rel.coachee_person_id)}`,
      coachRelationshipId: rel.id,
    };
  }

  // Peer coaching: an existing relationship decides who coaches; otherwise the scheduler (or coachId).
  const existing = await repo.activeCoachRelationship(db, me, other, 'peer', asOf);
  let coach = existing?.coach_person_id ?? body.coachId ?? me;
  if (coach !== me && coach !== other)
    throw invalidField('/body/coachId', 'the coach must be one of the two people');
  if (existing && body.coachId && body.coachId !== existing.coach_person_id) coach = existing.coach_person_id;
  const coachee = coach === me ? other : me;
  const rel = existing?.id ?? (await ensureCoachRelationship(db, coach, coachee, 'peer', asOf));
  return {
    participants: [
      { personId: coach, role: 'coach' },
      { personId: coachee, role: 'coachee' },
    ],
    title: body.title ?? `Peer coaching: ${name(coach)} with ${name(coachee)}`,
    coachRelationshipId: rel,
  };
}

async function ensureCoachRelationship(
  db: Db,
  coach: string,
  coachee: string,
  kind: 'peer' | 'upward',
  asOf: string,
): Promise<string> {
  const existing = await db
    .selectFrom('coach_relationship')
    .select('id')
    .where('coach_person_id', '=', coach)
    .where('coachee_person_id', '=', coachee)
    .where('kind', '=', kind)
    .where('valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', asOf)]))
    .executeTakeFirst();
  if (existing) return existing.id;
  const row = await db
    .insertInto('coach_relationship')
    .values({ coach_person_id: coach, coachee_person_id: coachee, kind, valid_from: asOf })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Schedules a conversation (or a recurring 1:1 series of them) that the person takes part in. */
export async function createConversation(
  db: Db,
  me: string,
  body: ConversationCreateBodyType,
  now: Date = new Date(),
): Promise<string> {
  const asOf = todayUtc(now);
  if (body.cadenceDays && body.kind !== 'one_on_one')
    throw invalidField('/body/cadenceDays', 'only 1:1s recur as a series');
  if (body.teamId) {
    const team = await db.selectFrom('team').select('id').where('id', '=', body.teamId).executeTakeFirst();
    if (!team) throw invalidField('/body/teamId', 'no such team');
  }
  const plan = await planParticipants(db, me, body, asOf);
  const key = participantKey(plan.participants.map((p) => p.personId));
  const first = new Date(body.scheduledAt);
  const occurrences = body.cadenceDays ? (body.occurrences ?? 4) : 1;

  const ids = await db.transaction().execute(async (trx) => {
    let seriesId: string | null = null;
    if (body.cadenceDays) {
      const manager = plan.participants.find((p) => p.role === 'manager')!.personId;
      const report = plan.participants.find((p) => p.role === 'report')!.personId;
      const series = await trx
        .insertInto('conversation_series')
        .values({ manager_person_id: manager, report_person_id: report, cadence_days: body.cadenceDays })
        .returning('id')
        .executeTakeFirstOrThrow();
      seriesId = series.id;
    }
    const created: string[] = [];
    for (let i = 0; i < occurrences; i++) {
      const at = new Date(first.getTime() + i * (body.cadenceDays ?? 0) * 86_400_000);
      const row = await trx
        .insertInto('conversation')
        .values({
          kind: body.kind,
          title: plan.title,
          series_id: seriesId,
          coach_relationship_id: plan.coachRelationshipId,
          team_id: body.teamId ?? null,
          project: body.project ?? null,
          scheduled_at: at,
          duration_minutes: body.durationMinutes,
          participant_key: key,
          prompt_kind: body.prompt?.kind ?? null,
          prompt_id: body.prompt?.id ?? null,
          created_by_person_id: me,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('conversation_participant')
        .values(
          plan.participants.map((p) => ({ conversation_id: row.id, person_id: p.personId, role: p.role })),
        )
        .execute();
      created.push(row.id);
    }
    if (body.agenda?.length) {
      await trx
        .insertInto('conversation_agenda_item')
        .values(
          body.agenda.map((text, position) => ({
            conversation_id: created[0]!,
            text,
            position,
            added_by_person_id: me,
          })),
        )
        .execute();
    }
    return created;
  });
  await carryForward(db, ids[0]!, now);
  await retagTopics(db, ids[0]!);
  return ids[0]!;
}

/** Schedules the next meeting of a 1:1 series, one cadence after the last one. */
export async function scheduleNextInSeries(
  db: Db,
  me: string,
  conversationId: string,
  now = new Date(),
): Promise<string> {
  const conv = await mustFind(db, conversationId);
  if (!conv.series_id)
    throw invalidField('/params/id', 'this conversation is not part of a recurring series');
  const series = await db
    .selectFrom('conversation_series')
    .selectAll()
    .where('id', '=', conv.series_id)
    .executeTakeFirstOrThrow();
  const last = await db
    .selectFrom('conversation')
    .selectAll()
    .where('series_id', '=', conv.series_id)
    .orderBy('scheduled_at', 'desc')
    .executeTakeFirstOrThrow();
  const participants = await db
    .selectFrom('conversation_participant')
    .select(['person_id', 'role'])
    .where('conversation_id', '=', last.id)
    .execute();
  const at = new Date(new Date(last.scheduled_at).getTime() + series.cadence_days * 86_400_000);
  const row = await db.transaction().execute(async (trx) => {
    const c = await trx
      .insertInto('conversation')
      .values({
        kind: last.kind,
        title: last.title,
        series_id: series.id,
        coach_relationship_id: null,
        team_id: null,
        project: null,
        scheduled_at: at,
        duration_minutes: last.duration_minutes,
        participant_key: last.participant_key,
        created_by_person_id: me,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('conversation_participant')
      .values(participants.map((p) => ({ conversation_id: c.id, person_id: p.person_id, role: p.role })))
      .execute();
    return c;
  });
  await carryForward(db, row.id, now);
  return row.id;
}

export async function mustFind(db: Db, id: string): Promise<repo.ConversationRow> {
  const conv = await repo.findConversation(db, id);
  if (!conv) throw new AppError('not_found', 'No such conversation.');
  return conv;
}

/**
 * Carries into a still-scheduled conversation, when it is the next one of the same people: their
 * overdue follow-up actions from earlier conversations, and agenda items the last meeting left
 * unticked (the running agenda of a series). Idempotent (unique per source item).
 */
export async function carryForward(db: Db, conversationId: string, now: Date = new Date()): Promise<void> {
  const conv = await repo.findConversation(db, conversationId);
  if (!conv || conv.status !== 'scheduled') return;
  const earlier = await db
    .selectFrom('conversation')
    .select('id')
    .where('participant_key', '=', conv.participant_key)
    .where('status', '=', 'scheduled')
    .where('scheduled_at', '<', conv.scheduled_at)
    .where('id', '!=', conv.id)
    .executeTakeFirst();
  if (earlier) return; // an earlier meeting of the same people is next; it receives the carry-over
  const at = new Date(conv.scheduled_at);
  const overdue = await repo.findOverdueActionsOfPair(db, conv.participant_key, at, todayUtc(now));
  const undiscussed = await repo.findUndiscussedOfPreviousConversation(db, conv.participant_key, at);
  if (overdue.length === 0 && undiscussed.length === 0) return;
  let position = await repo.nextAgendaPosition(db, conv.id);
  for (const item of undiscussed) {
    await db
      .insertInto('conversation_agenda_item')
      .values({
        conversation_id: conv.id,
        text: item.text,
        position: position++,
        added_by_person_id: item.added_by_person_id,
        carried_from_item_id: item.id,
      })
      .onConflict((oc) =>
        oc
          .columns(['conversation_id', 'carried_from_item_id'])
          .where('carried_from_item_id', 'is not', null)
          .doNothing(),
      )
      .execute();
  }
  for (const action of overdue) {
    await db
      .insertInto('conversation_agenda_item')
      .values({
        conversation_id: conv.id,
        text: `Overdue follow-up: ${action.text} (${action.owner_name}, due ${action.due_date})`,
        position: position++,
        added_by_person_id: null,
        carried_from_action_id: action.id,
      })
      .onConflict((oc) =>
        oc
          .columns(['conversation_id', 'carried_from_action_id'])
          .where('carried_from_action_id', 'is not', null)
          .doNothing(),
      )
      .execute();
  }
}

/** Re-tags a conversation's topics from the text every participant can read (never private notes), unless participants edited them. */
export async function retagTopics(db: Db, conversationId: string): Promise<void> {
  const conv = await repo.findConversation(db, conversationId);
  if (!conv || conv.topics_edited) return;
  const agenda = await repo.findAgenda(db, conversationId);
  const actions = await repo.findActions(db, [conversationId]);
  const shared = await db
    .selectFrom('conversation_note')
    .select('body')
    .where('conversation_id', '=', conversationId)
    .where('visibility', '=', 'shared')
    .execute();
  const text = [
    conv.project ?? '',
    ...agenda.map((a) => a.text),
    ...actions.map((a) => a.text),
    ...shared.map((n) => n.body),
  ].join('.\n');
  const topics = tagTopics(text);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('conversation_topic').where('conversation_id', '=', conversationId).execute();
    if (topics.length) {
      await trx
        .insertInto('conversation_topic')
        .values(topics.map((topic) => ({ conversation_id: conversationId, topic, source: 'auto' as const })))
        .execute();
    }
  });
}

function presentAction(a: repo.ActionRow, today: string): ConversationActionItemType {
  return {
    id: a.id,
    conversationId: a.conversation_id,
    conversationTitle: a.conversation_title,
    text: a.text,
    ownerId: a.owner_person_id,
    ownerName: a.owner_name,
    dueDate: a.due_date,
    done: a.done_at !== null,
    doneAt: a.done_at ? new Date(a.done_at).toISOString() : null,
    overdue: a.done_at === null && a.due_date !== null && a.due_date < today,
  };
}

async function summarise(
  db: Db,
  rows: (repo.ConversationRow & { my_role: ParticipantRole })[],
  now: Date,
): Promise<ConversationSummaryType[]> {
  const ids = rows.map((r) => r.id);
  const today = todayUtc(now);
  const [participants, topics, actions] = await Promise.all([
    repo.findParticipants(db, ids),
    repo.findTopics(db, ids),
    repo.findActions(db, ids),
  ]);
  return rows.map((r) => {
    const mine = actions.filter((a) => a.conversation_id === r.id && a.done_at === null);
    return {
      id: r.id,
      kind: r.kind,
      title: r.title,
      scheduledAt: new Date(r.scheduled_at).toISOString(),
      durationMinutes: r.duration_minutes,
      status: r.status,
      seriesId: r.series_id,
      participants: participants
        .filter((p) => p.conversation_id === r.id)
        .map((p) => ({ personId: p.person_id, name: p.name, title: p.title, role: p.role })),
      myRole: r.my_role,
      team: r.team_id && r.team_name ? { id: r.team_id, name: r.team_name } : null,
      project: r.project,
      prompt: r.prompt_kind && r.prompt_id ? { kind: r.prompt_kind, id: r.prompt_id } : null,
      topics: topics.filter((t) => t.conversation_id === r.id).map((t) => t.topic),
      openActions: mine.length,
      overdueActions: mine.filter((a) => a.due_date !== null && a.due_date < today).length,
    };
  });
}

/** The person's conversations (only those they take part in), with the list filters. */
export async function listMyConversations(
  db: Db,
  me: string,
  q: ConversationListQueryType,
  now = new Date(),
) {
  const rows = await repo.listConversationsOf(db, me, q);
  const person = await db.selectFrom('person').select('time_zone').where('id', '=', me).executeTakeFirst();
  return { viewerTimeZone: person?.time_zone ?? 'UTC', items: await summarise(db, rows, now) };
}

/** Follow-up actions of every conversation the person takes part in (both people see each one). */
export async function listMyActions(
  db: Db,
  me: string,
  status: 'open' | 'overdue' | 'all',
  now = new Date(),
) {
  const today = todayUtc(now);
  const rows = await repo.findActionsOfParticipant(db, me, {
    openOnly: status !== 'all',
    ...(status === 'overdue' ? { overdueBefore: today } : {}),
  });
  return { items: rows.map((a) => presentAction(a, today)) };
}

/** Full conversations as `me` may see them: shared notes and only their own private notes. */
export async function buildDetails(
  db: Db,
  me: string,
  ids: string[],
  now = new Date(),
): Promise<ConversationDetailType[]> {
  if (ids.length === 0) return [];
  const today = todayUtc(now);
  const wanted = await repo.listConversationsOf(db, me, { limit: 100_000, ids });
  const summaries = await summarise(db, wanted, now);
  const [notes, actions, topics, ratings] = await Promise.all([
    repo.findVisibleNotes(db, ids, me),
    repo.findActions(db, ids),
    repo.findTopics(db, ids),
    db
      .selectFrom('conversation_rating')
      .select(['conversation_id', 'score', 'comment'])
      .where('conversation_id', 'in', ids)
      .where('rater_person_id', '=', me)
      .execute(),
  ]);
  const out: ConversationDetailType[] = [];
  for (const s of summaries) {
    const row = wanted.find((r) => r.id === s.id)!;
    const agenda = await repo.findAgenda(db, s.id);
    let series: ConversationDetailType['series'] = null;
    if (row.series_id) {
      const sr = await db
        .selectFrom('conversation_series')
        .select(['id', 'cadence_days'])
        .where('id', '=', row.series_id)
        .executeTakeFirstOrThrow();
      const next = await db
        .selectFrom('conversation')
        .select('id')
        .where('series_id', '=', row.series_id)
        .where('status', '=', 'scheduled')
        .where('scheduled_at', '>', row.scheduled_at)
        .orderBy('scheduled_at')
        .executeTakeFirst();
      series = { id: sr.id, cadenceDays: sr.cadence_days, nextConversationId: next?.id ?? null };
    }
    const rating = ratings.find((r) => r.conversation_id === s.id);
    const ended =
      s.status === 'completed' ||
      new Date(s.scheduledAt).getTime() + s.durationMinutes * 60_000 <= now.getTime();
    out.push({
      ...s,
      agenda: agenda.map((a) => ({
        id: a.id,
        text: a.text,
        position: a.position,
        done: a.done,
        addedById: a.added_by_person_id,
        addedByName: a.added_by_name,
        carriedFrom: a.carried_from_action_id
          ? { kind: 'action' as const, id: a.carried_from_action_id }
          : a.carried_from_item_id
            ? { kind: 'agenda' as const, id: a.carried_from_item_id }
            : null,
      })),
      notes: notes
        .filter((n) => n.conversation_id === s.id)
        .map((n) => ({
          id: n.id,
          authorId: n.author_person_id,
          authorName: n.author_name,
          visibility: n.visibility,
          body: n.body,
          mine: n.author_person_id === me,
          createdAt: new Date(n.created_at).toISOString(),
          updatedAt: new Date(n.updated_at).toISOString(),
        })),
      actions: actions.filter((a) => a.conversation_id === s.id).map((a) => presentAction(a, today)),
      topicDetails: topics
        .filter((t) => t.conversation_id === s.id)
        .map((t) => ({ ...topicInfo(t.topic), source: t.source })),
      topicsEdited: row.topics_edited,
      series,
      myRating: rating ? { score: rating.score, comment: rating.comment } : null,
      canRate: RATER_ROLES.includes(s.myRole) && s.status !== 'cancelled' && ended,
    });
  }
  return out;
}

/** One conversation as `me` sees it; carries overdue follow-ups in first when it is the next meeting. */
export async function getConversation(
  db: Db,
  me: string,
  id: string,
  now = new Date(),
): Promise<ConversationDetailType> {
  await carryForward(db, id, now);
  const [detail] = await buildDetails(db, me, [id], now);
  if (!detail) throw new AppError('not_found', 'No such conversation.');
  return detail;
}

export type { ConversationKind };
