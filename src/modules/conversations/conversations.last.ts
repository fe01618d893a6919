import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';

export interface PairConversationDates {
  managerId: string;
  reportId: string;
  /** The last held (not cancelled) 1:1 on or before the day, 'YYYY-MM-DD', or null. */
  lastHeld: string | null;
  /** The next scheduled 1:1 after the day, 'YYYY-MM-DD', or null. */
  nextScheduled: string | null;
  /** 1:1s planned in the `recentDays` before the day, and how many of them were cancelled. */
  recentPlanned: number;
  recentCancelled: number;
}

/**
 * For each manager–report pair, the last 1:1 they held and the next one planned, as of a day: what the
 * coaching engine needs to notice a long gap. Dates only; no content of the conversations is read.
 */
export async function findPairConversationDates(
  db: Kysely<DB>,
  pairs: readonly { managerId: string; reportId: string }[],
  asOf: string,
  recentDays = 56,
): Promise<PairConversationDates[]> {
  if (pairs.length === 0) return [];
  const managers = [...new Set(pairs.map((p) => p.managerId))];
  const rows = await db
    .selectFrom('conversation as c')
    .innerJoin('conversation_participant as m', 'm.conversation_id', 'c.id')
    .innerJoin('conversation_participant as r', 'r.conversation_id', 'c.id')
    .select([
      'm.person_id as manager_id',
      'r.person_id as report_id',
      sql<
        string | null
      >`max(case when c.scheduled_at < (${asOf}::date + 1) then c.scheduled_at::date end)::text`.as(
        'last_held',
      ),
      sql<
        string | null
      >`min(case when c.scheduled_at >= (${asOf}::date + 1) then c.scheduled_at::date end)::text`.as(
        'next_scheduled',
      ),
    ])
    .where('c.kind', '=', 'one_on_one')
    .where('c.status', '<>', 'cancelled')
    .where('m.person_id', 'in', managers)
    .whereRef('r.person_id', '<>', 'm.person_id')
    .groupBy(['m.person_id', 'r.person_id'])
    .execute();
  const end = new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000);
  const recent = await db
    .selectFrom('conversation as c')
    .innerJoin('conversation_participant as m', 'm.conversation_id', 'c.id')
    .innerJoin('conversation_participant as r', 'r.conversation_id', 'c.id')
    .select([
      'm.person_id as manager_id',
      'r.person_id as report_id',
      sql<number>`count(*)`.as('planned'),
      sql<number>`count(*) filter (where c.status = 'cancelled')`.as('cancelled'),
    ])
    .where('c.kind', '=', 'one_on_one')
    .where('m.person_id', 'in', managers)
    .whereRef('r.person_id', '<>', 'm.person_id')
    .where('c.scheduled_at', '>=', new Date(end.getTime() - recentDays * 86_400_000))
    .where('c.scheduled_at', '<', end)
    .groupBy(['m.person_id', 'r.person_id'])
    .execute();
  const recentOf = new Map(recent.map((r) => [`${r.manager_id}|${r.report_id}`, r]));
  const found = new Map(rows.map((r) => [`${r.manager_id}|${r.report_id}`, r]));
  return pairs.map((p) => {
    const r = found.get(`${p.managerId}|${p.reportId}`);
    return {
      managerId: p.managerId,
      reportId: p.reportId,
      lastHeld: r?.last_held ?? null,
      nextScheduled: r?.next_scheduled ?? null,
      recentPlanned: Number(recentOf.get(`${p.managerId}|${p.reportId}`)?.planned ?? 0),
      recentCancelled: Number(recentOf.get(`${p.managerId}|${p.reportId}`)?.cancelled ?? 0),
    };
  });
}

export interface PairFollowUps {
  managerId: string;
  reportId: string;
  /** Follow-ups owned by the report, from 1:1s with the manager, due before the cut-off and not done. */
  overdue: { actionId: string; conversationId: string; dueDate: string }[];
  /** The last held 1:1 tagged 'retention_career', 'YYYY-MM-DD', or null. */
  lastCareerTalk: string | null;
  /** Follow-ups owned by the report from 1:1s with the manager, done on or before their due day, within the recent window. */
  doneOnTime: number;
}

/**
 * Per manager–report pair: the report's overdue follow-ups from their 1:1s (ids and due dates only,
 * never the text) and the day of the last 1:1 that touched career (topic 'retention_career').
 */
export async function findPairFollowUps(
  db: Kysely<DB>,
  pairs: readonly { managerId: string; reportId: string }[],
  asOf: string,
  overdueBefore: string,
  doneSince?: string,
): Promise<PairFollowUps[]> {
  if (pairs.length === 0) return [];
  const managers = [...new Set(pairs.map((p) => p.managerId))];
  const overdue = await db
    .selectFrom('conversation_action as a')
    .innerJoin('conversation as c', 'c.id', 'a.conversation_id')
    .innerJoin('conversation_participant as m', 'm.conversation_id', 'c.id')
    .select([
      'm.person_id as manager_id',
      'a.owner_person_id',
      'a.id',
      'a.conversation_id',
      sql<string>`a.due_date::text`.as('due'),
    ])
    .where('c.kind', '=', 'one_on_one')
    .where('m.person_id', 'in', managers)
    .whereRef('a.owner_person_id', '<>', 'm.person_id')
    .where('a.done_at', 'is', null)
    .where('a.due_date', '<', overdueBefore)
    .orderBy('a.due_date')
    .execute();
  const career = await db
    .selectFrom('conversation as c')
    .innerJoin('conversation_topic as t', 't.conversation_id', 'c.id')
    .innerJoin('conversation_participant as m', 'm.conversation_id', 'c.id')
    .innerJoin('conversation_participant as r', 'r.conversation_id', 'c.id')
    .select([
      'm.person_id as manager_id',
      'r.person_id as report_id',
      sql<string>`max(c.scheduled_at::date)::text`.as('last'),
    ])
    .where('c.kind', '=', 'one_on_one')
    .where('c.status', '<>', 'cancelled')
    .where('t.topic', '=', 'retention_career')
    .where('c.scheduled_at', '<', new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000))
    .where('m.person_id', 'in', managers)
    .whereRef('r.person_id', '<>', 'm.person_id')
    .groupBy(['m.person_id', 'r.person_id'])
    .execute();
  const done = await db
    .selectFrom('conversation_action as a')
    .innerJoin('conversation as c', 'c.id', 'a.conversation_id')
    .innerJoin('conversation_participant as m', 'm.conversation_id', 'c.id')
    .select(['m.person_id as manager_id', 'a.owner_person_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('c.kind', '=', 'one_on_one')
    .where('m.person_id', 'in', managers)
    .whereRef('a.owner_person_id', '<>', 'm.person_id')
    .where('a.done_at', '>=', new Date(`${doneSince ?? asOf}T00:00:00Z`))
    .where('a.done_at', '<', new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000))
    .where(sql<boolean>`a.done_at::date <= a.due_date`)
    .groupBy(['m.person_id', 'a.owner_person_id'])
    .execute();
  const doneOf = new Map(done.map((d) => [`${d.manager_id}|${d.owner_person_id}`, Number(d.n)]));
  const careerOf = new Map(career.map((c) => [`${c.manager_id}|${c.report_id}`, c.last]));
  return pairs.map((p) => ({
    managerId: p.managerId,
    reportId: p.reportId,
    overdue: overdue
      .filter((o) => o.manager_id === p.managerId && o.owner_person_id === p.reportId)
      .map((o) => ({ actionId: o.id, conversationId: o.conversation_id, dueDate: o.due })),
    lastCareerTalk: careerOf.get(`${p.managerId}|${p.reportId}`) ?? null,
    doneOnTime: doneOf.get(`${p.managerId}|${p.reportId}`) ?? 0,
  }));
}

/**
 * How consistently each manager held their 1:1s between two days: held (not cancelled, already
 * happened) and cancelled counts, from dates and statuses only.
 */
export async function findOneOnOneConsistency(
  db: Kysely<DB>,
  managerIds: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, { held: number; cancelled: number }>> {
  const out = new Map<string, { held: number; cancelled: number }>();
  if (managerIds.length === 0) return out;
  const rows = await db
    .selectFrom('conversation as c')
    .innerJoin('conversation_participant as m', 'm.conversation_id', 'c.id')
    .select([
      'm.person_id',
      sql<number>`count(*) filter (where c.status <> 'cancelled')`.as('held'),
      sql<number>`count(*) filter (where c.status = 'cancelled')`.as('cancelled'),
    ])
    .where('c.kind', '=', 'one_on_one')
    .where('m.role', '=', 'manager')
    .where('m.person_id', 'in', [...managerIds])
    .where('c.scheduled_at', '>=', new Date(`${from}T00:00:00Z`))
    .where('c.scheduled_at', '<', new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000))
    .groupBy('m.person_id')
    .execute();
  for (const r of rows) out.set(r.person_id, { held: Number(r.held), cancelled: Number(r.cancelled) });
  return out;
}
