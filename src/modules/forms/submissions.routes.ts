import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { trackingIdentity } from '../events/index.js';
import { createFormChallenge, ZFormChallenge } from './challenge.js';
import { FORM_LIMITS, ZFormKey, ZSubmissionCreated, ZSubmissionRequest } from './forms.schema.js';
import { RateLimitExceeded } from './rate-budget.js';
import { readAttachment } from './read-attachment.js';
import { MULTIPART_LIMITS, readSubmission } from './read-submission.js';
import { submitForm } from './submit-form.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string(), field: z.string().optional() })).optional(),
  }),
});
const errors = {
  400: ZErrorResponse,
  401: ZErrorResponse,
  403: ZErrorResponse,
  404: ZErrorResponse,
  406: ZErrorResponse,
  413: ZErrorResponse,
  415: ZErrorResponse,
  429: ZErrorResponse,
};

/** A form post's fields (urlencoded); multipart bodies are read from the stream and leave `body` empty. */
const ZFormPost = z.record(z.string().max(200), z.union([z.string(), z.array(z.string())]));

/**
 * JSON bodies carry files as base64 (4/3 of their bytes): the largest attachments of one submission and the text
 * around them. Multipart bodies are limited by MULTIPART_LIMITS instead.
 */
const SUBMISSION_BODY_LIMIT = Math.ceil((FORM_LIMITS.submissionFileBytes * 4) / 3) + 1024 * 1024; // ~27.7 MiB

const ZId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * Submitting a contact form (public: JSON, urlencoded or multipart), its proof-of-work challenge, and the operators'
 * attachment download. The handler reads the body and calls submitForm, which owns every check and effect.
 */
export function submissionsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Scoped to this plugin: no other route accepts multipart bodies.
    await app.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: false });

    app.get(
      '/api/forms/challenge',
      {
        schema: {
          tags: ['forms'],
          summary: 'A proof-of-work challenge (ALTCHA) to solve before submitting a form (public; 20 minutes, one use)',
          response: { 200: ZFormChallenge },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'no-store');
        return createFormChallenge(ctx.keys.forms);
      },
    );

    app.post(
      '/api/forms/:key/submissions',
      {
        bodyLimit: SUBMISSION_BODY_LIMIT,
        schema: {
          tags: ['forms'],
          summary:
            'Submit a contact form: files a ticket and answers its reference (public; JSON, form post or multipart)',
          params: z.object({ key: ZFormKey }),
          body: z.union([ZSubmissionRequest, ZFormPost]).nullish(),
          response: { 201: ZSubmissionCreated, ...errors },
        },
      },
      async (request, reply) => {
        const submission = await readSubmission(request);
        let outcome: Awaited<ReturnType<typeof submitForm>>;
        try {
          outcome = await submitForm(ctx, request.params.key, submission, {
            ip: request.ip,
            readerId: trackingIdentity(request).anonymousId,
          });
        } catch (error) {
          if (error instanceof RateLimitExceeded) reply.header('retry-after', String(error.retryAfterSeconds));
          throw error;
        }
        if (outcome.kind === 'invalid') {
          throw new AppError(
            'VALIDATION_FAILED',
            outcome.problems.map((p) => `${p.field}: ${p.message}`).join(' '),
            outcome.problems.map((p) => ({ path: `answers.${p.field}`, field: p.field, message: p.message })),
          );
        }
        return reply
          .code(201)
          .send({ reference: outcome.reference, locale: submission.locale, message: outcome.message });
      },
    );

    app.get(
      '/api/tickets/:id/attachments/:attachmentId',
      {
        preHandler: requirePermission(ctx.auth, 'tickets.read'),
        schema: {
          tags: ['tickets'],
          summary: "Download a ticket's attachment (operator; always as a download, never shown inline)",
          security: [{ bearer: [] }],
          params: z.object({ id: ZId, attachmentId: ZId }),
          response: { 200: z.instanceof(Buffer), ...errors },
        },
      },
      async (request, reply) => {
        const file = await readAttachment(ctx.db, request.params.id, request.params.attachmentId);
        if (!file) throw notFound(`attachment ${request.params.attachmentId} of ticket ${request.params.id}`);
        // Whatever the bytes are, the browser saves them: no rendering, no sniffing, no scripts, no caching.
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeRFC5987(file.filename)}`)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "sandbox; default-src 'none'")
          .header('cache-control', 'private, no-store')
          .header('content-length', String(file.data.length))
          .send(file.data);
      },
    );
  };
}

/** A file name for `filename*=UTF-8''…` (RFC 5987): percent-encoded, including the characters it reserves. */
function encodeRFC5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
