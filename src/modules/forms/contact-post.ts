import type { FastifyRequest } from 'fastify';
import { FORM_LIMITS } from './forms.schema.js';
import type { RawSubmission, UploadedFile } from './submit-form.js';

/** What the page's form post asks: re-render with the fields the answers reveal, or send. */
export type PageAction = 'refresh' | 'submit';

const RESERVED = new Set(['_action', 'altcha', 'formToken', 'website', 'locale']);

function text(value: unknown, max: number): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : undefined;
}

/**
 * The contact page's own form post (application/x-www-form-urlencoded) as a submission: answers under the fields'
 * names, `context.*`, `formToken`, `website`; `_action` says whether to send or only re-render.
 */
export function readPagePost(body: unknown, locale: string): { action: PageAction; submission: RawSubmission } {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const answers: Record<string, unknown> = {};
  const context: NonNullable<RawSubmission['context']> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('context.')) {
      const key = name.slice('context.'.length);
      const v = text(value, 200);
      if (v === undefined || v === '') continue;
      if (key === 'revision' && /^\d{1,7}$/.test(v)) context.revision = Number(v);
      else if (key === 'article' || key === 'region' || key === 'query') context[key] = v;
    } else if (!RESERVED.has(name)) {
      answers[name] = value;
    }
  }
  const submission: RawSubmission = { locale, answers, context, files: [] };
  const formToken = text(fields.formToken, 500);
  if (formToken !== undefined) submission.formToken = formToken;
  const website = text(fields.website, 2000);
  if (website !== undefined) submission.website = website;
  const altcha = text(fields.altcha, 4000);
  if (altcha !== undefined) submission.altcha = altcha;
  return { action: text(fields._action, 20) === 'refresh' ? 'refresh' : 'submit', submission };
}

/** Limits of the page's multipart post (@fastify/multipart, registered on the contact pages only). */
export const PAGE_MULTIPART_LIMITS = {
  fieldNameSize: 100,
  fieldSize: FORM_LIMITS.answerText * 4, // bytes: 20,000 characters of up to 4 bytes
  fields: 200,
  fileSize: FORM_LIMITS.fileBytes,
  files: FORM_LIMITS.filesPerSubmission,
  parts: 210,
} as const;

/**
 * The page post of a request (see readPagePost): urlencoded, or multipart when the form has a file field (files
 * read into memory up to their limit; an oversized one is cut and marked `truncated`, which submitForm refuses).
 */
export async function readPageRequest(
  request: FastifyRequest,
  locale: string,
): Promise<{ action: PageAction; submission: RawSubmission }> {
  if (!request.isMultipart()) return readPagePost(request.body, locale);
  const fields: Record<string, string | string[]> = {};
  const files: UploadedFile[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const data = await part.toBuffer().catch((error: unknown) => {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return null;
        throw error;
      });
      if (part.filename === '') continue;
      files.push({
        field: part.fieldname,
        filename: part.filename.slice(0, 255),
        declaredType: part.mimetype,
        data: data ?? Buffer.alloc(0),
        truncated: data === null || part.file.truncated,
      });
    } else if (typeof part.value === 'string') {
      const known = fields[part.fieldname];
      if (known === undefined) fields[part.fieldname] = part.value;
      else fields[part.fieldname] = [...(Array.isArray(known) ? known : [known]), part.value];
    }
  }
  const read = readPagePost(fields, locale);
  read.submission.files = files;
  return read;
}
