import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { ZPeriodQuery } from './insights.schema.js';

/** `format=csv` asks for CSV from a plain link (as `Accept: text/csv` does). */
const ZFormat = z.enum(['csv', 'json']).optional();

export const ZVocabularyQuery = ZPeriodQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  format: ZFormat,
});

export const ZGapsQuery = ZPeriodQuery.extend({
  /** Failed searches plus tickets a gap needs (default 3). */
  minVolume: z.coerce.number().int().min(1).max(100_000).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  format: ZFormat,
});

export const ZArticleVocabularyParams = z.object({ slug: z.string().min(1).max(LIMITS.slug) });
export const ZArticleVocabularyQuery = ZPeriodQuery;
