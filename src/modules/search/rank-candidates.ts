/**
 * Ranking signals computed on a candidate's term stream, after BM25 has picked the candidates. Pure functions:
 * the product's own ranking, tested directly.
 */

export interface StreamMatch {
  /** Query tokens matched anywhere in the document. */
  matchedTokens: number;
  /** Query tokens matched in the title. */
  titleTokens: number;
  /** Smallest span of positions holding one occurrence of every matched token (Infinity when < 2 tokens). */
  window: number;
  /** Every matched token appears in query order, adjacent (ignoring stop words), somewhere. */
  phrase: boolean;
}

/**
 * Scans a document's term stream once. `tokensOf` maps a primary term id to the query tokens it matches.
 * `titleEnd`: stream positions below it are in the title. Returns coverage, window and phrase facts.
 */
export function matchStream(
  stream: ArrayLike<number>,
  titleEnd: number,
  tokensOf: ReadonlyMap<number, readonly number[]>,
  tokenCount: number,
): StreamMatch {
  const hits: { pos: number; token: number }[] = [];
  const seen = new Set<number>();
  const inTitle = new Set<number>();
  for (let pos = 0; pos < stream.length; pos++) {
    const tokens = tokensOf.get(stream[pos]!);
    if (!tokens) continue;
    for (const token of tokens) {
      hits.push({ pos, token });
      seen.add(token);
      if (pos < titleEnd) inTitle.add(token);
    }
  }
  const k = seen.size;
  return {
    matchedTokens: k,
    titleTokens: inTitle.size,
    window: k >= 2 ? minimalWindow(hits, k) : Number.POSITIVE_INFINITY,
    phrase: k >= 2 && k === tokenCount && hasPhrase(hits, tokenCount),
  };
}

/** Length of the shortest run of positions containing all `k` distinct tokens (hits sorted by position). */
export function minimalWindow(hits: readonly { pos: number; token: number }[], k: number): number {
  const count = new Map<number, number>();
  let distinct = 0;
  let best = Number.POSITIVE_INFINITY;
  let left = 0;
  for (let right = 0; right < hits.length; right++) {
    const r = hits[right]!;
    const c = count.get(r.token) ?? 0;
    if (c === 0) distinct += 1;
    count.set(r.token, c + 1);
    while (distinct === k) {
      const l = hits[left]!;
      best = Math.min(best, r.pos - l.pos + 1);
      const lc = count.get(l.token)! - 1;
      count.set(l.token, lc);
      if (lc === 0) distinct -= 1;
      left += 1;
    }
  }
  return best;
}

function hasPhrase(hits: readonly { pos: number; token: number }[], tokenCount: number): boolean {
  const at = new Map<number, Set<number>>();
  for (const h of hits) {
    let set = at.get(h.pos);
    if (!set) {
      set = new Set();
      at.set(h.pos, set);
    }
    set.add(h.token);
  }
  for (const h of hits) {
    if (h.token !== 0) continue;
    let ok = true;
    for (let t = 1; t < tokenCount && ok; t++) ok = at.get(h.pos + t)?.has(t) ?? false;
    if (ok) return true;
  }
  return false;
}

/** How much finding the query's words in the title lifts an article (all words in the title: × (1 + this)). */
export const TITLE_WEIGHT = 1.5;

export interface RankInput {
  bm25: number;
  tokenCount: number;
  match: StreamMatch;
  /** Learned from readers: how strongly past searches like this one ended on this article (0 = no evidence). */
  learned: number;
}

/**
 * The final score: BM25 (with field weights) scaled by how much of the query the article covers, whether the title
 * answers it, how close together the words are, and what earlier readers chose.
 */
export function rankScore({ bm25, tokenCount, match, learned }: RankInput): number {
  const n = Math.max(1, tokenCount);
  const coverage = match.matchedTokens / n;
  const titleCoverage = match.titleTokens / n;
  const proximity = match.matchedTokens >= 2 ? (match.matchedTokens - 1) / Math.max(1, match.window - 1) : 0;
  // BM25 sums over fields and word forms, so a long article repeating a word outscores a short one that is about
  // it; the square root tempers that, and the title (Algolia's "attribute" criterion) weighs in directly. MiniSearch
  // can return a slightly negative BM25 while a replaced document awaits vacuuming (its document frequency still
  // counts the old copy), hence the floor.
  return (
    Math.sqrt(Math.max(0, bm25)) *
    (0.2 + 0.8 * coverage * coverage) *
    (1 + TITLE_WEIGHT * titleCoverage) *
    (1 + 0.4 * proximity) *
    (match.phrase ? 1.25 : 1) *
    (1 + learned)
  );
}

/**
 * The score of an ideal article for a query of `tokenCount` words whose BM25 would be `bm25`: every word in the
 * title, adjacent, in order. The yardstick relevance is measured against (see `relevanceOf`).
 */
export function idealScore(bm25: number, tokenCount: number): number {
  const n = Math.max(1, tokenCount);
  return rankScore({
    bm25,
    tokenCount: n,
    match: { matchedTokens: n, titleTokens: n, window: n, phrase: n >= 2 },
    learned: 0,
  });
}

/**
 * How well an article answers a query, from 0 to 1: its text score over the ideal article's (learned boosts left
 * out: they reorder what matches, they are not evidence that the text answers the question). Relative, so the
 * same floor holds for one-word and ten-word queries, rare and common words, small and large help centers.
 */
export function relevanceOf(textScore: number, ideal: number): number {
  if (!(ideal > 0)) return 0;
  return Math.min(1, Math.max(0, textScore / ideal));
}

/**
 * Where a match stops answering the query. Both are shares of an ideal, not scores, so they mean the same on any
 * help center and for any query length: an article holding less than half of the query's information (rare words
 * weigh more), or scoring under a tenth of what an article with every word in its title would, only mentions
 * some of the words; "dark mode" finding "mark" and "mode" far apart in a body is the second kind.
 */
export const RELEVANCE_FLOOR = { information: 0.5, relevance: 0.1 } as const;

/** True when a match falls under the relevance floor: shown, if at all, as a partial match, never as an answer. */
export function isWeakMatch(hit: { information: number; relevance: number }): boolean {
  return hit.information < RELEVANCE_FLOOR.information || hit.relevance < RELEVANCE_FLOOR.relevance;
}
