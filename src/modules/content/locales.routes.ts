import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import { auditActorOf } from '../accounts/index.js';
import { createLocale } from './create-locale.js';
import type { ContentLocale } from './locale-catalog.js';
import {
  type LocaleView,
  ZCreateLocaleRequest,
  ZListLocalesResponse,
  ZLocaleParams,
  ZLocaleResponse,
  ZUpdateLocaleRequest,
} from './locales.schema.js';
import { updateLocale } from './update-locale.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** The one presenter of a content locale. */
function presentLocale(locale: ContentLocale): LocaleView {
  return {
    code: locale.code,
    name: locale.name,
    direction: locale.direction,
    fallback: locale.fallback,
    enabled: locale.enabled,
    uiLanguage: locale.uiLanguage,
    builtIn: locale.builtIn,
    position: locale.position,
  };
}

/** Content locales as configuration: list, add, change (enable, disable, reorder, re-chain). */
export function localesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };
    // The operation publishes `locales.changed` after its commit and the catalogue is rebuilt from it at once, so
    // the answer is read from the catalogue the public site now uses.
    const present = (code: string): LocaleView => {
      const locale = ctx.locales().byCode(code);
      if (!locale) throw notFound(`the locale "${code}"`);
      return presentLocale(locale);
    };

    app.get(
      '/api/locales',
      {
        preHandler: requirePermission(ctx.auth, 'content.read'),
        schema: {
          tags: ['locales'],
          summary: 'Every configured content locale, enabled or not, in menu order',
          security: [{ bearer: [] }],
          response: { 200: ZListLocalesResponse, ...errors },
        },
      },
      async () => ({ locales: ctx.locales().locales.map(presentLocale) }),
    );

    app.post(
      '/api/locales',
      {
        preHandler: requirePermission(ctx.auth, 'locales.write'),
        schema: {
          tags: ['locales'],
          summary: 'Add a content locale: the public site serves it at once when enabled',
          security: [{ bearer: [] }],
          body: ZCreateLocaleRequest,
          response: { 201: ZLocaleResponse, 409: ZErrorResponse, ...errors },
        },
      },
      async (request, reply) => {
        const created = await createLocale(ctx.db, request.body, { bus: ctx.bus, actor: auditActorOf(request) });
        return reply.status(201).send({ locale: present(created.code) });
      },
    );

    app.patch(
      '/api/locales/:code',
      {
        preHandler: requirePermission(ctx.auth, 'locales.write'),
        schema: {
          tags: ['locales'],
          summary: "Change a content locale's name, direction, fallback chain, position or whether it is served",
          security: [{ bearer: [] }],
          params: ZLocaleParams,
          body: ZUpdateLocaleRequest,
          response: { 200: ZLocaleResponse, 409: ZErrorResponse, ...errors },
        },
      },
      async (request) => {
        const updated = await updateLocale(ctx.db, request.params.code, request.body, {
          bus: ctx.bus,
          actor: auditActorOf(request),
        });
        return { locale: present(updated.code) };
      },
    );
  };
}
