import type { DB } from '../../db/client.js';
import { loadArticleStates, recentViews, statusOf, translatedFromOf } from './content-admin.queries.js';
import type { TranslationQueueItem } from './content-admin.schema.js';
import { contentLocalesOf } from './content-locales.js';

/**
 * Outdated and missing translations of articles whose source is published, ordered by readers affected: views of
 * the article in that locale over the last 30 days (readers of a missing translation see the source-language
 * fallback, so they are counted too), then by slug.
 */
export async function translationQueue(
  db: DB,
  input: { locale?: string | undefined; limit: number },
): Promise<TranslationQueueItem[]> {
  const [locales, states, views] = await Promise.all([
    contentLocalesOf(db),
    loadArticleStates(db),
    recentViews(db, 30),
  ]);
  const scope = input.locale ? [input.locale] : locales;
  const items: TranslationQueueItem[] = [];
  for (const article of states) {
    const source = article.translations.get(article.sourceLocale);
    if (!source?.published || source.publishedNumber === null) continue;
    for (const locale of scope) {
      if (locale === article.sourceLocale) continue;
      const status = statusOf(article, locale);
      if (status !== 'outdated' && status !== 'missing') continue;
      const tr = article.translations.get(locale);
      items.push({
        slug: article.slug,
        locale,
        status,
        sourceTitle: source.publishedTitle ?? source.latestTitle ?? article.slug,
        title: tr?.latestTitle ?? null,
        views: views.get(`${article.id}|${locale}`) ?? 0,
        sourceRevision: source.publishedNumber,
        translatedFrom: status === 'missing' ? null : translatedFromOf(tr),
      });
    }
  }
  items.sort((a, b) => b.views - a.views || a.slug.localeCompare(b.slug) || a.locale.localeCompare(b.locale));
  return items.slice(0, input.limit);
}
