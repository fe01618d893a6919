import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { AppError } from '../../shared/app-error.js';
import { IdParams } from '../../shared/schemas.js';
import { authorize, can } from '../access/access.service.js';
import {
  createExternalEngagement,
  endEngagement,
  engagementCoachee,
  listEngagementsOf,
  listMyEngagements,
} from './engagements.js';
import {
  CoachingEngagement,
  CoachingEngagementCreateBody,
  CoachingEngagementEndBody,
  CoachingEngagementList,
} from './engagements.schema.js';

const tags = ['conversations'];

/**
 * Coaching engagements (docs/conversations.md): HR partners and administrators start and end external
 * coaching for a person; coach and coachee see their engagements. Scheduling an external-coaching
 * conversation needs an engagement in force.
 */
export const engagementRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  const db = ctx.db;

  app.get(
    '/people/:id/coaching-engagements',
    {
      schema: {
        tags,
        summary: 'Who coaches this person, and since when (coachee, coach, HR partner, admin)',
        params: IdParams,
        response: { 200: CoachingEngagementList },
      },
    },
    async (request) => {
      const { id } = request.params;
      await authorize(
        db,
        request.actor,
        'coaching_engagement.read',
        { type: 'person', id },
        requestInfo(request),
      );
      const canManage = await can(db, request.actor, 'coaching_engagement.manage', { type: 'person', id });
      return { ...(await listEngagementsOf(db, id)), canManage };
    },
  );

  app.post(
    '/people/:id/coaching-engagements',
    {
      schema: {
        tags,
        summary: 'Start an external coaching engagement for this person (HR partner, admin)',
        params: IdParams,
        body: CoachingEngagementCreateBody,
        response: { 201: CoachingEngagement },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await authorize(
        db,
        request.actor,
        'coaching_engagement.manage',
        { type: 'person', id },
        requestInfo(request),
      );
      const engagement = await createExternalEngagement(db, id, request.body);
      return reply.code(201).send(engagement);
    },
  );

  app.post(
    '/coaching-engagements/:id/end',
    {
      schema: {
        tags,
        summary: 'End a coaching engagement: from validTo the coach no longer has access (HR partner, admin)',
        params: IdParams,
        body: CoachingEngagementEndBody,
        response: { 200: CoachingEngagement },
      },
    },
    async (request) => {
      const coachee = await engagementCoachee(db, request.params.id);
      await authorize(
        db,
        request.actor,
        'coaching_engagement.manage',
        { type: 'person', id: coachee },
        requestInfo(request),
      );
      return endEngagement(db, request.params.id, request.body.validTo);
    },
  );

  app.get(
    '/me/coaching-engagements',
    {
      schema: {
        tags,
        summary: 'The engagements I coach in or am coached in',
        response: { 200: CoachingEngagementList },
      },
    },
    async (request) => {
      await authorize(
        db,
        request.actor,
        'coaching_engagement.list_mine',
        { type: 'self' },
        requestInfo(request),
      );
      const actor = request.actor;
      if (actor.kind !== 'account' || !actor.personId)
        throw new AppError('forbidden', 'Your account is not linked to a person in the organisation.');
      return { ...(await listMyEngagements(db, actor.personId)), canManage: false };
    },
  );
};
