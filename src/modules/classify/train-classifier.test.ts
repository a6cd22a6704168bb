import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClassifyError } from './classify-error.js';
import {
  buildMultiLabelExamples,
  buildMultilingualExamples,
  FIXTURE_PARENT_OF,
  LABEL_PAIRS,
  LANGUAGES,
} from './multilingual-fixture.js';
import { predict, predictBatch } from './predict.js';
import { serializeModel } from './serialize-model.js';
import { trainClassifier } from './train-classifier.js';

const examples = [...buildMultilingualExamples(6, 1), ...buildMultiLabelExamples(6, 2)];
const model = trainClassifier(examples, { seed: 3, parentOf: FIXTURE_PARENT_OF });

describe('trainClassifier on multilingual feedback', () => {
  it('classifies unseen phrasings in English, Spanish, Russian, Arabic and Japanese', () => {
    const unseen: [string, string][] = [
      ['Hi, I forgot my password again, help', 'account.password'],
      ['olvidé la contraseña de nuevo', 'account.password'],
      ['ЗАБЫЛ ПАРОЛЬ, помогите', 'account.password'],
      ['نَسيتُ كلمةَ المرور', 'account.password'], // with tashkeel, trained without
      ['パスワードを忘れた', 'account.password'],
      ['you charged me twice this month', 'billing.double-charge'],
      ['¡Me cobraron dos veces!', 'billing.double-charge'],
      ['верните деньги за заказ пожалуйста', 'billing.refund'],
      ['أريد استرداد المبلغ', 'billing.refund'],
      ['広告の予算を増やしたい', 'ads.budget'],
      ['cómo eliminar mi cuenta', 'account.delete'],
    ];
    const predictions = predictBatch(
      model,
      unseen.map(([text]) => text),
      { threshold: 0 },
    );
    predictions.forEach((prediction, i) => {
      expect(prediction.label, unseen[i]![0]).toBe(unseen[i]![1]);
    });
  });

  it.each(LANGUAGES)('reaches high accuracy on freshly generated examples in %s', (language) => {
    const fresh = buildMultilingualExamples(2, 99).filter((example) => example.language === language);
    const right = fresh.filter((example) => predict(model, example.text, { threshold: 0 }).label === example.labels[0]);
    expect(fresh.length).toBe(20);
    expect(right.length / fresh.length).toBeGreaterThanOrEqual(0.9);
  });

  it('records calibration and thresholds fitted on held-out data', () => {
    expect(model.trainedOn.heldOut?.examples).toBeGreaterThan(20);
    expect(model.temperature).toBeGreaterThan(0);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThanOrEqual(1);
    expect(model.classThresholds.length).toBe(model.labels.length);
    expect(model.labels).toEqual(Object.keys(FIXTURE_PARENT_OF).sort());
  });
});

describe('determinism', () => {
  it('gives identical weights and predictions for the same seed', () => {
    const again = trainClassifier(examples, { seed: 3, parentOf: FIXTURE_PARENT_OF });
    expect(serializeModel(again)).toEqual(serializeModel(model));
    expect(predict(again, 'refund please')).toEqual(predict(model, 'refund please'));
  });

  it('gives different weights for a different seed', () => {
    const other = trainClassifier(examples, { seed: 4, parentOf: FIXTURE_PARENT_OF });
    expect(Array.from(other.linear.weights)).not.toEqual(Array.from(model.linear.weights));
  });
});

describe('unsure answers and thresholds', () => {
  it('answers null when nothing in the text is known', () => {
    const prediction = predict(model, 'zzqx wvvk');
    expect(prediction.label).toBeNull();
    expect(prediction.level).toBeNull();
    expect(prediction.labels).toEqual([]);
    expect(prediction.top).toHaveLength(5);
  });

  it('answers null when the top probability is below a raised threshold', () => {
    const prediction = predict(model, 'my money and my account', { threshold: 0.999999 });
    expect(prediction.top[0]!.confidence).toBeLessThan(0.999999);
    expect(prediction.label).toBeNull();
  });

  it('always answers the top label with threshold 0', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const prediction = predict(model, text, { threshold: 0 });
        expect(prediction.label).toBe(prediction.top[0]!.label);
        expect(prediction.level).toBe('leaf');
      }),
      { numRuns: 200 },
    );
  });

  it('gives probabilities that sum to 1 over all labels for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const top = predict(model, text, { top: model.labels.length }).top;
        expect(top.reduce((sum, label) => sum + label.confidence, 0)).toBeCloseTo(1, 9);
        for (let i = 1; i < top.length; i++) expect(top[i - 1]!.confidence).toBeGreaterThanOrEqual(top[i]!.confidence);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects invalid prediction options', () => {
    expect(() => predict(model, 'x', { threshold: 1.5 })).toThrow(ClassifyError);
  });
});

describe('multi-label', () => {
  it('lists both labels for texts that ask two things at once', () => {
    const fresh = buildMultiLabelExamples(4, 77);
    const both = fresh.filter((example) => {
      const listed = predict(model, example.text).labels.map((l) => l.label);
      return example.labels.every((label) => listed.includes(label));
    });
    expect(fresh.length).toBe(4 * LANGUAGES.length * LABEL_PAIRS.length);
    expect(both.length / fresh.length).toBeGreaterThan(0.8);
  });

  it('lists a single label for texts that ask one thing', () => {
    const prediction = predict(model, 'I forgot my password');
    expect(prediction.labels.map((l) => l.label)).toEqual(['account.password']);
  });
});

describe('hierarchy', () => {
  it('rolls probabilities up to the parent category', () => {
    const prediction = predict(model, 'refund charged twice money back', { top: 5 });
    const billing = prediction.top
      .filter((label) => FIXTURE_PARENT_OF[label.label] === 'billing')
      .reduce((sum, label) => sum + label.confidence, 0);
    expect(prediction.parent?.label).toBe('billing');
    expect(prediction.parent?.confidence).toBeCloseTo(billing, 12);
  });

  it('answers the parent when the subcategory is unsure but the category is not', () => {
    const probe = predict(model, 'refund charged twice money back');
    const leaf = probe.top[0]!.confidence;
    const parent = probe.parent!.confidence;
    expect(parent).toBeGreaterThan(leaf);
    const prediction = predict(model, 'refund charged twice money back', { threshold: (leaf + parent) / 2 });
    expect(prediction).toMatchObject({ label: 'billing', level: 'parent' });
    expect(prediction.confidence).toBeCloseTo(parent, 12);
  });

  it('has no parent without a taxonomy', () => {
    const flat = trainClassifier(examples, { seed: 3 });
    expect(predict(flat, 'refund').parent).toBeNull();
  });
});

describe('input validation and progress', () => {
  it('rejects unusable examples and options with a clear error', () => {
    expect(() => trainClassifier([{ text: 'a', labels: ['x'] }])).toThrow(/at least two labels/);
    expect(() =>
      trainClassifier([
        { text: 'a', labels: ['x'] },
        { text: ' ', labels: ['y'] },
      ]),
    ).toThrow(/Example 2 has no text/);
    expect(() =>
      trainClassifier([
        { text: 'a', labels: ['x'] },
        { text: 'b', labels: [] },
      ]),
    ).toThrow(/Example 2 has no label/);
    expect(() => trainClassifier(examples, { targetPrecision: 2 })).toThrow(/targetPrecision/);
    expect(() => trainClassifier(examples, { features: { charNgramMin: 4, charNgramMax: 3 } })).toThrow(/charNgramMax/);
  });

  it('trains without a held-out part when there is too little data, with uncalibrated defaults', () => {
    const tiny = trainClassifier([
      { text: 'refund please', labels: ['refund'] },
      { text: 'password reset', labels: ['password'] },
    ]);
    expect(tiny.trainedOn.heldOut).toBeNull();
    expect(tiny.temperature).toBe(1);
    expect(predict(tiny, 'refund', { threshold: 0 }).label).toBe('refund');
  });

  it('reports progress from 0 to 1 without going backwards', () => {
    const fractions: number[] = [];
    const messages: string[] = [];
    trainClassifier(examples, {
      epochs: 3,
      onProgress: (fraction, message) => {
        fractions.push(fraction);
        messages.push(message);
      },
    });
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]!);
    expect(messages.some((m) => /epoch 3\/3/.test(m))).toBe(true);
  });
});
