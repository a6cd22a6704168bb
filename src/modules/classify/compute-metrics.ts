/**
 * Classification metrics from (truth, prediction, confidence) triples: accuracy, macro-F1, per-class
 * precision/recall/F1, the most confused pairs, and precision against coverage as the unsure threshold moves.
 * An example with several true labels counts as right when the prediction is any of them.
 */

/** One evaluated example. */
export interface EvaluatedItem {
  truth: readonly string[];
  predicted: string;
  /** Probability of the predicted (top) label. */
  confidence: number;
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose (effective) true label is this one. */
  support: number;
  /** Examples predicted as this label. */
  predicted: number;
}

export interface ConfusedPair {
  actual: string;
  predicted: string;
  count: number;
}

/** Answer only when confidence ≥ threshold: the share answered and how often those answers are right. */
export interface CoveragePoint {
  threshold: number;
  coverage: number;
  /** null when nothing is answered at this threshold. */
  precision: number | null;
}

export interface ClassificationMetrics {
  examples: number;
  accuracy: number;
  /** Unweighted mean F1 over every label that is true or predicted at least once (scikit-learn's convention). */
  macroF1: number;
  perClass: ClassMetrics[];
  confusedPairs: ConfusedPair[];
  coverageCurve: CoveragePoint[];
}

export const DEFAULT_CURVE_THRESHOLDS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

/** Computes metrics for a set of predictions. */
export function computeMetrics(
  items: readonly EvaluatedItem[],
  options: { curveThresholds?: readonly number[]; maxPairs?: number } = {},
): ClassificationMetrics {
  const counts = new Map<string, { tp: number; support: number; predicted: number }>();
  const countsOf = (label: string) => {
    let entry = counts.get(label);
    if (!entry) {
      entry = { tp: 0, support: 0, predicted: 0 };
      counts.set(label, entry);
    }
    return entry;
  };
  const confusion = new Map<string, ConfusedPair>();
  let correct = 0;
  for (const item of items) {
    const right = item.truth.includes(item.predicted);
    // The label the prediction is judged against: the matching one when right, else the first (primary) label.
    const actual = right ? item.predicted : (item.truth[0] ?? '');
    countsOf(actual).support++;
    countsOf(item.predicted).predicted++;
    if (right) {
      correct++;
      countsOf(actual).tp++;
    } else {
      const key = JSON.stringify([actual, item.predicted]);
      const pair = confusion.get(key) ?? { actual, predicted: item.predicted, count: 0 };
      pair.count++;
      confusion.set(key, pair);
    }
  }
  const perClass: ClassMetrics[] = [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, { tp, support, predicted }]) => {
      const precision = predicted > 0 ? tp / predicted : 0;
      const recall = support > 0 ? tp / support : 0;
      const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
      return { label, precision, recall, f1, support, predicted };
    });
  const macroF1 = perClass.length > 0 ? perClass.reduce((sum, c) => sum + c.f1, 0) / perClass.length : 0;
  const confusedPairs = [...confusion.values()]
    .sort((a, b) => b.count - a.count || a.actual.localeCompare(b.actual) || a.predicted.localeCompare(b.predicted))
    .slice(0, options.maxPairs ?? 20);
  const coverageCurve = (options.curveThresholds ?? DEFAULT_CURVE_THRESHOLDS).map((threshold) =>
    coverageAt(items, threshold),
  );
  return {
    examples: items.length,
    accuracy: items.length > 0 ? correct / items.length : 0,
    macroF1,
    perClass,
    confusedPairs,
    coverageCurve,
  };
}

/** Coverage and precision when answering only at confidence ≥ threshold. */
export function coverageAt(items: readonly EvaluatedItem[], threshold: number): CoveragePoint {
  let answered = 0;
  let right = 0;
  for (const item of items) {
    if (item.confidence < threshold) continue;
    answered++;
    if (item.truth.includes(item.predicted)) right++;
  }
  return {
    threshold,
    coverage: items.length > 0 ? answered / items.length : 0,
    precision: answered > 0 ? right / answered : null,
  };
}
