/**
 * Evaluation of a trained model on labeled examples, and the train-then-evaluate shortcut. Beside the
 * threshold-free metrics it reports the model's operating point: how much it answers at its learned thresholds and
 * how precise those answers are, at label level and (with a taxonomy) at parent level.
 */
import type { LabeledExample, TrainClassifierOptions } from './classify.schema.js';
import type { TrainedModel } from './classify.types.js';
import { type ClassificationMetrics, computeMetrics, type EvaluatedItem } from './compute-metrics.js';
import { predict } from './predict.js';
import { trainClassifier } from './train-classifier.js';

/** How the model behaves at its own unsure thresholds. */
export interface OperatingPoint {
  threshold: number;
  /** Share answered with a label, and the precision of those answers (null if none). */
  coverage: number;
  precision: number | null;
  /** Share answered with only a parent category, and how often that category is right (null if none). */
  parentCoverage: number;
  parentPrecision: number | null;
  /** Share left unanswered. */
  unsure: number;
}

/** Threshold-free metrics plus the model's behaviour at its own thresholds. */
export interface EvaluationReport extends ClassificationMetrics {
  operatingPoint: OperatingPoint;
}

/** Evaluates a trained model on labeled examples. */
export function evaluateModel(model: TrainedModel, examples: readonly LabeledExample[]): EvaluationReport {
  const items: EvaluatedItem[] = [];
  let leafAnswers = 0;
  let leafRight = 0;
  let parentAnswers = 0;
  let parentRight = 0;
  for (const example of examples) {
    const prediction = predict(model, example.text, { top: 1 });
    const top = prediction.top[0]!;
    items.push({ truth: example.labels, predicted: top.label, confidence: top.confidence });
    if (prediction.level === 'leaf') {
      leafAnswers++;
      if (example.labels.includes(top.label)) leafRight++;
    } else if (prediction.level === 'parent') {
      parentAnswers++;
      const truthParents = example.labels.map((label) => model.parentOf[label] ?? label);
      if (truthParents.includes(prediction.label!)) parentRight++;
    }
  }
  const n = examples.length;
  return {
    ...computeMetrics(items),
    operatingPoint: {
      threshold: model.threshold,
      coverage: n > 0 ? leafAnswers / n : 0,
      precision: leafAnswers > 0 ? leafRight / leafAnswers : null,
      parentCoverage: n > 0 ? parentAnswers / n : 0,
      parentPrecision: parentAnswers > 0 ? parentRight / parentAnswers : null,
      unsure: n > 0 ? (n - leafAnswers - parentAnswers) / n : 0,
    },
  };
}

/** Trains on `train` and evaluates on `test`. */
export function evaluateClassifier(
  train: readonly LabeledExample[],
  test: readonly LabeledExample[],
  options: TrainClassifierOptions = {},
): EvaluationReport {
  return evaluateModel(trainClassifier(train, options), test);
}
