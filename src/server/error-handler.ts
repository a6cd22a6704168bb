import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode, type ErrorDetail } from './errors.js';
import { isDatabaseError } from './logging.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

/**
 * A database refusal caused by the value a client sent (a number past int4, text it can't store, a value too large
 * for an index, a check or reference that fails): the client's mistake, so a 4xx, never a 500. Schemas should catch
 * these first; this is the net under every route. Unique violations are races between writers (409).
 */
function databaseRefusal(code: string): { status: number; body: ErrorBody } | undefined {
  if (code === '23505') {
    return { status: 409, body: { error: { code: 'CONFLICT', message: 'the change conflicts with existing data' } } };
  }
  let message: string | undefined;
  if (code === '22003') message = 'a number in the request is out of range';
  else if (code === '22021' || code === '22P05' || code === '22P02') message = 'a value in the request is not valid';
  else if (code.startsWith('22')) message = 'a value in the request is not valid or out of range';
  else if (code === '54000') message = 'a value in the request is too large to store';
  else if (code === '23503' || code === '23514' || code === '23502') {
    message = 'a value in the request does not fit the data it refers to';
  }
  return message === undefined ? undefined : { status: 400, body: { error: { code: 'INVALID_VALUE', message } } };
}

/** Maps any thrown error to an HTTP status and a stable `{error: {code, message}}` body. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details.length > 0) body.error.details = error.details;
    return { status: error.status, body };
  }
  if (isDatabaseError(error)) {
    const refusal = databaseRefusal(error.code);
    if (refusal) return refusal;
  }
  if (error instanceof ZodError) {
    const details = zodDetails(error);
    return {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: `invalid input: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
          details,
        },
      },
    };
  }
  const fastifyError = error as FastifyError & { validation?: unknown; validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const details = fastifyError.validation.map((v) => ({
      path: `${fastifyError.validationContext ?? 'request'}${v.instancePath.replaceAll('/', '.')}`,
      message: v.message ?? 'is invalid',
    }));
    return {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: `invalid input: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
          details,
        },
      },
    };
  }
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status === 413) {
    return { status, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' } } };
  }
  if (status === 415) {
    return { status, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: fastifyError.message } } };
  }
  if (status === 429) {
    return { status, body: { error: { code: 'RATE_LIMITED', message: 'too many requests; try again shortly' } } };
  }
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx (bad JSON, empty body...) carry messages meant for the client.
    return { status, body: { error: { code: 'BAD_REQUEST', message: fastifyError.message } } };
  }
  return {
    status: ERROR_CODES.INTERNAL,
    body: { error: { code: 'INTERNAL', message: 'something went wrong on our side; it has been logged' } },
  };
}

/** Installs the single JSON error handler for the API. HTML pages install their own on top. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorBody(error);
    // The err serializer (logging.ts) keeps a database error's SQLSTATE only: never the values or the statement.
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else if (isDatabaseError(error)) request.log.warn({ err: error }, 'database refused a value from the request');
    else request.log.debug({ err: error }, 'request rejected');
    return reply.status(status).send(body);
  });
}
