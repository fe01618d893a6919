import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { IdParams } from '../../shared/schemas.js';
import { authorize } from '../access/access.service.js';
import { ProfileBody, Questionnaire, WorkStyleProfile } from './profiles.schema.js';
import { getQuestionnaire, getWorkStyleProfile, submitWorkStyleProfile } from './profiles.service.js';

/** Work-style profiles: the questionnaire, a person's profile with history and viewers, and submitting one's own. */
export const profilesRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  const db = ctx.db;

  app.get(
    '/profiles/questionnaire',
    {
      schema: {
        tags: ['profiles'],
        summary: 'The work-style questionnaire: items, scales, communication options and motivation drivers',
        response: { 200: Questionnaire },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'profile.questionnaire', { type: 'org' }, requestInfo(request));
      return getQuestionnaire();
    },
  );

  app.get(
    '/people/:id/work-style',
    {
      schema: {
        tags: ['profiles'],
        summary:
          'A person’s work-style profile, its history and who can see it (self, manager chain, coaches)',
        params: IdParams,
        response: { 200: WorkStyleProfile },
      },
    },
    async (request) => {
      const { id } = request.params;
      await authorize(db, request.actor, 'profile.read', { type: 'person', id }, requestInfo(request));
      const viewer = request.actor.kind === 'account' ? request.actor.personId : null;
      return getWorkStyleProfile(db, id, viewer);
    },
  );

  app.post(
    '/people/:id/work-style',
    {
      schema: {
        tags: ['profiles'],
        summary: 'Submit one’s own questionnaire (earlier submissions are kept as history)',
        params: IdParams,
        body: ProfileBody,
        response: { 201: WorkStyleProfile },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await authorize(db, request.actor, 'profile.write', { type: 'person', id }, requestInfo(request));
      const accountId = request.actor.kind === 'account' ? request.actor.accountId : null;
      return reply.status(201).send(await submitWorkStyleProfile(db, id, request.body, accountId));
    },
  );
};
