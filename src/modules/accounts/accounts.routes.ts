import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { AppError } from '../../shared/app-error.js';
import { IdParams, Ok, Uuid } from '../../shared/schemas.js';
import type { DB, Role } from '../../db/types.js';
import { authorize } from '../access/access.service.js';
import {
  AccountCreateBody,
  AccountSummary,
  AccountUpdateBody,
  PasswordResetIssued,
  TokenCreateBody,
  TokenCreated,
  TokenSummary,
  type AccountSummaryType,
} from './accounts.schema.js';
import {
  createAccount,
  createApiToken,
  createPasswordReset,
  listApiTokens,
  revokeApiToken,
} from './accounts.service.js';

async function loadAccountSummaries(db: Kysely<DB>, ids?: string[]): Promise<AccountSummaryType[]> {
  let q = db
    .selectFrom('account')
    .leftJoin('person', 'person.id', 'account.person_id')
    .select([
      'account.id',
      'account.email',
      'account.person_id',
      'person.name as person_name',
      'account.roles',
      'account.is_demo',
      'account.disabled_at',
      'account.last_login_at',
    ])
    .orderBy('account.email');
  if (ids) q = q.where('account.id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
  const rows = await q.execute();
  const assignments = await db.selectFrom('hr_assignment').select(['account_id', 'team_id']).execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    personId: r.person_id,
    personName: r.person_name,
    roles: r.roles,
    isDemo: r.is_demo,
    disabled: r.disabled_at !== null,
    lastLoginAt: r.last_login_at ? r.last_login_at.toISOString() : null,
    hrTeamIds: assignments.filter((a) => a.account_id === r.id).map((a) => a.team_id),
  }));
}

async function replaceHrAssignments(db: Kysely<DB>, accountId: string, teamIds: string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('hr_assignment').where('account_id', '=', accountId).execute();
    if (teamIds.length) {
      const found = await trx.selectFrom('team').select('id').where('id', 'in', teamIds).execute();
      const missing = teamIds.filter((t) => !found.some((f) => f.id === t));
      if (missing.length) {
        throw new AppError(
          'validation_failed',
          `Unknown team id(s): ${missing.join(', ')}`,
          missing.map((m) => ({ path: '/body/hrTeamIds', message: `unknown team ${m}` })),
        );
      }
      await trx
        .insertInto('hr_assignment')
        .values(teamIds.map((team_id) => ({ account_id: accountId, team_id })))
        .execute();
    }
  });
}

/** Personal API tokens (everyone, for themselves) and account administration (admins). */
export const accountRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  app.get(
    '/me/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'My personal API tokens',
        response: { 200: Type.Object({ items: Type.Array(TokenSummary) }) },
      },
    },
    async (request) => {
      await authorize(ctx.db, request.actor, 'self.tokens', { type: 'self' }, requestInfo(request));
      if (request.actor.kind !== 'account') throw new AppError('unauthenticated', 'Sign in to continue.');
      const rows = await listApiTokens(ctx.db, request.actor.accountId);
      return {
        items: rows.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.token_prefix,
          createdAt: t.created_at.toISOString(),
          lastUsedAt: t.last_used_at?.toISOString() ?? null,
          expiresAt: t.expires_at?.toISOString() ?? null,
          revokedAt: t.revoked_at?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    '/me/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create a personal API token (shown once)',
        body: TokenCreateBody,
        response: { 201: TokenCreated },
      },
    },
    async (request, reply) => {
      await authorize(ctx.db, request.actor, 'self.tokens', { type: 'self' }, requestInfo(request));
      if (request.actor.kind !== 'account') throw new AppError('unauthenticated', 'Sign in to continue.');
      const created = await createApiToken(
        ctx.db,
        request.actor.accountId,
        request.body.name,
        request.body.expiresInDays,
      );
      return reply.status(201).send({ ...created, expiresAt: created.expiresAt?.toISOString() ?? null });
    },
  );

  app.delete(
    '/me/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke one of my tokens',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await authorize(ctx.db, request.actor, 'self.tokens', { type: 'self' }, requestInfo(request));
      if (request.actor.kind !== 'account') throw new AppError('unauthenticated', 'Sign in to continue.');
      await revokeApiToken(ctx.db, request.actor.accountId, request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'All accounts (admin)',
        response: { 200: Type.Object({ items: Type.Array(AccountSummary) }) },
      },
    },
    async (request) => {
      await authorize(ctx.db, request.actor, 'account.list', { type: 'account' }, requestInfo(request));
      return { items: await loadAccountSummaries(ctx.db) };
    },
  );

  app.post(
    '/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an account (admin); set its password with a reset link',
        body: AccountCreateBody,
        response: { 201: AccountSummary },
      },
    },
    async (request, reply) => {
      await authorize(ctx.db, request.actor, 'account.manage', { type: 'account' }, requestInfo(request));
      const account = await createAccount(ctx.db, {
        email: request.body.email,
        personId: request.body.personId ?? null,
        roles: (request.body.roles ?? []) as Role[],
      });
      if (request.body.hrTeamIds) await replaceHrAssignments(ctx.db, account.id, request.body.hrTeamIds);
      const [summary] = await loadAccountSummaries(ctx.db, [account.id]);
      return reply.status(201).send(summary!);
    },
  );

  app.patch(
    '/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change roles, HR scope or disable an account (admin)',
        params: IdParams,
        body: AccountUpdateBody,
        response: { 200: AccountSummary },
      },
    },
    async (request) => {
      const id = request.params.id;
      await authorize(ctx.db, request.actor, 'account.manage', { type: 'account', id }, requestInfo(request));
      const existing = await ctx.db
        .selectFrom('account')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!existing) throw new AppError('not_found', 'No account with that id.');
      if (request.actor.kind === 'account' && request.actor.accountId === id) {
        if (request.body.disabled || (request.body.roles && !request.body.roles.includes('admin'))) {
          throw new AppError(
            'conflict',
            'You cannot disable your own account or remove your own admin role.',
          );
        }
      }
      if (request.body.roles || request.body.disabled !== undefined) {
        await ctx.db
          .updateTable('account')
          .set({
            ...(request.body.roles ? { roles: request.body.roles as Role[] } : {}),
            ...(request.body.disabled !== undefined
              ? { disabled_at: request.body.disabled ? new Date() : null }
              : {}),
          })
          .where('id', '=', id)
          .execute();
        if (request.body.disabled) await ctx.db.deleteFrom('session').where('account_id', '=', id).execute();
      }
      if (request.body.hrTeamIds) await replaceHrAssignments(ctx.db, id, request.body.hrTeamIds);
      const [summary] = await loadAccountSummaries(ctx.db, [id]);
      return summary!;
    },
  );

  app.post(
    '/accounts/:id/password-reset',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Issue a one-time password-reset link (admin); valid 24 hours',
        params: Type.Object({ id: Uuid }),
        response: { 201: PasswordResetIssued },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      await authorize(
        ctx.db,
        request.actor,
        'account.reset_password',
        { type: 'account', id },
        requestInfo(request),
      );
      const issuer = request.actor.kind === 'account' ? request.actor.accountId : null;
      const { token, expiresAt } = await createPasswordReset(ctx.db, id, issuer);
      const origin = ctx.config.publicUrl ?? `${request.protocol}://${request.headers.host ?? 'localhost'}`;
      return reply.status(201).send({
        token,
        resetUrl: `${origin}/reset-password?token=${token}`,
        expiresAt: expiresAt.toISOString(),
      });
    },
  );
};
