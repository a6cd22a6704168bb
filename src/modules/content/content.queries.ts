import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { DEFAULT_LOCALE } from '../../shared/locales.js';

export interface TopicSummary {
  id: number;
  slug: string;
  parentId: number | null;
  position: number;
  name: string;
  description: string;
  /** Locale the name is in (the requested one, else the first along its fallback chain, else English). */
  nameLocale: string;
  articleCount: number;
}

/**
 * Every topic with its name in `locale` (else along `fallback`, else English) and its count of readable articles.
 */
export async function listTopics(db: DB, locale: string, fallback: readonly string[] = []): Promise<TopicSummary[]> {
  const chain = sql.val([locale, ...fallback, DEFAULT_LOCALE]);
  const { rows } = await sql<{
    id: number;
    slug: string;
    parent_id: number | null;
    position: number;
    name: string;
    description: string;
    name_locale: string;
    article_count: number;
  }>`
    SELECT t.id, t.slug, t.parent_id, t.position,
           COALESCE(nt.name, t.slug) AS name,
           COALESCE(nt.description, '') AS description,
           COALESCE(nt.locale, ${DEFAULT_LOCALE}) AS name_locale,
           (SELECT count(*)::int FROM articles a
              WHERE a.topic_id = t.id
                AND EXISTS (SELECT 1 FROM article_translations x
                             WHERE x.article_id = a.id AND x.status = 'published'
                               AND (x.locale = ANY(${chain}::text[]) OR x.locale = a.source_locale))) AS article_count
      FROM topics t
      LEFT JOIN LATERAL (
             SELECT x.name, x.description, x.locale FROM topic_translations x
              WHERE x.topic_id = t.id AND x.locale = ANY(${chain}::text[])
              ORDER BY array_position(${chain}::text[], x.locale) LIMIT 1) nt ON true
     ORDER BY t.position, t.slug`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    parentId: r.parent_id,
    position: r.position,
    name: r.name,
    description: r.description,
    nameLocale: r.name_locale,
    articleCount: r.article_count,
  }));
}

export interface ArticleSummary {
  articleId: number;
  slug: string;
  title: string;
  topicId: number;
  topicSlug: string;
  /** The locale this summary is in: the requested one, else the first along its fallback chain, else the source. */
  locale: string;
  position: number;
  revisionId: number;
  updatedAt: Date;
}

export interface ListArticlesOptions {
  locale: string;
  /** Include articles not translated into `locale`: along `fallbackLocales`, else in their source language. */
  fallback: boolean;
  /** The locale's configured fallback chain (`LocaleCatalog.fallbackChain`), tried in order before the source. */
  fallbackLocales?: readonly string[];
  topicId?: number;
  slugs?: string[];
  limit?: number;
}

interface ArticleSummaryRow {
  article_id: number;
  slug: string;
  title: string;
  topic_id: number;
  topic_slug: string;
  locale: string;
  position: number;
  revision_id: number;
  updated_at: Date;
}

function toSummary(r: ArticleSummaryRow): ArticleSummary {
  return {
    articleId: r.article_id,
    slug: r.slug,
    title: r.title,
    topicId: r.topic_id,
    topicSlug: r.topic_slug,
    locale: r.locale,
    position: r.position,
    revisionId: r.revision_id,
    updatedAt: new Date(r.updated_at),
  };
}

/** Published articles readable in a locale, ordered by topic position then article position. */
export async function listArticles(db: DB, options: ListArticlesOptions): Promise<ArticleSummary[]> {
  const { locale } = options;
  const topicFilter = options.topicId === undefined ? sql`` : sql`AND a.topic_id = ${options.topicId}`;
  const slugFilter = options.slugs === undefined ? sql`` : sql`AND a.slug = ANY(${sql.val(options.slugs)}::text[])`;
  const localeFilter = options.fallback
    ? sql`AND (lt.id IS NOT NULL OR st.id IS NOT NULL)`
    : sql`AND lt.id IS NOT NULL`;
  const limit = options.limit === undefined ? sql`` : sql`LIMIT ${options.limit}`;
  const chain = sql.val(options.fallback ? [locale, ...(options.fallbackLocales ?? [])] : [locale]);
  const { rows } = await sql<ArticleSummaryRow>`
    SELECT a.id AS article_id, a.slug, r.title, a.topic_id, tp.slug AS topic_slug,
           COALESCE(lt.locale, st.locale) AS locale, a.position, r.id AS revision_id,
           COALESCE(lt.published_at, st.published_at) AS updated_at
      FROM articles a
      JOIN topics tp ON tp.id = a.topic_id
      -- One set-based pass (the first published locale of the chain per article), not a lookup per article: PGlite
      -- has no autovacuum, so with stale statistics a per-article lookup was planned as a scan per article (2 s at
      -- 5,000 articles).
      LEFT JOIN (
             SELECT DISTINCT ON (x.article_id) x.* FROM article_translations x
              WHERE x.status = 'published' AND x.locale = ANY(${chain}::text[])
              ORDER BY x.article_id, array_position(${chain}::text[], x.locale)) lt ON lt.article_id = a.id
      LEFT JOIN article_translations st
             ON st.article_id = a.id AND st.locale = a.source_locale AND st.status = 'published'
      JOIN article_revisions r ON r.id = COALESCE(lt.published_revision_id, st.published_revision_id)
     WHERE true ${localeFilter} ${topicFilter} ${slugFilter}
     ORDER BY tp.position, a.position, a.slug
     ${limit}`.execute(db);
  return rows.map(toSummary);
}

export interface ArticleTranslationInfo {
  locale: string;
  title: string;
  /** The source language has a newer published revision than the one this translation was made from. */
  outdated: boolean;
}

export interface ArticleView extends ArticleSummary {
  requestedLocale: string;
  sourceLocale: string;
  revision: number;
  bodyMarkdown: string;
  keywords: string[];
  author: string;
  outdated: boolean;
  translations: ArticleTranslationInfo[];
}

/**
 * The published article in `locale`; without a published translation there, in the first locale along `fallback`
 * that has one, else in its source language.
 */
export async function getPublishedArticle(
  db: DB,
  slug: string,
  locale: string,
  fallback: readonly string[] = [],
): Promise<ArticleView | null> {
  const chain = sql.val([locale, ...fallback]);
  const { rows } = await sql<
    ArticleSummaryRow & {
      source_locale: string;
      number: number;
      body_md: string;
      keywords: string[];
      author: string;
    }
  >`
    SELECT a.id AS article_id, a.slug, r.title, a.topic_id, tp.slug AS topic_slug, t.locale, a.position,
           r.id AS revision_id, t.published_at AS updated_at, a.source_locale, r.number, r.body_md, r.keywords, r.author
      FROM articles a
      JOIN topics tp ON tp.id = a.topic_id
      JOIN article_translations t ON t.article_id = a.id AND t.status = 'published'
      JOIN article_revisions r ON r.id = t.published_revision_id
     WHERE a.slug = ${slug} AND (t.locale = ANY(${chain}::text[]) OR t.locale = a.source_locale)
     ORDER BY array_position(${chain}::text[], t.locale) NULLS LAST
     LIMIT 1`.execute(db);
  const row = rows[0];
  if (!row) return null;
  const translations = await listTranslations(db, row.article_id);
  const own = translations.find((t) => t.locale === row.locale);
  return {
    ...toSummary(row),
    requestedLocale: locale,
    sourceLocale: row.source_locale,
    revision: row.number,
    bodyMarkdown: row.body_md,
    keywords: row.keywords,
    author: row.author,
    outdated: own?.outdated ?? false,
    translations,
  };
}

/** The published translations of an article, each flagged when made from an older source revision. */
export async function listTranslations(db: DB, articleId: number): Promise<ArticleTranslationInfo[]> {
  const { rows } = await sql<{ locale: string; title: string; outdated: boolean }>`
    SELECT t.locale, r.title,
           (t.locale <> a.source_locale AND src.published_revision_id IS NOT NULL
              AND (r.source_revision_id IS NULL OR r.source_revision_id < src.published_revision_id)) AS outdated
      FROM article_translations t
      JOIN articles a ON a.id = t.article_id
      JOIN article_revisions r ON r.id = t.published_revision_id
      LEFT JOIN article_translations src ON src.article_id = a.id AND src.locale = a.source_locale
     WHERE t.article_id = ${articleId} AND t.status = 'published'
     ORDER BY t.locale`.execute(db);
  return rows.map((r) => ({ locale: r.locale, title: r.title, outdated: r.outdated }));
}

/** Topics from the root down to `topicId`, named in `locale`. */
export async function topicPath(db: DB, topicId: number, locale: string): Promise<TopicSummary[]> {
  return pathTo(await listTopics(db, locale), topicId);
}

/** The chain of topics from the root to `topicId` within an already-loaded list. */
export function pathTo(topics: TopicSummary[], topicId: number): TopicSummary[] {
  const byId = new Map(topics.map((t) => [t.id, t]));
  const path: TopicSummary[] = [];
  let cursor = byId.get(topicId);
  while (cursor && path.length < 20) {
    path.unshift(cursor);
    cursor = cursor.parentId === null ? undefined : byId.get(cursor.parentId);
  }
  return path;
}

/** Most-read articles over the last `days` days, in `locale` falling back along `fallback`, then the source. */
export async function popularArticles(
  db: DB,
  locale: string,
  limit: number,
  days = 30,
  fallback: readonly string[] = [],
): Promise<ArticleSummary[]> {
  const { rows } = await sql<{ slug: string }>`
    SELECT a.slug
      FROM article_daily_views v
      JOIN articles a ON a.id = v.article_id
     WHERE v.day >= current_date - ${days}::int
     GROUP BY a.slug
     ORDER BY sum(v.views) DESC, a.slug
     LIMIT ${limit * 2}`.execute(db);
  const ranked = rows.map((r) => r.slug);
  const summaries = ranked.length
    ? await listArticles(db, { locale, fallback: true, fallbackLocales: fallback, slugs: ranked })
    : await listArticles(db, { locale, fallback: true, fallbackLocales: fallback, limit });
  const order = new Map(ranked.map((slug, i) => [slug, i]));
  return summaries.sort((a, b) => (order.get(a.slug) ?? 1e9) - (order.get(b.slug) ?? 1e9)).slice(0, limit);
}
