import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { AppError } from '../../shared/app-error.js';
import { Ok } from '../../shared/schemas.js';
import { authorize, recordAudit } from '../access/access.service.js';
import * as edits from './conversations.edits.js';
import { exportConversations } from './conversations.export.js';
import { getHelpfulness } from './conversations.helpfulness.js';
import {
  ConversationActionCreateBody,
  ConversationActionList,
  ConversationActionListQuery,
  ConversationActionUpdateBody,
  ConversationAgendaCreateBody,
  ConversationAgendaOrderBody,
  ConversationAgendaUpdateBody,
  ConversationCreateBody,
  ConversationDetail,
  ConversationExport,
  ConversationIdParams,
  ConversationList,
  ConversationListQuery,
  ConversationUpdateBody,
  ConversationHelpfulness,
  ConversationItemParams,
  ConversationNoteCreateBody,
  ConversationNoteUpdateBody,
  ConversationRatingBody,
  ConversationTopicCatalogue,
  ConversationTopicsBody,
} from './conversations.schema.js';
import {
  createConversation,
  getConversation,
  listMyActions,
  listMyConversations,
  scheduleNextInSeries,
} from './conversations.service.js';
import { TOPICS } from './conversations.topics.js';

const tags = ['conversations'];

/** The person behind the signed-in account; conversations belong to people, not accounts. */
function me(request: FastifyRequest): string {
  const actor = request.actor;
  if (actor.kind !== 'account' || !actor.personId) {
    throw new AppError(
      'forbidden',
      'Your account is not linked to a person in the organisation, so it has no conversations.',
    );
  }
  return actor.personId;
}

/** Coaching conversations: every route authorises through the access policy (participants only). */
export const conversationRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  const db = ctx.db;
  const detail = (request: FastifyRequest, id: string) => getConversation(db, me(request), id);
  const asParticipant = async (
    request: FastifyRequest,
    action: 'conversation.read' | 'conversation.update' | 'conversation.write_note' | 'conversation.rate',
    id: string,
  ) => {
    await authorize(db, request.actor, action, { type: 'conversation', id }, requestInfo(request));
  };

  app.get(
    '/me/conversations',
    {
      schema: {
        tags,
        summary: 'My conversations (upcoming and past), filtered and searchable',
        querystring: ConversationListQuery,
        response: { 200: ConversationList },
      },
    },
    async (request) => {
      const action = request.query.q?.trim() ? 'conversation.search' : 'conversation.list';
      await authorize(db, request.actor, action, { type: 'self' }, requestInfo(request));
      return listMyConversations(db, me(request), request.query);
    },
  );

  app.get(
    '/me/conversations/actions',
    {
      schema: {
        tags,
        summary: 'Follow-up actions of my conversations (both people see each one)',
        querystring: ConversationActionListQuery,
        response: { 200: ConversationActionList },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'conversation.list', { type: 'self' }, requestInfo(request));
      return listMyActions(db, me(request), request.query.status ?? 'open');
    },
  );

  app.get(
    '/me/conversations/helpfulness',
    {
      schema: {
        tags,
        summary: 'Helpfulness of the conversations I led, in aggregate only',
        response: { 200: ConversationHelpfulness },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'conversation.helpfulness', { type: 'self' }, requestInfo(request));
      return getHelpfulness(db, me(request));
    },
  );

  app.get(
    '/me/conversations/export',
    {
      schema: {
        tags,
        summary: 'Export every conversation I may see, only the parts I may see (JSON)',
        response: { 200: ConversationExport },
      },
    },
    async (request, reply) => {
      await authorize(db, request.actor, 'conversation.export', { type: 'self' }, requestInfo(request));
      const body = await exportConversations(db, me(request));
      void reply.header(
        'content-disposition',
        `attachment; filename="cairn-conversations-${body.exportedAt.slice(0, 10)}.json"`,
      );
      return body;
    },
  );

  app.get(
    '/conversations/topics',
    {
      schema: {
        tags,
        summary: 'The topic catalogue (business dimensions and development themes)',
        response: { 200: ConversationTopicCatalogue },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'conversation.list', { type: 'self' }, requestInfo(request));
      return { items: TOPICS.map((t) => ({ topic: t.topic, label: t.label, group: t.group })) };
    },
  );

  app.post(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'Schedule a conversation (or a recurring 1:1 series)',
        body: ConversationCreateBody,
        response: { 201: ConversationDetail },
      },
    },
    async (request, reply) => {
      await authorize(db, request.actor, 'conversation.create', { type: 'self' }, requestInfo(request));
      const id = await createConversation(db, me(request), request.body);
      return reply.status(201).send(await detail(request, id));
    },
  );

  app.get(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'A conversation with its agenda, notes I may read, actions, topics',
        params: ConversationIdParams,
        response: { 200: ConversationDetail },
      },
    },
    async (request) => {
      await asParticipant(request, 'conversation.read', request.params.id);
      return detail(request, request.params.id);
    },
  );

  app.patch(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Change title, time, duration or status',
        params: ConversationIdParams,
        body: ConversationUpdateBody,
        response: { 200: ConversationDetail },
      },
    },
    async (request) => {
      await asParticipant(request, 'conversation.update', request.params.id);
      await edits.updateConversation(db, request.params.id, request.body);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/conversations/:id/next',
    {
      schema: {
        tags,
        summary: 'Schedule the next meeting of a recurring 1:1 series',
        params: ConversationIdParams,
        body: Type.Object({}, { additionalProperties: false, description: 'No input' }),
        response: { 201: ConversationDetail },
      },
    },
    async (request, reply) => {
      await asParticipant(request, 'conversation.update', request.params.id);
      const id = await scheduleNextInSeries(db, me(request), request.params.id);
      return reply.status(201).send(await detail(request, id));
    },
  );

  app.post(
    '/conversations/:id/agenda',
    {
      schema: {
        tags,
        summary: 'Add an agenda item (either side)',
        params: ConversationIdParams,
        body: ConversationAgendaCreateBody,
        response: { 201: ConversationDetail },
      },
    },
    async (request, reply) => {
      await asParticipant(request, 'conversation.update', request.params.id);
      await edits.addAgendaItem(db, request.params.id, me(request), request.body.text);
      return reply.status(201).send(await detail(request, request.params.id));
    },
  );

  app.patch(
    '/conversations/:id/agenda/:itemId',
    {
      schema: {
        tags,
        summary: 'Edit or tick an agenda item',
        params: ConversationItemParams,
        body: ConversationAgendaUpdateBody,
        response: { 200: ConversationDetail },
      },
    },
    async (request) => {
      await asParticipant(request, 'conversation.update', request.params.id);
      await edits.updateAgendaItem(db, request.params.id, request.params.itemId, request.body);
      return detail(request, request.params.id);
    },
  );

  app.delete(
    '/conversations/:id/agenda/:itemId',
    {
      schema: {
        tags,
        summary: 'Remove an agenda item',
        params: ConversationItemParams,
        response: { 200: ConversationDetail },
      },
    },
    async (request) => {
      await asParticipant(request, 'conversation.update', request.params.id);
      await edits.deleteAgendaItem(db, request.params.id, request.params.itemId);
      return detail(request, request.params.id);
    },
  );

  app.put(
    '/conversations/:id/agenda/order',
    {
      schema: {
        tags,
        summary: 'Reorder the agenda',
        params: ConversationIdParams,
        body: ConversationAgendaOrderBody,
        response: { 200: ConversationDetail },
      },
    },
    async (request) => {
      await asParticipant(request, 'conversation.update', request.params.id);
      await edits.reorderAgenda(db, request.params.id, request.body.itemIds);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/conversations/:id/notes',
    {
      schema: {
        tags,
        summary: 'Write a note: private (only me) or shared (the participants)',
        params: ConversationIdParams,
        body: ConversationNoteCreateBody,
        response: { 201: ConversationDetail },
      },
    },
    async (request, reply) => {
      await asParticipant(request, 'conversation.write_note', request.params.id);
      await edits.addNote(db, request.params.id, me(request), request.body.visibility, request.body.body);
      return reply.status(201).send(await detail(request, request.params.id));
    },
  );

  /** Only the author changes a note; anyone else is refused (and the refusal audited). */
  const authorOnly = async (request: FastifyRequest, id: string, noteId: string) => {
    await asParticipant(request, 'conversation.write_note', id);
    const author = await edits.noteAuthor(db, id, noteId, me(request));
    if (author === me(request)) return;
    const reason = author ? 'only the author changes a note' : 'no such note visible to the actor';
    await recordAudit(
      db,
      request.actor,
      'conversation.write_note',
      { type: 'conversation', id },
      { allowed: false, reason },
      requestInfo(request),
    );
    if (!author) throw new AppError('not_found', 'No such note in this conversation.');
    throw new AppError('forbidden', 'Only the author of a note can change or delete it.');
  };

  app.patch(
    '/conversations/:id/notes/:itemId',
    {
      schema: {
        tags,
        summary: 'Change my note (text or visibility)',
        params: ConversationItemParams,
        body: ConversationNoteUpdateBody,
        response: { 200: ConversationDetail },
      },
    },
    async (request) => {
      await authorOnly(request, request.params.id, request.params.itemId);
      await edits.updateNote(db, request.params.id, request.params.itemId, request.body);
      return detail(request, request.params.id);
    },
  );

  app.delete(
    '/conversations/:id/notes/:itemId',
    {
      schema: {
        tags,
        summary: 'Delete my note',
        params: ConversationItemParams,
        response: { 200: ConversationDetail },
      },
    },
    async (request) => {
      await authorOnly(request, request.params.id, request.params.itemId);
      await edits.deleteNote(db, request.params.id, request.params.itemId);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/conversations/:id/actions',
    {
      schema: {
        tags,
        summary: 'Add a follow-up action with an owner and a due date',
        params: ConversationIdParams,
        body: ConversationActionCreateBody,
        response: { 201: ConversationDetail },
      },
    },
    async (request, reply) => {
      await asParticipant(request, 'conversation.update', request.params.id);
      await edits.addAction(db, request.params.id, me(request), request.body);
      return reply.status(201).send(await detail(request, request.params.id));
    },
  );

  app.patch(
    '/conversations/:id/actions/:itemId',
    {
      schema: {
        tags,
        summary: 'Edit a follow-up action or mark it done',
        params: ConversationItemParams,
        body: ConversationActionUpdateBody,
        response: { 200: ConversationDetail },
      },
    },
    async (request) => {
      await asParticipant(request, 'conversation.update', request.params.id);
      await edits.updateAction(db, request.params.id, request.params.itemId, request.body);
      return detail(request, request.params.id);
    },
  );

  app.delete(
    '/conversations/:id/actions/:itemId',
    {
      schema: {
        tags,
        summary: 'Remove a follow-up action',
        params: ConversationItemParams,
        response: { 200: ConversationDetail },
      },
    },
    async (request) => {
      await asParticipant(request, 'conversation.update', request.params.id);
      await edits.deleteAction(db, request.params.id, request.params.itemId);
      return detail(request, request.params.id);
    },
  );

  app.put(
    '/conversations/:id/topics',
    {
      schema: {
        tags,
        summary: 'Set the topics (stops automatic tagging for this conversation)',
        params: ConversationIdParams,
        body: ConversationTopicsBody,
        response: { 200: ConversationDetail },
      },
    },
    async (request) => {
      await asParticipant(request, 'conversation.update', request.params.id);
      await edits.setTopics(db, request.params.id, request.body.topics);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/conversations/:id/rating',
    {
      schema: {
        tags,
        summary: 'Rate how helpful the conversation was (the employee / coachee, once)',
        params: ConversationIdParams,
        body: ConversationRatingBody,
        response: { 201: Ok, 409: Type.Any() },
      },
    },
    async (request, reply) => {
      await asParticipant(request, 'conversation.rate', request.params.id);
      await edits.rateConversation(
        db,
        request.params.id,
        me(request),
        request.body.score,
        request.body.comment,
      );
      return reply.status(201).send({ ok: true as const });
    },
  );
};
