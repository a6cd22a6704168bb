import { type ExpandedQuery, expandQuery, parseQuery, type QueryToken, type SynonymTable } from './expand-query.js';
import { FIELD_BOOST, type IndexedDoc, type IndexField, type LocaleIndex } from './locale-index.js';
import { matchStream, rankScore } from './rank-candidates.js';

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
}

export interface LocaleSearchResult {
  hits: RankedHit[];
  /** Every article matching at least one word. */
  total: number;
  tokens: QueryToken[];
}

/** Ranked search of one locale's index: expansion, BM25 candidates, then phrase/proximity/coverage re-ranking. */
export function searchLocale(index: LocaleIndex, text: string, options: LocaleSearchOptions): LocaleSearchResult {
  const tokens = parseQuery(index.analyzer, text, options.prefixLast);
  if (tokens.length === 0 || index.size === 0) return { hits: [], total: 0, tokens };
  const expanded = expandQuery(index.postings, tokens, {
    synonyms: options.synonyms,
    maxPrefixTerms: options.maxPrefixTerms,
  });
  return rankExpanded(index, expanded, options);
}

function rankExpanded(index: LocaleIndex, expanded: ExpandedQuery, options: LocaleSearchOptions): LocaleSearchResult {
  const { tokens, terms } = expanded;
  if (terms.size === 0) return { hits: [], total: 0, tokens };
  const fields = new Set(options.fields ?? ALL_FIELDS);
  const boosts = ALL_FIELDS.map((f) => (fields.has(f) ? FIELD_BOOST[f] : 0));
  const weights = new Map([...terms].map(([term, t]) => [term, t.weight]));
  const depth = Math.max(options.limit, options.rerankDepth ?? 60);
  const { total, top } = index.postings.search(weights, boosts, depth);
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
    const learned = options.learned?.get(doc.slug) ?? 0;
    ranked.push({
      doc,
      score: rankScore({ bm25: result.score, tokenCount: tokens.length, match, learned }),
      matchedTerms: result.terms,
      coverage: match.matchedTokens / tokens.length,
    });
  }
  ranked.sort((a, b) => b.score - a.score || a.doc.slug.localeCompare(b.doc.slug));
  return { hits: ranked.slice(0, options.limit), total, tokens };
}
