/**
 * The statistics every insight uses, written here rather than taken from a library because they are the product's
 * own and small: intervals for rates and their differences, empirical-Bayes shrinkage, false-discovery control.
 * Pure functions; `stats.test.ts` checks them against known values and by properties (coverage, monotonicity).
 */

/** The standard normal distribution function (Abramowitz-Stegun 7.1.26 via erf; absolute error < 1.5e-7). */
export function normalCdf(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** The 97.5 % point of the standard normal: 95 % two-sided intervals. */
export const Z95 = 1.959963984540054;

export interface RateInterval {
  /** successes / trials, or null without trials. */
  rate: number | null;
  low: number;
  high: number;
}

/** A rate with its Wilson score interval (good coverage for small counts and rates near 0 or 1). */
export function wilsonInterval(successes: number, trials: number, z = Z95): RateInterval {
  if (trials <= 0) return { rate: null, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // The observed rate always lies inside mathematically; at 0/n and n/n rounding could leave it a hair outside.
  return { rate: p, low: Math.min(p, Math.max(0, centre - half)), high: Math.max(p, Math.min(1, centre + half)) };
}

export interface BetaPrior {
  alpha: number;
  beta: number;
}

/** The prior used when there is too little data to fit one: a weak pull towards the pooled rate. */
const FALLBACK_STRENGTH = 10;
/** Caps the prior's weight (in votes) when articles hardly differ: shrinkage never swamps a well-voted article. */
const MAX_STRENGTH = 500;

/**
 * Fits a Beta prior to many groups' rates by the method of moments (empirical Bayes): the mean is the pooled rate,
 * the spread is what the groups' rates vary by beyond their binomial noise. Groups with fewer than `minTrials` do
 * not inform the spread.
 */
export function fitBetaPrior(groups: readonly { successes: number; trials: number }[], minTrials = 5): BetaPrior {
  let s = 0;
  let n = 0;
  for (const g of groups) {
    s += g.successes;
    n += g.trials;
  }
  const mean = n > 0 ? Math.min(0.999, Math.max(0.001, s / n)) : 0.5;
  const informative = groups.filter((g) => g.trials >= minTrials);
  if (informative.length < 3) return { alpha: mean * FALLBACK_STRENGTH, beta: (1 - mean) * FALLBACK_STRENGTH };
  // Weighted variance of the rates around the pooled mean, less the average binomial variance.
  let observed = 0;
  let noise = 0;
  for (const g of informative) {
    const rate = g.successes / g.trials;
    observed += (rate - mean) ** 2;
    noise += (mean * (1 - mean)) / g.trials;
  }
  observed /= informative.length;
  noise /= informative.length;
  const between = observed - noise;
  const strength = between <= 0 ? MAX_STRENGTH : Math.min(MAX_STRENGTH, Math.max(1, (mean * (1 - mean)) / between - 1));
  return { alpha: mean * strength, beta: (1 - mean) * strength };
}

/** The posterior mean of a group's rate under the prior: a group with few trials moves towards the prior mean. */
export function shrunkRate(successes: number, trials: number, prior: BetaPrior): number {
  return (successes + prior.alpha) / (trials + prior.alpha + prior.beta);
}

export interface Difference {
  /** after − before (or b − a), on the raw rates; null when either side has no trials. */
  difference: number | null;
  low: number;
  high: number;
  /** Two-sided p-value of "no difference". */
  pValue: number;
}

/**
 * The difference of two rates (b − a) with the Agresti-Caffo interval (one success and one failure added to each
 * side: near-nominal coverage even with small counts) and a two-sided p-value from the pooled z-test.
 */
export function differenceOfRates(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
  z = Z95,
): Difference {
  if (a.trials <= 0 || b.trials <= 0) return { difference: null, low: -1, high: 1, pValue: 1 };
  const pa = a.successes / a.trials;
  const pb = b.successes / b.trials;
  const ta = (a.successes + 1) / (a.trials + 2);
  const tb = (b.successes + 1) / (b.trials + 2);
  const se = Math.sqrt((ta * (1 - ta)) / (a.trials + 2) + (tb * (1 - tb)) / (b.trials + 2));
  const centre = tb - ta;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  const pValue = pooledSe === 0 ? (pa === pb ? 1 : 0) : 2 * (1 - normalCdf(Math.abs(pb - pa) / pooledSe));
  return {
    difference: pb - pa,
    low: Math.max(-1, centre - z * se),
    high: Math.min(1, centre + z * se),
    pValue: Math.min(1, pValue),
  };
}

/**
 * The probability that b's true rate exceeds a's, with uniform Beta(1, 1) priors: the posteriors are Beta(s + 1,
 * f + 1), and their difference is taken as normal (accurate to about a percentage point from ~10 trials a side).
 */
export function probabilityBetter(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
): number {
  const moments = (s: number, n: number) => {
    const alpha = s + 1;
    const beta = n - s + 1;
    const mean = alpha / (alpha + beta);
    const variance = (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));
    return { mean, variance };
  };
  const ma = moments(a.successes, a.trials);
  const mb = moments(b.successes, b.trials);
  const sd = Math.sqrt(ma.variance + mb.variance);
  return normalCdf((mb.mean - ma.mean) / sd);
}

export interface DiffInDiff {
  /** (treated after − before) − (control after − before); null when a side has no trials. */
  estimate: number | null;
  low: number;
  high: number;
  pValue: number;
}

/**
 * Difference-in-differences of rates: how much more the treated group changed than the control group over the
 * same two windows, so a change everywhere (a season, an outage) is not credited to the treatment. Normal interval
 * on the four independent proportions (Agresti-Caffo adjusted variances).
 */
export function diffInDiff(
  treated: { before: { successes: number; trials: number }; after: { successes: number; trials: number } },
  control: { before: { successes: number; trials: number }; after: { successes: number; trials: number } },
  z = Z95,
): DiffInDiff {
  const sides = [treated.before, treated.after, control.before, control.after];
  if (sides.some((s) => s.trials <= 0)) return { estimate: null, low: -2, high: 2, pValue: 1 };
  const rate = (s: { successes: number; trials: number }) => s.successes / s.trials;
  const variance = (s: { successes: number; trials: number }) => {
    const t = (s.successes + 1) / (s.trials + 2);
    return (t * (1 - t)) / (s.trials + 2);
  };
  const estimate = rate(treated.after) - rate(treated.before) - (rate(control.after) - rate(control.before));
  const se = Math.sqrt(sides.reduce((sum, s) => sum + variance(s), 0));
  const pValue = se === 0 ? (estimate === 0 ? 1 : 0) : 2 * (1 - normalCdf(Math.abs(estimate) / se));
  return { estimate, low: estimate - z * se, high: estimate + z * se, pValue: Math.min(1, pValue) };
}

/**
 * Benjamini-Hochberg adjusted p-values (q-values), in the input order: flagging every test with q ≤ α keeps the
 * expected share of false discoveries among them at most α.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const q = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const { p, i } = order[k]!;
    // p × (m / rank) rather than (p × m) / rank: the factor is ≥ 1, so rounding never leaves q below p.
    running = Math.min(running, p * (m / (k + 1)));
    q[i] = Math.min(1, running);
  }
  return q;
}
