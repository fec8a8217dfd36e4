import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError, type ErrorDetail, type ErrorKind } from '../errors.ts';

/** RFC 9457 problem details, as every error leaves Kontor. `code` is our extension member. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: ErrorDetail[];
  [member: string]: unknown;
};

const KINDS: Record<ErrorKind, { status: number; title: string }> = {
  bad_request: { status: 400, title: 'Bad request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rule_blocked: { status: 422, title: 'Blocked by a rule' },
  rate_limited: { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal server error' },
};

export function statusOf(kind: ErrorKind): number {
  return KINDS[kind].status;
}

export function problemOf(kind: ErrorKind, code: string, detail: string, errors?: ErrorDetail[]): Problem {
  const { status, title } = KINDS[kind];
  return {
    type: `urn:kontor:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

const CONTEXT_PREFIX: Record<string, string> = {
  body: '',
  querystring: 'query.',
  params: 'params.',
  headers: 'headers.',
};

function pathOf(instancePath: string, context: string | undefined): string {
  const inner = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const prefix = CONTEXT_PREFIX[context ?? 'body'] ?? '';
  return inner ? `${prefix}${inner}` : prefix.replace(/\.$/, '') || '(body)';
}

/** Turns any thrown error into problem+json. Never a stack trace, never an internal message. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof AppError) {
    return { ...error.extras?.members, ...problemOf(error.kind, error.code, error.message, error.details) };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext;
    return problemOf(
      'bad_request',
      'VALIDATION_FAILED',
      'The request is not valid; see errors for what is wrong where.',
      error.validation.map((v) => ({
        path: pathOf(v.instancePath, context),
        message: v.message ?? 'is invalid',
      })),
    );
  }
  if (error instanceof ZodError) {
    return problemOf(
      'bad_request',
      'VALIDATION_FAILED',
      'The request is not valid; see errors for what is wrong where.',
      error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
    );
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error.cause }, 'response did not match its schema');
    return problemOf('internal', 'INTERNAL', 'Something went wrong on our side. The error has been logged.');
  }
  const fe = error as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problemOf('bad_request', 'MALFORMED_JSON', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problemOf(
        'too_large',
        'BODY_TOO_LARGE',
        'The request body is larger than this endpoint accepts.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problemOf(
        'unsupported_media_type',
        'UNSUPPORTED_MEDIA_TYPE',
        'The request body has a content type this endpoint does not accept.',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problemOf(
        'bad_request',
        'INVALID_CONTENT_LENGTH',
        'The Content-Length header does not match the body.',
      );
    default:
      break;
  }
  if (fe.statusCode === 429) {
    return problemOf(
      'rate_limited',
      'RATE_LIMITED',
      'Too many requests; wait as long as Retry-After says and try again.',
    );
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // A framework-level client error (bad header, bad URL encoding, …): its message is safe.
    return {
      ...problemOf('bad_request', 'BAD_REQUEST', fe.message ?? 'Bad request.'),
      status: fe.statusCode,
    };
  }
  request.log.error({ err: error }, 'unhandled error');
  return problemOf('internal', 'INTERNAL', 'Something went wrong on our side. The error has been logged.');
}

export function registerProblemHandlers(
  app: FastifyInstance,
  options: { notFound?: (request: FastifyRequest, reply: FastifyReply) => unknown },
) {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError && error.extras?.headers) reply.headers(error.extras.headers);
    return sendProblem(reply, toProblem(error, request));
  });
  app.setNotFoundHandler((request, reply) => {
    if (options.notFound && request.method === 'GET' && !/^\/(api|public|portal)(\/|$)/.test(request.url)) {
      return options.notFound(request, reply);
    }
    return sendProblem(
      reply,
      problemOf(
        'not_found',
        'ROUTE_NOT_FOUND',
        `There is no ${request.method} ${request.url.split('?')[0]} here.`,
      ),
    );
  });
}
