import type { DB } from '../../db/client.js';
import { articleCategories } from './article-categories.js';
import { articleReasons } from './article-reasons.js';
import { articleSeries } from './article-series.js';
import { findArticleTranslation } from './find-article-translation.js';
import type { ArticleInsightResponse } from './insights.schema.js';
import { resolvePeriod } from './present-rows.js';

/**
 * Everything the article detail screen and the editor's side panel show for one article translation over a period
 * (default: the last 28 days; `locale` defaults to the article's source locale): its health, helpful rate per week
 * with revision markers, reasons, categories, readers' words it lacks, its translations compared, and its open
 * alerts. 404 NOT_FOUND for an unknown slug or a locale the article is not written in.
 */
export async function articleInsight(
  db: DB,
  query: { slug: string; locale?: string | undefined; from?: string | undefined; to?: string | undefined },
  now: Date = new Date(),
): Promise<ArticleInsightResponse> {
  const period = resolvePeriod(query, now);
  const article = await findArticleTranslation(db, query);
  const one = { slug: article.slug, locale: article.locale, from: period.from, to: period.to };
  const { series, revisionMarkers } = await articleSeries(db, one);
  const reasons = await articleReasons(db, one);
  const categories = await articleCategories(db, one);
  return {
    slug: article.slug,
    locale: article.locale,
    title: article.title,
    sourceLocale: article.sourceLocale,
    from: period.from,
    to: period.to,
    // integration: computeArticleHealth(db, one) from h/insights-health (article-health.ts).
    health: null,
    series,
    revisionMarkers,
    reasons,
    categories,
    // integration: articleVocabulary(db, one) from h/insights-words (article-vocabulary.ts).
    vocabulary: { queries: [], missing: [] },
    // integration: computeTranslationHealth(db, { from, to, slug }) from h/insights-health (translation-health.ts).
    translations: [],
    // integration: listAlerts(db, { slug, locale, open: true }) from h/insights-alerts (alerts.ts).
    alerts: [],
  };
}
