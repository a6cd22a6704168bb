import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { INT4_MAX, ZText } from '../../shared/text.js';
import { ZLocale, ZSlug } from './content.schema.js';

/** The back office's content API: request and response schemas (the admin app imports these types). */

export const ZTranslationStatus = z.enum(['published', 'draft', 'outdated', 'missing']);
export type TranslationStatusValue = z.infer<typeof ZTranslationStatus>;

const ZRevisionNumber = z.coerce.number().int().min(1).max(INT4_MAX);

export const ZArticleRowsQuery = z.object({
  q: ZText.trim().max(LIMITS.searchQuery).optional(),
  topic: ZSlug.optional(),
  locale: ZLocale.optional(),
  status: ZTranslationStatus.optional(),
  author: ZText.trim()
    .max(LIMITS.authorName * 3)
    .optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.articleRowsPage).default(50),
  offset: z.coerce.number().int().min(0).max(INT4_MAX).default(0),
});
export type ArticleRowsQuery = z.infer<typeof ZArticleRowsQuery>;

export const ZTranslationCell = z.object({
  status: ZTranslationStatus,
  title: z.string().nullable(),
  latestRevision: z.number().int().nullable(),
  publishedRevision: z.number().int().nullable(),
  author: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type TranslationCell = z.infer<typeof ZTranslationCell>;

export const ZTopicRef = z.object({ slug: z.string(), name: z.string() });

export const ZArticleRow = z.object({
  slug: z.string(),
  topic: ZTopicRef,
  sourceLocale: z.string(),
  position: z.number().int(),
  updatedAt: z.string(),
  translations: z.record(z.string(), ZTranslationCell),
});
export type ArticleRow = z.infer<typeof ZArticleRow>;

export const ZStatusCounts = z.object({
  published: z.number().int(),
  draft: z.number().int(),
  outdated: z.number().int(),
  missing: z.number().int(),
});

export const ZArticleRowsResponse = z.object({
  articles: z.array(ZArticleRow),
  total: z.number().int(),
  counts: ZStatusCounts,
});
export type ArticleRowsResponse = z.infer<typeof ZArticleRowsResponse>;

export const ZRevisionSummary = z.object({
  number: z.number().int(),
  title: z.string(),
  keywords: z.array(z.string()),
  author: z.string(),
  createdAt: z.string(),
  sourceRevision: z.number().int().nullable(),
  published: z.boolean(),
});
export type RevisionSummary = z.infer<typeof ZRevisionSummary>;

export const ZRevisionView = ZRevisionSummary.extend({ bodyMarkdown: z.string() });
export type RevisionView = z.infer<typeof ZRevisionView>;

export const ZArticleEditorResponse = z.object({
  slug: z.string(),
  topic: ZTopicRef,
  position: z.number().int(),
  sourceLocale: z.string(),
  translations: z.array(
    z.object({
      locale: z.string(),
      status: ZTranslationStatus,
      publishedRevision: z.number().int().nullable(),
      latest: ZRevisionView.nullable(),
    }),
  ),
});
export type ArticleEditorResponse = z.infer<typeof ZArticleEditorResponse>;

export const ZSlugParams = z.object({ slug: ZSlug });
export const ZTranslationParams = z.object({ slug: ZSlug, locale: ZLocale });
export const ZRevisionParams = ZTranslationParams.extend({ number: ZRevisionNumber });

export const ZRevisionsResponse = z.object({ revisions: z.array(ZRevisionSummary) });

export const ZDiffPart = z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() });
export type DiffPartView = z.infer<typeof ZDiffPart>;

export const ZDiffQuery = z.object({ from: ZRevisionNumber, to: ZRevisionNumber });
export const ZDiffResponse = z.object({
  from: z.number().int(),
  to: z.number().int(),
  title: z.array(ZDiffPart),
  body: z.array(ZDiffPart),
});
export type DiffResponse = z.infer<typeof ZDiffResponse>;

export const ZRestoreRequest = z.object({ publish: z.boolean().default(false) });
export type RestoreRequest = z.input<typeof ZRestoreRequest>;
/** The new revision's number (restore, mark-current). */
export const ZRevisionNumberResponse = z.object({ revision: z.number().int() });

export const ZPreviewRequest = z.object({
  markdown: ZText.max(LIMITS.articleBody),
  locale: ZLocale,
  region: z
    .string()
    .regex(/^[a-z0-9-]{2,20}$/, 'must be a region code such as "us"')
    .optional(),
});
export type PreviewRequest = z.infer<typeof ZPreviewRequest>;
export const ZPreviewResponse = z.object({
  html: z.string(),
  toc: z.array(z.object({ level: z.number().int(), id: z.string(), text: z.string() })),
});
export type PreviewResponse = z.infer<typeof ZPreviewResponse>;

export const ZSourceDiffResponse = z.object({
  sourceLocale: z.string(),
  /** The source revision the translation was made from (null: it records none, so everything is new). */
  fromRevision: z.number().int().nullable(),
  toRevision: z.number().int(),
  title: z.array(ZDiffPart),
  body: z.array(ZDiffPart),
});
export type SourceDiffResponse = z.infer<typeof ZSourceDiffResponse>;

export const ZTranslationQueueQuery = z.object({
  locale: ZLocale.optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.translationQueuePage).default(200),
});
export const ZTranslationQueueItem = z.object({
  slug: z.string(),
  locale: z.string(),
  status: z.enum(['outdated', 'missing']),
  sourceTitle: z.string(),
  title: z.string().nullable(),
  views: z.number().int(),
  sourceRevision: z.number().int(),
  translatedFrom: z.number().int().nullable(),
});
export type TranslationQueueItem = z.infer<typeof ZTranslationQueueItem>;
export const ZTranslationQueueResponse = z.object({ items: z.array(ZTranslationQueueItem) });

export const ZTopicNodeView = z.object({
  slug: z.string(),
  parent: z.string().nullable(),
  position: z.number().int(),
  names: z.record(z.string(), z.object({ name: z.string(), description: z.string() })),
  articleCount: z.number().int(),
});
export type TopicNodeView = z.infer<typeof ZTopicNodeView>;
export const ZTopicTreeResponse = z.object({ topics: z.array(ZTopicNodeView) });
export type TopicTreeResponse = z.infer<typeof ZTopicTreeResponse>;

export const ZMoveTopicRequest = z.object({
  slug: ZSlug,
  parent: ZSlug.nullable(),
  position: z.number().int().min(0).max(1_000_000),
});
export type MoveTopicRequest = z.infer<typeof ZMoveTopicRequest>;

const ZColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour');

/** ISO 4217 codes this runtime can format (Intl knows every active currency). */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
export const ZCurrency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as "USD"')
  .refine((code) => CURRENCIES.has(code), { message: 'is not an ISO 4217 currency code' });

export const ZRegionView = z.object({
  code: z.string(),
  name: z.string(),
  currency: z.string(),
  countries: z.array(z.string()),
  theme: z.object({ brand: z.string(), brandContrast: z.string(), accent: z.string(), surface: z.string() }).partial(),
  isDefault: z.boolean(),
});
export type RegionView = z.infer<typeof ZRegionView>;

export const ZPriceView = z.object({ key: z.string(), amounts: z.record(z.string(), z.number()) });
export type PriceView = z.infer<typeof ZPriceView>;

export const ZRegionsResponse = z.object({ regions: z.array(ZRegionView), prices: z.array(ZPriceView) });
export type RegionsResponse = z.infer<typeof ZRegionsResponse>;

export const ZRegionCodeParams = z.object({
  code: z.string().regex(/^[a-z0-9-]{2,20}$/, 'must be 2–20 lowercase letters, digits or hyphens'),
});

export const ZSaveRegionRequest = z.object({
  name: ZText.trim().min(1).max(LIMITS.regionName),
  currency: ZCurrency,
  countries: z
    .array(z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as "US"'))
    .max(300)
    .default([])
    .refine((list) => new Set(list).size === list.length, { message: 'lists a country twice' }),
  theme: z.object({ brand: ZColor, brandContrast: ZColor, accent: ZColor, surface: ZColor }).partial().default({}),
  isDefault: z.boolean().optional(),
});
export type SaveRegionRequest = z.input<typeof ZSaveRegionRequest>;
export const ZSaveRegionResponse = z.object({ region: ZRegionView, created: z.boolean() });

export const ZPriceKeyParams = z.object({
  key: z.string().regex(/^[a-z0-9_]{1,60}$/, 'must be 1–60 lowercase letters, digits or underscores'),
});
/** The largest amount numeric(14, 2) holds. */
export const MAX_PRICE = 999_999_999_999.99;
export const ZAmount = z
  .number()
  .min(0, 'must not be negative')
  .max(MAX_PRICE)
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, { message: 'must have at most 2 decimals' });
export const ZSavePriceRequest = z.object({
  amounts: z.record(ZCurrency, ZAmount).refine((a) => Object.keys(a).length <= 200, {
    message: 'has more than 200 currencies',
  }),
});
export type SavePriceRequest = z.infer<typeof ZSavePriceRequest>;
export const ZSavePriceResponse = z.object({ price: ZPriceView });
export const ZDeleteRegionResponse = z.object({ deleted: z.literal(true) });
