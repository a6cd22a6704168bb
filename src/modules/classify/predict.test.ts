import { describe, expect, it } from 'vitest';
import { MODEL_FORMAT_VERSION, type TrainedModel } from './classify.types.js';
import { DEFAULT_FEATURE_CONFIG } from './extract-features.js';
import { buildHashedVocabulary } from './hashed-vocabulary.js';
import { decide } from './predict.js';

const labels = ['account.delete', 'account.password', 'billing.double-charge', 'billing.refund', 'other'];

/** A model whose decisions can be checked by hand: only labels, taxonomy and thresholds matter to decide(). */
function handModel(overrides: Partial<TrainedModel> = {}): TrainedModel {
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    labels,
    parentOf: {
      'account.delete': 'account',
      'account.password': 'account',
      'billing.double-charge': 'billing',
      'billing.refund': 'billing',
    },
    features: {
      config: DEFAULT_FEATURE_CONFIG,
      vocabulary: buildHashedVocabulary(new Int32Array(0)),
      idf: new Float32Array(0),
    },
    linear: {
      numFeatures: 0,
      numClasses: labels.length,
      weights: new Float32Array(0),
      bias: new Float32Array(labels.length),
    },
    temperature: 1,
    threshold: 0.6,
    parentThreshold: 0.7,
    classThresholds: Float32Array.of(0.3, 0.3, 0.3, 0.3, 0.3),
    targetPrecision: 0.9,
    hyperparameters: {
      epochs: 1,
      l2: 0,
      learningRate: 1,
      classWeight: 'none',
      holdoutFraction: 0,
      refit: false,
      seed: 1,
      features: DEFAULT_FEATURE_CONFIG,
    },
    trainedOn: { examples: 0, heldOut: null },
    ...overrides,
  };
}

const options = { threshold: undefined, top: 3 };
const p = (...values: number[]) => Float64Array.from(values);

describe('decide', () => {
  it('answers the top label at leaf level when it passes the threshold', () => {
    const prediction = decide(handModel(), p(0.05, 0.05, 0.1, 0.75, 0.05), options);
    expect(prediction).toMatchObject({ label: 'billing.refund', level: 'leaf', confidence: 0.75 });
    expect(prediction.parent).toEqual({ label: 'billing', confidence: expect.closeTo(0.85, 12) });
    expect(prediction.top.map((l) => l.label)).toEqual(['billing.refund', 'billing.double-charge', 'account.delete']);
  });

  it('answers the parent with the summed probability of its children when the leaf is unsure', () => {
    const prediction = decide(handModel(), p(0.02, 0.03, 0.4, 0.5, 0.05), options);
    expect(prediction).toMatchObject({ label: 'billing', level: 'parent' });
    expect(prediction.confidence).toBeCloseTo(0.9, 12);
    // Both children pass their own threshold (0.3): the text is listed under both.
    expect(prediction.labels.map((l) => l.label)).toEqual(['billing.refund', 'billing.double-charge']);
  });

  it('answers null when neither the leaf nor the parent is sure', () => {
    const prediction = decide(handModel(), p(0.3, 0.1, 0.25, 0.25, 0.1), options);
    expect(prediction).toMatchObject({ label: null, level: null, confidence: 0.3 });
    expect(prediction.parent).toEqual({ label: 'billing', confidence: 0.5 });
  });

  it('rolls a label without a parent up as its own group', () => {
    const prediction = decide(handModel(), p(0.05, 0.05, 0.05, 0.05, 0.8), options);
    expect(prediction.parent).toEqual({ label: 'other', confidence: 0.8 });
  });

  it('uses the threshold override for leaf and parent alike, 0 always answering the leaf', () => {
    const probabilities = p(0.02, 0.03, 0.4, 0.5, 0.05);
    expect(decide(handModel(), probabilities, { threshold: 0, top: 1 })).toMatchObject({
      label: 'billing.refund',
      level: 'leaf',
    });
    expect(decide(handModel(), probabilities, { threshold: 0.95, top: 1 }).label).toBeNull();
  });

  it('answers nothing for a text without known features unless the threshold is 0', () => {
    const probabilities = p(0.02, 0.03, 0.05, 0.85, 0.05);
    expect(decide(handModel(), probabilities, options, false)).toMatchObject({ label: null, labels: [] });
    expect(decide(handModel(), probabilities, { threshold: 0, top: 1 }, false).label).toBe('billing.refund');
  });

  it('lists per-class labels by their own thresholds, plus the answered label', () => {
    const model = handModel({ classThresholds: Float32Array.of(0.9, 0.9, 0.2, 0.9, 0.9), threshold: 0.5 });
    const prediction = decide(model, p(0.05, 0.05, 0.25, 0.6, 0.05), options);
    expect(prediction.labels.map((l) => l.label)).toEqual(['billing.refund', 'billing.double-charge']);
  });

  it('has no parent when the model has no taxonomy', () => {
    const prediction = decide(handModel({ parentOf: {} }), p(0.05, 0.05, 0.1, 0.75, 0.05), options);
    expect(prediction.parent).toBeNull();
  });
});
