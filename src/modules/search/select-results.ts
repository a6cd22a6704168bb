/** Partial matches shown after the last answer, or alone when nothing answers (more would be noise). */
export const PARTIAL_RESULTS_SHOWN = 3;

export interface SelectedResults<T> {
  /** What the results page lists, in rank order; a weak one is labelled a partial match. */
  shown: T[];
  /** Articles that answer the query among those shown. */
  answers: number;
  /** Nothing answers the query: say so, show a few partial matches and offer the contact page. */
  weak: boolean;
}

/**
 * What the results page lists: every hit down to the last one that answers the query (a weak one ranked above it
 * stays, labelled), then at most a few partial matches, labelled, and the rest of the weak tail dropped
 * ("pinwheel for windows" matched 30 articles on one common word). A few are kept because a right answer can be
 * weak: on the relevance set, dropping the whole tail hid 3 of 169 answers, one of them ranked second.
 */
export function selectResults<T extends { weak: boolean }>(hits: readonly T[]): SelectedResults<T> {
  let last = -1;
  hits.forEach((hit, i) => {
    if (!hit.weak) last = i;
  });
  if (last < 0) return { shown: hits.slice(0, PARTIAL_RESULTS_SHOWN), answers: 0, weak: hits.length > 0 };
  const shown = hits.slice(0, last + 1 + PARTIAL_RESULTS_SHOWN);
  return { shown, answers: shown.filter((h) => !h.weak).length, weak: false };
}
