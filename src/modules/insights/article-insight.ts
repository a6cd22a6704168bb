import type { DB } from '../../db/client.js';
import { listAlerts } from './alerts.js';
import { articleCategories } from './article-categories.js';
import { computeArticleHealth } from './article-health.js';
import { articleReasons } from './article-reasons.js';
import { articleSeries } from './article-series.js';
import { articleVocabulary } from './article-vocabulary.js';
import { findArticleTranslation } from './find-article-translation.js';
import type { ArticleInsightResponse } from './insights.schema.js';
import { resolvePeriod } from './present-rows.js';
import { computeTranslationHealth } from './translation-health.js';

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
    health: (await computeArticleHealth(db, one)).articles[0] ?? null,
    series,
    revisionMarkers,
    reasons,
    categories,
    vocabulary: await articleVocabulary(db, one),
    // Every locale of the article against its source, so the screen compares them.
    translations: await computeTranslationHealth(db, { from: period.from, to: period.to, slug: article.slug }),
    alerts: await listAlerts(db, { slug: article.slug, locale: article.locale, open: true }),
  };
}
