import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { AppError } from '../../shared/app-error.js';
import { IdParams, Ok, Uuid } from '../../shared/schemas.js';
import { authorize, todayUtc } from '../access/access.service.js';
import type { Actor } from '../access/access.types.js';
import { authorizeEdit, authorizeRead } from './goals.access.js';
import { addCheckIn, dismissReminder, listReminders } from './goals.checkins.js';
import { submitEvaluation } from './goals.evaluation.js';
import { listLinkKeys, refreshLinkedGoals, removeLink, setLink } from './goals.links.js';
import {
  AlignmentQuery,
  AlignmentView,
  CheckInBody,
  Evaluation,
  EvaluationBody,
  GoalCreateBody,
  GoalDetail,
  GoalHistory,
  GoalLinkBody,
  GoalList,
  GoalListQuery,
  GoalParentsBody,
  GoalUpdateBody,
  LinkKeyList,
  ReminderList,
  StalledList,
  StalledQuery,
} from './goals.schema.js';
import {
  createGoal,
  getGoalDetail,
  getHistory,
  listGoalsFor,
  loadGoal,
  setParents,
  updateGoal,
} from './goals.service.js';
import { alignmentView, stalledForManager } from './goals.view.js';

const tags = ['goals'];
/** Actions without input still take a JSON object (empty), so every POST documents its body. */
const EmptyBody = Type.Object({}, { additionalProperties: false });

function personOf(actor: Actor): string {
  if (actor.kind !== 'account' || !actor.personId) {
    throw new AppError('conflict', 'This account is not linked to a person, so it has no goals of its own.');
  }
  return actor.personId;
}

/** Goals (PRODUCT.md §7): set, align, measure and modify, evaluate. Every route authorises through the access module. */
export const goalRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  const db = ctx.db;

  app.get(
    '/goals',
    {
      schema: {
        tags,
        summary: 'Goals the caller may read (all, mine, or my team’s)',
        querystring: GoalListQuery,
        response: { 200: GoalList },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'goal.list', { type: 'org' }, requestInfo(request));
      return listGoalsFor(db, request.actor, request.query);
    },
  );

  app.post(
    '/goals',
    {
      schema: {
        tags,
        summary: 'Set a goal for a person, team, department or the company',
        body: GoalCreateBody,
        response: { 201: GoalDetail },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createGoal(db, request.actor, request.body, requestInfo(request))),
  );

  app.get(
    '/goals/alignment',
    {
      schema: {
        tags,
        summary: 'The alignment tree of a period (or of one person’s goals up to company strategy)',
        querystring: AlignmentQuery,
        response: { 200: AlignmentView },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'goal.list', { type: 'org' }, requestInfo(request));
      return alignmentView(db, request.actor, request.query);
    },
  );

  app.get(
    '/goals/stalled',
    {
      schema: {
        tags,
        summary: 'Stalled goals of the people and teams the caller manages',
        querystring: StalledQuery,
        response: { 200: StalledList },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'goal.stalled', { type: 'self' }, requestInfo(request));
      return stalledForManager(db, request.actor, request.query.asOf ?? todayUtc());
    },
  );

  app.get(
    '/goals/link-keys',
    {
      schema: {
        tags,
        summary: 'The signals and business metrics a goal’s progress can follow',
        response: { 200: LinkKeyList },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'goal.list', { type: 'org' }, requestInfo(request));
      return { kinds: await listLinkKeys(db) };
    },
  );

  app.get(
    '/goals/reminders',
    { schema: { tags, summary: 'The caller’s open check-in reminders', response: { 200: ReminderList } } },
    async (request) => {
      await authorize(db, request.actor, 'goal.reminders', { type: 'self' }, requestInfo(request));
      return listReminders(db, personOf(request.actor));
    },
  );

  app.post(
    '/goals/reminders/:id/dismiss',
    {
      schema: {
        tags,
        summary: 'Dismiss one of the caller’s reminders',
        params: IdParams,
        body: EmptyBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'goal.reminders', { type: 'self' }, requestInfo(request));
      await dismissReminder(db, personOf(request.actor), request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/goals/:id',
    {
      schema: {
        tags,
        summary: 'A goal with parents, children, check-ins, link, evaluations and the caller’s rights',
        params: IdParams,
        response: { 200: GoalDetail },
      },
    },
    async (request) => {
      const goal = await loadGoal(db, request.params.id);
      await authorizeRead(db, request.actor, goal, requestInfo(request));
      return getGoalDetail(db, request.actor, goal.id, requestInfo(request));
    },
  );

  app.patch(
    '/goals/:id',
    {
      schema: {
        tags,
        summary: 'Change a goal (a reason is required once it has check-ins)',
        params: IdParams,
        body: GoalUpdateBody,
        response: { 200: GoalDetail },
      },
    },
    async (request) => {
      const goal = await loadGoal(db, request.params.id);
      await authorizeEdit(db, request.actor, goal, requestInfo(request));
      return updateGoal(db, request.actor, goal, request.body, requestInfo(request));
    },
  );

  app.put(
    '/goals/:id/parents',
    {
      schema: {
        tags,
        summary: 'Align a goal under the goals it supports (cycles refused)',
        params: IdParams,
        body: GoalParentsBody,
        response: { 200: GoalDetail },
      },
    },
    async (request) => {
      const goal = await loadGoal(db, request.params.id);
      await authorizeEdit(db, request.actor, goal, requestInfo(request));
      return setParents(
        db,
        request.actor,
        goal,
        request.body.parentIds,
        request.body.reason,
        requestInfo(request),
      );
    },
  );

  app.post(
    '/goals/:id/check-ins',
    {
      schema: {
        tags,
        summary: 'Check in: progress value, confidence 1–5, blockers, a note',
        params: IdParams,
        body: CheckInBody,
        response: { 201: GoalDetail },
      },
    },
    async (request, reply) => {
      const goal = await loadGoal(db, request.params.id);
      await authorizeEdit(db, request.actor, goal, requestInfo(request));
      await addCheckIn(db, request.actor, goal, request.body);
      return reply.status(201).send(await getGoalDetail(db, request.actor, goal.id, requestInfo(request)));
    },
  );

  app.put(
    '/goals/:id/link',
    {
      schema: {
        tags,
        summary: 'Link progress to a business metric or a signal',
        params: IdParams,
        body: GoalLinkBody,
        response: { 200: GoalDetail },
      },
    },
    async (request) => {
      const goal = await loadGoal(db, request.params.id);
      await authorizeEdit(db, request.actor, goal, requestInfo(request));
      await setLink(db, request.actor, goal, request.body, requestInfo(request));
      return getGoalDetail(db, request.actor, goal.id, requestInfo(request));
    },
  );

  app.delete(
    '/goals/:id/link',
    {
      schema: {
        tags,
        summary: 'Stop following a metric or signal',
        params: IdParams,
        querystring: Type.Object({ reason: Type.Optional(Type.String({ minLength: 3, maxLength: 2000 })) }),
        response: { 200: GoalDetail },
      },
    },
    async (request) => {
      const goal = await loadGoal(db, request.params.id);
      await authorizeEdit(db, request.actor, goal, requestInfo(request));
      await removeLink(db, request.actor, goal, request.query.reason);
      return getGoalDetail(db, request.actor, goal.id, requestInfo(request));
    },
  );

  app.post(
    '/goals/:id/link/refresh',
    {
      schema: {
        tags,
        summary: 'Recompute a linked goal’s progress from its data now',
        params: IdParams,
        body: EmptyBody,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                goalId: Uuid,
                before: Type.Union([Type.Number(), Type.Null()]),
                after: Type.Number(),
                reason: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const goal = await loadGoal(db, request.params.id);
      await authorizeEdit(db, request.actor, goal, requestInfo(request));
      return {
        items: await refreshLinkedGoals(db, {
          goalIds: [goal.id],
          source: 'a manual refresh',
          actorLabel: request.actor.kind === 'account' ? request.actor.email : 'system',
        }),
      };
    },
  );

  app.get(
    '/goals/:id/history',
    {
      schema: {
        tags,
        summary: 'Every change to a goal: who, when, before/after and why',
        params: IdParams,
        response: { 200: GoalHistory },
      },
    },
    async (request) => {
      const goal = await loadGoal(db, request.params.id);
      await authorizeRead(db, request.actor, goal, requestInfo(request));
      return getHistory(db, goal.id);
    },
  );

  app.put(
    '/goals/:id/evaluation',
    {
      schema: {
        tags,
        summary: 'Write the caller’s assessment of the outcome (owner or manager); development data',
        params: IdParams,
        body: EvaluationBody,
        response: { 200: Type.Object({ items: Type.Array(Evaluation) }) },
      },
    },
    async (request) => {
      const goal = await loadGoal(db, request.params.id);
      await authorizeRead(db, request.actor, goal, requestInfo(request));
      return { items: await submitEvaluation(db, request.actor, goal, request.body, requestInfo(request)) };
    },
  );
};
