import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../shared/app-error.js';
import { authorize, resolveRelations, todayUtc, type RequestInfo } from '../access/access.service.js';
import type { Actor } from '../access/access.types.js';
import { canEdit, evaluationRoleFor, filterReadable } from './goals.access.js';
import { flagsOf, replaceParents, validateParents } from './goals.alignment.js';
import * as repo from './goals.repository.js';
import { diffFields, nextCheckInDue, periodLabelFor, progressOf } from './goals.rules.js';
import type {
  GoalCreateInput,
  GoalDetailType,
  GoalHistoryItemType,
  GoalListQueryType,
  GoalSummaryType,
  GoalUpdateInput,
} from './goals.schema.js';
import type { GoalCriteria, GoalLevel } from './goals.tables.js';
import { listEvaluations } from './goals.evaluation.js';

/** Who made a change, for the goal's history. */
export interface ChangeActor {
  accountId: string | null;
  label: string;
}

export function changeActor(actor: Actor): ChangeActor {
  return actor.kind === 'account'
    ? { accountId: actor.accountId, label: actor.email }
    : { accountId: null, label: 'anonymous' };
}

/** Summaries of goals with their parents, latest check-in, link and flags, batched. */
export async function summarize(db: Kysely<DB>, goals: repo.Goal[]): Promise<GoalSummaryType[]> {
  if (!goals.length) return [];
  const ids = goals.map((g) => g.id);
  const edges = await repo.listAlignments(db);
  const checkIns = await repo.listCheckIns(db, ids);
  const latest = new Map<string, repo.CheckInRecord>();
  for (const c of checkIns) latest.set(c.goal_id, c);
  const links = new Set(
    (await db.selectFrom('goal_link').select('goal_id').where('goal_id', 'in', ids).execute()).map(
      (l) => l.goal_id,
    ),
  );
  return goals.map((g) => {
    const last = latest.get(g.id);
    return {
      id: g.id,
      level: g.level,
      title: g.title,
      owner: g.owner_person_id
        ? { type: 'person' as const, id: g.owner_person_id, name: g.owner_name }
        : { type: 'team' as const, id: g.owner_team_id!, name: g.owner_name },
      periodLabel: g.period_label,
      periodStart: g.period_start,
      periodEnd: g.period_end,
      visibility: g.visibility,
      status: g.status,
      progress: progressOf(g.criteria, g.current_value),
      currentValue: g.current_value,
      confidence: last ? last.confidence : null,
      lastCheckInAt: last ? last.checked_at.toISOString() : null,
      parentIds: edges.filter((e) => e.goal_id === g.id).map((e) => e.parent_goal_id),
      linked: links.has(g.id),
      flags: flagsOf(g, edges),
    };
  });
}

function checkCriteria(criteria: GoalCriteria, field: string): void {
  if (criteria.kind === 'target' && criteria.start === criteria.target) {
    throw new AppError('validation_failed', 'The target must differ from the starting value.', [
      { path: `${field}/target`, message: 'equals the start value' },
    ]);
  }
  if (criteria.kind === 'rubric') {
    const labels = criteria.levels.map((l) => l.label.trim().toLowerCase());
    if (new Set(labels).size !== labels.length) {
      throw new AppError('validation_failed', 'Each rubric level needs its own label.', [
        { path: `${field}/levels`, message: 'has duplicate labels' },
      ]);
    }
  }
}

function checkPeriod(start: string, end: string, field = '/body/periodEnd'): void {
  if (end < start) {
    throw new AppError('validation_failed', 'The period ends before it starts.', [
      { path: field, message: 'is before periodStart' },
    ]);
  }
}

/** Sets a goal (the S of SAME): checks the owner, the caller's right to set it there, criteria and parents. */
export async function createGoal(
  db: Kysely<DB>,
  actor: Actor,
  input: GoalCreateInput,
  request: RequestInfo,
): Promise<GoalDetailType> {
  let level: GoalLevel = 'personal';
  let stewardDefault: string | null = null;
  if (input.owner.type === 'person') {
    const person = await db
      .selectFrom('person')
      .select('id')
      .where('id', '=', input.owner.id)
      .executeTakeFirst();
    if (!person) {
      throw new AppError('validation_failed', 'No person with that id.', [
        { path: '/body/owner/id', message: 'is not a person' },
      ]);
    }
    await authorize(db, actor, 'goal.create_personal', { type: 'person', id: person.id }, request);
    stewardDefault = person.id;
  } else {
    const team = await db
      .selectFrom('team')
      .select(['id', 'kind'])
      .where('id', '=', input.owner.id)
      .executeTakeFirst();
    if (!team) {
      throw new AppError('validation_failed', 'No team with that id.', [
        { path: '/body/owner/id', message: 'is not a team' },
      ]);
    }
    level = team.kind;
    const action = team.kind === 'company' ? 'goal.create_company' : 'goal.create_team';
    await authorize(db, actor, action, { type: 'team', id: team.id }, request);
    stewardDefault = actor.kind === 'account' ? actor.personId : null;
  }
  checkCriteria(input.criteria, '/body/criteria');
  checkPeriod(input.periodStart, input.periodEnd);
  const parentIds = input.parentIds ?? [];
  await validateParents(db, actor, { id: null, level, title: input.title }, parentIds);

  const who = changeActor(actor);
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('goal')
      .values({
        owner_person_id: input.owner.type === 'person' ? input.owner.id : null,
        owner_team_id: input.owner.type === 'team' ? input.owner.id : null,
        level,
        title: input.title.trim(),
        why: input.why.trim(),
        criteria: JSON.stringify(input.criteria),
        role_expectations: input.roleExpectations ?? null,
        period_label: input.periodLabel ?? periodLabelFor(input.periodStart, input.periodEnd),
        period_start: input.periodStart,
        period_end: input.periodEnd,
        visibility: input.visibility ?? 'public',
        status: input.status ?? 'active',
        cadence: input.cadence ?? 'weekly',
        steward_person_id: input.stewardPersonId ?? stewardDefault,
        current_value: input.criteria.kind === 'target' ? input.criteria.start : 0,
        created_by_account_id: who.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await replaceParents(trx, row.id, parentIds);
    await repo.insertHistory(trx, {
      goalId: row.id,
      change: 'create',
      actorAccountId: who.accountId,
      actorLabel: who.label,
      after: {
        title: input.title,
        criteria: input.criteria,
        parentIds,
        periodStart: input.periodStart,
        periodEnd: input.periodEnd,
      },
    });
    return row.id;
  });
  return getGoalDetail(db, actor, id, request);
}

export async function loadGoal(db: Kysely<DB>, id: string): Promise<repo.Goal> {
  const goal = await repo.findGoal(db, id);
  if (!goal) throw new AppError('not_found', 'No goal with that id.');
  return goal;
}

/** Requires a reason for edits once a goal has check-ins: the history must say why the expectation moved. */
export async function requireReasonAfterCheckIns(
  db: Kysely<DB>,
  goalId: string,
  reason: string | undefined,
): Promise<void> {
  if (!reason && (await repo.countCheckIns(db, goalId)) > 0) {
    throw new AppError(
      'validation_failed',
      'This goal already has check-ins, so a change needs a reason (it is kept in the goal’s history).',
      [{ path: '/body/reason', message: 'is required once the goal has check-ins' }],
    );
  }
}

/** Modifies a goal (the second M of SAME); every change is kept with who, when, before/after and why. */
export async function updateGoal(
  db: Kysely<DB>,
  actor: Actor,
  goal: repo.Goal,
  input: GoalUpdateInput,
  request: RequestInfo,
): Promise<GoalDetailType> {
  if (input.criteria) checkCriteria(input.criteria, '/body/criteria');
  const start = input.periodStart ?? goal.period_start;
  const end = input.periodEnd ?? goal.period_end;
  checkPeriod(start, end);
  const before = {
    title: goal.title,
    why: goal.why,
    criteria: goal.criteria,
    roleExpectations: goal.role_expectations,
    periodLabel: goal.period_label,
    periodStart: goal.period_start,
    periodEnd: goal.period_end,
    visibility: goal.visibility,
    status: goal.status,
    cadence: goal.cadence,
    stewardPersonId: goal.steward_person_id,
  };
  const { reason, ...changes } = input;
  if ((input.periodStart || input.periodEnd) && !input.periodLabel) {
    changes.periodLabel = periodLabelFor(start, end);
  }
  const diff = diffFields(before, changes);
  if (!diff) return getGoalDetail(db, actor, goal.id, request);
  await requireReasonAfterCheckIns(db, goal.id, reason);
  const who = changeActor(actor);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('goal')
      .set({
        ...(changes.title !== undefined && { title: changes.title.trim() }),
        ...(changes.why !== undefined && { why: changes.why.trim() }),
        ...(changes.criteria !== undefined && { criteria: JSON.stringify(changes.criteria) }),
        ...(changes.roleExpectations !== undefined && { role_expectations: changes.roleExpectations }),
        ...(changes.periodLabel !== undefined && { period_label: changes.periodLabel }),
        ...(changes.periodStart !== undefined && { period_start: changes.periodStart }),
        ...(changes.periodEnd !== undefined && { period_end: changes.periodEnd }),
        ...(changes.visibility !== undefined && { visibility: changes.visibility }),
        ...(changes.status !== undefined && { status: changes.status }),
        ...(changes.cadence !== undefined && { cadence: changes.cadence }),
        ...(changes.stewardPersonId !== undefined && { steward_person_id: changes.stewardPersonId }),
        updated_at: new Date(),
      })
      .where('id', '=', goal.id)
      .execute();
    await repo.insertHistory(trx, {
      goalId: goal.id,
      change: diff.after.status !== undefined && Object.keys(diff.after).length === 1 ? 'status' : 'update',
      actorAccountId: who.accountId,
      actorLabel: who.label,
      before: diff.before,
      after: diff.after,
      reason: reason ?? null,
    });
  });
  return getGoalDetail(db, actor, goal.id, request);
}

/** Re-aligns a goal under new parents, with cycle and level checks, and records the change. */
export async function setParents(
  db: Kysely<DB>,
  actor: Actor,
  goal: repo.Goal,
  parentIds: string[],
  reason: string | undefined,
  request: RequestInfo,
): Promise<GoalDetailType> {
  await validateParents(db, actor, goal, parentIds);
  const current = (await repo.listAlignments(db))
    .filter((e) => e.goal_id === goal.id)
    .map((e) => e.parent_goal_id);
  const same = current.length === parentIds.length && current.every((p) => parentIds.includes(p));
  if (!same) {
    await requireReasonAfterCheckIns(db, goal.id, reason);
    const who = changeActor(actor);
    const titles = new Map(
      (await repo.listGoals(db, { ids: [...current, ...parentIds] })).map((g) => [g.id, g.title]),
    );
    await db.transaction().execute(async (trx) => {
      await replaceParents(trx, goal.id, parentIds);
      await repo.insertHistory(trx, {
        goalId: goal.id,
        change: 'align',
        actorAccountId: who.accountId,
        actorLabel: who.label,
        before: { parents: current.map((id) => titles.get(id) ?? id), parentIds: current },
        after: { parents: parentIds.map((id) => titles.get(id) ?? id), parentIds },
        reason: reason ?? null,
      });
    });
  }
  return getGoalDetail(db, actor, goal.id, request);
}

/** The goal page: the goal, its parents and children (visible ones), check-ins, link, evaluations, rights. */
export async function getGoalDetail(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  request: RequestInfo,
): Promise<GoalDetailType> {
  const goal = await loadGoal(db, id);
  const [summary] = await summarize(db, [goal]);
  const edges = await repo.listAlignments(db);
  const related = await repo.listGoals(db, {
    ids: edges
      .filter((e) => e.goal_id === id || e.parent_goal_id === id)
      .flatMap((e) => [e.goal_id, e.parent_goal_id]),
  });
  const visible = new Map((await filterReadable(db, actor, related)).map((g) => [g.id, g]));
  const ref = (g: repo.Goal) => ({ id: g.id, title: g.title, level: g.level, ownerName: g.owner_name });
  const parentIds = edges.filter((e) => e.goal_id === id).map((e) => e.parent_goal_id);
  const childIds = edges.filter((e) => e.parent_goal_id === id).map((e) => e.goal_id);
  const checkIns = await repo.listCheckIns(db, [id]);
  const link = await db.selectFrom('goal_link').selectAll().where('goal_id', '=', id).executeTakeFirst();
  const evaluationRole = await evaluationRoleFor(db, actor, goal);
  const evaluations = await listEvaluations(db, actor, goal, request);
  const last = checkIns.at(-1);
  return {
    goal: {
      ...summary!,
      why: goal.why,
      criteria: goal.criteria,
      roleExpectations: goal.role_expectations,
      cadence: goal.cadence,
      stewardPersonId: goal.steward_person_id,
      nextCheckInDue:
        goal.status === 'active'
          ? nextCheckInDue(
              goal.cadence,
              goal.period_start,
              last ? last.checked_at.toISOString().slice(0, 10) : null,
            )
          : null,
      createdAt: goal.created_at.toISOString(),
    },
    parents: parentIds.flatMap((p) => (visible.has(p) ? [ref(visible.get(p)!)] : [])),
    hiddenParents: parentIds.filter((p) => !visible.has(p)).length,
    children: childIds.flatMap((c) => (visible.has(c) ? [ref(visible.get(c)!)] : [])),
    checkIns: checkIns.map((c) => ({
      id: c.id,
      value: c.value,
      progress: progressOf(goal.criteria, c.value),
      confidence: c.confidence,
      blockers: c.blockers,
      note: c.note,
      source: c.source,
      authorLabel: c.author_label,
      checkedAt: c.checked_at.toISOString(),
    })),
    link: link
      ? {
          kind: link.kind,
          key: link.key,
          aggregation: link.aggregation,
          scopePersonId: link.scope_person_id,
          scopeTeamId: link.scope_team_id,
          lastValue: link.last_value === null ? null : Number(link.last_value),
          lastRefreshedAt: link.last_refreshed_at ? new Date(link.last_refreshed_at).toISOString() : null,
        }
      : null,
    evaluations,
    permissions: {
      canEdit: await canEdit(db, actor, goal),
      canEvaluate: evaluationRole !== null,
      evaluationRole,
    },
  };
}

/** Lists the goals the caller may read: everything, theirs ("mine"), or their reports' and teams' ("team"). */
export async function listGoalsFor(
  db: Kysely<DB>,
  actor: Actor,
  q: GoalListQueryType,
): Promise<{ items: GoalSummaryType[] }> {
  const filter: repo.GoalFilter = {
    ...(q.level && { level: q.level }),
    ...(q.period && { period: q.period }),
    ...(q.status && { status: q.status }),
  };
  const me = actor.kind === 'account' ? actor.personId : null;
  const asOf = todayUtc();
  if (q.scope === 'mine') {
    if (!me) return { items: [] };
    filter.ownerPersonIds = [me];
    filter.stewardPersonId = me;
  } else if (q.scope === 'team') {
    if (!me) return { items: [] };
    filter.ownerPersonIds = await repo.findReportsDeep(db, me, asOf);
    filter.ownerTeamIds = await teamsLedBy(db, actor, me);
  }
  if (q.personId) filter.ownerPersonIds = [...(filter.ownerPersonIds ?? []), q.personId];
  if (q.teamId) filter.ownerTeamIds = [...(filter.ownerTeamIds ?? []), q.teamId];
  const goals = await filterReadable(db, actor, await repo.listGoals(db, filter));
  return { items: await summarize(db, goals) };
}

/** Teams in the person's own team subtree that the actor leads or sits above (for "my team's goals"). */
async function teamsLedBy(db: Kysely<DB>, actor: Actor, personId: string): Promise<string[]> {
  const own = await db.selectFrom('person').select('team_id').where('id', '=', personId).executeTakeFirst();
  if (!own?.team_id) return [];
  const out: string[] = [];
  for (const teamId of await repo.findSubtree(db, own.team_id)) {
    const rel = await resolveRelations(db, actor, { type: 'team', id: teamId });
    if (rel.has('manager') || rel.has('skip_level_manager')) out.push(teamId);
  }
  return out;
}

export async function getHistory(db: Kysely<DB>, goalId: string): Promise<{ items: GoalHistoryItemType[] }> {
  const rows = await repo.listHistory(db, goalId);
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      change: r.change,
      actorLabel: r.actor_label,
      before: r.before,
      after: r.after,
      reason: r.reason,
    })),
  };
}
