import { describe, expect, it } from 'vitest';
import { computeMetrics, coverageAt, type EvaluatedItem } from './compute-metrics.js';

// Confusion matrix (rows actual, columns predicted):
//            a  b  c
//   a        3  1  0
//   b        0  2  2
//   c        1  0  1
function items(): EvaluatedItem[] {
  const rows: [string, string, number][] = [
    ['a', 'a', 0.9],
    ['a', 'a', 0.8],
    ['a', 'a', 0.7],
    ['a', 'b', 0.6],
    ['b', 'b', 0.95],
    ['b', 'b', 0.5],
    ['b', 'c', 0.4],
    ['b', 'c', 0.3],
    ['c', 'a', 0.2],
    ['c', 'c', 0.85],
  ];
  return rows.map(([truth, predicted, confidence]) => ({ truth: [truth], predicted, confidence }));
}

describe('computeMetrics', () => {
  it('computes accuracy, per-class precision/recall/F1 and macro-F1 from a confusion matrix', () => {
    const metrics = computeMetrics(items());
    expect(metrics.examples).toBe(10);
    expect(metrics.accuracy).toBeCloseTo(6 / 10);
    const [a, b, c] = metrics.perClass;
    // a: tp 3, predicted 4, support 4 → P .75 R .75 F1 .75
    expect(a).toMatchObject({ label: 'a', support: 4, predicted: 4 });
    expect(a!.precision).toBeCloseTo(0.75);
    expect(a!.recall).toBeCloseTo(0.75);
    expect(a!.f1).toBeCloseTo(0.75);
    // b: tp 2, predicted 3, support 4 → P 2/3 R 1/2 F1 4/7
    expect(b!.precision).toBeCloseTo(2 / 3);
    expect(b!.recall).toBeCloseTo(0.5);
    expect(b!.f1).toBeCloseTo(4 / 7);
    // c: tp 1, predicted 3, support 2 → P 1/3 R 1/2 F1 .4
    expect(c!.f1).toBeCloseTo(0.4);
    expect(metrics.macroF1).toBeCloseTo((0.75 + 4 / 7 + 0.4) / 3);
  });

  it('lists the most confused pairs, most frequent first', () => {
    const { confusedPairs } = computeMetrics(items());
    expect(confusedPairs[0]).toEqual({ actual: 'b', predicted: 'c', count: 2 });
    expect(confusedPairs).toHaveLength(3);
    expect(confusedPairs.reduce((sum, pair) => sum + pair.count, 0)).toBe(4);
  });

  it('draws coverage against precision as the threshold rises', () => {
    const metrics = computeMetrics(items(), { curveThresholds: [0, 0.5, 0.8, 0.99] });
    expect(metrics.coverageCurve).toEqual([
      { threshold: 0, coverage: 1, precision: 0.6 },
      { threshold: 0.5, coverage: 0.7, precision: 6 / 7 }, // .95 .9 .85 .8 .7 .5 right, .6 wrong
      { threshold: 0.8, coverage: 0.4, precision: 1 },
      { threshold: 0.99, coverage: 0, precision: null },
    ]);
    expect(coverageAt([], 0.5)).toEqual({ threshold: 0.5, coverage: 0, precision: null });
  });

  it('counts a prediction as right when it is any of several true labels, and counts unseen labels', () => {
    const metrics = computeMetrics([
      { truth: ['x', 'y'], predicted: 'y', confidence: 1 },
      { truth: ['x', 'y'], predicted: 'z', confidence: 1 },
    ]);
    expect(metrics.accuracy).toBe(0.5);
    expect(metrics.perClass.map((c) => [c.label, c.support, c.predicted])).toEqual([
      ['x', 1, 0],
      ['y', 1, 1],
      ['z', 0, 1],
    ]);
    expect(metrics.macroF1).toBeCloseTo(1 / 3); // x: 0, y: 1, z: 0
  });
});
