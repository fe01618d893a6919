import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { resolveRelations, todayUtc } from '../access/access.service.js';
import type { Actor } from '../access/access.types.js';
import { filterReadable } from './goals.access.js';
import { findStalledGoals } from './goals.checkins.js';
import * as repo from './goals.repository.js';
import type { AlignmentQueryType, AlignmentViewType, StalledGoalType } from './goals.schema.js';
import { summarize } from './goals.service.js';

/**
 * The alignment view: every goal of a period the caller may read, with its parents, so the client
 * draws the tree from company goals down. With `personId`, only that person's goals and everything
 * they reach upwards (through their teams' goals to company strategy).
 */
export async function alignmentView(
  db: Kysely<DB>,
  actor: Actor,
  q: AlignmentQueryType,
): Promise<AlignmentViewType> {
  const periods = await repo.listPeriods(db);
  const period = q.period ?? currentPeriod(periods);
  const inPeriod = await repo.listGoals(db, period ? { period } : {});
  const base = q.personId ? inPeriod.filter((g) => g.owner_person_id === q.personId) : inPeriod;
  // Goals of the period and every goal they reach upwards, even in a longer period (an annual company goal).
  const edges = await repo.listAlignments(db);
  const keep = new Set(base.map((g) => g.id));
  const queue = [...keep];
  while (queue.length) {
    const id = queue.pop()!;
    for (const e of edges) {
      if (e.goal_id === id && !keep.has(e.parent_goal_id)) {
        keep.add(e.parent_goal_id);
        queue.push(e.parent_goal_id);
      }
    }
  }
  const extra = [...keep].filter((id) => !base.some((g) => g.id === id));
  const goals = [...base, ...(extra.length ? await repo.listGoals(db, { ids: extra }) : [])];
  const readable = await filterReadable(db, actor, goals);
  return { nodes: await summarize(db, readable), hiddenCount: goals.length - readable.length, periods };
}

/** The period whose label the newest goals active today carry (labels sort newest first). */
function currentPeriod(periods: string[]): string | undefined {
  const today = todayUtc();
  const year = today.slice(0, 4);
  const quarter = `${year}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
  return periods.includes(quarter) ? quarter : periods[0];
}

/** Stalled goals of the people and teams the caller manages (manager or skip level), for the managers' view. */
export async function stalledForManager(
  db: Kysely<DB>,
  actor: Actor,
  asOf: string,
): Promise<{ asOf: string; items: StalledGoalType[] }> {
  const stalled = await findStalledGoals(db, asOf);
  const mine: typeof stalled = [];
  for (const s of stalled) {
    const rel = await resolveRelations(db, actor, { type: 'goal', id: s.goal.id });
    if (rel.has('manager') || rel.has('skip_level_manager')) mine.push(s);
  }
  const summaries = await summarize(
    db,
    mine.map((s) => s.goal),
  );
  return {
    asOf,
    items: mine.map((s, i) => ({ goal: summaries[i]!, reason: s.stall.reason, detail: s.stall.detail })),
  };
}
