import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';

export interface ArticleTranslationRef {
  articleId: number;
  translationId: number;
  slug: string;
  /** The translation's locale (the one asked for, else the article's source locale). */
  locale: string;
  sourceLocale: string;
  /** The live revision's title, else the latest revision's. */
  title: string;
}

/**
 * The article translation an insight is about: `locale` defaults to the article's source locale. An unknown slug,
 * or a slug without a translation in that locale, is a 404 NOT_FOUND.
 */
export async function findArticleTranslation(
  db: DB,
  query: { slug: string; locale?: string | undefined },
): Promise<ArticleTranslationRef> {
  const row = (
    await sql<{
      article_id: number;
      translation_id: number | null;
      locale: string | null;
      source_locale: string;
      title: string | null;
    }>`
      SELECT a.id AS article_id, a.source_locale, t.id AS translation_id, t.locale,
             (SELECT r.title FROM article_revisions r WHERE r.translation_id = t.id
               ORDER BY (r.id = t.published_revision_id) DESC, r.number DESC LIMIT 1) AS title
      FROM articles a
      LEFT JOIN article_translations t ON t.article_id = a.id AND t.locale = coalesce(${query.locale ?? null}::text, a.source_locale)
      WHERE a.slug = ${query.slug}`.execute(db)
  ).rows[0];
  if (!row) throw new AppError('NOT_FOUND', `no article "${query.slug}"`);
  if (row.translation_id === null || row.locale === null) {
    throw new AppError(
      'NOT_FOUND',
      `article "${query.slug}" has no translation in "${query.locale ?? row.source_locale}"`,
    );
  }
  return {
    articleId: row.article_id,
    translationId: row.translation_id,
    slug: query.slug,
    locale: row.locale,
    sourceLocale: row.source_locale,
    title: row.title ?? query.slug,
  };
}
