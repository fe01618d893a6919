import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import type { Actor } from '../access/access.types.js';
import { canRead } from './goals.access.js';
import * as repo from './goals.repository.js';
import { LEVEL_RANK } from './goals.rules.js';

/**
 * Alignment (the A of SAME): a goal supports zero or more parent goals. Rules:
 * - company goals are the roots and support nothing;
 * - a goal supports only goals of its own level or above (personal → team/department/company …);
 * - the caller must be able to read every parent (a private parent is refused as unknown);
 * - no cycles: a goal can never end up supporting itself, through any path.
 * Flags: an `orphan` supports nothing (company goals excepted); an `unsupported` company goal has
 * nothing supporting it.
 */

type Edge = { goal_id: string; parent_goal_id: string };

/** The path from `from` up to `to` through parent edges, or null when `to` is not above `from`. */
export function pathUp(edges: Edge[], from: string, to: string): string[] | null {
  const parents = new Map<string, string[]>();
  for (const e of edges) parents.set(e.goal_id, [...(parents.get(e.goal_id) ?? []), e.parent_goal_id]);
  const seen = new Set<string>();
  const walk = (id: string): string[] | null => {
    if (id === to) return [id];
    if (seen.has(id)) return null;
    seen.add(id);
    for (const p of parents.get(id) ?? []) {
      const rest = walk(p);
      if (rest) return [id, ...rest];
    }
    return null;
  };
  return walk(from);
}

/** Checks proposed parents for `goal` (not yet saved) and throws a field-level error naming the problem. */
export async function validateParents(
  db: Kysely<DB>,
  actor: Actor,
  goal: { id: string | null; level: repo.Goal['level']; title: string },
  parentIds: string[],
  field = '/body/parentIds',
): Promise<void> {
  if (!parentIds.length) return;
  if (goal.level === 'company') {
    throw new AppError(
      'validation_failed',
      'A company goal is a root of the tree and supports no other goal.',
      [{ path: field, message: 'must be empty for a company goal' }],
    );
  }
  const parents = await repo.listGoals(db, { ids: parentIds });
  const byId = new Map(parents.map((p) => [p.id, p]));
  for (const [i, id] of parentIds.entries()) {
    const parent = byId.get(id);
    if (!parent || !(await canRead(db, actor, parent))) {
      throw new AppError('validation_failed', 'A parent goal does not exist or is not visible to you.', [
        { path: `${field}/${i}`, message: 'is not a goal you can see' },
      ]);
    }
    if (id === goal.id) {
      throw new AppError('validation_failed', `"${goal.title}" cannot support itself.`, [
        { path: `${field}/${i}`, message: 'is the goal itself' },
      ]);
    }
    if (LEVEL_RANK[parent.level] > LEVEL_RANK[goal.level]) {
      throw new AppError(
        'validation_failed',
        `A ${goal.level} goal cannot support the ${parent.level} goal "${parent.title}": goals support goals at their own level or above.`,
        [{ path: `${field}/${i}`, message: `is a ${parent.level} goal, below ${goal.level}` }],
      );
    }
  }
  if (!goal.id) return;
  const edges = (await repo.listAlignments(db)).filter((e) => e.goal_id !== goal.id);
  for (const [i, id] of parentIds.entries()) {
    const path = pathUp(edges, id, goal.id);
    if (path) {
      const names = await repo.listGoals(db, { ids: path });
      const title = new Map(names.map((n) => [n.id, n.title]));
      const chain = [goal.id, ...path].map((g) => `"${title.get(g) ?? goal.title}"`).join(' → ');
      throw new AppError(
        'validation_failed',
        `Aligning "${goal.title}" under "${title.get(id)}" would make a cycle: ${chain}.`,
        [{ path: `${field}/${i}`, message: `would make a cycle: ${chain}` }],
      );
    }
  }
}

/** Replaces the parents of a goal (edges only; history is written by the caller). */
export async function replaceParents(db: Kysely<DB>, goalId: string, parentIds: string[]): Promise<void> {
  await db.deleteFrom('goal_alignment').where('goal_id', '=', goalId).execute();
  if (parentIds.length) {
    await db
      .insertInto('goal_alignment')
      .values(parentIds.map((parent_goal_id) => ({ goal_id: goalId, parent_goal_id })))
      .execute();
  }
}

/** The flags of a goal given all alignment edges. */
export function flagsOf(goal: Pick<repo.Goal, 'id' | 'level'>, edges: Edge[]): ('orphan' | 'unsupported')[] {
  if (goal.level === 'company') {
    return edges.some((e) => e.parent_goal_id === goal.id) ? [] : ['unsupported'];
  }
  return edges.some((e) => e.goal_id === goal.id) ? [] : ['orphan'];
}
