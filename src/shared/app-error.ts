/**
 * The one error type the server maps to HTTP. Services throw it; the error plugin presents it.
 * `details` carries field-level problems (a JSON path and a message each) for the client to show.
 */
export type AppErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

export interface FieldProblem {
  path: string;
  message: string;
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: FieldProblem[] | undefined;

  constructor(code: AppErrorCode, message: string, details?: FieldProblem[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

/** Shape of every error body the API returns. */
export interface ErrorBody {
  error: { code: AppErrorCode; message: string; details?: FieldProblem[]; requestId?: string };
}

/** A 400 naming the one field that is wrong: `invalidField('/body/validTo', 'must be after validFrom')`. */
export function invalidField(path: string, message: string): AppError {
  return new AppError('validation_failed', `${message}.`, [{ path, message }]);
}
