import { describe, expect, it } from 'vitest';
import { fitTemperature, heldOutLoss } from './fit-temperature.js';
import { createRandom } from './seeded-random.js';
import { softmaxInPlace } from './train-linear-model.js';

describe('fitTemperature', () => {
  it('recovers the temperature that generated the labels', () => {
    // Logits z, labels drawn from softmax(z / 2): the best temperature for these logits is about 2.
    const random = createRandom(11);
    const n = 4000;
    const k = 4;
    const scores = new Float64Array(n * k);
    const targets: Int32Array[] = [];
    for (let i = 0; i < n; i++) {
      const row = new Float64Array(k);
      for (let c = 0; c < k; c++) {
        scores[i * k + c] = (random() - 0.5) * 12;
        row[c] = scores[i * k + c]! / 2;
      }
      softmaxInPlace(row);
      let u = random();
      let label = 0;
      while (label < k - 1 && u > row[label]!) u -= row[label++]!;
      targets.push(Int32Array.of(label));
    }
    expect(fitTemperature(scores, k, targets)).toBeGreaterThan(1.8);
    expect(fitTemperature(scores, k, targets)).toBeLessThan(2.2);
  });

  it('finds the minimum of the held-out loss', () => {
    // Mostly right with two mistakes: the optimum is an interior temperature, not a bound.
    const scores = Float64Array.of(2, 0, 0, 1, 1, 0, 3, 0, 0, 2, 0.5, 0);
    const targets = [0, 1, 1, 0, 1, 1].map((label) => Int32Array.of(label));
    const t = fitTemperature(scores, 2, targets);
    expect(t).toBeGreaterThan(0.1);
    expect(t).toBeLessThan(20);
    const at = (temperature: number) => heldOutLoss(scores, 2, targets, 1 / temperature);
    expect(at(t)).toBeLessThanOrEqual(at(t * 1.1));
    expect(at(t)).toBeLessThanOrEqual(at(t / 1.1));
  });

  it('stays finite when the held-out set is perfectly separated', () => {
    const scores = Float64Array.of(5, 0, 0, 5, 6, 1);
    const t = fitTemperature(scores, 2, [Int32Array.of(0), Int32Array.of(1), Int32Array.of(0)]);
    expect(t).toBeGreaterThan(0.1);
    expect(fitTemperature(new Float64Array(0), 2, [])).toBe(1);
  });
});
