import type { PgBoss } from 'pg-boss';
import type { AppContext } from '../../server/context.js';
import { createDueReminders } from './goals.checkins.js';

const GOAL_REMINDERS = 'goals.reminders';

/**
 * Check-in reminders: every 15 minutes pg-boss runs `createDueReminders`, which works out for each
 * goal whether it is past 09:00 on or after the due day in the steward's own time zone and writes one
 * in-app reminder per goal and due day (idempotent, so a missed or repeated run is harmless).
 */
export async function registerGoalJobs(boss: PgBoss, ctx: AppContext): Promise<void> {
  await boss.createQueue(GOAL_REMINDERS);
  await boss.schedule(GOAL_REMINDERS, '*/15 * * * *');
  await boss.work(GOAL_REMINDERS, async () => {
    await createDueReminders(ctx.db);
  });
}
