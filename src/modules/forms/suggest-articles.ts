import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import { resolvePlaceholdersText } from '../content/index.js';
import type { SearchEngine } from '../search/index.js';
import { selectResults } from '../search/index.js';
import { loadCurrentForm } from './forms.queries.js';
import { issueSuggestionToken } from './suggestion-token.js';

/** Articles offered at most while a reader types (more would push the form itself out of view). */
export const MAX_SUGGESTIONS = 5;
/** Longest text the endpoint accepts (a whole description, as the predictions do). */
export const SUGGEST_TEXT_MAX = 5000;
/** Characters of it searched: the subject and the start of the description say what the question is. */
const SEARCHED_CHARS = 300;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * True when the typed text says enough to look articles up: 3 characters, or 2 when it has CJK characters (one
 * kanji or hangul syllable carries about as much as a short Latin word). Spaces don't count.
 */
export function longEnoughToSuggest(text: string): boolean {
  const characters = [...text.replace(/\s+/gu, '')].length;
  return characters >= 3 || (characters >= 2 && CJK.test(text));
}

export interface ArticleSuggestion {
  slug: string;
  title: string;
  url: string;
  /** Plain text (never HTML): the passage around the matched words. */
  snippet: string;
  /** Signed proof that the server showed this revision here (what a deflection must bring back). */
  token: string;
}

export interface SuggestArticlesDeps {
  db: DB;
  engine: SearchEngine;
  /** ctx.keys.forms */
  key: Buffer;
  /** The default region's prices, to resolve price placeholders in snippets. */
  prices: Parameters<typeof resolvePlaceholdersText>[1];
  currency: string;
}

/** The snippet as text: the engine's is escaped HTML whose only tags are <mark>; undone exactly, then resolved. */
function snippetText(html: string): string {
  return html
    .replace(/<\/?mark>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The start of a long text, not cutting a word in half (a cut word would be searched as a prefix). */
function searchedPart(text: string): string {
  if (text.length <= SEARCHED_CHARS) return text;
  const cut = text.slice(0, SEARCHED_CHARS);
  const space = cut.search(/\s\S*$/u);
  return space > 0 ? cut.slice(0, space) : cut;
}

/**
 * The published articles that best match what a reader typed into a form, in the reader's locale, each with a
 * signed token naming the article, the revision shown and its locale. An unknown or disabled form is 404.
 */
export async function suggestArticles(
  deps: SuggestArticlesDeps,
  input: { form: string; locale: string; text: string; now?: Date },
): Promise<ArticleSuggestion[]> {
  const form = await loadCurrentForm(deps.db, input.form);
  if (!form?.enabled) throw notFound(`form "${input.form}"`);
  const text = searchedPart(input.text.trim());
  if (!longEnoughToSuggest(text)) return [];
  const outcome = deps.engine.search(input.locale, text, { limit: MAX_SUGGESTIONS + 3, prefixLast: true });
  // The results page's policy: what answers the query, then a few partial matches; the weak tail dropped.
  const hits = selectResults(outcome.hits).shown.slice(0, MAX_SUGGESTIONS);
  if (hits.length === 0) return [];
  // An untranslated article is found in this locale through link texts and shown in its own language.
  const { rows } = await sql<{ slug: string; locale: string; article_id: number; revision_id: number | null }>`
    SELECT a.slug, t.locale, a.id AS article_id, t.published_revision_id AS revision_id
      FROM articles a
      JOIN article_translations t ON t.article_id = a.id
     WHERE a.slug = ANY(${sql.val(hits.map((h) => h.slug))}::text[])
       AND t.locale = ANY(${sql.val([...new Set(hits.map((h) => h.locale))])}::text[])`.execute(deps.db);
  const translation = new Map(rows.map((r) => [`${r.slug}\u0000${r.locale}`, r]));
  const suggestions: ArticleSuggestion[] = [];
  for (const hit of hits) {
    const row = translation.get(`${hit.slug}\u0000${hit.locale}`);
    // Unpublished since it was indexed (the index catches up within a second): not offered.
    if (!row || row.revision_id === null) continue;
    suggestions.push({
      slug: hit.slug,
      title: hit.title,
      url: `/${input.locale}/articles/${hit.slug}`,
      snippet: resolvePlaceholdersText(snippetText(hit.snippetHtml), deps.prices, deps.currency, hit.locale),
      token: issueSuggestionToken(
        deps.key,
        { form: form.key, articleId: row.article_id, revisionId: row.revision_id, locale: hit.locale },
        input.now,
      ),
    });
  }
  return suggestions;
}
