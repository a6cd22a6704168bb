/** At most this many partial matches are shown when no article answers the query (more would be noise). */
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
 * stays, labelled), the weak tail dropped ("pinwheel for windows" matched 30 articles on one common word); when
 * nothing answers, the best few partial matches.
 */
export function selectResults<T extends { weak: boolean }>(hits: readonly T[]): SelectedResults<T> {
  let last = -1;
  hits.forEach((hit, i) => {
    if (!hit.weak) last = i;
  });
  if (last < 0) return { shown: hits.slice(0, PARTIAL_RESULTS_SHOWN), answers: 0, weak: hits.length > 0 };
  const shown = hits.slice(0, last + 1);
  return { shown, answers: shown.filter((h) => !h.weak).length, weak: false };
}
