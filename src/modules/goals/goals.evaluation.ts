import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { authorize, can, todayUtc, type RequestInfo } from '../access/access.service.js';
import type { Actor } from '../access/access.types.js';
import { evaluationRoleFor } from './goals.access.js';
import type { Goal } from './goals.repository.js';
import * as repo from './goals.repository.js';
import type { EvaluationInput, EvaluationType } from './goals.schema.js';

/**
 * Evaluate (the E of SAME): at the period's end the owner and the manager each assess the outcome
 * against the criteria written when the goal was set. Evaluations are development data: the access
 * module lets only the owner and the management chain read them (never HR, executives, admins or
 * compensation roles), every read and write is audited, and the goal's history records only that an
 * assessment was made, not its content.
 */

/** The goal's evaluations, or null when the caller may not read development data about this goal. */
export async function listEvaluations(
  db: Kysely<DB>,
  actor: Actor,
  goal: Goal,
  request: RequestInfo,
): Promise<EvaluationType[] | null> {
  if (!(await can(db, actor, 'goal.read_evaluation', { type: 'goal', id: goal.id }))) return null;
  await authorize(db, actor, 'goal.read_evaluation', { type: 'goal', id: goal.id }, request);
  const rows = await db
    .selectFrom('goal_evaluation as e')
    .leftJoin('account as a', 'a.id', 'e.author_account_id')
    .leftJoin('person as p', 'p.id', 'a.person_id')
    .select([
      'e.role',
      'e.rating',
      'e.final_value',
      'e.rubric_level',
      'e.comment',
      'e.updated_at',
      'a.email',
      'p.name',
    ])
    .where('e.goal_id', '=', goal.id)
    .orderBy('e.role', 'desc')
    .execute();
  return rows.map((r) => ({
    role: r.role,
    rating: r.rating,
    finalValue: r.final_value === null ? null : Number(r.final_value),
    rubricLevel: r.rubric_level,
    comment: r.comment,
    authorLabel: r.name ?? r.email ?? 'unknown',
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

/** Writes (or rewrites) the caller's assessment: the owner's self-assessment or the manager's. */
export async function submitEvaluation(
  db: Kysely<DB>,
  actor: Actor,
  goal: Goal,
  input: EvaluationInput,
  request: RequestInfo,
): Promise<EvaluationType[]> {
  await authorize(db, actor, 'goal.evaluate', { type: 'goal', id: goal.id }, request);
  const role = await evaluationRoleFor(db, actor, goal);
  if (!role || actor.kind !== 'account') throw new AppError('forbidden', 'You cannot evaluate this goal.');
  const today = todayUtc();
  if (goal.period_end > today && goal.status === 'active') {
    throw new AppError(
      'conflict',
      `This goal can be evaluated when its period ends (${goal.period_end}) or once it is completed or abandoned.`,
    );
  }
  let finalValue: number | null = input.finalValue ?? null;
  let rubricLevel: string | null = input.rubricLevel ?? null;
  if (goal.criteria.kind === 'target') {
    finalValue ??= goal.current_value;
    rubricLevel = null;
  } else {
    const labels = goal.criteria.levels.map((l) => l.label);
    if (!rubricLevel || !labels.includes(rubricLevel)) {
      throw new AppError('validation_failed', `Choose the rubric level reached: ${labels.join(', ')}.`, [
        { path: '/body/rubricLevel', message: `must be one of ${labels.join(', ')}` },
      ]);
    }
    finalValue = null;
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('goal_evaluation')
      .values({
        goal_id: goal.id,
        role,
        rating: input.rating,
        final_value: finalValue,
        rubric_level: rubricLevel,
        comment: input.comment.trim(),
        author_account_id: actor.accountId,
      })
      .onConflict((oc) =>
        oc.columns(['goal_id', 'role']).doUpdateSet({
          rating: input.rating,
          final_value: finalValue,
          rubric_level: rubricLevel,
          comment: input.comment.trim(),
          author_account_id: actor.accountId,
          updated_at: new Date(),
        }),
      )
      .execute();
    await repo.insertHistory(trx, {
      goalId: goal.id,
      change: 'evaluate',
      actorAccountId: actor.accountId,
      actorLabel: actor.email,
      after: { assessment: role === 'owner' ? 'self-assessment recorded' : 'manager assessment recorded' },
    });
  });
  return (await listEvaluations(db, actor, goal, request)) ?? [];
}
