import type { FastifyLoggerOptions, FastifyRequest } from 'fastify';
import { networkOf } from '../shared/client-network.js';

/** A PostgreSQL error (from pg or PGlite): a five-character SQLSTATE and the server's severity. */
export interface DatabaseErrorLike {
  code: string;
  severity?: string;
  routine?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

/** An error as a log line holds it (the shape Fastify's logger types ask for). */
export interface SerializedError {
  type: string;
  message: string;
  stack: string;
  [key: string]: unknown;
}

/** True for an error raised by the database server (not by our code or the driver). */
export function isDatabaseError(error: unknown): error is Error & DatabaseErrorLike {
  if (!(error instanceof Error)) return false;
  const { code, severity } = error as Partial<DatabaseErrorLike>;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}

/**
 * What the log keeps of an error. A database error's message quotes the value it refused and PGlite attaches the
 * statement and its parameters (readers' text), so only its SQLSTATE and the schema object it names are kept; the
 * full error goes to debug level at most (see the error handler).
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (isDatabaseError(error)) {
    return {
      type: 'DatabaseError',
      message: `the database refused a statement (SQLSTATE ${error.code})`,
      stack: '',
      code: error.code,
      routine: error.routine,
      constraint: error.constraint,
      table: error.table,
      column: error.column,
    };
  }
  if (!(error instanceof Error)) return { type: typeof error, message: '', stack: '' };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    stack: error.stack ?? '',
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.cause !== undefined && depth < 3 ? { cause: serializeError(error.cause, depth + 1) } : {}),
  };
}

/**
 * The request as the log keeps it: the client's network (IPv4 /24, IPv6 /64), never its address, and the path
 * without the query string (what readers typed in search lives there), unless full URLs are asked for.
 */
export function serializeRequest(request: FastifyRequest, fullUrls: boolean): Record<string, unknown> {
  const url = fullUrls ? request.url : (request.url.split('?')[0] ?? '');
  return { method: request.method, url, client: request.ip ? networkOf(request.ip) : undefined };
}

/** Pino options for the server: level, privacy-keeping serializers, and an optional destination (tests). */
export function loggerOptions(options: { level: string; fullUrls: boolean; stream?: LogStream | undefined }): {
  level: string;
  serializers: {
    req: (request: FastifyRequest) => Record<string, unknown>;
    err: (error: unknown) => SerializedError;
  };
  stream?: LogStream;
} {
  return {
    level: options.level,
    serializers: {
      req: (request: FastifyRequest) => serializeRequest(request, options.fullUrls),
      err: (error: unknown) => serializeError(error),
    },
    ...(options.stream ? { stream: options.stream } : {}),
  };
}

/** Where log lines go instead of stdout (tests capture them). */
export type LogStream = NonNullable<FastifyLoggerOptions['stream']>;
