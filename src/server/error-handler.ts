import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode, type ErrorDetail } from './errors.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

/** Maps any thrown error to an HTTP status and a stable `{error: {code, message}}` body. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details.length > 0) body.error.details = error.details;
    return { status: error.status, body };
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
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.debug({ err: error }, 'request rejected');
    return reply.status(status).send(body);
  });
}
