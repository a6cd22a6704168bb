/** Linear scores and calibrated class probabilities for a feature vector. */
import type { SparseVector } from './extract-features.js';
import { computeScores, type LinearModel, softmaxInPlace } from './train-linear-model.js';

/** Raw linear scores (logits before temperature) of one vector. */
export function scoreVector(linear: LinearModel, vector: SparseVector): Float64Array {
  const scores = new Float64Array(linear.numClasses);
  computeScores(vector.indices, vector.values, linear.weights, linear.bias, linear.numClasses, scores);
  return scores;
}

/** Turns logits into probabilities in place: softmax(scores / temperature). */
export function applyTemperature(scores: Float64Array, temperature: number): Float64Array {
  const inverse = 1 / temperature;
  for (let c = 0; c < scores.length; c++) scores[c] = scores[c]! * inverse;
  softmaxInPlace(scores);
  return scores;
}
