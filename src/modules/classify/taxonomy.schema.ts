/** Zod schemas of the taxonomy at the edges: the operator API and the JSON import/export document. */
import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { ZLocale, ZSlug } from '../content/index.js';

const ZNames = z.partialRecord(ZLocale, z.string().trim().min(1).max(LIMITS.categoryName));
const ZExamples = z.array(z.string().trim().min(1).max(LIMITS.categoryExample)).max(LIMITS.categoryExamples);

/** A new category: a top-level category, or a subcategory of one (`parent`). */
export const ZCreateCategoryRequest = z.object({
  slug: ZSlug,
  parent: ZSlug.nullable().default(null),
  names: ZNames.refine((names) => !!names.en, { message: 'an English name is required' }),
  description: z.string().trim().max(LIMITS.categoryDescription).default(''),
  examples: ZExamples.default([]),
  position: z.number().int().min(0).max(1_000_000).optional(),
});
export type CreateCategoryRequest = z.input<typeof ZCreateCategoryRequest>;

/**
 * A change to a category: every field optional. `slug` renames it, `parent` moves it (null: to the top level);
 * `names` are merged per locale (an empty string removes that locale's name, except English).
 */
export const ZUpdateCategoryRequest = z.object({
  slug: ZSlug.optional(),
  parent: ZSlug.nullable().optional(),
  names: z.partialRecord(ZLocale, z.string().trim().max(LIMITS.categoryName)).optional(),
  description: z.string().trim().max(LIMITS.categoryDescription).optional(),
  examples: ZExamples.optional(),
  position: z.number().int().min(0).max(1_000_000).optional(),
});
export type UpdateCategoryRequest = z.input<typeof ZUpdateCategoryRequest>;

/** One category in the import/export document. Subcategories name their parent. */
export const ZTaxonomyEntry = z.object({
  slug: ZSlug,
  parent: ZSlug.nullable().default(null),
  names: ZNames.refine((names) => !!names.en, { message: 'an English name is required' }),
  description: z.string().trim().max(LIMITS.categoryDescription).default(''),
  examples: ZExamples.default([]),
  archived: z.boolean().default(false),
});

/** The taxonomy as JSON: `answerloop taxonomy export` writes it, `import` reads it (upserting by slug). */
export const ZTaxonomyDocument = z.object({
  format: z.literal('answerloop-taxonomy').default('answerloop-taxonomy'),
  version: z.literal(1).default(1),
  categories: z.array(ZTaxonomyEntry).max(LIMITS.taxonomyCategories),
});
export type TaxonomyDocument = z.output<typeof ZTaxonomyDocument>;
export type TaxonomyDocumentInput = z.input<typeof ZTaxonomyDocument>;

/** A category as the operator API shows it. */
export const ZCategoryView = z.object({
  id: z.number().int(),
  slug: z.string(),
  parent: z.string().nullable(),
  names: z.record(z.string(), z.string()),
  description: z.string(),
  examples: z.array(z.string()),
  position: z.number().int(),
  archived: z.boolean(),
  /** Items labeled with it by people. */
  humanLabels: z.number().int(),
});
export type CategoryView = z.infer<typeof ZCategoryView>;
