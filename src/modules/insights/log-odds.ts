/**
 * Which words one corpus uses more than another, by the log-odds ratio with an informative Dirichlet prior (Monroe,
 * Colaresi & Quinn 2008, "Fightin' Words", §3.5). Raw frequency ratios crown rare words (one use against none is an
 * infinite ratio); the prior's pseudo-counts shrink them, and the z-score divides by the estimate's own standard
 * error, so a word is called distinctive only when there is evidence for it. Pure; tested in log-odds.test.ts.
 */

export interface LogOdds {
  /** δ: log-odds of the word in the target minus in the reference (positive: the target's word). */
  logOdds: number;
  /** δ / σ, with σ² ≈ 1/(y_target + α) + 1/(y_reference + α). |z| ≥ 1.96 is the usual 95 % line. */
  zScore: number;
}

/** Pseudo-count of a word the prior does not know: keeps every log finite without claiming anything. */
const MIN_ALPHA = 0.01;

function total(counts: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const n of counts.values()) sum += n;
  return sum;
}

/**
 * The log-odds ratio of every word of either corpus (target vs reference) with the Dirichlet prior `prior` (its
 * values are the pseudo-counts α_w; their sum is α0). Swapping target and reference negates every δ and z.
 */
export function logOddsDirichlet(
  target: ReadonlyMap<string, number>,
  reference: ReadonlyMap<string, number>,
  prior: ReadonlyMap<string, number>,
): Map<string, LogOdds> {
  const nTarget = total(target);
  const nReference = total(reference);
  const words = new Set([...target.keys(), ...reference.keys()]);
  let alpha0 = total(prior);
  for (const word of words) if (!((prior.get(word) ?? 0) > 0)) alpha0 += MIN_ALPHA;
  const out = new Map<string, LogOdds>();
  for (const word of words) {
    const priorCount = prior.get(word) ?? 0;
    const alpha = priorCount > 0 ? priorCount : MIN_ALPHA;
    const yt = target.get(word) ?? 0;
    const yr = reference.get(word) ?? 0;
    const restTarget = nTarget + alpha0 - yt - alpha;
    const restReference = nReference + alpha0 - yr - alpha;
    // A word that is the whole vocabulary (nothing else in either corpus or the prior) has no odds to contrast.
    if (restTarget <= 1e-9 || restReference <= 1e-9) {
      out.set(word, { logOdds: 0, zScore: 0 });
      continue;
    }
    const logOdds = Math.log((yt + alpha) / restTarget) - Math.log((yr + alpha) / restReference);
    const sigma = Math.sqrt(1 / (yt + alpha) + 1 / (yr + alpha));
    out.set(word, { logOdds, zScore: logOdds / sigma });
  }
  return out;
}

/**
 * An informative prior from both corpora: each word's rate averaged over the two (so the larger corpus does not
 * decide what is "usual"), worth `alpha0` pseudo-words in all. With the default α0 (the smaller corpus's size) a
 * word the readers use and the articles never do is distinctive only once the articles, at the readers' rate,
 * would have been expected to contain it a few times: the article corpus's size bounds what absence can prove.
 */
export function combinedPrior(
  target: ReadonlyMap<string, number>,
  reference: ReadonlyMap<string, number>,
  alpha0 = Math.min(total(target), total(reference)),
): Map<string, number> {
  const nTarget = total(target);
  const nReference = total(reference);
  const prior = new Map<string, number>();
  if (alpha0 <= 0) return prior;
  for (const word of new Set([...target.keys(), ...reference.keys()])) {
    const rateTarget = nTarget > 0 ? (target.get(word) ?? 0) / nTarget : 0;
    const rateReference = nReference > 0 ? (reference.get(word) ?? 0) / nReference : 0;
    const share = nTarget > 0 && nReference > 0 ? (rateTarget + rateReference) / 2 : rateTarget + rateReference;
    if (share > 0) prior.set(word, alpha0 * share);
  }
  return prior;
}
