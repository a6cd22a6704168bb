import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stratifiedFolds, stratifiedHoldout, stratifiedSplit } from './split-examples.js';

const labelArrays = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 200 });
const asExamples = (labels: string[]) => labels.map((label, i) => ({ text: `t${i}`, labels: [label] }));

describe('stratifiedSplit', () => {
  it('keeps each class in proportion and every class on the training side', () => {
    const examples = asExamples([...Array(100).fill('a'), ...Array(20).fill('b'), 'c']);
    const { train, test } = stratifiedSplit(examples, { testFraction: 0.2, seed: 1 });
    const count = (set: typeof examples, label: string) => set.filter((e) => e.labels[0] === label).length;
    expect(count(test, 'a')).toBe(20);
    expect(count(test, 'b')).toBe(4);
    expect(count(test, 'c')).toBe(0); // a class of one stays in training
    expect(train.length + test.length).toBe(examples.length);
  });

  it('is a partition that depends only on the seed', () => {
    fc.assert(
      fc.property(labelArrays, fc.integer(), (labels, seed) => {
        const examples = asExamples(labels);
        const held = stratifiedHoldout(examples, 0.3, seed);
        expect(stratifiedHoldout(examples, 0.3, seed)).toEqual(held);
        expect(new Set(held).size).toBe(held.length);
        const { train, test } = stratifiedSplit(examples, { testFraction: 0.3, seed });
        expect(new Set([...train, ...test]).size).toBe(examples.length);
      }),
    );
  });
});

describe('stratifiedFolds', () => {
  it('assigns every example to exactly one fold, with class counts differing by at most one between folds', () => {
    fc.assert(
      fc.property(labelArrays, fc.integer({ min: 2, max: 6 }), fc.integer(), (labels, k, seed) => {
        const folds = stratifiedFolds(asExamples(labels), k, seed);
        expect(folds).toHaveLength(k);
        expect(folds.flat().sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
        for (const label of new Set(labels)) {
          const perFold = folds.map((fold) => fold.filter((i) => labels[i] === label).length);
          expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});
