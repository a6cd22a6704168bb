import { sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import { boundedDistance, redactPersonalData } from '../search/index.js';
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
  const misspelt = nearMissOf(forms);
  const missing = new Map<string, { display: string; count: number; queries: string[] }>();
  const shown = queries.rows.map((row) => ({ query: redactPersonalData(row.query), count: Number(row.sessions) }));
  queries.rows.forEach((row, i) => {
    const query = shown[i] as (typeof shown)[number];
    const seen = new Set<string>();
    for (const term of extractTerms(locale, row.normalized).unigrams) {
      if (seen.has(term.key) || forms.has(term.key) || forms.has(term.display)) continue;
      // A typo of a word the article has ("usernme", "profiel") is not a word it lacks.
      if (misspelt(term.key) || misspelt(term.display)) continue;
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

/** Scripts written without spaces: one edit changes a whole word there, so no typo matching. */
const NO_TYPO_MATCHING = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/**
 * A test for "this is a misspelling of a word the article has": one edit (insert, delete, substitute, or swap two
 * neighbours) for words of 3 to 7 letters, two for longer ones, against the article's words of about the same length.
 */
export function nearMissOf(forms: ReadonlySet<string>): (term: string) => boolean {
  const byLength = new Map<number, string[]>();
  for (const form of forms) {
    const list = byLength.get(form.length) ?? [];
    list.push(form);
    byLength.set(form.length, list);
  }
  return (term) => {
    if (term.length < 3 || NO_TYPO_MATCHING.test(term)) return false;
    const budget = term.length >= 8 ? 2 : 1;
    for (let length = term.length - budget; length <= term.length + budget; length++) {
      for (const form of byLength.get(length) ?? []) {
        if (form.length < 3) continue;
        if (boundedDistance(term, form, budget) <= budget || isSwap(term, form)) return true;
      }
    }
    return false;
  };
}

/** Two neighbouring letters swapped ("naem" / "name"). */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
