import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/app-error.js';
import { recordAudit, type RequestInfo } from '../../modules/access/access.service.js';
import { ANONYMOUS, type Actor } from '../../modules/access/access.types.js';
import { resolveApiToken, resolveSession } from '../../modules/accounts/accounts.service.js';
import { safeEqual } from '../../modules/accounts/secrets.js';
import type { AppContext } from '../context.js';

export const SESSION_COOKIE = 'cairn_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /** Digest id of the browser session, when the request came with one. */
    sessionId: string | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** The route answers without a signed-in actor (login, health, reset). */
    public?: boolean;
  }
}

/** Request details the audit log keeps. */
export function requestInfo(request: FastifyRequest): RequestInfo {
  return { ip: request.ip ?? null, requestId: String(request.id) };
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS. */
export function setSessionCookie(reply: FastifyReply, ctx: AppContext, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.cookieSecure ?? reply.request.protocol === 'https',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/**
 * Authentication and CSRF, before any route runs:
 * - `Authorization: Bearer cairn_pat_…` → the token's account (no CSRF: it is not an ambient credential);
 * - the session cookie → its account, with idle and absolute timeouts;
 * - state-changing requests on a session must echo the session's CSRF token in `X-CSRF-Token`;
 * - API routes not marked public refuse anonymous callers (401), and the refusal is audited.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null as never);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (request) => {
    request.actor = ANONYMOUS;
    const isApi = request.url.startsWith('/api/v1/');
    const authHeader = request.headers.authorization;
    if (authHeader) {
      const match = /^Bearer\s+(\S+)$/i.exec(authHeader);
      const actor = match ? await resolveApiToken(ctx.db, match[1]!) : null;
      if (!actor) {
        await recordAudit(
          ctx.db,
          ANONYMOUS,
          'auth.token',
          { type: 'api_token' },
          { allowed: false, reason: 'invalid, expired or revoked API token' },
          requestInfo(request),
        );
        throw new AppError('unauthenticated', 'The API token is invalid, expired or revoked.');
      }
      request.actor = actor;
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        const session = await resolveSession(ctx.db, ctx.config, cookie);
        if (session) {
          request.actor = session.actor;
          request.sessionId = session.sessionId;
          request.csrfToken = session.csrfToken;
        }
      }
    }

    if (!SAFE_METHODS.has(request.method) && (isApi || request.url.startsWith('/api/'))) {
      if (request.actor.kind === 'account' && request.actor.via === 'session') {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !request.csrfToken || !safeEqual(sent, request.csrfToken)) {
          await recordAudit(
            ctx.db,
            request.actor,
            'auth.csrf',
            { type: 'request', id: `${request.method} ${request.routeOptions.url ?? request.url}` },
            { allowed: false, reason: 'missing or wrong CSRF token' },
            requestInfo(request),
          );
          throw new AppError(
            'csrf_failed',
            `This request needs the ${CSRF_HEADER} header from GET /api/v1/auth/session. Reload the page and try again.`,
          );
        }
      } else if (request.actor.kind === 'anonymous') {
        // Without a session there is no token to check; refuse cross-site origins outright.
        const origin = request.headers.origin;
        if (origin && origin !== 'null') {
          const host = request.headers['x-forwarded-host'] ?? request.headers.host;
          let originHost: string | null;
          try {
            originHost = new URL(origin).host;
          } catch {
            originHost = null;
          }
          if (originHost !== host) throw new AppError('csrf_failed', 'Cross-site requests are not accepted.');
        }
      }
    }

    if (
      isApi &&
      request.actor.kind === 'anonymous' &&
      !request.routeOptions.config?.public &&
      // Only real API routes: the web app's static wildcard route also sees unknown /api paths,
      // which must end in the JSON 404, not a 401.
      request.routeOptions.url?.startsWith('/api/')
    ) {
      await recordAudit(
        ctx.db,
        ANONYMOUS,
        'auth.required',
        { type: 'route', id: `${request.method} ${request.routeOptions.url}` },
        { allowed: false, reason: 'not signed in' },
        requestInfo(request),
      );
      throw new AppError(
        'unauthenticated',
        'Sign in, or send a personal API token as Authorization: Bearer <token>.',
      );
    }
  });
}

/** The signed-in actor, or a 401 (for routes that are public but need an actor in a branch). */
export function requireAccount(request: FastifyRequest): Actor & { kind: 'account' } {
  if (request.actor.kind !== 'account') throw new AppError('unauthenticated', 'Sign in to continue.');
  return request.actor;
}
