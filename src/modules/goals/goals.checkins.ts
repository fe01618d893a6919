import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import type { Actor } from '../access/access.types.js';
import * as repo from './goals.repository.js';
import {
  CADENCE_DAYS,
  detectStall,
  localDateTime,
  nextCheckInDue,
  progressOf,
  STALL_PERIODS,
  type Stall,
} from './goals.rules.js';
import type { CheckInInput } from './goals.schema.js';
import { changeActor } from './goals.service.js';

/** Measure (the first M of SAME): check-ins, stalled-goal detection and check-in reminders. */

export async function addCheckIn(
  db: Kysely<DB>,
  actor: Actor,
  goal: repo.Goal,
  input: CheckInInput,
): Promise<void> {
  if (goal.status !== 'active') {
    throw new AppError('conflict', `Only an active goal takes check-ins; this one is ${goal.status}.`);
  }
  if (goal.criteria.kind === 'rubric' && (input.value < 0 || input.value > 100)) {
    throw new AppError('validation_failed', 'A rubric goal checks in its progress as a percentage (0–100).', [
      { path: '/body/value', message: 'must be between 0 and 100' },
    ]);
  }
  const who = changeActor(actor);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('goal_check_in')
      .values({
        goal_id: goal.id,
        value: input.value,
        confidence: input.confidence,
        blockers: input.blockers?.trim() || null,
        note: input.note?.trim() || null,
        source: 'manual',
        author_account_id: who.accountId,
      })
      .execute();
    await trx
      .updateTable('goal')
      .set({ current_value: input.value, updated_at: new Date() })
      .where('id', '=', goal.id)
      .execute();
    await trx
      .updateTable('goal_reminder')
      .set({ dismissed_at: new Date() })
      .where('goal_id', '=', goal.id)
      .where('dismissed_at', 'is', null)
      .execute();
    await repo.insertHistory(trx, {
      goalId: goal.id,
      change: 'check_in',
      actorAccountId: who.accountId,
      actorLabel: who.label,
      before: { value: goal.current_value, progress: progressOf(goal.criteria, goal.current_value) },
      after: {
        value: input.value,
        progress: progressOf(goal.criteria, input.value),
        confidence: input.confidence,
      },
      reason: input.note?.trim() || null,
    });
  });
}

export interface StalledGoal {
  goal: repo.Goal;
  stall: Stall;
}

/**
 * Active goals that have stalled on `asOf`: no progress over the last `periods` check-in periods, or
 * falling confidence (rules in `detectStall`). An extension point: the coaching engine calls it to
 * raise "stalled goal" coaching opportunities; the API exposes it to managers.
 */
export async function findStalledGoals(
  db: Kysely<DB>,
  asOf: string,
  options: { periods?: number; goalIds?: string[] } = {},
): Promise<StalledGoal[]> {
  const goals = (
    await repo.listGoals(db, { activeOn: asOf, ...(options.goalIds && { ids: options.goalIds }) })
  ).filter((g) => g.period_end >= asOf);
  const checkIns = await repo.listCheckIns(
    db,
    goals.map((g) => g.id),
  );
  const out: StalledGoal[] = [];
  for (const goal of goals) {
    const stall = detectStall(
      {
        criteria: goal.criteria,
        cadence: goal.cadence,
        periodStart: goal.period_start,
        checkIns: checkIns
          .filter((c) => c.goal_id === goal.id)
          .map((c) => ({
            date: c.checked_at.toISOString().slice(0, 10),
            value: c.value,
            confidence: c.confidence,
          })),
      },
      asOf,
      options.periods ?? STALL_PERIODS,
    );
    if (stall) out.push({ goal, stall });
  }
  return out;
}

/** Local hour from which a due check-in raises its reminder in the steward's own time zone. */
export const REMINDER_HOUR = 9;

/**
 * Writes in-app reminders for check-ins that are due: for each active goal, the steward's local date
 * (their time zone) has reached the due day (a cadence after the last check-in, or after the period
 * starts, then again each missed period) and it is past 09:00 there. One reminder per goal and due day, so running it every hour is
 * idempotent. Outbound delivery (e-mail, chat) arrives with the coaching engine and reads these rows.
 */
export async function createDueReminders(db: Kysely<DB>, now: Date = new Date()): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const goals = (await repo.listGoals(db, { activeOn: addDay(today) })).filter(
    (g) => g.steward_person_id && g.period_end >= addDay(today, -1),
  );
  if (!goals.length) return 0;
  const stewards = await db
    .selectFrom('person')
    .select(['id', 'time_zone'])
    .where(
      'id',
      'in',
      goals.map((g) => g.steward_person_id!),
    )
    .where((eb) => eb.or([eb('leave_date', 'is', null), eb('leave_date', '>', today)]))
    .execute();
  const zone = new Map(stewards.map((s) => [s.id, s.time_zone]));
  const lastCheckIn = new Map<string, string>();
  for (const c of await repo.listCheckIns(
    db,
    goals.map((g) => g.id),
  )) {
    lastCheckIn.set(
      c.goal_id,
      localDateTime(
        c.checked_at,
        zone.get(goals.find((g) => g.id === c.goal_id)!.steward_person_id!) ?? 'UTC',
      ).date,
    );
  }
  const rows: { goal_id: string; person_id: string; due_on: string }[] = [];
  for (const goal of goals) {
    const tz = zone.get(goal.steward_person_id!);
    if (!tz) continue;
    const local = localDateTime(now, tz);
    // Overdue for several periods: remind again on each missed due day, not only the first.
    let due = nextCheckInDue(goal.cadence, goal.period_start, lastCheckIn.get(goal.id) ?? null);
    while (addDay(due, CADENCE_DAYS[goal.cadence]) <= local.date)
      due = addDay(due, CADENCE_DAYS[goal.cadence]);
    if (local.date >= due && local.hour >= REMINDER_HOUR && local.date <= goal.period_end) {
      rows.push({ goal_id: goal.id, person_id: goal.steward_person_id!, due_on: due });
    }
  }
  if (!rows.length) return 0;
  const inserted = await db
    .insertInto('goal_reminder')
    .values(rows)
    .onConflict((oc) => oc.columns(['goal_id', 'due_on']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

function addDay(date: string, days = 1): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The person's open reminders, newest due first. */
export async function listReminders(db: Kysely<DB>, personId: string) {
  const rows = await db
    .selectFrom('goal_reminder as r')
    .innerJoin('goal as g', 'g.id', 'r.goal_id')
    .select(['r.id', 'r.goal_id', 'g.title', sql<string>`r.due_on::text`.as('due_on')])
    .where('r.person_id', '=', personId)
    .where('r.dismissed_at', 'is', null)
    .where('g.status', '=', 'active')
    .orderBy('r.due_on', 'desc')
    .execute();
  return { items: rows.map((r) => ({ id: r.id, goalId: r.goal_id, goalTitle: r.title, dueOn: r.due_on })) };
}

export async function dismissReminder(db: Kysely<DB>, personId: string, id: string): Promise<void> {
  const res = await db
    .updateTable('goal_reminder')
    .set({ dismissed_at: new Date() })
    .where('id', '=', id)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!res.numUpdatedRows) throw new AppError('not_found', 'No reminder of yours with that id.');
}
