import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import type { RoutePluginOptions } from '../../server/context.js';
import {
  clearSessionCookie,
  requireAccount,
  requestInfo,
  SESSION_COOKIE,
  setSessionCookie,
} from '../../server/plugins/auth.js';
import { Ok } from '../../shared/schemas.js';
import { hasCurrentReports } from '../access/access.repository.js';
import { recordAudit, todayUtc } from '../access/access.service.js';
import {
  ChangePasswordBody,
  DemoInfo,
  LoginBody,
  ResetPasswordBody,
  SessionInfo,
  type SessionInfoType,
} from './accounts.schema.js';
import { changeOwnPassword, closeSession, completePasswordReset, login } from './accounts.service.js';
import type { AppContext } from '../../server/context.js';
import type { Actor } from '../access/access.types.js';

async function describeSession(
  ctx: AppContext,
  actor: Actor & { kind: 'account' },
  csrfToken: string,
  expiresAt: Date,
): Promise<SessionInfoType> {
  const person = actor.personId
    ? await ctx.db.selectFrom('person').select(['name']).where('id', '=', actor.personId).executeTakeFirst()
    : undefined;
  return {
    account: {
      id: actor.accountId,
      email: actor.email,
      personId: actor.personId,
      personName: person?.name ?? null,
      roles: actor.roles,
      isManager: actor.personId ? await hasCurrentReports(ctx.db, actor.personId, todayUtc()) : false,
    },
    csrfToken,
    demo: ctx.config.demo,
    expiresAt: expiresAt.toISOString(),
  };
}

/** Sign-in, sign-out, the current session, and password changes. */
export const authRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  await app.register(rateLimit, { global: false });

  app.post(
    '/auth/login',
    {
      config: {
        public: true,
        rateLimit: {
          max: ctx.config.loginRateLimitPerMinute,
          timeWindow: 60_000,
          errorResponseBuilder: (_req, context) => ({
            statusCode: 429,
            message: `Too many sign-in attempts from this address. Try again in ${Math.ceil(context.ttl / 1000)} seconds.`,
          }),
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password; sets the session cookie',
        body: LoginBody,
        response: { 200: SessionInfo },
      },
    },
    async (request, reply) => {
      const info = requestInfo(request);
      try {
        const result = await login(ctx.db, ctx.config, {
          email: request.body.email,
          password: request.body.password,
          ip: info.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        setSessionCookie(reply, ctx, result.sessionToken, result.expiresAt);
        const actor = {
          kind: 'account' as const,
          accountId: result.account.id,
          personId: result.account.person_id,
          email: result.account.email,
          roles: result.account.roles,
          isDemo: result.account.is_demo,
          via: 'session' as const,
        };
        return await describeSession(ctx, actor, result.csrfToken, result.expiresAt);
      } catch (error) {
        await recordAudit(
          ctx.db,
          { kind: 'anonymous' },
          'auth.login',
          { type: 'account', id: request.body.email.toLowerCase() },
          { allowed: false, reason: (error as Error).message },
          info,
        );
        throw error;
      }
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 200: Ok } },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await closeSession(ctx.db, cookie);
      clearSessionCookie(reply);
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/session',
    {
      // Public so that the web app's "am I signed in?" probe is not written to the audit log as a
      // denial on every anonymous page load; the handler still answers 401 without an account.
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in account and the CSRF token for state-changing requests',
        response: { 200: SessionInfo },
      },
    },
    async (request) => {
      const actor = requireAccount(request);
      const row = request.sessionId
        ? await ctx.db
            .selectFrom('session')
            .select('expires_at')
            .where('id', '=', request.sessionId)
            .executeTakeFirst()
        : undefined;
      return describeSession(
        ctx,
        actor,
        request.csrfToken ?? '',
        row?.expires_at ?? new Date(Date.now() + 3600_000),
      );
    },
  );

  app.get(
    '/auth/demo',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Whether demo mode is on, with suggested demo logins',
        response: { 200: DemoInfo },
      },
    },
    async () => {
      if (!ctx.config.demo) return { demo: false, logins: [] };
      const setting = await ctx.db
        .selectFrom('app_setting')
        .select('value')
        .where('key', '=', 'demo')
        .executeTakeFirst();
      const logins = Array.isArray(setting?.value.logins)
        ? (setting.value.logins as { email: string; name: string; role: string }[])
        : [];
      return { demo: true, logins };
    },
  );

  app.post(
    '/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change one’s own password (ends all sessions; sign in again)',
        body: ChangePasswordBody,
        response: { 200: Ok },
      },
    },
    async (request, reply) => {
      const actor = requireAccount(request);
      await changeOwnPassword(
        ctx.db,
        actor.accountId,
        request.body.currentPassword,
        request.body.newPassword,
      );
      clearSessionCookie(reply);
      return { ok: true as const };
    },
  );

  app.post(
    '/auth/password-reset',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with a reset link issued by an administrator',
        body: ResetPasswordBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await completePasswordReset(ctx.db, request.body.token, request.body.newPassword);
      return { ok: true as const };
    },
  );
};
