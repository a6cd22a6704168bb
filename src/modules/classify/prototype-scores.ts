/**
 * Nearest-centroid (prototype) scoring: the score of class c is the cosine between a text's vector and the mean of
 * the class's training vectors. With a handful of examples per class it is often as good as a discriminative model
 * and much less noisy, and it is linear in the vector, so it folds into the same weight matrix as the other members.
 */
import type { LinearModel, TrainingMatrix } from './train-linear-model.js';

/** Class centroids, L2-normalised, as a linear model (feature-major weights, zero bias). */
export function trainPrototypes(data: TrainingMatrix): LinearModel {
  const { numFeatures, numClasses: k, vectors, targets } = data;
  const sums = new Float64Array(numFeatures * k);
  vectors.forEach((vector, i) => {
    const target = targets[i]!;
    for (let t = 0; t < vector.indices.length; t++) {
      const row = vector.indices[t]! * k;
      const value = vector.values[t]! / target.length;
      for (const c of target) sums[row + c] = sums[row + c]! + value;
    }
  });
  const norms = new Float64Array(k);
  for (let j = 0; j < sums.length; j++) norms[j % k] = norms[j % k]! + sums[j]! ** 2;
  const weights = new Float32Array(sums.length);
  for (let j = 0; j < sums.length; j++) {
    const norm = norms[j % k]!;
    weights[j] = norm > 0 ? sums[j]! / Math.sqrt(norm) : 0;
  }
  return { numFeatures, numClasses: k, weights, bias: new Float32Array(k) };
}
