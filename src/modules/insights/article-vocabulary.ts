import { sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import { redactPersonalData } from '../search/index.js';
import { articleWordForms, extractTerms } from './extract-terms.js';
import type { ZArticleVocabulary } from './insights.schema.js';
import { loadPublishedTexts, periodBounds } from './words.queries.js';

export type ArticleVocabulary = z.infer<typeof ZArticleVocabulary>;

export interface ArticleVocabularyOptions {
  slug: string;
  locale: string;
  from: string;
  to: string;
}

/** Queries shown per article, missing words offered, and the queries listed under each word. */
export const ARTICLE_VOCABULARY_LIMITS = { queries: 20, missing: 20, queriesPerWord: 5 } as const;

/**
 * For one article in one locale: the queries that led readers to it (searches whose result or suggestion they
 * clicked, counted once per session; clicks past a reader's or network's budget left out), and the words of those
 * queries that its published title, keywords and body lack: candidates for keywords or synonyms. 404 when the
 * article does not exist; an article not published in the locale lacks every word.
 */
export async function articleVocabulary(db: DB, options: ArticleVocabularyOptions): Promise<ArticleVocabulary> {
  const { slug, locale } = options;
  const { start, end } = periodBounds(options);
  const article = await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirst();
  if (!article) throw notFound('the article');
  const [queries, texts] = await Promise.all([
    sql<{ query: string; normalized: string; sessions: number }>`
      SELECT q.normalized, mode() WITHIN GROUP (ORDER BY q.query) AS query,
             count(DISTINCT coalesce(c.session_id, q.session_id, c.id::text))::int AS sessions
        FROM search_clicks c
        JOIN search_queries q ON q.id = c.search_id
       WHERE c.slug = ${slug} AND c.locale = ${locale} AND c.created_at >= ${start} AND c.created_at < ${end}
         AND c.suspect IS DISTINCT FROM 'reader-budget' AND c.suspect IS DISTINCT FROM 'network-budget'
         AND q.normalized <> ''
       GROUP BY q.normalized
       ORDER BY sessions DESC, q.normalized
       LIMIT ${ARTICLE_VOCABULARY_LIMITS.queries}`.execute(db),
    loadPublishedTexts(db, { locale, slug }),
  ]);

  const forms = articleWordForms(locale, texts.map((t) => t.text).join('\n'));
  const missing = new Map<string, { display: string; count: number; queries: string[] }>();
  const shown = queries.rows.map((row) => ({ query: redactPersonalData(row.query), count: Number(row.sessions) }));
  queries.rows.forEach((row, i) => {
    const query = shown[i] as (typeof shown)[number];
    const seen = new Set<string>();
    for (const term of extractTerms(locale, row.normalized).unigrams) {
      if (seen.has(term.key) || forms.has(term.key) || forms.has(term.display)) continue;
      seen.add(term.key);
      const entry = missing.get(term.key) ?? { display: term.display, count: 0, queries: [] };
      entry.count += query.count;
      if (entry.queries.length < ARTICLE_VOCABULARY_LIMITS.queriesPerWord) entry.queries.push(query.query);
      missing.set(term.key, entry);
    }
  });
  return {
    queries: shown,
    missing: [...missing.values()]
      .sort((a, b) => b.count - a.count || (a.display < b.display ? -1 : a.display > b.display ? 1 : 0))
      .slice(0, ARTICLE_VOCABULARY_LIMITS.missing)
      .map((m) => ({ term: m.display, count: m.count, queries: m.queries })),
  };
}
