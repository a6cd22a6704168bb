/**
 * Trains a classifier end to end: features → settings chosen by inner cross-validation on the training part
 * (character weight, SVM C, blend of logistic regression, SVM and prototypes; select-settings.ts) → the ensemble
 * folded into one linear model (train-ensemble.ts) → temperature calibration → "unsure" thresholds, all fitted on a
 * stratified held-out part of the examples, then (by default) one more training run on every example so no labeled
 * text is wasted. The held-out calibration is then slightly conservative for the refitted model, which has seen more
 * data. The held-out part never takes part in choosing settings.
 */

import { baselineFamily, chooseFeatureFamily } from './choose-feature-family.js';
import { chooseClassThresholds, chooseThreshold } from './choose-threshold.js';
import {
  type LabeledExample,
  type ProgressCallback,
  type TrainClassifierOptions,
  type TrainClassifierSettings,
  ZTrainClassifierOptions,
} from './classify.schema.js';
import { type HeldOutSummary, MODEL_FORMAT_VERSION, type TrainedModel } from './classify.types.js';
import { ClassifyError } from './classify-error.js';
import {
  DEFAULT_FEATURE_CONFIG,
  extractFeatureKeys,
  type FeatureConfig,
  type FeatureSpace,
  vectorizeKeys,
} from './extract-features.js';
import { fitFeatureSpace } from './fit-feature-space.js';
import { fitTemperature } from './fit-temperature.js';
import { argMax, buildParentGroups, rollUp } from './roll-up-parents.js';
import { applyTemperature, scoreVector } from './score-text.js';
import { coefficientsOf, type Selection, selectSettings } from './select-settings.js';
import { stratifiedHoldout } from './split-examples.js';
import { type MemberCoefficients, trainEnsemble } from './train-ensemble.js';
import type { LinearModel } from './train-linear-model.js';

/** Without cross-validation (too little data, or `select: false`): logistic regression alone, as in format 1. */
const LR_ONLY: MemberCoefficients = { lr: 1, svm: 0, prototype: 0 };
const DEFAULT_SVM_C = 1;

/** Below this many examples every feature counts (minDf 1); above, features seen once are dropped as noise. */
const SMALL_DATA_SET = 1000;

/** Trains a classifier on labeled examples. Deterministic for a given seed; throws ClassifyError on unusable input. */
export function trainClassifier(
  examples: readonly LabeledExample[],
  options: TrainClassifierOptions = {},
): TrainedModel {
  const { onProgress, ...input } = options;
  const parsed = ZTrainClassifierOptions.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`);
    throw new ClassifyError('INVALID_OPTIONS', `Invalid training options: ${problems.join('; ')}`);
  }
  const settings = parsed.data;
  const progress: ProgressCallback = onProgress ?? (() => {});
  const labels = collectLabels(examples);
  let features = resolveFeatureConfig(settings, examples.length);
  const classOf = new Map(labels.map((label, index) => [label, index]));
  const targets = examples.map((example) => Int32Array.from(new Set(example.labels), (label) => classOf.get(label)!));
  const parentOf: Record<string, string> = {};
  for (const label of labels) if (Object.hasOwn(settings.parentOf, label)) parentOf[label] = settings.parentOf[label]!;

  progress(0, `extracting features from ${examples.length} texts`);
  let keys = examples.map((example) => extractFeatureKeys(example.text, features));
  const exampleWeights = computeExampleWeights(targets, labels.length, settings.classWeight);
  const all = examples.map((_, index) => index);
  const heldOutIndices =
    settings.holdoutFraction > 0 ? stratifiedHoldout(examples, settings.holdoutFraction, settings.seed) : [];
  const heldOutSet = new Set(heldOutIndices);
  const trainIndices = all.filter((index) => !heldOutSet.has(index));
  if (settings.select && Object.keys(settings.features).length === 0) {
    // First choice of the inner CV: our featurisation or the plain baseline's (see choose-feature-family.ts).
    const alternative = baselineFamily(features);
    const alternativeKeys = examples.map((example) => extractFeatureKeys(example.text, alternative));
    const family = chooseFeatureFamily({
      keys: [trainIndices.map((index) => keys[index]!), trainIndices.map((index) => alternativeKeys[index]!)],
      families: [features, alternative],
      targets: trainIndices.map((index) => targets[index]!),
      exampleWeights: Float32Array.from(trainIndices, (index) => exampleWeights[index]!),
      strata: trainIndices.map((index) => examples[index]!.labels[0]!),
      numClasses: labels.length,
      seed: settings.seed,
      onProgress: (fraction, message) => progress(0.05 * fraction, message),
    });
    if (family?.chosen === 1) {
      features = alternative;
      keys = alternativeKeys;
    }
  }
  const selectEnd = settings.select ? 0.5 : 0.05;
  const selection: Selection | null = settings.select
    ? selectSettings({
        keys: trainIndices.map((index) => keys[index]!),
        targets: trainIndices.map((index) => targets[index]!),
        exampleWeights: Float32Array.from(trainIndices, (index) => exampleWeights[index]!),
        strata: trainIndices.map((index) => examples[index]!.labels[0]!),
        numClasses: labels.length,
        features,
        charWeightFixed: settings.features.charWeight !== undefined,
        lr: { epochs: settings.epochs, l2: settings.l2, learningRate: settings.learningRate },
        seed: settings.seed,
        onProgress: (fraction, message) => progress(0.05 + (selectEnd - 0.05) * fraction, message),
      })
    : null;
  if (selection) features = { ...features, charWeight: selection.charWeight };
  const coefficients = selection ? coefficientsOf(selection) : LR_ONLY;
  const svmC = selection?.svmC ?? DEFAULT_SVM_C;
  const base = {
    formatVersion: MODEL_FORMAT_VERSION,
    labels,
    parentOf,
    targetPrecision: settings.targetPrecision,
    hyperparameters: {
      epochs: settings.epochs,
      l2: settings.l2,
      learningRate: settings.learningRate,
      classWeight: settings.classWeight,
      holdoutFraction: settings.holdoutFraction,
      refit: settings.refit,
      seed: settings.seed,
      features,
      selection,
    },
  };

  if (heldOutIndices.length === 0) {
    // Too little data to hold any out: uncalibrated, and the target precision itself is the best guess of a
    // threshold for a probability.
    const fitted = fitAndTrain(all, selectEnd, 1, 'training');
    progress(1, 'done');
    return {
      ...base,
      ...fitted,
      temperature: 1,
      threshold: settings.targetPrecision,
      parentThreshold: settings.targetPrecision,
      classThresholds: new Float32Array(labels.length).fill(settings.targetPrecision),
      trainedOn: { examples: examples.length, heldOut: null },
    };
  }

  const firstEnd = settings.refit ? selectEnd + (1 - selectEnd) / 2 : 0.95;
  const first = fitAndTrain(trainIndices, selectEnd, firstEnd, 'training');
  progress(firstEnd, `calibrating on ${heldOutIndices.length} held-out examples`);
  const calibration = calibrate(first, heldOutIndices);
  const final = settings.refit ? fitAndTrain(all, firstEnd + 0.05, 1, 'training on all') : first;
  progress(1, 'done');
  return { ...base, ...final, ...calibration, trainedOn: { examples: examples.length, heldOut: calibration.summary } };

  function fitAndTrain(indices: number[], from: number, to: number, verb: string) {
    const space = fitFeatureSpace(
      indices.map((index) => keys[index]!),
      features,
    );
    const linear = trainEnsemble(
      {
        vectors: indices.map((index) => vectorizeKeys(space, keys[index]!)),
        targets: indices.map((index) => targets[index]!),
        exampleWeights: Float32Array.from(indices, (index) => exampleWeights[index]!),
        numFeatures: space.idf.length,
        numClasses: labels.length,
      },
      {
        coefficients,
        svmC,
        lr: { epochs: settings.epochs, l2: settings.l2, learningRate: settings.learningRate },
        seed: settings.seed,
        onProgress: (fraction, message) =>
          progress(from + (to - from) * fraction, `${verb} ${indices.length} examples: ${message}`),
      },
    );
    return { features: space, linear };
  }

  function calibrate(fitted: { features: FeatureSpace; linear: LinearModel }, heldOut: number[]) {
    const k = labels.length;
    const scores = new Float64Array(heldOut.length * k);
    heldOut.forEach((index, row) => {
      scores.set(scoreVector(fitted.linear, vectorizeKeys(fitted.features, keys[index]!)), row * k);
    });
    const heldOutTargets = heldOut.map((index) => targets[index]!);
    const temperature = fitTemperature(scores, k, heldOutTargets);
    const probabilities = new Float64Array(scores.length);
    const topConfidence = new Float64Array(heldOut.length);
    const topCorrect = new Array<boolean>(heldOut.length);
    const groups = buildParentGroups(labels, parentOf);
    const parentConfidence = new Float64Array(heldOut.length);
    const parentCorrect = new Array<boolean>(heldOut.length);
    for (let row = 0; row < heldOut.length; row++) {
      const p = applyTemperature(scores.slice(row * k, row * k + k), temperature);
      probabilities.set(p, row * k);
      const best = argMax(p);
      topConfidence[row] = p[best]!;
      topCorrect[row] = heldOutTargets[row]!.includes(best);
      if (groups) {
        const sums = rollUp(groups, p);
        const bestGroup = argMax(sums);
        parentConfidence[row] = sums[bestGroup]!;
        parentCorrect[row] = heldOutTargets[row]!.some((c) => groups.groupOfClass[c] === bestGroup);
      }
    }
    const threshold = chooseThreshold(topConfidence, topCorrect, settings.targetPrecision);
    const parentThreshold = groups
      ? chooseThreshold(parentConfidence, parentCorrect, settings.targetPrecision)
      : threshold;
    const classThresholds = chooseClassThresholds(
      probabilities,
      k,
      heldOutTargets,
      settings.targetPrecision,
      threshold,
    );
    let answered = 0;
    let answeredRight = 0;
    let right = 0;
    for (let row = 0; row < heldOut.length; row++) {
      if (topCorrect[row]) right++;
      if (topConfidence[row]! >= threshold) {
        answered++;
        if (topCorrect[row]) answeredRight++;
      }
    }
    const summary: HeldOutSummary = {
      examples: heldOut.length,
      accuracy: right / heldOut.length,
      coverage: answered / heldOut.length,
      precision: answered > 0 ? answeredRight / answered : 1,
    };
    return { temperature, threshold, parentThreshold, classThresholds, summary };
  }
}

function collectLabels(examples: readonly LabeledExample[]): string[] {
  const labels = new Set<string>();
  examples.forEach((example, index) => {
    if (typeof example.text !== 'string' || example.text.trim() === '') {
      throw new ClassifyError('TRAINING_DATA', `Example ${index + 1} has no text.`);
    }
    if (!Array.isArray(example.labels) || example.labels.length === 0) {
      throw new ClassifyError('TRAINING_DATA', `Example ${index + 1} has no label.`);
    }
    for (const label of example.labels) {
      if (typeof label !== 'string' || label === '') {
        throw new ClassifyError('TRAINING_DATA', `Example ${index + 1} has an empty label.`);
      }
      labels.add(label);
    }
  });
  if (labels.size < 2) {
    throw new ClassifyError(
      'TRAINING_DATA',
      `Training needs examples of at least two labels; got ${labels.size === 0 ? 'none' : `only "${[...labels][0]}"`}.`,
    );
  }
  return [...labels].sort();
}

function resolveFeatureConfig(settings: TrainClassifierSettings, examples: number): FeatureConfig {
  const config: FeatureConfig = {
    ...DEFAULT_FEATURE_CONFIG,
    minDf: examples >= SMALL_DATA_SET ? DEFAULT_FEATURE_CONFIG.minDf : 1,
    ...settings.features,
  };
  if (config.charNgramMin > 0 && config.charNgramMax < config.charNgramMin) {
    throw new ClassifyError('TRAINING_DATA', 'features.charNgramMax must be at least features.charNgramMin.');
  }
  return config;
}

/** 'balanced': weight n / (k · n_c), as scikit-learn does, averaged over an example's labels. */
function computeExampleWeights(targets: readonly Int32Array[], k: number, mode: 'balanced' | 'none'): Float32Array {
  const weights = new Float32Array(targets.length).fill(1);
  if (mode === 'none') return weights;
  const counts = new Float64Array(k);
  for (const target of targets) for (const c of target) counts[c] = counts[c]! + 1 / target.length;
  targets.forEach((target, index) => {
    let sum = 0;
    for (const c of target) sum += targets.length / (k * counts[c]!);
    weights[index] = sum / target.length;
  });
  return weights;
}
