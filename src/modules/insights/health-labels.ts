import { type RawBuilder, sql } from 'kysely';

/**
 * SQL for the title an article shows in `locale`: that translation's published title, else its latest revision's,
 * else the source language's published title. `article` and `locale` are SQL references of the outer row.
 */
export function articleTitleSql(article: RawBuilder<unknown>, locale: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`coalesce(
    (SELECT r.title FROM article_translations t JOIN article_revisions r ON r.id = t.published_revision_id
      WHERE t.article_id = ${article} AND t.locale = ${locale}),
    (SELECT r.title FROM article_translations t JOIN article_revisions r ON r.translation_id = t.id
      WHERE t.article_id = ${article} AND t.locale = ${locale} ORDER BY r.number DESC LIMIT 1),
    (SELECT r.title FROM articles sa JOIN article_translations t ON t.article_id = sa.id AND t.locale = sa.source_locale
      JOIN article_revisions r ON r.id = t.published_revision_id WHERE sa.id = ${article}),
    '')`;
}

/** SQL for a topic's name in `locale`, else in English, else its slug. */
export function topicNameSql(topic: RawBuilder<unknown>, slug: RawBuilder<unknown>, locale: RawBuilder<unknown>) {
  return sql<string>`coalesce(
    (SELECT n.name FROM topic_translations n WHERE n.topic_id = ${topic} AND n.locale = ${locale}),
    (SELECT n.name FROM topic_translations n WHERE n.topic_id = ${topic} AND n.locale = 'en'),
    ${slug})`;
}

/** A map key for an article in a locale. */
export function articleLocaleKey(slug: string, locale: string): string {
  return `${slug}\u0000${locale}`;
}

/** A share as a whole percentage, for evidence sentences. */
export function percent(rate: number): string {
  return `${Math.round(rate * 100)} %`;
}
