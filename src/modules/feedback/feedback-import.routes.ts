import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { LIMITS } from '../../shared/limits.js';
import { auditActorOf } from '../accounts/index.js';
import { checkVoteRecords, importVotes, type ReadVotesResult, readVotes } from './import-votes.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const errors = {
  400: ZErrorResponse,
  401: ZErrorResponse,
  403: ZErrorResponse,
  413: ZErrorResponse,
  415: ZErrorResponse,
};

/** Errors one answer lists (the counts cover all of them). */
const ERRORS_SHOWN = 100;
const JSON_LINES_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'];

/** One vote of the JSON body; each is checked on its own, so a bad one fails alone (reported by its index + 1). */
const ZVoteImportItem = z
  .record(z.string().max(40), z.unknown())
  .describe(
    'id (text, 1-90), article (slug), locale, helpful (true/false), reason (one of the vote reasons, or empty), ' +
      'comment, createdAt (ISO date), revision (number, optional: default the revision live in that locale then)',
  );

export const ZVoteImportRequest = z.union([
  z.string().describe('text/csv with a header row, or application/x-ndjson: one vote per line'),
  z.object({ votes: z.array(ZVoteImportItem) }),
]);

export const ZVoteImportResponse = z.object({
  imported: z.number().int(),
  unchanged: z.number().int().describe('votes whose id was imported before: left as they are'),
  failed: z.number().int(),
  errors: z
    .array(z.object({ line: z.number().int(), message: z.string() }))
    .describe(`the first ${ERRORS_SHOWN} failed lines (CSV: the file's line; JSON: the vote's position from 1)`),
});

/** Operators' import of votes from another help center (the CLI's `import votes` over HTTP). */
export function feedbackImportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // The export's own formats, read as text; JSON keeps Fastify's parser with this route's larger limit.
    app.addContentTypeParser(
      ['text/csv', ...JSON_LINES_TYPES],
      { parseAs: 'string', bodyLimit: LIMITS.voteImportBytes },
      (_request, body, done) => done(null, body),
    );

    app.post(
      '/api/feedback/votes/import',
      {
        bodyLimit: LIMITS.voteImportBytes,
        preHandler: requirePermission(ctx.auth, 'feedback.import'),
        schema: {
          tags: ['insights'],
          summary:
            'Import votes with their dates from another help center: CSV, JSON lines or {votes}; idempotent on id ' +
            `(operator; at most ${LIMITS.voteImportRows} votes and ${LIMITS.voteImportBytes / 1024 / 1024} MiB)`,
          security: [{ bearer: [] }],
          body: ZVoteImportRequest,
          response: { 200: ZVoteImportResponse, ...errors },
        },
      },
      async (request) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        let read: ReadVotesResult;
        const body = request.body;
        if (typeof body === 'string') {
          const format = type === 'text/csv' ? 'csv' : JSON_LINES_TYPES.includes(type) ? 'jsonl' : null;
          if (format === null) {
            throw new AppError(
              'UNSUPPORTED_MEDIA_TYPE',
              'send votes as text/csv, application/x-ndjson or application/json {"votes": [...]}',
            );
          }
          read = readVotes(body, format);
        } else {
          read = checkVoteRecords(body.votes.map((values, i) => ({ line: i + 1, values })));
        }
        const rows = read.rows.length + read.problems.length;
        if (rows > LIMITS.voteImportRows) {
          throw new AppError(
            'PAYLOAD_TOO_LARGE',
            `${rows} votes in one request; send at most ${LIMITS.voteImportRows} per request`,
          );
        }
        if (rows === 0) throw new AppError('VALIDATION_FAILED', 'no votes in the request');
        const result = await importVotes(ctx.db, read, {
          actor: auditActorOf(request),
          origin: 'api',
          jobs: ctx.jobs,
        });
        return { ...result, errors: result.errors.slice(0, ERRORS_SHOWN) };
      },
    );
  };
}
