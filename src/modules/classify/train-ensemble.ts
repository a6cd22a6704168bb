/**
 * The ensemble the classifier trains: multinomial logistic regression (SGD), a one-vs-rest squared-hinge SVM (dual
 * coordinate descent) and class prototypes (nearest centroid), all over the same TF-IDF vectors.
 *
 * Members are combined by adding their logits, each divided by its own temperature (fitted on out-of-fold scores) and
 * weighted by a blend weight chosen by cross-validation: softmax of that sum is the normalised product of the
 * members' calibrated probabilities raised to their weights. Every member is linear in the vector, so the sum is one
 * linear model: prediction costs the same as for a single member, and the stored layout does not change.
 */
import { trainPrototypes } from './prototype-scores.js';
import { type LinearModel, type TrainingMatrix, trainLinearModel } from './train-linear-model.js';
import { trainSvm } from './train-svm.js';

export const MEMBERS = ['lr', 'svm', 'prototype'] as const;
export type Member = (typeof MEMBERS)[number];

/** Per member, its blend weight divided by its temperature (0 leaves the member out). */
export type MemberCoefficients = Record<Member, number>;

export interface EnsembleOptions {
  coefficients: MemberCoefficients;
  svmC: number;
  lr: { epochs: number; l2: number; learningRate: number };
  seed: number;
  /** Called with the fraction done and a sentence. */
  onProgress?: (fraction: number, message: string) => void;
}

/** Trains one member on the data. */
export function trainMember(
  member: Member,
  data: TrainingMatrix,
  options: Omit<EnsembleOptions, 'coefficients'>,
  onFraction: (fraction: number, message: string) => void = () => {},
): LinearModel {
  if (member === 'prototype') return trainPrototypes(data);
  if (member === 'svm') {
    return trainSvm(data, {
      c: options.svmC,
      seed: options.seed,
      // liblinear's own default for this solver: the ranking of classes settles long before 1e-4 (scikit-learn's).
      tol: 0.1,
      exampleCost: data.exampleWeights,
      onClass: (fraction) =>
        onFraction(fraction, `SVM, class ${Math.round(fraction * data.numClasses)}/${data.numClasses}`),
    });
  }
  const { epochs } = options.lr;
  return trainLinearModel(data, {
    ...options.lr,
    seed: options.seed,
    onEpoch: (fraction) => onFraction(fraction, `epoch ${Math.round(fraction * epochs)}/${epochs}`),
  });
}

/** Trains the members with a non-zero coefficient and folds them into one linear model. */
export function trainEnsemble(data: TrainingMatrix, options: EnsembleOptions): LinearModel {
  const used = MEMBERS.filter((member) => options.coefficients[member] > 0);
  const weights = new Float32Array(data.numFeatures * data.numClasses);
  const bias = new Float32Array(data.numClasses);
  used.forEach((member, position) => {
    const model = trainMember(member, data, options, (fraction, message) =>
      options.onProgress?.((position + fraction) / used.length, message),
    );
    addScaled(weights, bias, model, options.coefficients[member]);
  });
  return { numFeatures: data.numFeatures, numClasses: data.numClasses, weights, bias };
}

/** weights += coefficient · model.weights (and the bias alike). */
export function addScaled(weights: Float32Array, bias: Float32Array, model: LinearModel, coefficient: number): void {
  for (let j = 0; j < weights.length; j++) weights[j] = weights[j]! + coefficient * model.weights[j]!;
  for (let c = 0; c < bias.length; c++) bias[c] = bias[c]! + coefficient * model.bias[c]!;
}
