/**
 * One-vs-rest linear SVM with the squared hinge loss and L2 regularisation, solved exactly in the dual by coordinate
 * descent with shrinking (Hsieh, Chang, Lin, Keerthi and Sundararajan, ICML 2008): the algorithm of liblinear's
 * solver 1 (L2R_L2LOSS_SVC_DUAL), which scikit-learn's LinearSVC runs by default.
 *
 * For class c, with y_i = +1 when c is one of example i's labels and −1 otherwise, it minimises
 *   ½‖w‖² + C Σ_i cost_i · max(0, 1 − y_i (w·x_i + b))²
 * where the bias b is an extra feature of constant value `biasFeature` that is regularised like the others
 * (liblinear's bias, scikit-learn's intercept_scaling). The dual is box-free for this loss: 0 ≤ α_i, with
 * D_ii = 1 / (2 C cost_i) added to the diagonal. Each coordinate step is exact, so the result does not depend on a
 * learning rate, and the stopping rule (projected-gradient spread ≤ tol) is liblinear's.
 *
 * An optional per-class feature scale r_c trains on x ⊙ r_c (NB-SVM, Wang and Manning 2012); the returned weights
 * are then w_c ⊙ r_c, so the model still scores plain x.
 */
import type { SparseVector } from './extract-features.js';
import { createRandom, type RandomSource } from './seeded-random.js';
import type { LinearModel } from './train-linear-model.js';

export interface SvmData {
  vectors: readonly SparseVector[];
  targets: readonly Int32Array[];
  numFeatures: number;
  numClasses: number;
}

export interface SvmOptions {
  /** C, the cost of the squared hinge loss (scikit-learn's C). */
  c: number;
  seed: number;
  /** Value of the constant bias feature (scikit-learn's intercept_scaling); 0 trains without a bias. */
  biasFeature?: number;
  /** Stopping tolerance on the spread of projected gradients (liblinear's eps; scikit-learn's tol). */
  tol?: number;
  /** Most passes over the data per class (scikit-learn's max_iter). */
  maxIter?: number;
  /** Per-example cost multipliers (e.g. class-balancing weights, as scikit-learn's class_weight); 1 when absent. */
  exampleCost?: Float32Array;
  /** Per class c, a scale of every feature (length numFeatures), for NB-SVM. */
  featureScale?: (c: number) => Float64Array;
  /** Called after each class with the fraction done. */
  onClass?: (fraction: number) => void;
}

/** Trains K binary SVMs, one per class; weights come back feature-major like every LinearModel. */
export function trainSvm(data: SvmData, options: SvmOptions): LinearModel {
  const { numFeatures, numClasses: k, vectors, targets } = data;
  const n = vectors.length;
  const weights = new Float32Array(numFeatures * k);
  const bias = new Float32Array(k);
  const random = createRandom(options.seed);
  const w = new Float64Array(numFeatures);
  const y = new Int8Array(n);
  const cost = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      y[i] = targets[i]!.includes(c) ? 1 : -1;
      cost[i] = options.exampleCost?.[i] ?? 1;
    }
    const scale = options.featureScale?.(c);
    const b = solveBinary(vectors, y, cost, w, scale, options, random);
    for (let j = 0; j < numFeatures; j++) weights[j * k + c] = scale ? w[j]! * scale[j]! : w[j]!;
    bias[c] = b;
    options.onClass?.((c + 1) / k);
  }
  return { numFeatures, numClasses: k, weights, bias };
}

/** Dual coordinate descent for one binary problem; leaves w in `w` and returns the bias weight × bias feature. */
function solveBinary(
  vectors: readonly SparseVector[],
  y: Int8Array,
  cost: Float64Array,
  w: Float64Array,
  scale: Float64Array | undefined,
  options: SvmOptions,
  random: RandomSource,
): number {
  const n = vectors.length;
  const biasFeature = options.biasFeature ?? 1;
  const tol = options.tol ?? 1e-4;
  const maxIter = options.maxIter ?? 1000;
  w.fill(0);
  let wb = 0;
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const qd = new Float64Array(n);
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = 0.5 / (options.c * cost[i]!);
    const { indices, values } = vectors[i]!;
    let norm = biasFeature * biasFeature;
    for (let t = 0; t < indices.length; t++) {
      const v = scale ? values[t]! * scale[indices[t]!]! : values[t]!;
      norm += v * v;
    }
    qd[i] = norm + diag[i]!;
    index[i] = i;
  }
  let activeSize = n;
  // liblinear also tracks the smallest projected gradient for variables at the upper bound C; the squared hinge's
  // dual has no upper bound, so only the largest one (for variables at 0) is needed to shrink.
  let pgMaxOld = Number.POSITIVE_INFINITY;
  for (let iter = 0; iter < maxIter; iter++) {
    let pgMaxNew = Number.NEGATIVE_INFINITY;
    let pgMinNew = Number.POSITIVE_INFINITY;
    for (let s = 0; s < activeSize; s++) {
      const j = s + Math.floor(random() * (activeSize - s));
      const held = index[s]!;
      index[s] = index[j]!;
      index[j] = held;
    }
    for (let s = 0; s < activeSize; s++) {
      const i = index[s]!;
      const yi = y[i]!;
      const { indices, values } = vectors[i]!;
      let dot = wb * biasFeature;
      if (scale) for (let t = 0; t < indices.length; t++) dot += w[indices[t]!]! * values[t]! * scale[indices[t]!]!;
      else for (let t = 0; t < indices.length; t++) dot += w[indices[t]!]! * values[t]!;
      const g = yi * dot - 1 + alpha[i]! * diag[i]!;
      let pg = 0;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) {
          // Shrinking: a bound variable whose gradient points outward is left out until the final check.
          activeSize--;
          index[s] = index[activeSize]!;
          index[activeSize] = i;
          s--;
          continue;
        }
        if (g < 0) pg = g;
      } else {
        pg = g;
      }
      if (pg > pgMaxNew) pgMaxNew = pg;
      if (pg < pgMinNew) pgMinNew = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        const updated = Math.max(old - g / qd[i]!, 0);
        alpha[i] = updated;
        const d = (updated - old) * yi;
        if (scale)
          for (let t = 0; t < indices.length; t++) {
            const f = indices[t]!;
            w[f] = w[f]! + d * values[t]! * scale[f]!;
          }
        else
          for (let t = 0; t < indices.length; t++) {
            const f = indices[t]!;
            w[f] = w[f]! + d * values[t]!;
          }
        wb += d * biasFeature;
      }
    }
    if (pgMaxNew - pgMinNew <= tol) {
      if (activeSize === n) break;
      // Converged on the active set: check every variable once more before stopping.
      activeSize = n;
      pgMaxOld = Number.POSITIVE_INFINITY;
      continue;
    }
    pgMaxOld = pgMaxNew <= 0 ? Number.POSITIVE_INFINITY : pgMaxNew;
  }
  return wb * biasFeature;
}
