import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import type { Action } from '../access/access.policy.js';
import { authorize, can, decide, type RequestInfo } from '../access/access.service.js';
import type { Actor } from '../access/access.types.js';
import type { Goal } from './goals.repository.js';
import type { EvaluationRole } from './goals.tables.js';

/** How goal routes ask the access module: which action applies to which goal, and visibility filters. */

export function editAction(goal: Pick<Goal, 'level'>): Action {
  if (goal.level === 'personal') return 'goal.update';
  if (goal.level === 'company') return 'goal.update_company';
  return 'goal.update_team';
}

export function readAction(goal: Pick<Goal, 'visibility'>): Action {
  return goal.visibility === 'private' ? 'goal.read_private' : 'goal.read';
}

export function goalNotFound(): AppError {
  return new AppError('not_found', 'No goal with that id.');
}

/**
 * Authorises reading one goal. A private goal the caller may not read answers 404 (its existence is
 * not revealed), after the denial has been audited.
 */
export async function authorizeRead(
  db: Kysely<DB>,
  actor: Actor,
  goal: Goal,
  request: RequestInfo,
): Promise<void> {
  try {
    await authorize(db, actor, readAction(goal), { type: 'goal', id: goal.id }, request);
  } catch (error) {
    if (goal.visibility === 'private' && error instanceof AppError && error.code === 'forbidden') {
      throw goalNotFound();
    }
    throw error;
  }
}

export async function authorizeEdit(
  db: Kysely<DB>,
  actor: Actor,
  goal: Goal,
  request: RequestInfo,
): Promise<void> {
  await authorizeRead(db, actor, goal, request);
  await authorize(db, actor, editAction(goal), { type: 'goal', id: goal.id }, request);
}

export async function canRead(db: Kysely<DB>, actor: Actor, goal: Goal): Promise<boolean> {
  if (actor.kind !== 'account') return false;
  if (goal.visibility === 'public') return true;
  return can(db, actor, 'goal.read_private', { type: 'goal', id: goal.id });
}

export async function canEdit(db: Kysely<DB>, actor: Actor, goal: Goal): Promise<boolean> {
  return can(db, actor, editAction(goal), { type: 'goal', id: goal.id });
}

/** Keeps the goals the actor may read; private goals are checked one by one (they are few). */
export async function filterReadable(db: Kysely<DB>, actor: Actor, goals: Goal[]): Promise<Goal[]> {
  const out: Goal[] = [];
  for (const goal of goals) if (await canRead(db, actor, goal)) out.push(goal);
  return out;
}

/**
 * Which assessment the actor writes on this goal, or null. The owner's side is the person for a
 * personal goal and a lead for a team goal; the manager's side is the management chain above them.
 */
export async function evaluationRoleFor(
  db: Kysely<DB>,
  actor: Actor,
  goal: Goal,
): Promise<EvaluationRole | null> {
  const d = await decide(db, actor, 'goal.evaluate', { type: 'goal', id: goal.id });
  if (!d.allowed) return null;
  if (goal.owner_person_id) return d.relations.includes('self') ? 'owner' : 'manager';
  return d.relations.includes('manager') ? 'owner' : 'manager';
}
