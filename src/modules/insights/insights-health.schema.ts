import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { ZArticlesQuery, ZDecliningQuery, ZPeriodQuery } from './insights.schema.js';

/**
 * The health routes' query strings: the contract's, plus `format=csv` (a plain link to a download; the same as
 * `Accept: text/csv`) and, for translations and deflection, one article's `slug`.
 */
const ZFormat = z.enum(['csv', 'json']).optional();
const ZSlug = z.string().min(1).max(LIMITS.slug).optional();

export const ZHealthArticlesQuery = ZArticlesQuery.extend({ format: ZFormat });
export const ZHealthDecliningQuery = ZDecliningQuery.extend({ format: ZFormat });
export const ZHealthOverviewQuery = ZPeriodQuery;
export const ZHealthTranslationsQuery = ZPeriodQuery.extend({ slug: ZSlug, format: ZFormat });
export const ZHealthDeflectionQuery = ZPeriodQuery.extend({ slug: ZSlug, format: ZFormat });
