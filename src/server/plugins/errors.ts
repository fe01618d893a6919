import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError, HTTP_STATUS, type AppErrorCode, type FieldProblem } from '../../shared/app-error.js';

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
}

/** Turns a schema validation failure into field paths like `/body/email`. */
export function validationProblems(error: FastifyError): FieldProblem[] {
  const context = error.validationContext ?? 'body';
  // One problem per field path: a nullable (union) field fails once per branch plus once for the
  // union itself; those messages are merged ("must be string or must be null").
  const byPath = new Map<string, string[]>();
  for (const issue of (error.validation ?? []) as AjvIssue[]) {
    let path = `/${context}${issue.instancePath ?? ''}`;
    if (issue.params?.missingProperty) path += `/${issue.params.missingProperty}`;
    if (issue.params?.additionalProperty) path += `/${issue.params.additionalProperty}`;
    const messages = byPath.get(path) ?? [];
    const message = issue.message ?? 'is invalid';
    if (!messages.includes(message)) messages.push(message);
    byPath.set(path, messages);
  }
  return [...byPath].map(([path, messages]) => {
    const specific = messages.filter((m) => !/^must match (a|exactly one) schema in (anyOf|oneOf)$/.test(m));
    return { path, message: (specific.length > 0 ? specific : messages).join(' or ') };
  });
}

function send(reply: FastifyReply, code: AppErrorCode, message: string, details?: FieldProblem[]) {
  const body = {
    error: { code, message, requestId: String(reply.request.id), ...(details ? { details } : {}) },
  };
  return reply.status(HTTP_STATUS[code]).type('application/json').send(body);
}

/** Maps every error to one JSON shape, once. Stack traces never reach the client. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.code === 'internal') request.log.error({ err: error }, error.message);
      return send(reply, error.code, error.message, error.details);
    }
    if (error.validation) {
      const details = validationProblems(error);
      const first = details[0];
      return send(
        reply,
        'validation_failed',
        first ? `Invalid request: ${first.path} ${first.message}` : 'Invalid request',
        details,
      );
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(
          reply,
          'payload_too_large',
          `The request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes.`,
        );
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(
          reply,
          'unsupported_media_type',
          `Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted; send application/json.`,
        );
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, 'validation_failed', 'The request body is empty; send a JSON object.', [
          { path: '/body', message: 'is empty' },
        ]);
    }
    if (error.statusCode === 429) {
      return send(
        reply,
        'rate_limited',
        error.message || 'Too many requests; slow down and try again shortly.',
      );
    }
    if (error instanceof SyntaxError || (error.statusCode === 400 && error.code?.startsWith('FST_ERR_CTP'))) {
      return send(reply, 'validation_failed', `The request body is not valid JSON: ${error.message}`, [
        { path: '/body', message: 'is not valid JSON' },
      ]);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const code: AppErrorCode =
        error.statusCode === 404 ? 'not_found' : error.statusCode === 403 ? 'forbidden' : 'validation_failed';
      return send(reply, code, error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(
      reply,
      'internal',
      'Something went wrong on the server. The request id identifies it in the server log.',
    );
  });
}

/** JSON 404 for unknown API paths. */
export function sendNotFound(reply: FastifyReply): unknown {
  return send(reply, 'not_found', `No route for ${reply.request.method} ${reply.request.url.split('?')[0]}.`);
}
