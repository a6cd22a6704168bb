/** Zod schemas of the theme-discovery API (requests and responses). */
import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { ZLocale, ZSlug } from '../content/index.js';
import { THEME_TEXT_CAP } from './run-theme-discovery.js';

const ZItemIds = z.array(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)).min(1).max(THEME_TEXT_CAP);

export const ZDiscoverThemesRequest = z.object({
  /** Days back from now to take feedback from. */
  windowDays: z.number().int().min(1).max(365).default(90),
  /** The newest this many texts are clustered. */
  limit: z.number().int().min(10).max(THEME_TEXT_CAP).default(THEME_TEXT_CAP),
});

export const ZRenameThemeRequest = z.object({ name: z.string().trim().min(1).max(LIMITS.categoryName) });

export const ZAcceptThemeRequest = z.object({
  name: z.string().trim().min(1).max(LIMITS.categoryName),
  /** The locale the name is written in (the analyst's); English falls back to the same name. */
  locale: ZLocale.default('en'),
  slug: ZSlug.optional(),
  parent: ZSlug.nullable().optional(),
  description: z.string().trim().max(LIMITS.categoryDescription).default(''),
  itemIds: ZItemIds.optional(),
});

export const ZMergeThemeRequest = z.object({ category: ZSlug, itemIds: ZItemIds.optional() });

export const ZThemeProposalView = z.object({
  id: z.number().int(),
  kind: z.enum(['new', 'merge', 'split']),
  status: z.enum(['open', 'accepted', 'merged', 'dismissed']),
  name: z.string(),
  terms: z.array(z.string()),
  category: z.string().nullable(),
  similarity: z.number().nullable(),
  items: z.number().int(),
  share: z.number(),
  coherence: z.number(),
  trend: z.object({ lastWeek: z.number().int(), weeklyBefore: z.number() }),
  examples: z.array(z.object({ itemId: z.number().int(), text: z.string(), locale: z.string().nullable() })),
  itemIds: z.array(z.number().int()),
  language: z.string().nullable(),
  result: z
    .object({
      category: z.string().nullable(),
      labeled: z.number().int().nullable(),
      decidedBy: z.string(),
      decidedAt: z.string(),
    })
    .nullable(),
});

export const ZThemeRunView = z.object({
  id: z.number().int(),
  status: z.enum(['running', 'ready', 'failed']),
  progress: z.number(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  createdBy: z.string(),
  modelVersion: z.number().int().nullable(),
  windowDays: z.number().int(),
  texts: z.number().int(),
  capped: z.boolean(),
  k: z.number().int(),
  noise: z.number().int(),
  tooFew: z.number().int(),
  languages: z.array(
    z.object({ language: z.string(), texts: z.number().int(), clustered: z.boolean(), k: z.number().int() }),
  ),
  seconds: z.number(),
});

export const ZThemesResponse = z.object({
  /** The latest finished run, whose proposals these are. */
  run: ZThemeRunView.nullable(),
  proposals: z.array(ZThemeProposalView),
  /** The newest run when it is newer than `run`: running (poll until it is not) or failed. */
  current: ZThemeRunView.nullable(),
});
