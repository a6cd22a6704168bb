/** Stratified k-fold cross-validation: k trainings, each evaluated on the fold it did not see. */

import type { LabeledExample, TrainClassifierOptions } from './classify.schema.js';
import { ClassifyError } from './classify-error.js';
import { type EvaluationReport, evaluateModel } from './evaluate-model.js';
import { stratifiedFolds } from './split-examples.js';
import { trainClassifier } from './train-classifier.js';

export interface MeanAndSpread {
  mean: number;
  /** Sample standard deviation across folds. */
  std: number;
}

export interface CrossValidationReport {
  folds: EvaluationReport[];
  accuracy: MeanAndSpread;
  macroF1: MeanAndSpread;
}

function meanAndSpread(values: readonly number[]): MeanAndSpread {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

/** Runs stratified k-fold cross-validation (default 5 folds) with the given training options. */
export function crossValidate(
  examples: readonly LabeledExample[],
  options: TrainClassifierOptions & { folds?: number } = {},
): CrossValidationReport {
  const { folds: k = 5, onProgress, ...trainOptions } = options;
  if (!Number.isInteger(k) || k < 2 || k > examples.length) {
    throw new ClassifyError(
      'INVALID_OPTIONS',
      `folds must be an integer between 2 and the number of examples (${examples.length}); got ${k}.`,
    );
  }
  const folds = stratifiedFolds(examples, k, trainOptions.seed ?? 1);
  const reports = folds.map((testIndices, fold) => {
    const inTest = new Set(testIndices);
    const train = examples.filter((_, index) => !inTest.has(index));
    const test = testIndices.map((index) => examples[index]!);
    const model = trainClassifier(train, {
      ...trainOptions,
      onProgress: (fraction, message) => onProgress?.((fold + fraction) / k, `fold ${fold + 1}/${k}: ${message}`),
    });
    return evaluateModel(model, test);
  });
  return {
    folds: reports,
    accuracy: meanAndSpread(reports.map((report) => report.accuracy)),
    macroF1: meanAndSpread(reports.map((report) => report.macroF1)),
  };
}
