import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { LIMITS } from '../../shared/limits.js';
import type { Permission } from '../../shared/permissions.js';
import { auditActorOf } from '../accounts/index.js';
import { ZLocale, ZSlug } from '../content/index.js';
import { activateModel } from './activate-model.js';
import { reviewQueue, skipReviewItem } from './active-learning-queue.js';
import { requestCategorisation } from './categorise-feedback.js';
import { createModelVersion } from './create-model-version.js';
import { exportTaxonomy, importTaxonomy } from './import-taxonomy.js';
import { findItem, labelsOfItems } from './labels.queries.js';
import { presentItemLabels, ZItemKind, ZItemLabelsView, ZSetLabelsRequest } from './labels.schema.js';
import { FEW_EXAMPLES_PER_LANGUAGE, languageCoverage } from './language-coverage.js';
import { mergeCategories } from './merge-categories.js';
import {
  compareWithActive,
  getModelVersion,
  getTrainingSnapshot,
  listModelVersions,
  slugResolver,
} from './model-versions.queries.js';
import { ZModelVersionView, ZTrainModelRequest } from './model-versions.schema.js';
import { predict } from './predict.js';
import { createCategory, setCategoryArchived, updateCategory } from './save-category.js';
import { setHumanLabels } from './set-human-labels.js';
import { type Category, categoriesById, humanLabelCounts, loadTaxonomy } from './taxonomy.queries.js';
import {
  type CategoryView,
  ZCategoryView,
  ZCreateCategoryRequest,
  ZTaxonomyDocument,
  ZUpdateCategoryRequest,
} from './taxonomy.schema.js';
import { unskipReviewItem } from './unskip-review-item.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 404: ZErrorResponse, 409: ZErrorResponse };
const security = [{ bearer: [] }];

const ZItemParams = z.object({ kind: ZItemKind, id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
const ZVersionParams = z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647) });

const ZItemView = z.object({
  itemId: z.number().int(),
  kind: ZItemKind,
  id: z.number().int(),
  locale: z.string().nullable(),
  /** Detected language of the text (ISO 639-1, 'und'), null until detected. */
  language: z.string().nullable(),
  text: z.string(),
  createdAt: z.string(),
  labels: ZItemLabelsView,
});

const ZScoredView = z.object({ category: z.string(), confidence: z.number() });

function categoryView(c: Category, all: Map<number, Category>, counts: Map<number, number>): CategoryView {
  return {
    id: c.id,
    slug: c.slug,
    parent: c.parentId === null ? null : (all.get(c.parentId)?.slug ?? null),
    names: c.names,
    description: c.description,
    examples: c.examples,
    position: c.position,
    archived: c.archived,
    humanLabels: counts.get(c.id) ?? 0,
  };
}

/** The classify operator API: taxonomy, labels, the active-learning queue, model versions and prediction. */
export function classifyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const guard = (permission: Permission) => requirePermission(ctx.auth, permission);

    async function viewOf(slug: string): Promise<CategoryView> {
      const [all, counts] = await Promise.all([categoriesById(ctx.db), humanLabelCounts(ctx.db)]);
      const category = [...all.values()].find((c) => c.slug === slug);
      if (!category) throw notFound(`category "${slug}"`);
      return categoryView(category, all, counts);
    }

    app.get(
      '/api/taxonomy',
      {
        preHandler: guard('classify.read'),
        schema: {
          tags: ['classify'],
          summary: 'The taxonomy: categories and subcategories with names per locale (operator)',
          security,
          querystring: z.object({ includeArchived: z.enum(['true', 'false']).default('false') }),
          response: { 200: z.object({ categories: z.array(ZCategoryView) }), ...errors },
        },
      },
      async (request) => {
        const includeArchived = request.query.includeArchived === 'true';
        const [list, all, counts] = await Promise.all([
          loadTaxonomy(ctx.db, { includeArchived }),
          categoriesById(ctx.db),
          humanLabelCounts(ctx.db),
        ]);
        return { categories: list.map((c) => categoryView(c, all, counts)) };
      },
    );

    app.post(
      '/api/taxonomy/categories',
      {
        preHandler: guard('classify.write'),
        schema: {
          tags: ['classify'],
          summary: 'Create a category, or a subcategory with `parent` (operator)',
          security,
          body: ZCreateCategoryRequest,
          response: { 201: ZCategoryView, ...errors },
        },
      },
      async (request, reply) => {
        const created = await createCategory(ctx.db, request.body);
        return reply.status(201).send(await viewOf(created.slug));
      },
    );

    app.patch(
      '/api/taxonomy/categories/:slug',
      {
        preHandler: guard('classify.write'),
        schema: {
          tags: ['classify'],
          summary: 'Rename, move or edit a category; its labels stay valid (operator)',
          security,
          params: z.object({ slug: ZSlug }),
          body: ZUpdateCategoryRequest,
          response: { 200: ZCategoryView, ...errors },
        },
      },
      async (request) => {
        const updated = await updateCategory(ctx.db, request.params.slug, request.body);
        return viewOf(updated.slug);
      },
    );

    for (const [action, archived] of [
      ['archive', true],
      ['restore', false],
    ] as const) {
      app.post(
        `/api/taxonomy/categories/:slug/${action}`,
        {
          preHandler: guard('classify.write'),
          schema: {
            tags: ['classify'],
            summary:
              action === 'archive'
                ? 'Archive a category and its subcategories; labels are kept (operator)'
                : 'Bring an archived category back (operator)',
            security,
            params: z.object({ slug: ZSlug }),
            response: { 200: z.object({ affected: z.array(z.string()) }), ...errors },
          },
        },
        async (request) => setCategoryArchived(ctx.db, request.params.slug, archived),
      );
    }

    app.post(
      '/api/taxonomy/categories/:slug/merge',
      {
        preHandler: guard('classify.write'),
        schema: {
          tags: ['classify'],
          summary: 'Merge a category into another: its labels and subcategories move there, it is archived (operator)',
          security,
          params: z.object({ slug: ZSlug }),
          body: z.object({ into: ZSlug }),
          response: {
            200: z.object({
              from: z.string(),
              into: z.string(),
              movedLabels: z.number().int(),
              droppedDuplicates: z.number().int(),
              movedChildren: z.array(z.string()),
            }),
            ...errors,
          },
        },
      },
      async (request) =>
        mergeCategories(
          ctx.db,
          { from: request.params.slug, into: request.body.into },
          { actor: auditActorOf(request), bus: ctx.bus },
        ),
    );

    app.get(
      '/api/taxonomy/export',
      {
        preHandler: guard('classify.read'),
        schema: {
          tags: ['classify'],
          summary: 'The taxonomy as a JSON document for `import` (operator)',
          security,
          response: { 200: ZTaxonomyDocument, ...errors },
        },
      },
      async () => exportTaxonomy(ctx.db),
    );

    app.post(
      '/api/taxonomy/import',
      {
        preHandler: guard('classify.write'),
        bodyLimit: LIMITS.bodyBytes,
        schema: {
          tags: ['classify'],
          summary: 'Import a taxonomy document, creating or updating categories by slug (operator)',
          security,
          body: z.unknown(),
          response: {
            200: z.object({
              created: z.array(z.string()),
              updated: z.array(z.string()),
              archived: z.array(z.string()),
            }),
            ...errors,
          },
        },
      },
      async (request) => importTaxonomy(ctx.db, request.body as never),
    );

    async function itemView(kind: z.infer<typeof ZItemKind>, id: number) {
      const item = await findItem(ctx.db, kind, id);
      if (!item) throw notFound(`${kind} ${id} (as a feedback item)`);
      const [labels, categories] = await Promise.all([labelsOfItems(ctx.db, [item.id]), categoriesById(ctx.db)]);
      return {
        itemId: item.id,
        kind: item.kind,
        id: item.kind === 'example' ? item.id : (item.sourceId ?? item.id),
        locale: item.locale,
        language: item.language,
        text: item.text,
        createdAt: item.createdAt.toISOString(),
        labels: presentItemLabels(labels.get(item.id), categories),
      };
    }

    app.get(
      '/api/classify/items/:kind/:id',
      {
        preHandler: guard('classify.read'),
        schema: {
          tags: ['classify'],
          summary: 'A feedback item (vote comment, ticket, search, example) with human and predicted labels (operator)',
          security,
          params: ZItemParams,
          response: { 200: ZItemView, ...errors },
        },
      },
      async (request) => itemView(request.params.kind, request.params.id),
    );

    for (const [method, mode] of [
      ['PUT', 'replace'],
      ['POST', 'add'],
    ] as const) {
      app.route({
        method,
        url: '/api/classify/items/:kind/:id/labels',
        preHandler: guard('labels.write'),
        schema: {
          tags: ['classify'],
          summary:
            mode === 'replace'
              ? "Set an item's human labels to exactly these categories (operator)"
              : 'Add human labels to an item (operator)',
          security,
          params: ZItemParams,
          body: ZSetLabelsRequest,
          response: { 200: ZItemView, ...errors },
        },
        handler: async (request) => {
          const { kind, id } = request.params;
          await setHumanLabels(ctx.db, { kind, id, ...request.body, mode });
          return itemView(kind, id);
        },
      });
    }

    app.delete(
      '/api/classify/items/:kind/:id/labels/:category',
      {
        preHandler: guard('labels.write'),
        schema: {
          tags: ['classify'],
          summary: 'Remove one human label from an item (operator)',
          security,
          params: ZItemParams.extend({ category: ZSlug }),
          response: { 200: ZItemView, ...errors },
        },
      },
      async (request) => {
        const { kind, id, category } = request.params;
        await setHumanLabels(ctx.db, { kind, id, categories: [category], labeledBy: 'operator', mode: 'remove' });
        return itemView(kind, id);
      },
    );

    app.get(
      '/api/classify/queue',
      {
        preHandler: guard('classify.read'),
        schema: {
          tags: ['classify'],
          summary: 'Active learning: unlabeled items the model is least sure about, to label first (operator)',
          security,
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(LIMITS.reviewQueuePage).default(20),
            kind: ZItemKind.optional(),
            locale: ZLocale.optional(),
            /** Only items whose text was detected in this language (ISO 639-1). */
            language: z
              .string()
              .regex(/^[a-z]{2,3}$/)
              .optional(),
          }),
          response: {
            200: z.object({
              modelVersion: z.number().int().nullable(),
              items: z.array(
                z.object({
                  itemId: z.number().int(),
                  kind: ZItemKind,
                  id: z.number().int(),
                  locale: z.string().nullable(),
                  language: z.string().nullable(),
                  text: z.string(),
                  createdAt: z.string(),
                  uncertainty: z.number().nullable(),
                  predicted: z
                    .object({ category: z.string().nullable(), confidence: z.number(), top: z.array(ZScoredView) })
                    .nullable(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const queue = await reviewQueue(ctx.db, request.query);
        const categories = await categoriesById(ctx.db);
        const slug = (id: number) => categories.get(id)?.slug ?? `category-${id}`;
        return {
          modelVersion: queue.modelVersion,
          items: queue.items.map((item) => ({
            itemId: item.itemId,
            kind: item.kind,
            id: item.id,
            locale: item.locale,
            language: item.language,
            text: item.text,
            createdAt: item.createdAt.toISOString(),
            uncertainty: item.uncertainty,
            predicted: item.predicted
              ? {
                  category: item.predicted.categoryId === null ? null : slug(item.predicted.categoryId),
                  confidence: item.predicted.confidence,
                  top: item.predicted.top.map((t) => ({ category: slug(t.categoryId), confidence: t.confidence })),
                }
              : null,
          })),
        };
      },
    );

    app.post(
      '/api/classify/queue/:itemId/skip',
      {
        preHandler: guard('labels.write'),
        schema: {
          tags: ['classify'],
          summary: 'Skip an item in the labeling queue for a week (operator)',
          security,
          params: z.object({ itemId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
          response: { 200: z.object({ skipped: z.literal(true) }), ...errors },
        },
      },
      async (request) => {
        if (!(await skipReviewItem(ctx.db, request.params.itemId))) throw notFound(`item ${request.params.itemId}`);
        return { skipped: true as const };
      },
    );

    app.delete(
      '/api/classify/queue/:itemId/skip',
      {
        preHandler: guard('labels.write'),
        schema: {
          tags: ['classify'],
          summary: 'Put a skipped item back in the labeling queue (undo a skip) (operator)',
          security,
          params: z.object({ itemId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
          response: { 200: z.object({ skipped: z.literal(false) }), ...errors },
        },
      },
      async (request) => {
        if (!(await unskipReviewItem(ctx.db, request.params.itemId))) throw notFound(`item ${request.params.itemId}`);
        return { skipped: false as const };
      },
    );

    app.post(
      '/api/classify/models',
      {
        preHandler: guard('classify.write'),
        schema: {
          tags: ['classify'],
          summary: 'Train a new model version on every human label, in a background job (operator)',
          security,
          body: ZTrainModelRequest.optional(),
          response: {
            202: z.object({
              version: z.number().int(),
              status: z.literal('queued'),
              jobId: z.number().int().nullable(),
              examples: z.number().int(),
              categories: z.number().int(),
            }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const created = await createModelVersion(ctx.db, request.body ?? {}, { createdBy: 'operator' });
        ctx.jobs.poke();
        return reply.status(202).send({ ...created, status: 'queued' as const });
      },
    );

    app.get(
      '/api/classify/languages',
      {
        preHandler: guard('classify.read'),
        schema: {
          tags: ['classify'],
          summary:
            'Feedback and labelled examples per detected language, and the categories each language lacks (operator)',
          security,
          response: {
            200: z.object({
              /** A category is thin in a language below this many labelled examples there. */
              fewExamples: z.number().int(),
              /** Items whose language is not detected yet (the categorisation job fills them). */
              pending: z.number().int(),
              /** Languages too small to list (a few texts, mostly short ones detected as a neighbour language). */
              other: z.object({ languages: z.number().int(), items: z.number().int() }),
              languages: z.array(
                z.object({
                  language: z.string(),
                  items: z.number().int(),
                  labelled: z.number().int(),
                  categoriesWithoutExamples: z.array(z.string()),
                  categoriesWithFewExamples: z.array(z.string()),
                  perCategory: z.array(z.object({ category: z.string(), labelled: z.number().int() })),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async () => {
        const locales = ctx.locales().enabled.map((locale) => locale.code);
        return { fewExamples: FEW_EXAMPLES_PER_LANGUAGE, ...(await languageCoverage(ctx.db, locales)) };
      },
    );

    app.get(
      '/api/classify/models',
      {
        preHandler: guard('classify.read'),
        schema: {
          tags: ['classify'],
          summary: 'Model versions, newest first, with status, progress and evaluation (operator)',
          security,
          response: { 200: z.object({ versions: z.array(ZModelVersionView) }), ...errors },
        },
      },
      async () => ({ versions: await listModelVersions(ctx.db) }),
    );

    app.get(
      '/api/classify/models/:version',
      {
        preHandler: guard('classify.read'),
        schema: {
          tags: ['classify'],
          summary: 'One model version with its evaluation (operator)',
          security,
          params: ZVersionParams,
          response: { 200: ZModelVersionView, ...errors },
        },
      },
      async (request) => {
        const version = await getModelVersion(ctx.db, request.params.version);
        if (!version) throw notFound(`model version ${request.params.version}`);
        return version;
      },
    );

    app.get(
      '/api/classify/models/:version/training-data',
      {
        preHandler: guard('classify.read'),
        schema: {
          tags: ['classify'],
          summary: 'The training-data snapshot a version was trained on (operator)',
          security,
          params: ZVersionParams,
          response: {
            200: z.object({
              examples: z.array(z.object({ itemId: z.number().int(), text: z.string(), labels: z.array(z.string()) })),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const examples = await getTrainingSnapshot(ctx.db, request.params.version);
        if (!examples) throw notFound(`model version ${request.params.version}`);
        return { examples };
      },
    );

    app.get(
      '/api/classify/models/:version/compare',
      {
        preHandler: guard('classify.read'),
        schema: {
          tags: ['classify'],
          summary:
            'A version against the active one (or `against`): evaluations side by side and changed answers (operator)',
          security,
          params: ZVersionParams,
          querystring: z.object({ against: z.coerce.number().int().min(1).max(2_147_483_647).optional() }),
          response: {
            200: z.object({
              candidate: ZModelVersionView,
              active: ZModelVersionView.nullable(),
              delta: z.object({ accuracy: z.number(), macroF1: z.number(), coverage: z.number() }).nullable(),
              perCategory: z.array(
                z.object({
                  category: z.string(),
                  candidateF1: z.number().nullable(),
                  activeF1: z.number().nullable(),
                }),
              ),
              agreement: z
                .object({
                  items: z.number().int(),
                  same: z.number().int(),
                  changes: z.array(
                    z.object({ text: z.string(), active: z.string().nullable(), candidate: z.string().nullable() }),
                  ),
                })
                .nullable(),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const comparison = await compareWithActive(ctx.db, ctx.classifier, request.params.version, {
          against: request.query.against,
        });
        if (!comparison) throw notFound(`model version ${request.params.version}`);
        return comparison;
      },
    );

    app.post(
      '/api/classify/models/:version/activate',
      {
        preHandler: guard('classify.write'),
        schema: {
          tags: ['classify'],
          summary: 'Make a ready version the active model; unlabeled feedback is reclassified (operator)',
          security,
          params: ZVersionParams,
          response: { 200: z.object({ version: z.number().int(), previous: z.number().int().nullable() }), ...errors },
        },
      },
      async (request) => {
        // Its 'classify.model.activated' wakes the job runners that reclassify (app.ts).
        return activateModel(ctx.db, request.params.version, { bus: ctx.bus });
      },
    );

    app.post(
      '/api/classify/predict',
      {
        preHandler: guard('classify.read'),
        schema: {
          tags: ['classify'],
          summary: 'Classify a text with the active model (operator)',
          security,
          body: z.object({
            text: z.string().trim().min(1).max(LIMITS.classifyText),
            threshold: z.number().min(0).max(1).optional(),
          }),
          response: {
            200: z.object({
              modelVersion: z.number().int(),
              category: z.string().nullable(),
              level: z.enum(['leaf', 'parent']).nullable(),
              confidence: z.number(),
              labels: z.array(ZScoredView),
              top: z.array(ZScoredView),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const active = await ctx.classifier.current();
        if (!active) throw new AppError('CONFLICT', 'no model is active yet: train one and activate it');
        const slugOf = await slugResolver(ctx.db, [...active.categories.values()]);
        const p = predict(
          active.model,
          request.body.text,
          request.body.threshold === undefined ? undefined : { threshold: request.body.threshold },
        );
        const scored = (list: { label: string; confidence: number }[]) =>
          list.map((l) => ({ category: slugOf(l.label), confidence: l.confidence }));
        return {
          modelVersion: active.version,
          category: p.label === null ? null : slugOf(p.label),
          level: p.level,
          confidence: p.confidence,
          labels: scored(p.labels),
          top: scored(p.top),
        };
      },
    );

    app.post(
      '/api/classify/categorise',
      {
        preHandler: guard('classify.write'),
        schema: {
          tags: ['classify'],
          summary: 'Queue a run that classifies every unlabeled item the active model has not seen (operator)',
          security,
          response: { 202: z.object({ queued: z.literal(true) }), ...errors },
        },
      },
      async (_request, reply) => {
        await requestCategorisation(ctx.db);
        ctx.jobs.poke();
        return reply.status(202).send({ queued: true as const });
      },
    );
  };
}
