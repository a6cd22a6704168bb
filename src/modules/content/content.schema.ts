import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { INT4_MAX, ZText } from '../../shared/text.js';
import { ZLocale } from './locales.schema.js';

export const ZSlug = z
  .string()
  .min(1)
  .max(LIMITS.slug)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens, like "reset-password"');

// A format check: whether the locale is configured is asked of the locale catalogue where it matters.
export { ZLocale };

export const ZSaveArticleRequest = z.object({
  slug: ZSlug,
  topic: ZSlug,
  locale: ZLocale,
  title: ZText.trim().min(1).max(LIMITS.articleTitle),
  body: ZText.max(LIMITS.articleBody),
  keywords: z.array(ZText.trim().min(1).max(LIMITS.keyword)).max(LIMITS.keywords).default([]),
  author: ZText.trim().min(1).max(LIMITS.authorName).default('operator'),
  publish: z.boolean().default(false),
  position: z.number().int().min(0).max(1_000_000).optional(),
  /** For a translation: the source revision number it was translated from (default: the published one). */
  sourceRevision: z.number().int().min(1).max(INT4_MAX).optional(),
});
export type SaveArticleRequest = z.input<typeof ZSaveArticleRequest>;

export const ZSaveTopicRequest = z.object({
  slug: ZSlug,
  parent: ZSlug.nullable().default(null),
  position: z.number().int().min(0).max(1_000_000).default(0),
  names: z.partialRecord(ZLocale, ZText.trim().min(1).max(LIMITS.topicName)).refine((names) => !!names.en, {
    message: 'an English name is required',
  }),
  descriptions: z.partialRecord(ZLocale, ZText.trim().max(LIMITS.topicDescription)).default({}),
});
export type SaveTopicRequest = z.input<typeof ZSaveTopicRequest>;

export const ZArticleListQuery = z.object({
  locale: ZLocale.default('en'),
  fallback: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const ZArticleListItem = z.object({
  slug: z.string(),
  title: z.string(),
  topic: z.string(),
  locale: z.string(),
  updatedAt: z.string(),
});

export const ZArticleListResponse = z.object({ articles: z.array(ZArticleListItem) });

export const ZArticleDetailResponse = z.object({
  slug: z.string(),
  title: z.string(),
  topic: z.string(),
  locale: z.string(),
  requestedLocale: z.string(),
  updatedAt: z.string(),
  revision: z.number().int(),
  keywords: z.array(z.string()),
  html: z.string(),
  toc: z.array(z.object({ level: z.number().int(), id: z.string(), text: z.string() })),
  translations: z.array(z.object({ locale: z.string(), title: z.string(), outdated: z.boolean() })),
  outdated: z.boolean(),
});

export const ZSaveArticleResponse = z.object({
  slug: z.string(),
  locale: z.string(),
  revision: z.number().int(),
  published: z.boolean(),
  unchanged: z.boolean(),
});

export const ZPublishRequest = z.object({ revision: z.number().int().min(1).max(INT4_MAX).optional() });
export const ZArticleLocaleParams = z.object({ slug: ZSlug, locale: ZLocale });
