import type { FastifyRequest } from 'fastify';
import type { RawSubmission } from './submit-form.js';

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

/** The page post of a request (see readPagePost). */
export async function readPageRequest(
  request: FastifyRequest,
  locale: string,
): Promise<{ action: PageAction; submission: RawSubmission }> {
  return readPagePost(request.body, locale);
}
