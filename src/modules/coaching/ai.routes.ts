import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { AppError } from '../../shared/app-error.js';
import { IdParams, NoBody } from '../../shared/schemas.js';
import { authorize } from '../access/access.service.js';
import {
  AiDraft,
  AiSettings,
  AiSettingsBody,
  AiStatus,
  AiTestBody,
  AiTestResult,
  DraftBody,
  DraftList,
  DraftResult,
} from './ai.schema.js';
import {
  createDraft,
  decideDraft,
  getAiSettings,
  getAiStatus,
  getDraft,
  listDrafts,
  saveAiSettings,
  testAiConnection,
  type OpportunityLoader,
} from './ai.service.js';

export interface CoachingAiRouteOptions extends RoutePluginOptions {
  /** How an opportunity is read as the viewer may see it: the coaching engine's service. */
  loadOpportunity: OpportunityLoader;
}

/** Optional AI drafting: administrator settings (write-only key, connection test) and drafts (docs/coaching-ai.md). */
export const coachingAiRoutes: FastifyPluginAsyncTypebox<CoachingAiRouteOptions> = async (
  app,
  { ctx, loadOpportunity },
) => {
  const db = ctx.db;

  app.get(
    '/coaching/ai-settings',
    {
      schema: {
        tags: ['coaching'],
        summary:
          'The AI endpoint settings (the key is never returned: only whether it is set and its last four)',
        response: { 200: AiSettings },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.ai.settings.read', { type: 'org' }, requestInfo(request));
      return getAiSettings(db);
    },
  );

  app.put(
    '/coaching/ai-settings',
    {
      schema: {
        tags: ['coaching'],
        summary:
          'Turn AI drafting on or off and set the endpoint (omit apiKey to keep it, null to remove it)',
        body: AiSettingsBody,
        response: { 200: AiSettings },
      },
    },
    async (request) => {
      await authorize(
        db,
        request.actor,
        'coaching.ai.settings.manage',
        { type: 'org' },
        requestInfo(request),
      );
      const accountId = request.actor.kind === 'account' ? request.actor.accountId : null;
      return saveAiSettings(db, request.body, accountId);
    },
  );

  app.post(
    '/coaching/ai-settings/test',
    {
      schema: {
        tags: ['coaching'],
        summary:
          'Send a one-line request to the endpoint (stored settings, or the values given) and report the answer',
        body: AiTestBody,
        response: { 200: AiTestResult },
      },
    },
    async (request) => {
      await authorize(
        db,
        request.actor,
        'coaching.ai.settings.manage',
        { type: 'org' },
        requestInfo(request),
      );
      return testAiConnection(db, request.body);
    },
  );

  app.get(
    '/coaching/ai-status',
    {
      schema: {
        tags: ['coaching'],
        summary: 'Whether AI drafting is available (to show or hide “Draft with AI”)',
        response: { 200: AiStatus },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.ai.status', { type: 'org' }, requestInfo(request));
      return getAiStatus(db);
    },
  );

  app.post(
    '/coaching/opportunities/:id/draft',
    {
      schema: {
        tags: ['coaching'],
        summary:
          'Draft a conversation guide or an evidence summary with AI from what I may see of the opportunity; without AI, or when the endpoint fails, the built-in text with a notice',
        params: IdParams,
        body: DraftBody,
        response: { 200: DraftResult },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.ai.draft', { type: 'self' }, requestInfo(request));
      return createDraft(db, request.actor, request.params.id, request.body.kind, loadOpportunity);
    },
  );

  app.get(
    '/coaching/opportunities/:id/drafts',
    {
      schema: {
        tags: ['coaching'],
        summary: 'My AI drafts for an opportunity (not the discarded ones), newest first',
        params: IdParams,
        response: { 200: DraftList },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'coaching.ai.draft', { type: 'self' }, requestInfo(request));
      return { items: await listDrafts(db, request.actor, request.params.id, loadOpportunity) };
    },
  );

  app.get(
    '/coaching/drafts/:id',
    {
      schema: {
        tags: ['coaching'],
        summary: 'One of my AI drafts, with the exact messages sent and the model',
        params: IdParams,
        response: { 200: AiDraft },
      },
    },
    async (request) => {
      await authorizeDraft(request.actor, request.params.id, 'coaching.ai.draft.read', requestInfo(request));
      return getDraft(db, request.params.id);
    },
  );

  for (const decision of ['accept', 'discard'] as const) {
    app.post(
      `/coaching/drafts/:id/${decision}`,
      {
        schema: {
          tags: ['coaching'],
          summary:
            decision === 'accept'
              ? 'Accept my AI draft (a person decides; nothing is used before)'
              : 'Discard my AI draft',
          params: IdParams,
          body: NoBody,
          response: { 200: AiDraft },
        },
      },
      async (request) => {
        await authorizeDraft(
          request.actor,
          request.params.id,
          'coaching.ai.draft.decide',
          requestInfo(request),
        );
        return decideDraft(
          db,
          request.actor,
          request.params.id,
          decision === 'accept' ? 'accepted' : 'discarded',
          loadOpportunity,
        );
      },
    );
  }

  /** Someone else's draft and a missing one answer alike (404), so ids cannot be probed. */
  async function authorizeDraft(
    actor: Parameters<typeof authorize>[1],
    id: string,
    action: 'coaching.ai.draft.read' | 'coaching.ai.draft.decide',
    info: ReturnType<typeof requestInfo>,
  ): Promise<void> {
    try {
      await authorize(db, actor, action, { type: 'coaching_draft', id }, info);
    } catch (error) {
      if (error instanceof AppError && error.code === 'forbidden') {
        throw new AppError('not_found', 'No AI draft with this id.', [
          { path: '/params/id', message: 'not found' },
        ]);
      }
      throw error;
    }
  }
};
