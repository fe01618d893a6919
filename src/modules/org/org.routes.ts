import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { AppError } from '../../shared/app-error.js';
import { IdParams } from '../../shared/schemas.js';
import { authorize, can } from '../access/access.service.js';
import { importPeople, importProblems } from './org.import.js';
import {
  ImportBody,
  ImportQuery,
  ImportReportSchema,
  ManagerChangeBody,
  OrgSegments,
  PeoplePage,
  PeopleQuery,
  PersonCreateBody,
  PersonDetail,
  PersonHistory,
  PersonProfile,
  PersonUpdateBody,
  TeamCreateBody,
  TeamDetail,
  TeamList,
  TeamUpdateBody,
} from './org.schema.js';
import {
  changeManager,
  createPerson,
  getPersonDetail,
  getPersonHistory,
  getPersonProfile,
  getSegments,
  listPeople,
  updatePerson,
  type ChangeContext,
} from './org.service.js';
import { createTeam, getTeam, listTeams, updateTeam } from './teams.service.js';

const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

function changeContext(request: FastifyRequest): ChangeContext {
  return { source: 'api', actorAccountId: request.actor.kind === 'account' ? request.actor.accountId : null };
}

/** Organisation routes: people, teams, reporting lines, segments and the CSV import. */
export const orgRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  const db = ctx.db;

  // An HRIS export can be posted as the file itself; scoped to this plugin (the org routes).
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
    (_req, body, done) => {
      done(null, body);
    },
  );

  app.get(
    '/teams',
    { schema: { tags: ['org'], summary: 'All teams with head counts', response: { 200: TeamList } } },
    async (request) => {
      await authorize(db, request.actor, 'team.list', { type: 'org' }, requestInfo(request));
      return listTeams(db);
    },
  );

  app.get(
    '/teams/:id',
    {
      schema: {
        tags: ['org'],
        summary: 'A team: path from the root, sub-teams and current members',
        params: IdParams,
        response: { 200: TeamDetail },
      },
    },
    async (request) => {
      const { id } = request.params;
      await authorize(db, request.actor, 'team.read', { type: 'team', id }, requestInfo(request));
      return getTeam(db, id);
    },
  );

  app.post(
    '/teams',
    {
      schema: {
        tags: ['org'],
        summary: 'Add a team (HR, admin)',
        body: TeamCreateBody,
        response: { 201: TeamDetail },
      },
    },
    async (request, reply) => {
      await authorize(db, request.actor, 'team.create', { type: 'org' }, requestInfo(request));
      return reply.status(201).send(await createTeam(db, request.body, changeContext(request)));
    },
  );

  app.patch(
    '/teams/:id',
    {
      schema: {
        tags: ['org'],
        summary: 'Rename, describe or move a team',
        params: IdParams,
        body: TeamUpdateBody,
        response: { 200: TeamDetail },
      },
    },
    async (request) => {
      const { id } = request.params;
      await authorize(db, request.actor, 'team.update', { type: 'team', id }, requestInfo(request));
      if (
        request.body.parentId &&
        !(await can(db, request.actor, 'team.update', { type: 'team', id: request.body.parentId }))
      ) {
        throw new AppError('forbidden', 'You can only move a team under a team you manage.', [
          { path: '/body/parentId', message: 'is outside your HR scope' },
        ]);
      }
      return updateTeam(db, id, request.body, changeContext(request));
    },
  );

  app.get(
    '/people',
    {
      schema: {
        tags: ['org'],
        summary: 'The people directory (search by name, e-mail or title)',
        querystring: PeopleQuery,
        response: { 200: PeoplePage },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'person.list', { type: 'org' }, requestInfo(request));
      return listPeople(db, request.query);
    },
  );

  app.get(
    '/people/:id',
    {
      schema: {
        tags: ['org'],
        summary: 'A person’s directory card, manager and direct reports',
        params: IdParams,
        response: { 200: PersonDetail },
      },
    },
    async (request) => {
      const { id } = request.params;
      await authorize(db, request.actor, 'person.read', { type: 'person', id }, requestInfo(request));
      return getPersonDetail(db, request.actor, id);
    },
  );

  app.get(
    '/people/:id/profile',
    {
      schema: {
        tags: ['org'],
        summary: 'A person’s private profile: employment details, segments, reporting history',
        params: IdParams,
        response: { 200: PersonProfile },
      },
    },
    async (request) => {
      const { id } = request.params;
      await authorize(db, request.actor, 'person.read_profile', { type: 'person', id }, requestInfo(request));
      return getPersonProfile(db, id);
    },
  );

  app.get(
    '/people/:id/history',
    {
      schema: {
        tags: ['org'],
        summary: 'Every recorded change to a person and their reporting lines (newest first)',
        params: IdParams,
        response: { 200: PersonHistory },
      },
    },
    async (request) => {
      const { id } = request.params;
      await authorize(db, request.actor, 'person.read_profile', { type: 'person', id }, requestInfo(request));
      return getPersonHistory(db, id);
    },
  );

  app.post(
    '/people',
    {
      schema: {
        tags: ['org'],
        summary: 'Add a person (HR, admin)',
        body: PersonCreateBody,
        response: { 201: PersonProfile },
      },
    },
    async (request, reply) => {
      await authorize(db, request.actor, 'person.create', { type: 'org' }, requestInfo(request));
      return reply.status(201).send(await createPerson(db, request.body, changeContext(request)));
    },
  );

  app.patch(
    '/people/:id',
    {
      schema: {
        tags: ['org'],
        summary: 'Change a person’s record (HR partner, admin)',
        params: IdParams,
        body: PersonUpdateBody,
        response: { 200: PersonProfile },
      },
    },
    async (request) => {
      const { id } = request.params;
      await authorize(db, request.actor, 'person.update', { type: 'person', id }, requestInfo(request));
      const teamId = request.body.teamId;
      if (teamId && !(await can(db, request.actor, 'team.update', { type: 'team', id: teamId }))) {
        throw new AppError('forbidden', 'You can only move people into teams within your HR scope.', [
          { path: '/body/teamId', message: 'is outside your HR scope' },
        ]);
      }
      return updatePerson(db, id, request.body, changeContext(request));
    },
  );

  app.put(
    '/people/:id/manager',
    {
      schema: {
        tags: ['org'],
        summary: 'Set a person’s manager from a date (keeps the reporting history)',
        params: IdParams,
        body: ManagerChangeBody,
        response: { 200: PersonProfile },
      },
    },
    async (request) => {
      const { id } = request.params;
      await authorize(db, request.actor, 'person.update', { type: 'person', id }, requestInfo(request));
      return changeManager(db, id, request.body, changeContext(request));
    },
  );

  app.get(
    '/org/segments',
    {
      schema: {
        tags: ['org'],
        summary: 'Counts of active people by segment',
        response: { 200: OrgSegments },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'org.segments', { type: 'org' }, requestInfo(request));
      return getSegments(db);
    },
  );

  app.post(
    '/org/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['org'],
        summary: 'Import people from a CSV (JSON {csv} or text/csv); dryRun=true only validates',
        querystring: ImportQuery,
        body: ImportBody,
        response: { 200: ImportReportSchema },
      },
    },
    async (request) => {
      await authorize(db, request.actor, 'org.import', { type: 'org' }, requestInfo(request));
      const csv = typeof request.body === 'string' ? request.body : request.body.csv;
      const report = await importPeople(
        db,
        { csv },
        {
          dryRun: request.query.dryRun ?? false,
          source: 'api',
          actorAccountId: request.actor.kind === 'account' ? request.actor.accountId : null,
        },
      );
      if (report.errors.length) {
        throw new AppError(
          'validation_failed',
          `The file has ${report.errors.length} problem${report.errors.length === 1 ? '' : 's'}; nothing was imported.`,
          importProblems(report.errors),
        );
      }
      return report;
    },
  );
};
