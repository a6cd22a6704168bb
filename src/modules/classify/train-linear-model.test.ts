import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SparseVector } from './extract-features.js';
import { computeScores, softmaxInPlace, type TrainingMatrix, trainLinearModel } from './train-linear-model.js';

function oneHot(feature: number, value = 1): SparseVector {
  return { indices: Int32Array.of(feature), values: Float32Array.of(value) };
}

function probabilities(model: ReturnType<typeof trainLinearModel>, vector: SparseVector): Float64Array {
  const scores = new Float64Array(model.numClasses);
  computeScores(vector.indices, vector.values, model.weights, model.bias, model.numClasses, scores);
  softmaxInPlace(scores);
  return scores;
}

// Feature f is the evidence for class f % 3; the training set is separable.
const data: TrainingMatrix = {
  vectors: Array.from({ length: 60 }, (_, i) => oneHot(i % 6)),
  targets: Array.from({ length: 60 }, (_, i) => Int32Array.of(i % 3)),
  numFeatures: 6,
  numClasses: 3,
};
const options = { epochs: 20, l2: 1e-4, learningRate: 1, seed: 5 };

describe('trainLinearModel', () => {
  it('learns a separable problem', () => {
    const model = trainLinearModel(data, options);
    for (let f = 0; f < 6; f++) {
      const p = probabilities(model, oneHot(f));
      expect(p.indexOf(Math.max(...p))).toBe(f % 3);
      expect(p[f % 3]).toBeGreaterThan(0.8);
    }
  });

  it('is deterministic for a seed and depends on it', () => {
    const a = trainLinearModel(data, options);
    const b = trainLinearModel(data, options);
    const c = trainLinearModel(data, { ...options, seed: 6 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.weights)).not.toEqual(Array.from(c.weights));
  });

  it('splits probability between the labels of multi-label examples', () => {
    const model = trainLinearModel(
      {
        vectors: Array.from({ length: 40 }, () => oneHot(0)),
        targets: Array.from({ length: 40 }, () => Int32Array.of(0, 2)),
        numFeatures: 1,
        numClasses: 3,
      },
      { ...options, l2: 0, epochs: 40 },
    );
    const p = probabilities(model, oneHot(0));
    expect(p[0]).toBeCloseTo(0.5, 1);
    expect(p[2]).toBeCloseTo(0.5, 1);
    expect(p[1]).toBeLessThan(0.05);
  });

  it('shrinks weights harder with a larger L2 penalty', () => {
    const size = (l2: number) => trainLinearModel(data, { ...options, l2 }).weights.reduce((sum, w) => sum + w * w, 0);
    expect(size(1e-2)).toBeLessThan(size(1e-5));
  });

  it('gives more weight to heavier examples', () => {
    // Two classes share one feature; weighting class 1 three times makes it the favourite.
    const shared: TrainingMatrix = {
      vectors: Array.from({ length: 40 }, () => oneHot(0)),
      targets: Array.from({ length: 40 }, (_, i) => Int32Array.of(i % 2)),
      exampleWeights: Float32Array.from({ length: 40 }, (_, i) => (i % 2 === 1 ? 3 : 1)),
      numFeatures: 1,
      numClasses: 2,
    };
    const p = probabilities(trainLinearModel(shared, { ...options, l2: 0 }), oneHot(0));
    expect(p[1]).toBeGreaterThan(0.65);
  });

  it('reports progress once per epoch, ending at 1', () => {
    const fractions: number[] = [];
    trainLinearModel(data, { ...options, epochs: 4, onEpoch: (f) => fractions.push(f) });
    expect(fractions).toEqual([0.25, 0.5, 0.75, 1]);
  });
});

describe('softmaxInPlace', () => {
  it('gives probabilities that sum to 1, even for extreme scores', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const p = Float64Array.from(xs);
        softmaxInPlace(p);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
