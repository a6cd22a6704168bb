import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { networkOf } from '../../shared/client-network.js';
import { predict } from '../classify/index.js';
import { spendSolution, type VerifiedSolution, verifyFormSolution } from './challenge.js';
import { fileFormTicket, type SubmissionAttachment } from './file-ticket.js';
import {
  type AnswerProblem,
  type Answers,
  type AnswerValue,
  DEFAULT_MAX_FILE_BYTES,
  type FormDefinition,
  type FormField,
  localized,
  normalizeAnswer,
  validateAnswers,
} from './form-logic.js';
import { problemMessage } from './form-messages.js';
import { checkFormToken } from './form-token.js';
import { loadCurrentForm } from './forms.queries.js';
import { FORM_LIMITS } from './forms.schema.js';
import type { SubmissionPrediction } from './forms.tables.js';
import { extensionFits, type InspectedUpload, inspectUpload } from './inspect-upload.js';
import { RateLimitExceeded, takeRateBudget } from './rate-budget.js';

/** A file as the reader uploaded it (multipart part, or base64 in JSON). */
export interface UploadedFile {
  field: string;
  filename: string;
  declaredType: string;
  data: Buffer;
  /** The upload went past the per-file byte limit and was cut there (`data` is incomplete). */
  truncated?: boolean | undefined;
}

/** A submission as read from any request body (JSON, urlencoded, multipart), not yet trusted. */
export interface RawSubmission {
  locale: string;
  answers: Record<string, unknown>;
  context?: { article?: string; revision?: number; region?: string; query?: string };
  altcha?: string;
  formToken?: string;
  website?: string;
  files: UploadedFile[];
}

/** Who sent it: the address (for the network budget) and the tracking id (for "Ticket Created"), if any. */
export interface SubmissionClient {
  ip: string;
  readerId: string | null;
}

export type SubmitOutcome =
  | { kind: 'filed'; reference: string; ticketId: number; message: string }
  | { kind: 'invalid'; problems: { field: string; message: string }[] };

/** Rate-limit scopes in rate_limit_buckets. */
export const NETWORK_SCOPE = 'forms.network';
export const FORM_SCOPE = 'forms.form';

const SUBJECT_MAX = 300;
const BODY_MAX = 20_000;

/** The confirmation when the form has none, in the languages the form messages speak. */
const DEFAULT_CONFIRMATION: Record<string, string> = {
  en: 'Thank you. We received your request and will answer by email.',
  es: 'Gracias. Hemos recibido tu solicitud y te responderemos por correo electrónico.',
  ar: 'شكرًا لك. استلمنا طلبك وسنرد عليك عبر البريد الإلكتروني.',
  he: 'תודה. קיבלנו את פנייתך ונשיב לך בדוא"ל.',
  ja: 'ありがとうございます。お問い合わせを受け付けました。メールでご返信いたします。',
  ru: 'Спасибо. Мы получили ваш запрос и ответим по электронной почте.',
};

/** A keyed hash of the client's network (/24, /64) for the forms' budgets and records; never the address. */
export function formsNetworkKey(key: Buffer, ip: string): string {
  return createHmac('sha256', key)
    .update(`forms:${networkOf(ip)}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/**
 * Files a contact-form submission as a ticket, the same for the API and the page without JavaScript: the form's
 * current version, answers normalised and validated (hidden fields' answers stripped, required-if enforced), files
 * checked by their content, hidden fields filled from the reader's context, the classifier's prediction, then the
 * abuse checks (honeypot, proof of work or render token, rate limits per network and per form, counted only for
 * valid submissions) and one transaction for the ticket and everything with it. After commit: 'ticket.filed' on the
 * bus, the job runner woken (categorisation, help-desk forwarding), the "Ticket Created" event.
 * Throws AppError NOT_FOUND, UNKNOWN_LOCALE, RATE_LIMITED (RateLimitExceeded), FORM_CHALLENGE_FAILED,
 * FORM_SPAM_SUSPECTED; a refusal of the answers is the 'invalid' outcome and stores nothing.
 */
export async function submitForm(
  ctx: AppContext,
  key: string,
  input: RawSubmission,
  client: SubmissionClient,
): Promise<SubmitOutcome> {
  const form = await loadEnabledForm(ctx, key);
  const locales = ctx.locales();
  if (!locales.isEnabled(input.locale)) {
    const known = locales.enabled.map((l) => l.code).join(', ');
    throw new AppError('UNKNOWN_LOCALE', `"${input.locale}" is not a locale of this help center (${known})`, [
      { path: 'locale', message: `must be one of ${known}` },
    ]);
  }
  if (input.website !== undefined && input.website.trim() !== '') {
    throw new AppError('FORM_SPAM_SUSPECTED', 'the submission was refused: leave the hidden "website" field empty');
  }
  const solution = ctx.config.forms.challenge ? await passChallenge(ctx, key, input) : null;

  const definition = form.definition;
  const fallbacks = locales.fallbackChain(input.locale);
  const { raw, problems: sizeProblems, uploads } = await readAnswers(definition, input);
  const context = await resolveContext(ctx, input);
  fillHiddenFields(definition, raw, context);
  const checked = validateAnswers(definition, raw);
  const problems: AnswerProblem[] = [...sizeProblems, ...checked.problems];
  const attachments: SubmissionAttachment[] = [];
  let fileBytes = 0;
  for (const [name, upload] of uploads) {
    if (checked.answers[name] === undefined) continue;
    if (!extensionFits(upload.answer.filename, upload.detected)) {
      problems.push({ field: name, code: 'fileType' });
      continue;
    }
    fileBytes += upload.answer.size;
    if (fileBytes > FORM_LIMITS.submissionFileBytes) {
      problems.push({ field: name, code: 'fileTooLarge', max: FORM_LIMITS.submissionFileBytes });
      continue;
    }
    attachments.push(upload.attachment);
  }
  if (problems.length > 0) {
    // One message per field, the first problem found for it, in form order.
    const seen = new Set<string>();
    const order = new Map(definition.fields.map((f, i) => [f.name, i]));
    const sorted = [...problems].sort((a, b) => (order.get(a.field) ?? 0) - (order.get(b.field) ?? 0));
    return {
      kind: 'invalid',
      problems: sorted
        .filter((p) => !seen.has(p.field) && seen.add(p.field))
        .map((p) => ({ field: p.field, message: problemMessage(p, input.locale, fallbacks) })),
    };
  }

  const answers: Answers = { ...checked.answers };
  for (const field of definition.fields) {
    const value = raw[field.name];
    if (field.type === 'hidden' && checked.states[field.name]?.visible && value !== undefined) {
      answers[field.name] = value;
    }
  }
  const { subject, body } = ticketText(definition, answers);
  const emailField = definition.fields.find((f) => f.role === 'email');
  const email = emailField ? answers[emailField.name] : undefined;
  const prediction = await predictCategory(ctx, `${subject}\n\n${body}`);

  const networkKey = formsNetworkKey(ctx.keys.network, client.ip);
  await takeBudgets(ctx, networkKey, form.key);
  if (solution && !(await spendSolution(ctx.db, solution))) {
    throw new AppError('FORM_CHALLENGE_FAILED', 'this challenge solution was already used; solve a new challenge');
  }

  const filed = await fileFormTicket(
    ctx.db,
    {
      form: { id: form.id, key: form.key, version: form.version },
      locale: input.locale,
      answers,
      context,
      subject,
      body,
      requesterEmail: typeof email === 'string' ? email : undefined,
      sourceArticle: typeof context.article === 'string' ? context.article : undefined,
      prediction,
      networkKey,
      attachments,
    },
    {
      config: ctx.config.feedback,
      requesterKey: ctx.keys.requesterEmail,
      forward: Boolean(ctx.config.helpdesk.url),
    },
  );

  ctx.bus.emit('ticket.filed', filed);
  // Categorisation was queued with the ticket, and forwarding when a delivery row was written.
  ctx.jobs.poke();
  if (client.readerId) {
    ctx.events.emitServerEvent({
      event: 'Ticket Created',
      anonymousId: client.readerId,
      properties: {
        ticket_id: filed.reference,
        source: 'contact_form',
        locale: input.locale,
        ...(typeof context.article === 'string' ? { article_slug: context.article } : {}),
      },
    });
  }
  const message =
    localized(definition.confirmation, input.locale, definition.defaultLocale, fallbacks) ||
    defaultConfirmation(input.locale, fallbacks);
  return { kind: 'filed', reference: filed.reference, ticketId: filed.ticketId, message };
}

async function loadEnabledForm(ctx: AppContext, key: string) {
  const form = /^[a-z][a-z0-9-]{0,39}$/.test(key) ? await loadCurrentForm(ctx.db, key) : null;
  if (!form?.enabled) throw notFound(`the form "${key}"`);
  return form;
}

/** A valid proof-of-work solution (to be spent once the submission is accepted) or render token; else 403. */
async function passChallenge(ctx: AppContext, key: string, input: RawSubmission): Promise<VerifiedSolution | null> {
  if (input.altcha) {
    const solution = await verifyFormSolution(ctx.keys.forms, input.altcha);
    if (solution) return solution;
  }
  if (input.formToken) {
    const verdict = checkFormToken(ctx.keys.forms, key, input.formToken);
    if (verdict === 'valid') return null;
    if (verdict === 'too_fresh') {
      throw new AppError('FORM_CHALLENGE_FAILED', 'the form was sent too quickly after it was shown; send it again');
    }
    if (verdict === 'expired') {
      throw new AppError('FORM_CHALLENGE_FAILED', 'the form was shown too long ago; reload the page and send it again');
    }
  }
  throw new AppError(
    'FORM_CHALLENGE_FAILED',
    input.altcha || input.formToken
      ? 'the anti-spam check failed; reload the page and send the form again'
      : 'the anti-spam check is missing: solve the challenge (GET /api/forms/challenge) and send it as "altcha"',
  );
}

/** The reader's answers, normalised per field; files read and typed by their content; oversized text refused. */
async function readAnswers(
  definition: FormDefinition,
  input: RawSubmission,
): Promise<{ raw: Answers; problems: AnswerProblem[]; uploads: Map<string, InspectedUpload> }> {
  const raw: Answers = {};
  const problems: AnswerProblem[] = [];
  const uploads = new Map<string, InspectedUpload>();
  for (const field of definition.fields) {
    if (field.type === 'notice' || field.type === 'hidden') continue;
    if (field.type === 'file') {
      const file = input.files.find((f) => f.field === field.name && f.filename !== '');
      if (!file) continue;
      const upload = await inspectUpload(field.name, file.filename, file.data);
      if (file.truncated) {
        // Only the first bytes arrived: the size is at least one past what was read, which fails any field limit.
        upload.answer.size = Math.max(file.data.length + 1, (field.maxBytes ?? DEFAULT_MAX_FILE_BYTES) + 1);
      }
      uploads.set(field.name, upload);
      raw[field.name] = upload.answer;
      continue;
    }
    const given = Object.hasOwn(input.answers, field.name) ? input.answers[field.name] : undefined;
    if (tooLong(given)) {
      problems.push({ field: field.name, code: 'tooLong', max: field.maxLength ?? FORM_LIMITS.answerText });
      continue;
    }
    const value = normalizeAnswer(field, given);
    if (value !== undefined) raw[field.name] = value;
  }
  return { raw, problems, uploads };
}

/** Text past the hard limit, or a list longer than any field's options: refused before any other check. */
function tooLong(value: unknown): boolean {
  if (typeof value === 'string') return value.length > FORM_LIMITS.answerText;
  if (Array.isArray(value)) {
    return value.length > FORM_LIMITS.options || value.some((v) => typeof v === 'string' && v.length > 1000);
  }
  return false;
}

type SubmissionContextValues = Record<string, string | number>;

/**
 * Where the reader came from, as far as the server can confirm it: an article that exists and is published in some
 * locale (else dropped, with its revision), a known region, the search query (at most 200 characters), the locale.
 */
async function resolveContext(ctx: AppContext, input: RawSubmission): Promise<SubmissionContextValues> {
  const given = input.context ?? {};
  const context: SubmissionContextValues = { locale: input.locale };
  if (given.article && given.article.length <= 120) {
    const { rows } = await sql<{ slug: string }>`
      SELECT a.slug FROM articles a
       WHERE a.slug = ${given.article}
         AND EXISTS (SELECT 1 FROM article_translations t WHERE t.article_id = a.id AND t.status = 'published')`.execute(
      ctx.db,
    );
    if (rows[0]) {
      context.article = rows[0].slug;
      if (given.revision !== undefined && Number.isInteger(given.revision) && given.revision >= 1) {
        context.revision = given.revision;
      }
    }
  }
  if (given.region && ctx.regions().byCode(given.region)) context.region = given.region;
  const query = given.query?.trim();
  if (query) context.query = [...query].slice(0, 200).join('');
  return context;
}

/** Puts the context into the form's hidden fields (before validation, so conditions on them hold as shown). */
function fillHiddenFields(definition: FormDefinition, raw: Answers, context: SubmissionContextValues): void {
  for (const field of definition.fields) {
    if (field.type !== 'hidden' || !field.context) continue;
    const value = context[field.context];
    if (value !== undefined) raw[field.name] = String(value);
  }
}

function answerText(field: FormField, value: AnswerValue, locale: string): string {
  if (Array.isArray(value)) {
    return value.map((v) => optionLabel(field, v, locale)).join(', ');
  }
  if (typeof value === 'object') return `${value.filename} (${value.contentType}, ${value.size} bytes)`;
  if (field.type === 'select' || field.type === 'radio') return optionLabel(field, String(value), locale);
  return String(value);
}

function optionLabel(field: FormField, value: string, locale: string): string {
  const option = field.options?.find((o) => o.value === value);
  return option ? localized(option.label, locale, locale) || value : value;
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * The ticket's subject and body: the subject field, else the form's title and the start of the description; the
 * description field, else every answer as "Label: value" lines, in the form's default locale (the team's).
 */
export function ticketText(definition: FormDefinition, answers: Answers): { subject: string; body: string } {
  const locale = definition.defaultLocale;
  const byRole = (role: string) => {
    const field = definition.fields.find((f) => f.role === role);
    const value = field ? answers[field.name] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const title = localized(definition.title, locale, locale);
  const description = byRole('description');
  const subjectAnswer = byRole('subject');
  const start = description ? [...description.replace(/\s+/g, ' ')].slice(0, 80).join('') : '';
  const subject = subjectAnswer ?? (start ? `${title}: ${start}` : title);
  let body = description;
  if (body === undefined) {
    const lines: string[] = [];
    for (const field of definition.fields) {
      const value = answers[field.name];
      if (value === undefined || field.type === 'hidden') continue;
      lines.push(`${localized(field.label, locale, locale) || field.name}: ${answerText(field, value, locale)}`);
    }
    body = lines.join('\n');
  }
  return { subject: clip(subject.trim() || title || 'Contact form', SUBJECT_MAX), body: clip(body, BODY_MAX) };
}

/** The active model's prediction of the typed text: its answer, else its best guess, with the confidence. */
async function predictCategory(ctx: AppContext, text: string): Promise<SubmissionPrediction | null> {
  const active = await ctx.classifier.current();
  if (!active) return null;
  const result = predict(active.model, text);
  const best = result.label !== null ? { label: result.label, confidence: result.confidence } : result.top[0];
  if (!best) return null;
  const category = active.categories.get(Number(best.label));
  if (!category) return null;
  return { category: category.slug, confidence: best.confidence, modelVersion: active.version };
}

/** One unit of the network's and the form's budget; over either → 429 with the wait in `retryAfterSeconds`. */
async function takeBudgets(ctx: AppContext, networkKey: string, formKey: string): Promise<void> {
  const { rateLimit, formRateLimit } = ctx.config.forms;
  if (rateLimit) {
    const budget = await takeRateBudget(ctx.db, NETWORK_SCOPE, networkKey, rateLimit);
    if (!budget.allowed) {
      throw new RateLimitExceeded(
        'too many submissions from your network in a short time; try again later',
        budget.retryAfterSeconds,
      );
    }
  }
  if (formRateLimit) {
    const budget = await takeRateBudget(ctx.db, FORM_SCOPE, formKey, formRateLimit);
    if (!budget.allowed) {
      throw new RateLimitExceeded(
        'this form is receiving too many submissions right now; try again later',
        budget.retryAfterSeconds,
      );
    }
  }
}

function defaultConfirmation(locale: string, fallbacks: readonly string[]): string {
  for (const code of [locale, ...fallbacks]) {
    const text = DEFAULT_CONFIRMATION[code] ?? DEFAULT_CONFIRMATION[code.split('-')[0] ?? ''];
    if (text) return text;
  }
  return DEFAULT_CONFIRMATION.en as string;
}
