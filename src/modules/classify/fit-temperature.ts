/**
 * Temperature scaling (Guo et al. 2017): one scalar T so that softmax(scores / T) has the lowest negative
 * log-likelihood on held-out data. SGD-trained weights are over-confident on the texts they were fitted on;
 * a single parameter fixes most of that without changing which label ranks first.
 */
const MIN_INVERSE = 0.02; // T = 50
const MAX_INVERSE = 50; // T = 0.02
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Mean cross-entropy of softmax(β·scores) against smoothed targets: (1 − ε) split evenly between an example's labels
 * plus ε spread over all classes. Without smoothing, a small held-out set that the model separates perfectly has its
 * optimum at T → 0 (every answer certain); with ε = 1/(n + 2), Laplace's rule of succession, the fitted confidence
 * stays near what n correct answers actually support.
 */
export function heldOutLoss(
  scores: Float64Array,
  numClasses: number,
  targets: readonly Int32Array[],
  inverseT: number,
): number {
  const n = targets.length;
  if (n === 0) return 0;
  const epsilon = 1 / (n + 2);
  const row = new Float64Array(numClasses);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < numClasses; c++) {
      row[c] = scores[i * numClasses + c]! * inverseT;
      if (row[c]! > max) max = row[c]!;
    }
    let sum = 0;
    for (let c = 0; c < numClasses; c++) sum += Math.exp(row[c]! - max);
    const logSum = max + Math.log(sum);
    // log p_c = row_c − logSum, computed directly so that tiny probabilities do not underflow to log(0).
    let allLogs = 0;
    for (let c = 0; c < numClasses; c++) allLogs += row[c]! - logSum;
    const target = targets[i]!;
    let targetLogs = 0;
    for (let t = 0; t < target.length; t++) targetLogs += row[target[t]!]! - logSum;
    total -= (1 - epsilon) * (targetLogs / target.length) + (epsilon / numClasses) * allLogs;
  }
  return total / n;
}

/**
 * Fits the temperature on held-out logits (row-major, one row per example). The loss is convex in β = 1/T, so a
 * golden-section search over log β finds the optimum; returns 1 when there is nothing to fit on.
 */
export function fitTemperature(scores: Float64Array, numClasses: number, targets: readonly Int32Array[]): number {
  if (targets.length === 0) return 1;
  let low = Math.log(MIN_INVERSE);
  let high = Math.log(MAX_INVERSE);
  let a = high - GOLDEN * (high - low);
  let b = low + GOLDEN * (high - low);
  let lossA = heldOutLoss(scores, numClasses, targets, Math.exp(a));
  let lossB = heldOutLoss(scores, numClasses, targets, Math.exp(b));
  for (let iteration = 0; iteration < 40; iteration++) {
    if (lossA <= lossB) {
      high = b;
      b = a;
      lossB = lossA;
      a = high - GOLDEN * (high - low);
      lossA = heldOutLoss(scores, numClasses, targets, Math.exp(a));
    } else {
      low = a;
      a = b;
      lossA = lossB;
      b = low + GOLDEN * (high - low);
      lossB = heldOutLoss(scores, numClasses, targets, Math.exp(b));
    }
  }
  return 1 / Math.exp((low + high) / 2);
}
