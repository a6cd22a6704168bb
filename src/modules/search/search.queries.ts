import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import type { SuggestionRule } from './decide-suggestions.js';

export interface PublishedTranslationRow {
  slug: string;
  locale: string;
  sourceLocale: string;
  revisionId: number;
  title: string;
  bodyMarkdown: string;
  keywords: string[];
}

/** Every published article translation with its published revision (or only the ones matching the filter). */
export async function listPublishedTranslations(
  db: DB,
  filter: { slug?: string; locale?: string; slugs?: string[] } = {},
): Promise<PublishedTranslationRow[]> {
  const slugFilter =
    filter.slug !== undefined
      ? sql`AND a.slug = ${filter.slug}`
      : filter.slugs !== undefined
        ? sql`AND a.slug = ANY(${sql.val(filter.slugs)}::text[])`
        : sql``;
  const localeFilter = filter.locale === undefined ? sql`` : sql`AND t.locale = ${filter.locale}`;
  const { rows } = await sql<{
    slug: string;
    locale: string;
    source_locale: string;
    revision_id: number;
    title: string;
    body_md: string;
    keywords: string[];
  }>`
    SELECT a.slug, t.locale, a.source_locale, r.id AS revision_id, r.title, r.body_md, r.keywords
      FROM article_translations t
      JOIN articles a ON a.id = t.article_id
      JOIN article_revisions r ON r.id = t.published_revision_id
     WHERE t.status = 'published' ${slugFilter} ${localeFilter}
     ORDER BY t.locale, a.slug`.execute(db);
  return rows.map((r) => ({
    slug: r.slug,
    locale: r.locale,
    sourceLocale: r.source_locale,
    revisionId: r.revision_id,
    title: r.title,
    bodyMarkdown: r.body_md,
    keywords: r.keywords,
  }));
}

export interface SynonymGroup {
  id: number;
  locale: string;
  terms: string[];
}

/** Synonym groups, of one locale or all. */
export async function listSynonyms(db: DB, locale?: string): Promise<SynonymGroup[]> {
  let query = db.selectFrom('search_synonyms').select(['id', 'locale', 'terms']).orderBy('locale').orderBy('id');
  if (locale !== undefined) query = query.where('locale', '=', locale);
  return query.execute();
}

/** The operator's pinned and banned suggestions, of one locale or all. */
export async function listSuggestionRules(db: DB, locale?: string): Promise<SuggestionRule[]> {
  let query = db
    .selectFrom('search_suggestion_rules')
    .select(['locale', 'normalized', 'text', 'status'])
    .orderBy('locale')
    .orderBy('normalized');
  if (locale !== undefined) query = query.where('locale', '=', locale);
  return query.execute();
}
