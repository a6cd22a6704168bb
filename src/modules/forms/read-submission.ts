import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../server/errors.js';
import { FORM_LIMITS, ZSubmissionRequest } from './forms.schema.js';
import type { RawSubmission, UploadedFile } from './submit-form.js';

/** Names a form post uses for everything but answers (`_action` is the page's own: refresh or submit). */
const META_FIELDS = new Set(['locale', 'altcha', 'formToken', 'website', '_action']);
const CONTEXT_PREFIX = 'context.';

/** Multipart limits: a file's bytes and count from FORM_LIMITS; a text part holds one answer at most (4 bytes/char). */
export const MULTIPART_LIMITS = {
  fileSize: FORM_LIMITS.fileBytes,
  files: FORM_LIMITS.filesPerSubmission,
  fields: 500,
  fieldSize: FORM_LIMITS.answerText * 4 + 16,
  fieldNameSize: 100,
  parts: 520,
  headerPairs: 100,
} as const;

/** Base64 characters of the largest file a JSON submission may carry. */
const MAX_BASE64 = Math.ceil(FORM_LIMITS.fileBytes / 3) * 4;

/** A file answer in JSON: `{ filename, contentType, data: <base64> }`. */
const ZJsonFile = z.object({
  filename: z.string().min(1).max(1000),
  contentType: z.string().max(200).optional(),
  data: z.string(),
});

/** A form post's fields as @fastify/formbody or the multipart reader give them. */
export type FormFields = Record<string, string | string[] | undefined>;

/** One value of a form post's field (the first, when repeated). */
function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function tooManyAnswers(): AppError {
  return new AppError('VALIDATION_FAILED', `a submission answers at most ${FORM_LIMITS.fields} fields`, [
    { path: 'answers', message: `at most ${FORM_LIMITS.fields} answers` },
  ]);
}

/**
 * A form post (urlencoded or multipart) as a submission: each answer by its field name (checkboxes repeated),
 * `locale`, `context.article|revision|region|query`, `altcha`, `formToken`, `website`. Parsed with the JSON
 * submission's schema, so both have the same limits. The page without JavaScript uses it for its own posts.
 */
export function submissionFromFormFields(fields: FormFields, files: UploadedFile[] = []): RawSubmission {
  const answers: Record<string, string | string[]> = {};
  const context: Record<string, string | number> = {};
  let count = 0;
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || META_FIELDS.has(name)) continue;
    if (name.startsWith(CONTEXT_PREFIX)) {
      const key = name.slice(CONTEXT_PREFIX.length);
      const text = first(value);
      if (text === undefined || text === '') continue;
      if (key === 'revision') {
        if (/^\d{1,7}$/.test(text)) context.revision = Number(text);
      } else if (key === 'article' || key === 'region' || key === 'query') {
        context[key] = text;
      }
      continue;
    }
    if (++count > FORM_LIMITS.fields) throw tooManyAnswers();
    answers[name] = value;
  }
  const parsed = ZSubmissionRequest.parse({
    locale: first(fields.locale) ?? '',
    answers,
    context,
    altcha: first(fields.altcha) || undefined,
    formToken: first(fields.formToken) || undefined,
    website: first(fields.website) || undefined,
  });
  return withoutUndefined({ ...parsed, files });
}

/** A JSON submission: its file answers (base64) become uploads, so every body type reaches submitForm alike. */
export function submissionFromJson(body: unknown): RawSubmission {
  const parsed = ZSubmissionRequest.parse(body);
  if (Object.keys(parsed.answers).length > FORM_LIMITS.fields) {
    throw tooManyAnswers();
  }
  const answers: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for (const [name, value] of Object.entries(parsed.answers)) {
    const file = value !== null && typeof value === 'object' && 'data' in value ? ZJsonFile.safeParse(value) : null;
    if (!file) {
      answers[name] = value;
      continue;
    }
    if (!file.success || !/^[A-Za-z0-9+/=_-]*$/.test(file.data.data.slice(0, 64))) {
      throw new AppError('VALIDATION_FAILED', `answers.${name}: a file is { filename, contentType, data: base64 }`, [
        { path: `answers.${name}`, field: name, message: 'a file is { filename, contentType, data: base64 }' },
      ]);
    }
    if (files.length >= FORM_LIMITS.filesPerSubmission) {
      throw new AppError('PAYLOAD_TOO_LARGE', `a submission carries at most ${FORM_LIMITS.filesPerSubmission} files`);
    }
    const { data, filename, contentType } = file.data;
    const truncated = data.length > MAX_BASE64;
    files.push({
      field: name,
      filename,
      declaredType: contentType ?? 'application/octet-stream',
      data: Buffer.from(truncated ? data.slice(0, MAX_BASE64) : data, 'base64'),
      truncated,
    });
  }
  return withoutUndefined({ ...parsed, answers, files });
}

function withoutUndefined(submission: RawSubmission): RawSubmission {
  const out: RawSubmission = { locale: submission.locale, answers: submission.answers, files: submission.files };
  if (submission.context && Object.keys(submission.context).length > 0) out.context = submission.context;
  if (submission.altcha) out.altcha = submission.altcha;
  if (submission.formToken) out.formToken = submission.formToken;
  if (submission.website !== undefined) out.website = submission.website;
  return out;
}

/**
 * Reads a submission from any body the route accepts: multipart (files; the multipart plugin registered in the
 * route's scope with MULTIPART_LIMITS), urlencoded (@fastify/formbody) or JSON. A file past its byte limit is read
 * up to the limit and marked truncated, so the reader is told which field is too large; past the file count or any
 * other multipart limit the request is refused with 413.
 */
export async function readSubmission(request: FastifyRequest): Promise<RawSubmission> {
  if (request.isMultipart()) {
    const fields: Record<string, string | string[]> = {};
    const files: UploadedFile[] = [];
    try {
      for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          // A browser sends an empty part for a file input left empty.
          const filename = typeof part.filename === 'string' ? part.filename : '';
          if (filename === '' && data.length === 0) continue;
          files.push({
            field: part.fieldname,
            filename: filename || 'attachment',
            declaredType: part.mimetype,
            data,
            truncated: part.file.truncated,
          });
          continue;
        }
        const value = typeof part.value === 'string' ? part.value : String(part.value);
        const previous = fields[part.fieldname];
        if (previous === undefined) fields[part.fieldname] = value;
        else if (Array.isArray(previous)) previous.push(value);
        else fields[part.fieldname] = [previous, value];
      }
    } catch (error) {
      // The plugin's own refusals (limits: 413) say what was wrong; busboy's parse errors carry no status.
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) throw error;
      throw new AppError('BAD_REQUEST', 'the multipart body is malformed', [], { cause: error });
    }
    return submissionFromFormFields(fields, files);
  }
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return submissionFromFormFields((request.body ?? {}) as FormFields);
  }
  return submissionFromJson(request.body);
}
