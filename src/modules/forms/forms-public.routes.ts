import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { networkOf } from '../../shared/client-network.js';
import { rateLimitOptions } from '../../shared/rate-limit-store.js';
import { networkKeyOf } from '../search/index.js';
import { ZFormKey } from './forms.schema.js';
import { PREDICT_TEXT_MAX, predictField } from './predict-field.js';
import { recordDeflection } from './record-deflection.js';
import { SUGGEST_TEXT_MAX, suggestArticles } from './suggest-articles.js';
import { SUGGESTION_TOKEN_MAX } from './suggestion-token.js';

/**
 * The budgets of the typing helpers, per client address and per network (/24, /64), each over 10 minutes: a reader
 * typing a long description with a 300 ms debounce sends a few dozen requests; a scraper sends thousands.
 */
export const ASSIST_BUDGET = {
  windowMs: 10 * 60_000, // 10 min
  perAddress: 120,
  perNetwork: 600,
} as const;

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string(), field: z.string().optional() })).optional(),
  }),
});
const errors = { 400: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse, 429: ZErrorResponse };

const ZLocale = z.string().min(2).max(35);
const ZFormParams = z.object({ key: ZFormKey });

const ZSuggestionsQuery = z.object({
  locale: ZLocale,
  q: z.string().max(SUGGEST_TEXT_MAX).default(''),
});
const ZSuggestionsResponse = z.object({
  suggestions: z.array(
    z.object({
      slug: z.string(),
      title: z.string(),
      url: z.string(),
      snippet: z.string(),
      token: z.string(),
      /** Beyond the contract: the revision number shown and its text's locale, for the Deflected event. */
      revision: z.number().int().optional(),
      locale: z.string().optional(),
    }),
  ),
});
const ZDeflectionRequest = z.object({ token: z.string().min(1).max(SUGGESTION_TOKEN_MAX) }).strict();
const ZDeflectionResponse = z.object({ counted: z.boolean() });
const ZPredictRequest = z.object({ locale: ZLocale, text: z.string().max(PREDICT_TEXT_MAX) }).strict();
const ZPredictResponse = z.object({
  category: z.string().nullable(),
  confidence: z.number().nullable(),
  field: z.string().nullable(),
  value: z.string().nullable(),
});

/**
 * The contact forms' typing helpers (public): articles that may answer what the reader is typing, "This answered my
 * question" credited as a deflection, and the classifier's live category with the option to pre-select.
 */
export function formsPublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(
      rateLimit,
      rateLimitOptions({ store: ctx.config.rateLimitStore, db: ctx.db, hashKey: ctx.keys.network, log: app.log }),
    );
    // Keyed on the address (request.ip believes X-Forwarded-For only from configured proxies), never the cookie: a
    // client that drops its cookie must not get a fresh allowance; a second counter per network stops rotation.
    const limits = (name: string) => [
      app.createRateLimit({
        max: ASSIST_BUDGET.perAddress,
        timeWindow: ASSIST_BUDGET.windowMs,
        keyGenerator: (request) => `${name}|${request.ip}`,
      }),
      app.createRateLimit({
        max: ASSIST_BUDGET.perNetwork,
        timeWindow: ASSIST_BUDGET.windowMs,
        keyGenerator: (request) => `${name}-net|${networkOf(request.ip)}`,
      }),
    ];
    const budgets = {
      suggest: limits('forms-suggest'),
      deflect: limits('forms-deflect'),
      predict: limits('forms-predict'),
    };
    async function spend(budget: keyof typeof budgets, request: FastifyRequest, reply: FastifyReply): Promise<void> {
      for (const limit of budgets[budget]) {
        const result = await limit(request);
        if (result.isAllowed || !result.isExceeded) continue;
        reply.header('retry-after', String(result.ttlInSeconds));
        throw new AppError('RATE_LIMITED', 'too many requests in a short time; try again in a few minutes');
      }
    }
    /** The public site serves enabled locales only: a disabled one is as unknown as an unconfigured one. */
    function assertEnabledLocale(locale: string): void {
      const catalog = ctx.locales();
      catalog.assertConfigured(locale);
      if (!catalog.isEnabled(locale)) {
        throw new AppError('UNKNOWN_LOCALE', `"${locale}" is not an enabled content locale`, [
          { path: 'locale', message: `must be one of ${catalog.enabled.map((l) => l.code).join(', ')}` },
        ]);
      }
    }

    app.get(
      '/api/forms/:key/suggestions',
      {
        // A few hundred bytes per keystroke: compressing them costs more CPU than it saves on the wire.
        compress: false,
        schema: {
          tags: ['forms'],
          summary: 'Published articles that may answer what a reader types into a form (from 3 characters, 2 in CJK)',
          params: ZFormParams,
          querystring: ZSuggestionsQuery,
          response: { 200: ZSuggestionsResponse, ...errors },
        },
      },
      async (request, reply) => {
        await spend('suggest', request, reply);
        assertEnabledLocale(request.query.locale);
        const catalog = ctx.regions();
        const suggestions = await suggestArticles(
          {
            db: ctx.db,
            engine: ctx.search.engine,
            key: ctx.keys.forms,
            prices: catalog.prices,
            currency: catalog.defaultRegion.currency,
          },
          { form: request.params.key, locale: request.query.locale, text: request.query.q },
        );
        reply.header('cache-control', 'private, no-store');
        return { suggestions };
      },
    );

    app.post(
      '/api/forms/:key/deflections',
      {
        bodyLimit: 1024, // 1 KiB: one token
        schema: {
          tags: ['forms'],
          summary: '"This answered my question": credit a deflection to the suggested article, revision and locale',
          params: ZFormParams,
          body: ZDeflectionRequest,
          response: { 201: ZDeflectionResponse, ...errors, 413: ZErrorResponse },
        },
      },
      async (request, reply) => {
        await spend('deflect', request, reply);
        const result = await recordDeflection(
          ctx.db,
          {
            form: request.params.key,
            token: request.body.token,
            client: {
              readerId: ctx.readers.peek(request)?.readerId ?? null,
              ip: request.ip,
              userAgent: request.headers['user-agent'],
              networkKey: networkKeyOf(ctx.keys.network, request.ip),
            },
          },
          { formsKey: ctx.keys.forms, networkKey: ctx.keys.network },
        );
        return reply.status(201).send(result);
      },
    );

    app.post(
      '/api/forms/:key/predict',
      {
        schema: {
          tags: ['forms'],
          summary: "The active classifier's category for a reader's text, and the form option to pre-select for it",
          params: ZFormParams,
          body: ZPredictRequest,
          response: { 200: ZPredictResponse, ...errors },
        },
      },
      async (request, reply) => {
        await spend('predict', request, reply);
        assertEnabledLocale(request.body.locale);
        return predictField(
          { db: ctx.db, classifier: ctx.classifier },
          { form: request.params.key, text: request.body.text },
        );
      },
    );
  };
}
