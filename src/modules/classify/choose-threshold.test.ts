import { describe, expect, it } from 'vitest';
import { chooseClassThresholds, chooseThreshold, MIN_CLASS_THRESHOLD, NEVER_THRESHOLD } from './choose-threshold.js';

describe('chooseThreshold', () => {
  it('cuts below the lowest confidence that keeps precision at the target, halfway to the next one', () => {
    // Sorted: .9 ✓ .8 ✓ .7 ✗ .6 ✓ .5 ✗ .4 ✗ → precision 1, 1, .67, .75, .6, .5
    const confidences = [0.6, 0.9, 0.4, 0.8, 0.5, 0.7];
    const correct = [true, true, false, true, false, false];
    expect(chooseThreshold(confidences, correct, 0.75)).toBeCloseTo(0.55);
    expect(chooseThreshold(confidences, correct, 0.9)).toBeCloseTo(0.75);
    expect(chooseThreshold(confidences, correct, 0.5)).toBe(0.4); // everything answered: nothing below to aim at
  });

  it('never separates equal confidences', () => {
    expect(chooseThreshold([0.9, 0.5, 0.5], [true, true, false], 0.9)).toBeCloseTo(0.7);
    expect(chooseThreshold([0.5, 0.5, 0.9], [false, true, true], 0.9)).toBeCloseTo(0.7);
  });

  it('abstains when the target cannot be reached', () => {
    expect(chooseThreshold([0.9, 0.8], [false, true], 0.99)).toBe(NEVER_THRESHOLD);
    expect(chooseThreshold([], [], 0.9)).toBe(NEVER_THRESHOLD);
  });

  it('with cutAtCorrect, never sits at a wrong answer', () => {
    // 9 right answers then one wrong one: 90% precision allows the wrong one, but it adds nothing.
    const confidences = [0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.93, 0.92, 0.91, 0.1];
    const correct = [...Array(9).fill(true), false];
    expect(chooseThreshold(confidences, correct, 0.9)).toBe(0.1);
    expect(chooseThreshold(confidences, correct, 0.9, true)).toBeCloseTo(0.505);
  });
});

describe('chooseClassThresholds', () => {
  it('fits each class on its own, with a floor and a fallback for classes without held-out examples', () => {
    // Three classes, four held-out rows; class 2 never occurs.
    const p = Float64Array.of(0.9, 0.1, 0, 0.6, 0.4, 0, 0.3, 0.7, 0, 0.05, 0.95, 0);
    const targets = [Int32Array.of(0), Int32Array.of(0, 1), Int32Array.of(1), Int32Array.of(1)];
    const thresholds = chooseClassThresholds(p, 3, targets, 0.9, 0.5);
    expect(thresholds[0]).toBeCloseTo(0.45); // positives at .9 and .6, then a negative at .3
    expect(thresholds[1]).toBeCloseTo(0.25); // positives at .95, .7 and .4, then a negative at .1
    expect(thresholds[2]).toBeCloseTo(0.5); // fallback
    const floored = chooseClassThresholds(Float64Array.of(0.05, 0.95), 2, [Int32Array.of(0)], 0.9, 0.5);
    expect(floored[0]).toBeCloseTo(MIN_CLASS_THRESHOLD);
  });
});
