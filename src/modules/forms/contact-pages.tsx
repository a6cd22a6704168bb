import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { LIMITS } from '../../shared/limits.js';
import { buildSiteAssets, type PageContext, sendPage, sitePageContext } from '../site/index.js';
import {
  ContactChooserPage,
  type ContactContext,
  ContactFormPage,
  ContactSentPage,
  type FieldMessage,
  type RawValues,
} from './contact-form-view.js';
import { type Answers, fieldStates, localized, normalizeAnswer } from './form-logic.js';
import { issueFormToken } from './form-token.js';
import { type LoadedForm, listCurrentForms, loadCurrentForm } from './forms.queries.js';
import { ZFormKey } from './forms.schema.js';
import { presentPublicForm, publicFormAsDefinition } from './present-form.js';
import { MULTIPART_LIMITS, readSubmission } from './read-submission.js';
import type { RawSubmission } from './submit-form.js';
import { submitForm } from './submit-form.js';

/** A ticket reference as newTicketReference draws it ("K7Q-4MZ-92P"); anything else is not echoed. */
const REFERENCE = /^[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}$/;
const SLUG = /^[\w-]{1,120}$/;

type Query = Record<string, unknown>;

function one(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** The reader's context from the page's query; anything malformed is dropped, not refused (links get mangled). */
function readContext(query: Query): ContactContext {
  const article = one(query.article);
  const revision = Number(one(query.revision));
  const q = one(query.q)?.trim();
  return {
    article: article && SLUG.test(article) ? article : undefined,
    revision: Number.isInteger(revision) && revision >= 1 && revision <= 1_000_000 ? revision : undefined,
    query: q ? q.slice(0, LIMITS.searchQuery) : undefined,
  };
}

/** Messages for a refused submission that is not about one field, in the reader's language. */
function alertFor(error: AppError, t: PageContext['t'], supportEmail: string): string {
  switch (error.code as string) {
    case 'RATE_LIMITED':
      return t('contact.errorRateLimited');
    case 'FORM_CHALLENGE_FAILED':
      return t('contact.errorChallenge');
    case 'FORM_SPAM_SUSPECTED':
      return t('contact.errorSpam', { email: supportEmail });
    default:
      return t('contact.errorGeneric');
  }
}

/**
 * The reader's contact pages: `/:locale/contact` (the forms as choices, or `?form=<key>` one form, server-rendered so
 * it works without JavaScript), its POST (the no-JavaScript path: "Update the form" re-renders with the fields the
 * answers reveal; the send button files the ticket), and `/:locale/contact/sent?ref=` (the confirmation).
 */
export async function contactPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const assets = await buildSiteAssets(ctx.locales().locales.map((l) => l.name));
  // Only these routes read multipart bodies (a form with a file field posts one without JavaScript).
  await app.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: false });

  const alternatesFor = (origin: string, pathAndQuery: string) =>
    ctx.locales().enabled.map(({ code }) => ({ locale: code, href: `${origin}/${code}${pathAndQuery}` }));

  async function enabledForm(key: string | undefined): Promise<LoadedForm | null> {
    if (key === undefined || !ZFormKey.safeParse(key).success) return null;
    const form = await loadCurrentForm(ctx.db, key);
    return form?.enabled ? form : null;
  }

  /**
   * What the server will put into the form's hidden fields (submitForm's context), so the page and the island
   * evaluate conditions on them as the server will: the locale, the region, the query, a published article.
   */
  async function hiddenFieldValues(
    form: LoadedForm,
    locale: string,
    context: ContactContext,
    region: string,
  ): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    const hidden = form.definition.fields.filter((f) => f.type === 'hidden' && f.context);
    if (hidden.length === 0) return values;
    const article = context.article ? await ctx.content.article(context.article, locale) : null;
    const known: Record<string, string | undefined> = {
      locale,
      region,
      query: context.query,
      article: article ? context.article : undefined,
      revision: article && context.revision ? String(context.revision) : undefined,
    };
    for (const field of hidden) {
      const value = known[field.context ?? ''];
      if (value !== undefined) values[field.name] = value;
    }
    return values;
  }

  async function chooser(
    request: FastifyRequest,
    reply: FastifyReply,
    locale: string,
    unknownForm: boolean,
  ): Promise<FastifyReply> {
    const page = sitePageContext(ctx, assets, request, reply, locale, '/contact');
    const forms = (await listCurrentForms(ctx.db))
      .filter((form) => form.enabled)
      .map((form) => presentPublicForm(form, locale, ctx.locales()));
    const { supportEmail } = await ctx.settings.get();
    return sendPage(
      reply,
      <ContactChooserPage
        ctx={page}
        forms={forms}
        context={readContext(request.query as Query)}
        unknownForm={unknownForm}
        supportEmail={supportEmail}
        alternates={alternatesFor(page.origin, '/contact')}
        canonical={`${page.origin}/${locale}/contact`}
      />,
      unknownForm ? 404 : 200,
    );
  }

  async function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    locale: string,
    form: LoadedForm,
    state: { values: RawValues; context: ContactContext; problems: FieldMessage[]; alert?: string },
    status = 200,
  ): Promise<FastifyReply> {
    const pathAndQuery = `/contact?form=${form.key}`;
    const page = sitePageContext(ctx, assets, request, reply, locale, pathAndQuery);
    const publicForm = presentPublicForm(form, locale, ctx.locales());
    const definition = publicFormAsDefinition(publicForm);
    const contextValues = await hiddenFieldValues(form, locale, state.context, page.region.code);
    const answers: Answers = {};
    for (const field of definition.fields) {
      const value = normalizeAnswer(field, contextValues[field.name] ?? state.values[field.name]);
      if (value !== undefined) answers[field.name] = value;
    }
    const { states } = fieldStates(definition, answers);
    const { supportEmail } = await ctx.settings.get();
    return sendPage(
      reply,
      <ContactFormPage
        ctx={page}
        form={publicForm}
        values={state.values}
        states={states}
        context={state.context}
        contextValues={contextValues}
        problems={state.problems}
        alert={state.alert}
        formToken={ctx.config.forms.challenge ? issueFormToken(ctx.keys.forms, form.key) : null}
        supportEmail={supportEmail}
        alternates={alternatesFor(page.origin, pathAndQuery)}
        canonical={`${page.origin}/${locale}${pathAndQuery}`}
      />,
      status,
    );
  }

  app.get<{ Params: { locale: string }; Querystring: Query }>('/:locale/contact', async (request, reply) => {
    const { locale } = request.params;
    if (!ctx.locales().isEnabled(locale)) return reply.callNotFound();
    const key = one(request.query.form);
    if (key === undefined) return chooser(request, reply, locale, false);
    const form = await enabledForm(key);
    if (!form) return chooser(request, reply, locale, true);
    return formPage(request, reply, locale, form, { values: {}, context: readContext(request.query), problems: [] });
  });

  app.post<{ Params: { locale: string }; Querystring: Query }>('/:locale/contact', async (request, reply) => {
    const { locale } = request.params;
    if (!ctx.locales().isEnabled(locale)) return reply.callNotFound();
    const form = await enabledForm(one(request.query.form));
    if (!form) return chooser(request, reply, locale, true);
    let raw: RawSubmission;
    // The page's locale is the one the reader reads, whatever the body says (multipart: the form's locale input).
    if (request.body && typeof request.body === 'object') (request.body as Query).locale = locale;
    try {
      raw = await readSubmission(request);
    } catch (error) {
      // A body past its limits or malformed: say so on the form rather than answer 500.
      const status = error instanceof AppError ? error.status : (error as { statusCode?: number }).statusCode;
      const known = error instanceof AppError || (error as Error).name === 'ZodError';
      if (!known && (status === undefined || status < 400 || status >= 500)) throw error;
      const page = sitePageContext(ctx, assets, request, reply, locale, '/contact');
      return formPage(
        request,
        reply,
        locale,
        form,
        { values: {}, context: readContext(request.query), problems: [], alert: page.t('contact.errorGeneric') },
        status !== undefined && status >= 400 && status < 500 ? status : 400,
      );
    }
    raw.locale = locale;
    const values: RawValues = {};
    for (const field of form.definition.fields) {
      const value = raw.answers[field.name];
      if (typeof value === 'string') values[field.name] = value;
      else if (Array.isArray(value)) values[field.name] = value.filter((v): v is string => typeof v === 'string');
    }
    const context: ContactContext = {
      article: raw.context?.article,
      revision: raw.context?.revision,
      query: raw.context?.query,
    };
    // "Update the form" (`_action=refresh`): in the body, and in its formaction's query so a multipart post says it too.
    const action = one(request.query._action) ?? one((request.body as Query | undefined)?._action);
    if (action === 'refresh') return formPage(request, reply, locale, form, { values, context, problems: [] });
    try {
      const outcome = await submitForm(ctx, form.key, raw, {
        ip: request.ip,
        readerId: ctx.readers.peek(request)?.readerId ?? null,
      });
      if (outcome.kind === 'filed') {
        const query = new URLSearchParams({ ref: outcome.reference, form: form.key });
        return reply.redirect(`/${locale}/contact/sent?${query}`, 303);
      }
      return formPage(request, reply, locale, form, { values, context, problems: outcome.problems }, 400);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'NOT_FOUND') return chooser(request, reply, locale, true);
      const page = sitePageContext(ctx, assets, request, reply, locale, '/contact');
      const { supportEmail } = await ctx.settings.get();
      const alert = alertFor(error, page.t, supportEmail);
      return formPage(request, reply, locale, form, { values, context, problems: [], alert }, error.status);
    }
  });

  app.get<{ Params: { locale: string }; Querystring: Query }>('/:locale/contact/sent', async (request, reply) => {
    const { locale } = request.params;
    if (!ctx.locales().isEnabled(locale)) return reply.callNotFound();
    const ref = one(request.query.ref);
    const reference = ref !== undefined && REFERENCE.test(ref) ? ref : null;
    const form = await enabledForm(one(request.query.form));
    const message = form
      ? localized(
          form.definition.confirmation,
          locale,
          form.definition.defaultLocale,
          ctx.locales().fallbackChain(locale),
        ) || undefined
      : undefined;
    const page = sitePageContext(ctx, assets, request, reply, locale, '/contact/sent');
    return sendPage(
      reply,
      <ContactSentPage
        ctx={page}
        reference={reference}
        message={message}
        alternates={[]}
        canonical={`${page.origin}/${locale}/contact/sent`}
      />,
      reference ? 200 : 400,
    );
  });
}
