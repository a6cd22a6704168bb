import { describe, expect, it } from 'vitest';
import { crossValidate } from './cross-validate.js';
import { evaluateClassifier, evaluateModel } from './evaluate-model.js';
import { buildMultilingualExamples, FIXTURE_PARENT_OF } from './multilingual-fixture.js';
import { trainClassifier } from './train-classifier.js';

const train = buildMultilingualExamples(6, 1);
const test = buildMultilingualExamples(2, 42);

describe('evaluateClassifier', () => {
  it('reports accuracy, macro-F1, per-class figures, a coverage curve and the operating point', () => {
    const report = evaluateClassifier(train, test, { seed: 1, parentOf: FIXTURE_PARENT_OF });
    expect(report.examples).toBe(test.length);
    expect(report.accuracy).toBeGreaterThan(0.9);
    expect(report.macroF1).toBeGreaterThan(0.9);
    expect(report.perClass.map((c) => c.label)).toEqual(Object.keys(FIXTURE_PARENT_OF).sort());
    expect(report.perClass.reduce((sum, c) => sum + c.support, 0)).toBe(test.length);
    expect(report.coverageCurve[0]).toMatchObject({ threshold: 0, coverage: 1 });
    const coverages = report.coverageCurve.map((point) => point.coverage);
    for (let i = 1; i < coverages.length; i++) expect(coverages[i]).toBeLessThanOrEqual(coverages[i - 1]!);
    const point = report.operatingPoint;
    expect(point.coverage + point.parentCoverage + point.unsure).toBeCloseTo(1, 12);
  });

  it('counts wrong answers as confusions between the true and the predicted label', () => {
    const model = trainClassifier(train, { seed: 1 });
    // Label every test text with a wrong class: all predictions become confusions into their true class.
    const mislabeled = test.map((example) => ({
      text: example.text,
      labels: [example.labels[0] === 'ads.budget' ? 'account.delete' : 'ads.budget'],
    }));
    const report = evaluateModel(model, mislabeled);
    expect(report.accuracy).toBeLessThan(0.2);
    expect(report.confusedPairs[0]!.count).toBeGreaterThan(5);
  });
});

describe('crossValidate', () => {
  it('runs k stratified folds and summarises them', () => {
    const fractions: number[] = [];
    const result = crossValidate(train, { folds: 3, seed: 2, epochs: 5, onProgress: (f) => fractions.push(f) });
    expect(result.folds).toHaveLength(3);
    expect(result.folds.reduce((sum, fold) => sum + fold.examples, 0)).toBe(train.length);
    expect(result.accuracy.mean).toBeGreaterThan(0.9);
    expect(result.accuracy.std).toBeGreaterThanOrEqual(0);
    expect(fractions.at(-1)).toBe(1);
    expect(() => crossValidate(train, { folds: 1 })).toThrow(/folds/);
  });
});
