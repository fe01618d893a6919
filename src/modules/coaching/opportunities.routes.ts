import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { IdParams } from '../../shared/schemas.js';
import {
  OpportunityActBody,
  OpportunityDetail,
  OpportunityDismissBody,
  OpportunityFeedbackBody,
  OpportunityList,
  OpportunityListQuery,
  OpportunitySnoozeBody,
  OpportunitySummary,
} from './opportunities.schema.js';
import { getOpportunityForViewer, listMyOpportunities, updateOpportunity } from './opportunities.service.js';

/** Coaching opportunities addressed to the signed-in manager (docs/coaching-opportunities.md). */
export const coachingOpportunityRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (
  app,
  { ctx },
) => {
  const db = ctx.db;

  app.get(
    '/coaching/opportunities',
    {
      schema: {
        tags: ['coaching'],
        summary: 'My coaching opportunities (as their recipient), highest priority first, with counts',
        querystring: OpportunityListQuery,
        response: { 200: OpportunityList },
      },
    },
    async (request) =>
      listMyOpportunities(db, request.actor, request.query.status ?? 'open', requestInfo(request)),
  );

  app.get(
    '/coaching/opportunities/:id',
    {
      schema: {
        tags: ['coaching'],
        summary: 'One coaching opportunity: evidence, the style-tailored conversation guide, how to start it',
        params: IdParams,
        response: { 200: OpportunityDetail },
      },
    },
    async (request) => getOpportunityForViewer(db, request.actor, request.params.id, requestInfo(request)),
  );

  app.post(
    '/coaching/opportunities/:id/act',
    {
      schema: {
        tags: ['coaching'],
        summary: 'Mark an opportunity acted on, with an optional note',
        params: IdParams,
        body: OpportunityActBody,
        response: { 200: OpportunitySummary },
      },
    },
    async (request) =>
      updateOpportunity(
        db,
        request.actor,
        request.params.id,
        { kind: 'act', note: request.body.note },
        requestInfo(request),
      ),
  );

  app.post(
    '/coaching/opportunities/:id/snooze',
    {
      schema: {
        tags: ['coaching'],
        summary: 'Snooze an opportunity until a day; it reopens then',
        params: IdParams,
        body: OpportunitySnoozeBody,
        response: { 200: OpportunitySummary },
      },
    },
    async (request) =>
      updateOpportunity(
        db,
        request.actor,
        request.params.id,
        { kind: 'snooze', until: request.body.until },
        requestInfo(request),
      ),
  );

  app.post(
    '/coaching/opportunities/:id/dismiss',
    {
      schema: {
        tags: ['coaching'],
        summary: 'Dismiss an opportunity, with an optional reason',
        params: IdParams,
        body: OpportunityDismissBody,
        response: { 200: OpportunitySummary },
      },
    },
    async (request) =>
      updateOpportunity(
        db,
        request.actor,
        request.params.id,
        { kind: 'dismiss', reason: request.body.reason },
        requestInfo(request),
      ),
  );

  app.post(
    '/coaching/opportunities/:id/feedback',
    {
      schema: {
        tags: ['coaching'],
        summary: 'Say whether an opportunity was useful',
        params: IdParams,
        body: OpportunityFeedbackBody,
        response: { 200: OpportunitySummary },
      },
    },
    async (request) =>
      updateOpportunity(
        db,
        request.actor,
        request.params.id,
        { kind: 'feedback', useful: request.body.useful },
        requestInfo(request),
      ),
  );
};
