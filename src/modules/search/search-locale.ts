import { type ExpandedQuery, expandQuery, parseQuery, type QueryToken, type SynonymTable } from './expand-query.js';
import { BM25_TYPICAL_FIELD, bm25Idf } from './inverted-index.js';
import { FIELD_BOOST, type IndexedDoc, type IndexField, type LocaleIndex } from './locale-index.js';
import { idealScore, isWeakMatch, matchStream, rankScore, relevanceOf } from './rank-candidates.js';

const ALL_FIELDS: IndexField[] = ['title', 'keywords', 'headings', 'body'];

export interface LocaleSearchOptions {
  limit: number;
  /** Treat the last word as a prefix (typeahead, and the search API). */
  prefixLast: boolean;
  /** Fields to search (default all). Suggestions use title, keywords and headings only, for speed. */
  fields?: IndexField[];
  synonyms?: SynonymTable | undefined;
  /** Learned boosts by slug for this query, from successful searches (see learnedBoosts). */
  learned?: ReadonlyMap<string, number> | undefined;
  /** How many BM25 candidates are re-ranked with phrase and proximity signals. */
  rerankDepth?: number;
  maxPrefixTerms?: number;
}

export interface RankedHit {
  doc: IndexedDoc;
  score: number;
  /** Index terms of the query found in this article (for highlighting). */
  matchedTerms: string[];
  /** Share of the query's words found in the article. */
  coverage: number;
  /** How well the article's text answers the whole query, 0–1 (see `relevanceOf`); learned boosts left out. */
  relevance: number;
  /**
   * Share of the query's information the article holds, 0–1: its words weighted by how rare they are (idf) and by
   * how sure the match is (exact, variant, completion, typo). A common word found and a rare one missing is little.
   */
  information: number;
  /** Under the relevance floor (see `isWeakMatch`): a partial match, to label or drop. */
  weak: boolean;
}

export interface LocaleSearchResult {
  hits: RankedHit[];
  /** Every article matching at least one word. */
  total: number;
  /** Articles above the relevance floor among the re-ranked candidates. */
  strong: number;
  tokens: QueryToken[];
}

/** Ranked search of one locale's index: expansion, BM25 candidates, then phrase/proximity/coverage re-ranking. */
export function searchLocale(index: LocaleIndex, text: string, options: LocaleSearchOptions): LocaleSearchResult {
  const tokens = parseQuery(index.analyzer, text, options.prefixLast);
  if (tokens.length === 0 || index.size === 0) return { hits: [], total: 0, strong: 0, tokens };
  const expanded = expandQuery(index.postings, tokens, {
    synonyms: options.synonyms,
    maxPrefixTerms: options.maxPrefixTerms,
  });
  return rankExpanded(index, expanded, options);
}

function rankExpanded(index: LocaleIndex, expanded: ExpandedQuery, options: LocaleSearchOptions): LocaleSearchResult {
  const { tokens, terms } = expanded;
  if (terms.size === 0) return { hits: [], total: 0, strong: 0, tokens };
  const fields = new Set(options.fields ?? ALL_FIELDS);
  const boosts = ALL_FIELDS.map((f) => (fields.has(f) ? FIELD_BOOST[f] : 0));
  const weights = new Map([...terms].map(([term, t]) => [term, t.weight]));
  const depth = Math.max(options.limit, options.rerankDepth ?? 60);
  const { total, top } = index.postings.search(weights, boosts, depth);
  const perToken = informationOf(index, expanded);
  const fieldSum = boosts.reduce((sum, b) => sum + b, 0) * BM25_TYPICAL_FIELD;
  const idealInformation = perToken.ideal.reduce((sum, v) => sum + v, 0);
  const ideal = idealScore(idealInformation * fieldSum, tokens.length);
  const ranked: RankedHit[] = [];
  for (const result of top) {
    const doc = index.doc(result.doc);
    if (!doc) continue;
    const tokensOf = new Map<number, number[]>();
    for (const term of result.terms) {
      const tokenList = terms.get(term)?.tokens ?? [];
      for (const primary of index.primariesOf(term)) {
        const list = tokensOf.get(primary) ?? [];
        for (const t of tokenList) if (!list.includes(t)) list.push(t);
        tokensOf.set(primary, list);
      }
    }
    const match = matchStream(doc.stream, doc.titleEnd, tokensOf, tokens.length);
    // A field the stream does not cover (none today) could match without positions: count coverage from terms.
    const matchedTokens = new Set(result.terms.flatMap((t) => terms.get(t)?.tokens ?? []));
    if (match.matchedTokens < matchedTokens.size) match.matchedTokens = matchedTokens.size;
    const got = tokens.map(() => 0);
    for (const term of result.terms) {
      const value = perToken.value.get(term) ?? 0;
      for (const i of terms.get(term)?.tokens ?? []) got[i] = Math.max(got[i]!, Math.min(value, perToken.ideal[i]!));
    }
    const information = idealInformation > 0 ? got.reduce((sum, v) => sum + v, 0) / idealInformation : 0;
    const learned = options.learned?.get(doc.slug) ?? 0;
    const score = rankScore({ bm25: result.score, tokenCount: tokens.length, match, learned });
    const relevance = relevanceOf(score / (1 + learned), ideal);
    ranked.push({
      doc,
      score,
      matchedTerms: result.terms,
      coverage: match.matchedTokens / tokens.length,
      relevance,
      information,
      weak: isWeakMatch({ information, relevance }),
    });
  }
  // The floor labels, it does not re-rank: putting strong matches first cost the relevance set (a right answer can
  // match few of the reader's words, e.g. "post a video"), so presentation decides what to drop or label.
  ranked.sort((a, b) => b.score - a.score || a.doc.slug.localeCompare(b.doc.slug));
  const strong = ranked.filter((h) => !h.weak).length;
  return { hits: ranked.slice(0, options.limit), total, strong, tokens };
}

/**
 * Per query word, the most an article could hold of it: its best index term's weight × idf (the exact word, or the
 * likeliest completion or spelling when the typed word is not in the index). A word the index has no trace of
 * counts at full weight with the rarest idf: it is what the reader asks about and no article has it, which is
 * exactly what must make the results weak. Also each index term's own weight × idf, to measure what an article has.
 */
function informationOf(index: LocaleIndex, expanded: ExpandedQuery): { ideal: number[]; value: Map<string, number> } {
  const n = Math.max(1, index.size);
  const ideal = expanded.tokens.map(() => 0);
  const value = new Map<string, number>();
  for (const [term, t] of expanded.terms) {
    const df = index.postings.frequency(term);
    if (df === 0) continue;
    const v = t.weight * bm25Idf(n, df);
    value.set(term, v);
    for (const i of t.tokens) if (v > ideal[i]!) ideal[i] = v;
  }
  const unknown = bm25Idf(n, 0);
  expanded.tokens.forEach((_, i) => {
    // A Japanese or Chinese word split into known pieces keeps the part no piece covered as unknown.
    const uncovered = expanded.uncovered?.[i] ?? 0;
    ideal[i] = ideal[i]! > 0 ? (1 - uncovered) * ideal[i]! + uncovered * unknown : unknown;
  });
  return { ideal, value };
}
