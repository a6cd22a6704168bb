import { gunzip } from 'node:zlib';
import cors from '@fastify/cors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { toErrorBody } from '../../server/error-handler.js';
import { AppError } from '../../server/errors.js';
import { LIMITS } from '../../shared/limits.js';
import { type InboundMessage, ZBatchRequest, ZCollectResponse, ZSingleMessages } from './events.schema.js';
import type { EventsService } from './events-service.js';
import { nestsDeeperThan } from './normalize-message.js';
import type { Source } from './write-key-cache.js';

const RETRY_AFTER_S = '1';
const SINGLE_TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const;

declare module 'fastify' {
  interface FastifyRequest {
    eventSource?: Source;
  }
}

function gunzipLimited(body: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxOutputLength stops a small "zip bomb" from inflating into memory beyond the limit.
    gunzip(body, { maxOutputLength: limit + 1 }, (error, result) => {
      if (error) {
        const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        reject(
          tooLarge
            ? new AppError('PAYLOAD_TOO_LARGE', `the decompressed body is larger than ${limit} bytes`)
            : new AppError('BAD_REQUEST', 'the body is not valid gzip'),
        );
      } else resolve(result);
    });
  });
}

function limitFor(request: FastifyRequest): number {
  return request.url.startsWith('/v1/batch') ? LIMITS.eventBatchBytes : LIMITS.eventMessageBytes;
}

function sizeMessage(request: FastifyRequest): string {
  return request.url.startsWith('/v1/batch')
    ? `a batch may be at most ${LIMITS.eventBatchBytes} bytes (500 KB), each message at most ${LIMITS.eventMessageBytes} bytes`
    : `a message may be at most ${LIMITS.eventMessageBytes} bytes (32 KB); send more through /v1/batch`;
}

/** The write key from HTTP Basic auth (as the user name, Segment's way) or from `writeKey` in the body. */
function writeKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
    if (match) {
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const key = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
      if (key) return key;
    }
  }
  const body = request.body as { writeKey?: unknown } | undefined;
  return typeof body?.writeKey === 'string' && body.writeKey.length > 0 ? body.writeKey : undefined;
}

/**
 * The Segment-compatible collector: POST /v1/track, /v1/page, /v1/screen, /v1/identify, /v1/group, /v1/alias and
 * /v1/batch, with write keys, gzip bodies, CORS for browsers, Segment's size limits and messageId deduplication.
 */
export function collectorRoutes(events: EventsService): FastifyPluginAsyncZod {
  return async (app) => {
    const corsOptions = {
      origin: events.config.corsOrigins === '*' ? '*' : events.config.corsOrigins,
      methods: ['POST', 'OPTIONS'],
      allowedHeaders: ['Content-Type', 'Authorization', 'Content-Encoding'],
      maxAge: 86_400,
    };
    // The plugin's preflight route is OPTIONS * (every path of the server): CORS is granted to /v1/* alone.
    await app.register(cors, {
      delegator: (request, callback) =>
        callback(null, request.url.startsWith('/v1/') ? corsOptions : { origin: false }),
    });

    // Our own parser: gzip bodies, text/plain from navigator.sendBeacon, and JSON errors that say what is wrong.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      ['application/json', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: LIMITS.eventBatchBytes },
      async (request: FastifyRequest, raw: Buffer) => {
        const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
        const limit = limitFor(request);
        let body = raw;
        if (encoding === 'gzip') body = await gunzipLimited(raw, limit);
        else if (encoding !== 'identity') {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${encoding}" is not supported; use gzip`);
        }
        if (body.length > limit) throw new AppError('PAYLOAD_TOO_LARGE', sizeMessage(request));
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch (error) {
          throw new AppError('BAD_REQUEST', `the body is not valid JSON: ${(error as Error).message}`);
        }
        // Checked here, before anything recursive (schemas, JSON.stringify, the database's JSON parser) sees it.
        if (nestsDeeperThan(parsed, LIMITS.eventJsonDepth)) {
          throw new AppError(
            'VALIDATION_FAILED',
            `the body nests JSON objects and arrays more than ${LIMITS.eventJsonDepth} levels deep`,
          );
        }
        return parsed;
      },
    );

    app.setErrorHandler((error, request, reply) => {
      const { status, body } = toErrorBody(error);
      if (status === 413) body.error.message = sizeMessage(request);
      if (status >= 500) request.log.error({ err: error }, 'collector request failed');
      if (status === 503) reply.header('retry-after', RETRY_AFTER_S);
      return reply.status(status).send({ success: false, ...body });
    });

    // Requests in the server, so the service can tell a server that is behind from one long write on an idle one.
    app.addHook('onResponse', async (request) => events.requestEnded(request));
    app.addHook('onRequestAbort', async (request) => events.requestEnded(request));

    // Under overload, refuse before reading the body: the cheapest answer, and memory stays flat.
    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'POST') return;
      if (!events.isOverloaded()) {
        events.requestStarted(request);
        return;
      }
      reply.header('retry-after', RETRY_AFTER_S);
      return reply.status(503).send({
        success: false,
        error: { code: 'UNAVAILABLE', message: 'the collector is at capacity; retry after the Retry-After delay' },
      });
    });

    // Authenticate before validating, so a request with a bad key learns that first.
    app.addHook('preValidation', async (request) => {
      const key = writeKeyOf(request);
      if (!key) {
        throw new AppError(
          'UNAUTHENTICATED',
          'send a write key as the HTTP Basic user name, or as "writeKey" in the body',
        );
      }
      const source = await events.keys.authenticate(key);
      if (!source) throw new AppError('UNAUTHENTICATED', 'the write key is not valid or has been revoked');
      request.eventSource = source;
    });

    async function answer(
      request: FastifyRequest,
      reply: FastifyReply,
      messages: InboundMessage[],
      batch?: { sentAt?: string | number | null | undefined; context?: Record<string, unknown> | undefined },
    ) {
      const outcome = await events.collect({
        messages,
        source: request.eventSource!,
        headers: request.headers,
        requestIp: request.ip,
        waitedMs: reply.elapsedTime,
        batchSentAt: batch?.sentAt,
        batchContext: batch?.context,
      });
      if (!outcome.ok) throw new AppError('UNAVAILABLE', outcome.message);
      return reply.status(200).send(outcome.body);
    }

    const responses = { 200: ZCollectResponse };

    for (const type of SINGLE_TYPES) {
      app.post(
        `/v1/${type}`,
        {
          bodyLimit: LIMITS.eventBatchBytes,
          // We inflate gzip ourselves, with a cap on the inflated size.
          decompress: false,
          schema: {
            tags: ['events'],
            summary: `Segment-compatible ${type} call`,
            body: ZSingleMessages[type],
            response: responses,
          },
        },
        async (request, reply) => answer(request, reply, [{ ...request.body, type } as InboundMessage]),
      );
    }

    app.post(
      '/v1/batch',
      {
        bodyLimit: LIMITS.eventBatchBytes,
        decompress: false,
        schema: {
          tags: ['events'],
          summary: 'Segment-compatible batch of messages of any type',
          body: ZBatchRequest,
          response: responses,
        },
      },
      async (request, reply) =>
        answer(request, reply, request.body.batch, { sentAt: request.body.sentAt, context: request.body.context }),
    );
  };
}
