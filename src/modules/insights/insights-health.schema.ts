import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { ZArticlesQuery, ZDecliningQuery, ZPeriodQuery } from './insights.schema.js';

/**
 * The health routes' query strings: the contract's, plus `format=csv` (a plain link to a download; the same as
 * `Accept: text/csv`) and, for translations and deflection, one article's `slug`.
 */
const ZFormat = z.enum(['csv', 'json']).optional();
const ZSlug = z.string().min(1).max(LIMITS.slug).optional();

/** True for a day that exists in the calendar (the contract's pattern lets "2026-02-31" through). */
function isRealDay(day: string): boolean {
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
}

/** Refuses days like 2026-02-31 in `from`, `to` and `asOf` with VALIDATION_FAILED naming the field. */
function realDays(
  query: { from?: string | undefined; to?: string | undefined; asOf?: string | undefined },
  ctx: z.RefinementCtx,
) {
  for (const field of ['from', 'to', 'asOf'] as const) {
    const day = query[field];
    if (day !== undefined && !isRealDay(day))
      ctx.addIssue({ code: 'custom', path: [field], message: 'not a day in the calendar' });
  }
}

export const ZHealthArticlesQuery = ZArticlesQuery.extend({ format: ZFormat }).superRefine(realDays);
export const ZHealthDecliningQuery = ZDecliningQuery.extend({ format: ZFormat }).superRefine(realDays);
export const ZHealthOverviewQuery = ZPeriodQuery.superRefine(realDays);
export const ZHealthTranslationsQuery = ZPeriodQuery.extend({ slug: ZSlug, format: ZFormat }).superRefine(realDays);
export const ZHealthDeflectionQuery = ZPeriodQuery.extend({ slug: ZSlug, format: ZFormat }).superRefine(realDays);
