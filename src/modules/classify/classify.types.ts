/** Shapes shared across the classifier: the trained model and what prediction returns. */
import type { FeatureConfig, FeatureSpace } from './extract-features.js';
import type { Selection } from './select-settings.js';
import type { LinearModel } from './train-linear-model.js';

/**
 * Version of the in-memory and serialised model layout; bump when either changes incompatibly.
 * 2: the header records what inner cross-validation chose (the ensemble is folded into the same weight layout).
 * Version 1 models still load and predict as before.
 */
export const MODEL_FORMAT_VERSION = 2;

/** Hyperparameters the model was trained with, kept so it can be retrained or compared. */
export interface ModelHyperparameters {
  epochs: number;
  l2: number;
  learningRate: number;
  classWeight: 'balanced' | 'none';
  holdoutFraction: number;
  refit: boolean;
  seed: number;
  features: FeatureConfig;
  /** What inner cross-validation chose; null when it did not run; absent in version 1 models. */
  selection?: Selection | null;
}

/** What the held-out set said about the model (before any refit on all data). */
export interface HeldOutSummary {
  examples: number;
  /** Share of held-out texts whose top label is one of their labels. */
  accuracy: number;
  /** Share answered (not unsure) at the chosen threshold, and the precision of those answers. */
  coverage: number;
  precision: number;
}

/** A trained classifier: features, weights, calibration and thresholds. Plain data; no methods. */
export interface TrainedModel {
  formatVersion: number;
  labels: string[];
  /** label → parent category, for labels of this model only. */
  parentOf: Record<string, string>;
  features: FeatureSpace;
  linear: LinearModel;
  /** Softmax temperature fitted on held-out data (probabilities are softmax(scores / temperature)). */
  temperature: number;
  /** The top label is answered when its probability is at least this; above 1 means never. */
  threshold: number;
  /** The parent category is answered (when the label is unsure) when its summed probability is at least this. */
  parentThreshold: number;
  /** Per-class thresholds for listing a class in `labels` (multi-label answers). */
  classThresholds: Float32Array;
  targetPrecision: number;
  hyperparameters: ModelHyperparameters;
  trainedOn: { examples: number; heldOut: HeldOutSummary | null };
}

/** A label with its calibrated probability. */
export interface ScoredLabel {
  label: string;
  confidence: number;
}

/** The answer for one text. */
export interface Prediction {
  /** The answer, or null when the model is unsure even at the parent level. */
  label: string | null;
  /** Probability of the answer (the parent's summed probability when level is 'parent'); top probability if unsure. */
  confidence: number;
  /** 'leaf' when a label of the model was answered, 'parent' when only its category was sure enough. */
  level: 'leaf' | 'parent' | null;
  /** Every class whose probability passes its own threshold (multi-label), plus the answered leaf label. */
  labels: ScoredLabel[];
  /** The most probable labels, best first. */
  top: ScoredLabel[];
  /** The most probable parent category with the summed probability of its labels; null without a taxonomy. */
  parent: ScoredLabel | null;
}
