import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { auditActorOf } from '../accounts/index.js';
import { loadCurrentForm } from './forms.queries.js';
import {
  ZCreateFormRequest,
  ZFormDetail,
  ZFormKey,
  ZFormSummary,
  ZPublicForm,
  ZUpdateFormRequest,
} from './forms.schema.js';
import { getFormDetail, listForms, presentFormDetail } from './list-forms.js';
import { presentPublicForm } from './present-form.js';
import { createForm, updateForm } from './save-form.js';

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
  404: ZErrorResponse,
  409: ZErrorResponse,
  413: ZErrorResponse,
};
const security = [{ bearer: [] }];

/**
 * Bytes of a definition write: 60 fields in 40 locales with help texts and options in scripts of 2-3 bytes a
 * character measure 2.3 MiB (forms.routes.test.ts); beyond 8 MiB a body is refused with 413 before parsing.
 */
export const FORM_BODY_BYTES = 8 * 1024 * 1024; // 8 MiB

/** `?locale=` asks for the reader's form: the route's public variant. */
function asksPublicForm(request: FastifyRequest): boolean {
  const query = request.query as Record<string, unknown> | undefined;
  return query !== undefined && query.locale !== undefined;
}

/**
 * Definition errors answer with paths relative to the body (`definition.fields.3.showIf`), so the builder can put
 * each message beside the field it concerns.
 */
function definitionErrors(validation: FastifySchemaValidationError[], dataVar: string): Error {
  const details = validation.map((v) => {
    const inner = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const path = dataVar === 'body' ? inner || '(body)' : [dataVar, inner].filter(Boolean).join('.');
    return { path, message: v.message ?? 'is invalid' };
  });
  return new AppError(
    'VALIDATION_FAILED',
    `invalid input: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    details,
  );
}

/**
 * The forms API: the operator's list, detail, create and update (versioned), and the reader's public definition
 * of one form in one locale (`GET /api/forms/:key?locale=`, no sign-in).
 */
export function formsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const read = requirePermission(ctx.auth, 'forms.read');
    const readOrPublic = requirePermission(ctx.auth, 'forms.read', { publicWhen: asksPublicForm });
    const write = requirePermission(ctx.auth, 'forms.write');
    const enabledLocales = () => ctx.locales().enabled.map((locale) => locale.code);

    app.get(
      '/api/forms',
      {
        preHandler: read,
        schema: {
          tags: ['forms'],
          summary: 'Every contact form in contact-page order, with its translation coverage and recent submissions',
          security,
          response: { 200: z.object({ forms: z.array(ZFormSummary) }), ...errors },
        },
      },
      async () => ({ forms: await listForms(ctx.db, enabledLocales()) }),
    );

    app.post(
      '/api/forms',
      {
        preHandler: write,
        bodyLimit: FORM_BODY_BYTES,
        schemaErrorFormatter: definitionErrors,
        schema: {
          tags: ['forms'],
          summary: 'Create a form at version 1 (409 FORM_EXISTS when the key is taken)',
          security,
          body: ZCreateFormRequest,
          response: { 201: ZFormDetail, ...errors },
        },
      },
      async (request, reply) => {
        const form = await createForm(ctx.db, request.body, { bus: ctx.bus, actor: auditActorOf(request) });
        return reply.status(201).send(await presentFormDetail(ctx.db, form));
      },
    );

    app.get(
      '/api/forms/:key',
      {
        preHandler: readOrPublic,
        schema: {
          tags: ['forms'],
          summary:
            'With ?locale=: the public definition of an enabled form in that locale (no sign-in). ' +
            "Without: the operator's detail with every version (forms.read)",
          security: [{ bearer: [] }, {}],
          params: z.object({ key: ZFormKey }),
          querystring: z.object({ locale: z.string().max(35).optional() }),
          response: { 200: z.union([ZFormDetail, ZPublicForm]), ...errors },
        },
      },
      async (request, reply) => {
        const { key } = request.params;
        const { locale } = request.query;
        if (locale === undefined) {
          reply.header('cache-control', 'private, no-store');
          return getFormDetail(ctx.db, key);
        }
        const catalog = ctx.locales();
        if (!catalog.isEnabled(locale)) {
          const known = catalog.enabled.map((l) => l.code).join(', ');
          throw new AppError('UNKNOWN_LOCALE', `"${locale}" is not a content locale of this help center (${known})`, [
            { path: 'locale', message: `must be one of ${known}` },
          ]);
        }
        const form = await loadCurrentForm(ctx.db, key);
        if (!form?.enabled) throw notFound(`form "${key}"`);
        reply.header('cache-control', 'public, max-age=60');
        return presentPublicForm(form, locale, catalog);
      },
    );

    app.put(
      '/api/forms/:key',
      {
        preHandler: write,
        bodyLimit: FORM_BODY_BYTES,
        schemaErrorFormatter: definitionErrors,
        schema: {
          tags: ['forms'],
          summary: 'Change a form: a changed definition becomes a new version; enabled and position change in place',
          security,
          params: z.object({ key: ZFormKey }),
          body: ZUpdateFormRequest,
          response: { 200: ZFormDetail, ...errors },
        },
      },
      async (request) => {
        const form = await updateForm(ctx.db, request.params.key, request.body, {
          bus: ctx.bus,
          actor: auditActorOf(request),
        });
        return presentFormDetail(ctx.db, form);
      },
    );
  };
}
