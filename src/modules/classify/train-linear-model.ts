/**
 * Multinomial logistic regression with L2 regularisation, trained by stochastic gradient descent.
 *
 * Objective: mean cross-entropy of softmax(W·x + b) against the (possibly multi-label, uniformly split) targets,
 * plus λ/2·‖W‖². The L2 shrinkage is applied through a global scale factor (W = scale·V) so every step costs
 * O(nnz(x)·classes) rather than touching all weights, as in Bottou's SGD and scikit-learn's SGDClassifier. The step
 * size decays linearly to zero over the run, which makes the last iterate land close to the optimum without keeping
 * an averaged copy of the weights. Shuffling uses a seeded generator, so a seed fixes the result bit for bit.
 */
import type { SparseVector } from './extract-features.js';
import { createRandom, shuffleInPlace } from './seeded-random.js';

/** Training data in matrix form: one sparse vector and one or more class ids per example. */
export interface TrainingMatrix {
  vectors: readonly SparseVector[];
  targets: readonly Int32Array[];
  /** Per-example loss weights (e.g. to balance classes); 1 when absent. */
  exampleWeights?: Float32Array;
  numFeatures: number;
  numClasses: number;
}

export interface LinearModelOptions {
  epochs: number;
  /** λ, the L2 penalty per example. */
  l2: number;
  /** Initial step size. */
  learningRate: number;
  seed: number;
  /** Called after each epoch with the fraction done. */
  onEpoch?: (fraction: number) => void;
}

/** Weights are feature-major (row j holds the class weights of feature j) so a sparse row touches memory in order. */
export interface LinearModel {
  numFeatures: number;
  numClasses: number;
  weights: Float32Array;
  bias: Float32Array;
}

// Rescaling V is a dense pass, so it only happens when the scale is about to lose precision.
const MIN_SCALE = 1e-9;

/** Trains a multinomial logistic regression and returns its weights. */
export function trainLinearModel(data: TrainingMatrix, options: LinearModelOptions): LinearModel {
  const { numFeatures, numClasses: k, vectors, targets } = data;
  const weights = new Float64Array(numFeatures * k);
  const bias = new Float64Array(k);
  const scores = new Float64Array(k);
  const gradient = new Float64Array(k);
  const order = new Int32Array(vectors.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const random = createRandom(options.seed);
  const totalSteps = Math.max(1, options.epochs * vectors.length);
  const { l2, learningRate } = options;
  let scale = 1;
  let step = 0;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let o = 0; o < order.length; o++) {
      const example = order[o]!;
      const { indices, values } = vectors[example]!;
      const target = targets[example]!;
      const eta = learningRate * (1 - step / totalSteps);
      step++;

      scoreTrainingRow(indices, values, weights, bias, scale, k, scores);
      softmaxInPlace(scores);
      const weight = data.exampleWeights?.[example] ?? 1;
      const share = weight / target.length;
      for (let c = 0; c < k; c++) gradient[c] = scores[c]! * weight;
      for (let t = 0; t < target.length; t++) gradient[target[t]!] = gradient[target[t]!]! - share;

      scale *= 1 - eta * l2;
      const coefficient = eta / scale;
      for (let n = 0; n < indices.length; n++) {
        const row = indices[n]! * k;
        const x = values[n]! * coefficient;
        for (let c = 0; c < k; c++) weights[row + c] = weights[row + c]! - x * gradient[c]!;
      }
      for (let c = 0; c < k; c++) bias[c] = bias[c]! - eta * gradient[c]!;
      if (scale < MIN_SCALE) {
        for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! * scale;
        scale = 1;
      }
    }
    options.onEpoch?.((epoch + 1) / options.epochs);
  }
  const finalWeights = new Float32Array(weights.length);
  for (let i = 0; i < weights.length; i++) finalWeights[i] = weights[i]! * scale;
  return { numFeatures, numClasses: k, weights: finalWeights, bias: Float32Array.from(bias) };
}

/** scores = x·W + b for one sparse row of a trained (Float32) model. */
export function computeScores(
  indices: Int32Array,
  values: Float32Array,
  weights: Float32Array,
  bias: Float32Array,
  k: number,
  scores: Float64Array,
): void {
  scores.fill(0);
  const unrolled = k - (k % 4);
  for (let n = 0; n < indices.length; n++) {
    const row = indices[n]! * k;
    const x = values[n]!;
    // Unrolled by four: this loop is most of prediction time, and V8 does not unroll it by itself.
    let c = 0;
    for (; c < unrolled; c += 4) {
      scores[c] = scores[c]! + x * weights[row + c]!;
      scores[c + 1] = scores[c + 1]! + x * weights[row + c + 1]!;
      scores[c + 2] = scores[c + 2]! + x * weights[row + c + 2]!;
      scores[c + 3] = scores[c + 3]! + x * weights[row + c + 3]!;
    }
    for (; c < k; c++) scores[c] = scores[c]! + x * weights[row + c]!;
  }
  for (let c = 0; c < k; c++) scores[c] = scores[c]! + bias[c]!;
}

// The training twin of computeScores over Float64 weights. Kept separate so each stays monomorphic: one function
// seeing both Float32Array and Float64Array runs markedly slower in V8.
function scoreTrainingRow(
  indices: Int32Array,
  values: Float32Array,
  weights: Float64Array,
  bias: Float64Array,
  scale: number,
  k: number,
  scores: Float64Array,
): void {
  scores.fill(0);
  for (let n = 0; n < indices.length; n++) {
    const row = indices[n]! * k;
    const x = values[n]!;
    for (let c = 0; c < k; c++) scores[c] = scores[c]! + x * weights[row + c]!;
  }
  for (let c = 0; c < k; c++) scores[c] = scores[c]! * scale + bias[c]!;
}

/** Replaces scores with their softmax, stably (subtracting the maximum first). */
export function softmaxInPlace(scores: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < scores.length; c++) if (scores[c]! > max) max = scores[c]!;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp(scores[c]! - max);
    scores[c] = e;
    sum += e;
  }
  for (let c = 0; c < scores.length; c++) scores[c] = scores[c]! / sum;
}
