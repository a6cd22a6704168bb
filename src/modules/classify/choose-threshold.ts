/**
 * Picks "unsure" thresholds on held-out data: the lowest confidence at which everything answered still reaches the
 * target precision, i.e. the largest coverage that keeps the promise.
 */

/** A threshold above any probability: the target was not reachable, so the model abstains. */
export const NEVER_THRESHOLD = 2;
/**
 * Floor for per-class (multi-label) thresholds. With softmax probabilities a second label below 0.2 is more often
 * noise than signal, and a handful of held-out positives can otherwise push a class threshold towards zero.
 */
export const MIN_CLASS_THRESHOLD = 0.2;

/**
 * Returns the smallest threshold t such that answers with confidence ≥ t have precision ≥ target on held-out data.
 * The threshold sits halfway between the last answered confidence and the next one down, not on the last answered
 * one: held-out precision is the same anywhere in that gap, and from a small held-out set about half of new texts like
 * the lowest answered one would otherwise fall just below it.
 * With `cutAtCorrect`, t may only sit at the confidence of a correct answer: for multi-label listing, lowering a
 * threshold to a wrong answer's confidence adds no recall, only a false positive the precision budget happens to allow.
 */
export function chooseThreshold(
  confidences: ArrayLike<number>,
  correct: ArrayLike<boolean>,
  targetPrecision: number,
  cutAtCorrect = false,
): number {
  const order = Array.from({ length: confidences.length }, (_, i) => i).sort(
    (a, b) => confidences[b]! - confidences[a]! || a - b,
  );
  let answered = 0;
  let right = 0;
  let threshold = NEVER_THRESHOLD;
  let groupHasCorrect = false;
  for (let position = 0; position < order.length; position++) {
    const i = order[position]!;
    answered++;
    if (correct[i]) {
      right++;
      groupHasCorrect = true;
    }
    const next = order[position + 1];
    // Ties must be answered together: a threshold cannot separate equal confidences.
    if (next !== undefined && confidences[next] === confidences[i]) continue;
    const allowedCut = !cutAtCorrect || groupHasCorrect;
    groupHasCorrect = false;
    if (allowedCut && right / answered >= targetPrecision) {
      threshold = next === undefined ? confidences[i]! : (confidences[i]! + confidences[next]!) / 2;
    }
  }
  return threshold;
}

/**
 * Per-class thresholds for multi-label answers: for class c, "c is one of the labels" is predicted when p_c ≥ t_c.
 * Classes with no held-out positives, or whose target is unreachable, fall back to `fallback`.
 */
export function chooseClassThresholds(
  probabilities: Float64Array,
  numClasses: number,
  targets: readonly Int32Array[],
  targetPrecision: number,
  fallback: number,
): Float32Array {
  const thresholds = new Float32Array(numClasses).fill(Math.max(fallback, MIN_CLASS_THRESHOLD));
  const n = targets.length;
  for (let c = 0; c < numClasses; c++) {
    const confidences = new Float64Array(n);
    const correct = new Array<boolean>(n);
    let positives = 0;
    for (let i = 0; i < n; i++) {
      confidences[i] = probabilities[i * numClasses + c]!;
      correct[i] = targets[i]!.includes(c);
      if (correct[i]) positives++;
    }
    if (positives === 0) continue;
    const chosen = chooseThreshold(confidences, correct, targetPrecision, true);
    if (chosen <= 1) thresholds[c] = Math.max(chosen, MIN_CLASS_THRESHOLD);
  }
  return thresholds;
}
