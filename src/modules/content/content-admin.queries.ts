import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import { DEFAULT_LOCALE } from '../../shared/locales.js';

/** A translation's state in the back office. */
export type TranslationStatus = 'published' | 'draft' | 'outdated' | 'missing';
export const TRANSLATION_STATUSES: readonly TranslationStatus[] = ['published', 'draft', 'outdated', 'missing'];

/** One translation row with its latest and published revisions, as the back-office lists read it. */
export interface TranslationState {
  articleId: number;
  locale: string;
  published: boolean;
  publishedRevisionId: number | null;
  publishedNumber: number | null;
  publishedTitle: string | null;
  latestNumber: number | null;
  latestTitle: string | null;
  latestAuthor: string | null;
  updatedAt: Date;
  /** Ids and numbers of the source revisions the latest and the published revision were translated from. */
  latestSourceId: number | null;
  latestSourceNumber: number | null;
  publishedSourceId: number | null;
  publishedSourceNumber: number | null;
}

export interface ArticleState {
  id: number;
  slug: string;
  sourceLocale: string;
  position: number;
  topicId: number;
  createdAt: Date;
  translations: Map<string, TranslationState>;
}

/**
 * Status rules: no translation or no revision is missing; a translation whose (published, else latest) revision was
 * made from a source revision older than the source's published one is outdated; otherwise published or draft. The
 * source language's own translation is never outdated.
 */
export function statusOf(article: ArticleState, locale: string): TranslationStatus {
  const tr = article.translations.get(locale);
  if (!tr || tr.latestNumber === null) return 'missing';
  const source = article.translations.get(article.sourceLocale);
  const sourcePublished = source?.published ? source.publishedRevisionId : null;
  if (locale !== article.sourceLocale && sourcePublished !== null) {
    const from = tr.published ? tr.publishedSourceId : tr.latestSourceId;
    if (from === null || from < sourcePublished) return 'outdated';
  }
  return tr.published ? 'published' : 'draft';
}

/** The source revision a translation's status speaks of (published, else latest). */
export function translatedFromOf(tr: TranslationState | undefined): number | null {
  if (!tr) return null;
  return tr.published ? tr.publishedSourceNumber : tr.latestSourceNumber;
}

interface StateRow {
  article_id: number;
  slug: string;
  source_locale: string;
  position: number;
  topic_id: number;
  created_at: Date;
  locale: string | null;
  status: string | null;
  published_revision_id: number | null;
  updated_at: Date | null;
  latest_number: number | null;
  latest_title: string | null;
  latest_author: string | null;
  latest_source_id: number | null;
  latest_source_number: number | null;
  published_number: number | null;
  published_title: string | null;
  published_source_id: number | null;
  published_source_number: number | null;
}

/**
 * Every article (or those named) with each translation's latest and published revision, in ONE query: the list of
 * 5,000 articles × 6 locales must not cost a query per article. The latest revision is found through the
 * (translation_id, number) unique index.
 */
export async function loadArticleStates(db: DB, filter: { slugs?: string[] } = {}): Promise<ArticleState[]> {
  const slugFilter = filter.slugs === undefined ? sql`` : sql`WHERE a.slug = ANY(${sql.val(filter.slugs)}::text[])`;
  const { rows } = await sql<StateRow>`
    SELECT a.id AS article_id, a.slug, a.source_locale, a.position, a.topic_id, a.created_at,
           t.locale, t.status, t.published_revision_id, t.updated_at,
           lr.number AS latest_number, lr.title AS latest_title, lr.author AS latest_author,
           lr.source_revision_id AS latest_source_id, ls.number AS latest_source_number,
           pr.number AS published_number, pr.title AS published_title,
           pr.source_revision_id AS published_source_id, ps.number AS published_source_number
      FROM articles a
      LEFT JOIN article_translations t ON t.article_id = a.id
      LEFT JOIN LATERAL (
             SELECT r.number, r.title, r.author, r.source_revision_id
               FROM article_revisions r
              WHERE r.translation_id = t.id
              ORDER BY r.number DESC
              LIMIT 1) lr ON true
      LEFT JOIN article_revisions ls ON ls.id = lr.source_revision_id
      LEFT JOIN article_revisions pr ON pr.id = t.published_revision_id
      LEFT JOIN article_revisions ps ON ps.id = pr.source_revision_id
      ${slugFilter}`.execute(db);
  const articles = new Map<number, ArticleState>();
  for (const r of rows) {
    let article = articles.get(r.article_id);
    if (!article) {
      article = {
        id: r.article_id,
        slug: r.slug,
        sourceLocale: r.source_locale,
        position: r.position,
        topicId: r.topic_id,
        createdAt: new Date(r.created_at),
        translations: new Map(),
      };
      articles.set(r.article_id, article);
    }
    if (r.locale === null) continue;
    const published = r.status === 'published' && r.published_revision_id !== null;
    article.translations.set(r.locale, {
      articleId: r.article_id,
      locale: r.locale,
      published,
      publishedRevisionId: published ? r.published_revision_id : null,
      publishedNumber: published ? r.published_number : null,
      publishedTitle: published ? r.published_title : null,
      latestNumber: r.latest_number,
      latestTitle: r.latest_title,
      latestAuthor: r.latest_author,
      updatedAt: new Date(r.updated_at ?? r.created_at),
      latestSourceId: r.latest_source_id,
      latestSourceNumber: r.latest_source_number,
      publishedSourceId: published ? r.published_source_id : null,
      publishedSourceNumber: published ? r.published_source_number : null,
    });
  }
  return [...articles.values()];
}

export interface TopicNode {
  id: number;
  slug: string;
  parentId: number | null;
  parent: string | null;
  position: number;
  names: Record<string, { name: string; description: string }>;
  articleCount: number;
}

/** Every topic with its names in every locale and its number of articles (any status), ordered for a tree. */
export async function listTopicTree(db: DB): Promise<TopicNode[]> {
  const topics = await db
    .selectFrom('topics as t')
    .leftJoin('topics as p', 'p.id', 't.parent_id')
    .select((eb) => [
      't.id',
      't.slug',
      't.parent_id',
      't.position',
      'p.slug as parent',
      eb
        .selectFrom('articles as a')
        .whereRef('a.topic_id', '=', 't.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('article_count'),
    ])
    .orderBy('t.position')
    .orderBy('t.slug')
    .execute();
  const names = await db.selectFrom('topic_translations').selectAll().execute();
  const byTopic = new Map<number, Record<string, { name: string; description: string }>>();
  for (const n of names) {
    const entry = byTopic.get(n.topic_id) ?? {};
    entry[n.locale] = { name: n.name, description: n.description };
    byTopic.set(n.topic_id, entry);
  }
  return topics.map((t) => ({
    id: t.id,
    slug: t.slug,
    parentId: t.parent_id,
    parent: t.parent,
    position: t.position,
    names: byTopic.get(t.id) ?? {},
    articleCount: t.article_count ?? 0,
  }));
}

/** A topic's display name: English, else any locale's, else its slug. */
export function topicNameOf(topic: TopicNode): string {
  return topic.names[DEFAULT_LOCALE]?.name ?? Object.values(topic.names)[0]?.name ?? topic.slug;
}

/** The ids of a topic and all its subtopics. */
export function subtreeOf(topics: TopicNode[], rootId: number): Set<number> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of topics) {
      if (t.parentId !== null && ids.has(t.parentId) && !ids.has(t.id)) {
        ids.add(t.id);
        grew = true;
      }
    }
  }
  return ids;
}

export interface RevisionRecord {
  id: number;
  number: number;
  title: string;
  keywords: string[];
  bodyMarkdown: string;
  author: string;
  createdAt: Date;
  sourceRevision: number | null;
  sourceRevisionId: number | null;
  published: boolean;
}

/** An article's translation (id, source locale, published revision), or 404 when the article does not exist. */
export async function findTranslation(db: DB, slug: string, locale: string) {
  const article = await db
    .selectFrom('articles')
    .select(['id', 'source_locale', 'topic_id', 'position'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!article) throw notFound(`article "${slug}"`);
  const translation = await db
    .selectFrom('article_translations')
    .select(['id', 'status', 'published_revision_id'])
    .where('article_id', '=', article.id)
    .where('locale', '=', locale)
    .executeTakeFirst();
  return { article, translation: translation ?? null };
}

function revisionQuery(db: DB, translationId: number, publishedRevisionId: number | null) {
  return db
    .selectFrom('article_revisions as r')
    .leftJoin('article_revisions as s', 's.id', 'r.source_revision_id')
    .select([
      'r.id',
      'r.number',
      'r.title',
      'r.keywords',
      'r.author',
      'r.created_at',
      'r.source_revision_id',
      's.number as source_number',
    ])
    .select(sql<boolean>`r.id = ${publishedRevisionId ?? 0}`.as('published'))
    .where('r.translation_id', '=', translationId);
}

type RevisionRow = {
  id: number;
  number: number;
  title: string;
  keywords: string[];
  author: string;
  created_at: Date;
  source_revision_id: number | null;
  source_number: number | null;
  published: boolean;
};

function toRecord(r: RevisionRow, body: string): RevisionRecord {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    keywords: r.keywords,
    bodyMarkdown: body,
    author: r.author,
    createdAt: new Date(r.created_at),
    sourceRevision: r.source_number,
    sourceRevisionId: r.source_revision_id,
    published: r.published,
  };
}

/** A translation's revisions, newest first, without bodies. */
export async function listRevisions(
  db: DB,
  slug: string,
  locale: string,
): Promise<Omit<RevisionRecord, 'bodyMarkdown'>[]> {
  const { translation } = await findTranslation(db, slug, locale);
  if (!translation) return [];
  const published = translation.status === 'published' ? translation.published_revision_id : null;
  const rows = await revisionQuery(db, translation.id, published).orderBy('r.number', 'desc').execute();
  return rows.map((r) => {
    const { bodyMarkdown: _omit, ...rest } = toRecord(r, '');
    return rest;
  });
}

/** One revision of a translation, or null when it does not exist. */
export async function findRevision(
  db: DB,
  translation: { id: number; status: string; published_revision_id: number | null },
  number: number | 'latest',
): Promise<RevisionRecord | null> {
  const published = translation.status === 'published' ? translation.published_revision_id : null;
  let query = revisionQuery(db, translation.id, published).select('r.body_md');
  query = number === 'latest' ? query.orderBy('r.number', 'desc').limit(1) : query.where('r.number', '=', number);
  const row = await query.executeTakeFirst();
  return row ? toRecord(row, row.body_md) : null;
}

/** One revision of an article translation; 404 when the article, translation or revision does not exist. */
export async function getRevision(db: DB, slug: string, locale: string, number: number): Promise<RevisionRecord> {
  const { translation } = await findTranslation(db, slug, locale);
  const revision = translation ? await findRevision(db, translation, number) : null;
  if (!revision) throw notFound(`revision ${number} of "${slug}" in ${locale}`);
  return revision;
}

/** Views per (article, locale) over the last `days` days. */
export async function recentViews(db: DB, days = 30): Promise<Map<string, number>> {
  const { rows } = await sql<{ article_id: number; locale: string; views: number }>`
    SELECT article_id, locale, sum(views)::int AS views
      FROM article_daily_views
     WHERE day >= current_date - ${days}::int
     GROUP BY article_id, locale`.execute(db);
  return new Map(rows.map((r) => [`${r.article_id}|${r.locale}`, r.views]));
}
