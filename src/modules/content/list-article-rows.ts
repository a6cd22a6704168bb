import type { DB } from '../../db/client.js';
import {
  type ArticleState,
  listTopicTree,
  loadArticleStates,
  statusOf,
  subtreeOf,
  type TranslationStatus,
  topicNameOf,
} from './content-admin.queries.js';
import type { ArticleRow, ArticleRowsQuery, ArticleRowsResponse, TranslationCell } from './content-admin.schema.js';
import { contentLocalesOf } from './content-locales.js';

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * The back office's article list: every article with each configured locale's status, filtered, counted and paged.
 * One query loads every article's translations (filters such as "outdated in ar" depend on the source's state, so
 * they are applied here rather than in SQL); 5,000 articles × 6 locales is a few tens of milliseconds of work.
 * `counts` are over the articles matching every filter but `status` (so the status tabs show what each would give):
 * per translation in `locale` when one is given, across every locale's translation otherwise.
 */
export async function listArticleRows(db: DB, query: ArticleRowsQuery): Promise<ArticleRowsResponse> {
  const [locales, states, topics] = await Promise.all([contentLocalesOf(db), loadArticleStates(db), listTopicTree(db)]);
  const topicById = new Map(topics.map((t) => [t.id, t]));
  let topicIds: Set<number> | undefined;
  if (query.topic !== undefined) {
    const root = topics.find((t) => t.slug === query.topic);
    topicIds = root ? subtreeOf(topics, root.id) : new Set();
  }
  const needle = query.q ? fold(query.q) : undefined;
  const author = query.author ? fold(query.author) : undefined;
  const scope = query.locale ? [query.locale] : locales;

  const counts: Record<TranslationStatus, number> = { published: 0, draft: 0, outdated: 0, missing: 0 };
  const matches: { article: ArticleState; statuses: Map<string, TranslationStatus>; updatedAt: Date }[] = [];
  for (const article of states) {
    if (topicIds && !topicIds.has(article.topicId)) continue;
    if (needle !== undefined) {
      const titles = [...article.translations.values()].map((t) => t.latestTitle ?? '');
      if (!fold(article.slug).includes(needle) && !titles.some((title) => fold(title).includes(needle))) continue;
    }
    if (author !== undefined) {
      const authors = scope.map((l) => article.translations.get(l)?.latestAuthor).filter((a) => a !== undefined);
      if (!authors.some((a) => a !== null && fold(a) === author)) continue;
    }
    const statuses = new Map(locales.map((l) => [l, statusOf(article, l)]));
    for (const l of scope) counts[statuses.get(l) ?? statusOf(article, l)] += 1;
    if (query.status !== undefined && !scope.some((l) => (statuses.get(l) ?? statusOf(article, l)) === query.status)) {
      continue;
    }
    let updatedAt = article.createdAt;
    for (const t of article.translations.values()) if (t.updatedAt > updatedAt) updatedAt = t.updatedAt;
    matches.push({ article, statuses, updatedAt });
  }
  matches.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || a.article.slug.localeCompare(b.article.slug));

  const page = matches.slice(query.offset, query.offset + query.limit);
  const articles: ArticleRow[] = page.map(({ article, statuses, updatedAt }) => {
    const topic = topicById.get(article.topicId);
    const translations: Record<string, TranslationCell> = {};
    for (const locale of locales) {
      const tr = article.translations.get(locale);
      translations[locale] = {
        status: statuses.get(locale) ?? 'missing',
        title: tr?.latestTitle ?? null,
        latestRevision: tr?.latestNumber ?? null,
        publishedRevision: tr?.publishedNumber ?? null,
        author: tr?.latestAuthor ?? null,
        updatedAt: tr && tr.latestNumber !== null ? tr.updatedAt.toISOString() : null,
      };
    }
    return {
      slug: article.slug,
      topic: { slug: topic?.slug ?? '', name: topic ? topicNameOf(topic) : '' },
      sourceLocale: article.sourceLocale,
      position: article.position,
      updatedAt: updatedAt.toISOString(),
      translations,
    };
  });
  return { articles, total: matches.length, counts };
}
