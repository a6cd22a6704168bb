import { LRUCache } from 'lru-cache';
import type { DB } from '../../db/client.js';
import type { Bus } from '../../shared/bus.js';
import {
  type ArticleSummary,
  type ArticleView,
  getPublishedArticle,
  type ListArticlesOptions,
  listArticles,
  listTopics,
  pathTo,
  popularArticles,
  type TopicSummary,
} from './content.queries.js';

/** Cached reads of published content for the public site. */
export interface ContentReader {
  article(slug: string, locale: string): Promise<ArticleView | null>;
  topics(locale: string): Promise<TopicSummary[]>;
  articles(options: ListArticlesOptions): Promise<ArticleSummary[]>;
  popular(locale: string, limit: number): Promise<ArticleSummary[]>;
  /** Topics from the root down to `topicId`. */
  topicPath(topicId: number, locale: string): Promise<TopicSummary[]>;
  clear(): void;
}

/**
 * Published content changes rarely and is read on every page, while PGlite serialises queries on one
 * connection: caching the reads takes the database off the page's hot path. A publish anywhere (this process,
 * another one on the same PostgreSQL server, the CLI) clears the cache through its bus event; `ttlMs` is a safety
 * net for a lost notification.
 */
export function createContentReader(
  db: DB,
  bus: Bus,
  options: {
    ttlMs?: number;
    /** A locale's configured fallback chain (`LocaleCatalog.fallbackChain`); none: straight to the source language. */
    fallbackChain?: (locale: string) => string[];
  } = {},
): ContentReader {
  const chainOf = options.fallbackChain ?? (() => []);
  const ttl = options.ttlMs ?? 30_000;
  const cache = new LRUCache<string, { value: unknown }>({ max: 5_000, ttl });
  const popularCache = new LRUCache<string, { value: unknown }>({ max: 100, ttl: Math.max(ttl, 5 * 60_000) });

  async function cached<T>(
    store: LRUCache<string, { value: unknown }>,
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const hit = store.get(key);
    if (hit) return hit.value as T;
    const value = await load();
    store.set(key, { value });
    return value;
  }

  const clear = () => {
    cache.clear();
    popularCache.clear();
  };
  bus.on('article.published', clear);
  bus.on('article.unpublished', clear);
  bus.on('topics.changed', clear);
  // A new chain changes which text a page falls back to.
  bus.on('locales.changed', clear);
  // This process may have missed any of the above.
  bus.on('cluster.resync', clear);

  const reader: ContentReader = {
    article: (slug, locale) =>
      cached(cache, `a|${slug}|${locale}`, () => getPublishedArticle(db, slug, locale, chainOf(locale))),
    topics: (locale) => cached(cache, `t|${locale}`, () => listTopics(db, locale, chainOf(locale))),
    articles: (opts) =>
      cached(cache, `l|${JSON.stringify([opts.locale, opts.fallback, opts.topicId, opts.slugs, opts.limit])}`, () =>
        listArticles(db, { ...opts, fallbackLocales: opts.fallbackLocales ?? chainOf(opts.locale) }),
      ),
    popular: (locale, limit) =>
      cached(popularCache, `p|${locale}|${limit}`, () => popularArticles(db, locale, limit, 30, chainOf(locale))),
    topicPath: async (topicId, locale) => pathTo(await reader.topics(locale), topicId),
    clear,
  };
  return reader;
}
