import type { ErrorBody, FieldProblem } from '../../shared/app-error.js';

/**
 * The browser's client for Cairn's JSON API: same-origin requests with the session cookie, the
 * CSRF token on every state-changing request, and the API's error body turned into an `ApiError`
 * whose message a person can act on.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SESSION_PATH = '/api/v1/auth/session';

let csrfToken: string | null = null;

/** Keeps the session's CSRF token (from GET /auth/session or the login response). */
export function rememberCsrfToken(token: string | null): void {
  csrfToken = token || null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldProblem[];
  readonly requestId: string | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    details: FieldProblem[] = [],
    requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }

  /**
   * Field problems keyed by the form field they belong to: `/body/newPassword` → `newPassword`.
   * Several problems on one field are joined.
   */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const problem of this.details) {
      const field = fieldOf(problem.path);
      if (!field) continue;
      out[field] = out[field] ? `${out[field]}; ${problem.message}` : problem.message;
    }
    return out;
  }
}

function fieldOf(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'body' || parts[0] === 'query' || parts[0] === 'params') parts.shift();
  return parts[0] ?? null;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** A readable message for any error a query or mutation may throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    return error.status >= 500 && error.requestId
      ? `${error.message} (request id ${error.requestId})`
      : error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export type QueryValue = string | number | boolean | null | undefined;

function withQuery(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method)) {
    if (!csrfToken && !path.startsWith('/api/v1/auth/')) await refreshCsrfToken();
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'network',
      'Cannot reach the Cairn server. Check that it is running and try again.',
    );
  }

  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (response.ok) return parsed as T;

  if (isErrorBody(parsed)) {
    const { code, message, details, requestId } = parsed.error;
    // The session's token changes when a person signs in again in another tab: fetch it and retry once.
    if (code === 'csrf_failed' && !retried && !path.startsWith('/api/v1/auth/')) {
      await refreshCsrfToken();
      return send<T>(method, path, body, true);
    }
    throw new ApiError(response.status, code, message, details ?? [], requestId);
  }
  throw new ApiError(
    response.status,
    'http_error',
    `The server answered ${response.status} ${response.statusText || ''}`.trim() + ' without an explanation.',
  );
}

async function refreshCsrfToken(): Promise<void> {
  try {
    const session = await send<{ csrfToken: string }>('GET', SESSION_PATH);
    rememberCsrfToken(session.csrfToken);
  } catch {
    rememberCsrfToken(null);
  }
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>) => send<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => send<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => send<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => send<T>('PUT', path, body),
  delete: <T>(path: string) => send<T>('DELETE', path),
};
