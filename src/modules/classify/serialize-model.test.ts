import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODEL_FORMAT_VERSION } from './classify.types.js';
import { ClassifyError } from './classify-error.js';
import { buildMultilingualExamples, FIXTURE_PARENT_OF } from './multilingual-fixture.js';
import { predict } from './predict.js';
import { deserializeModel, serializeModel } from './serialize-model.js';
import { trainClassifier } from './train-classifier.js';

const model = trainClassifier(buildMultilingualExamples(4, 1), { seed: 9, parentOf: FIXTURE_PARENT_OF });
const bytes = serializeModel(model);

describe('serializeModel / deserializeModel', () => {
  it('round-trips every field and every prediction', () => {
    const copy = deserializeModel(bytes);
    expect(copy.labels).toEqual(model.labels);
    expect(copy.parentOf).toEqual(model.parentOf);
    expect(copy.temperature).toBe(model.temperature);
    expect(copy.threshold).toBe(model.threshold);
    expect(copy.hyperparameters).toEqual(model.hyperparameters);
    expect(copy.trainedOn).toEqual(model.trainedOn);
    expect(copy.linear.weights).toEqual(model.linear.weights);
    expect(copy.features.idf).toEqual(model.features.idf);
    expect(copy.features.vocabulary.keys).toEqual(model.features.vocabulary.keys);
    expect(copy.classThresholds).toEqual(model.classThresholds);
    for (const text of ['refund', 'パスワード', 'удалить аккаунт', 'ميزانية', '']) {
      expect(predict(copy, text)).toEqual(predict(model, text));
    }
    expect(serializeModel(copy)).toEqual(bytes);
  });

  it('is compact: four bytes per weight plus a small header', () => {
    const weights = model.linear.numFeatures * model.labels.length;
    expect(bytes.byteLength).toBeGreaterThan(4 * weights);
    expect(bytes.byteLength).toBeLessThan(4 * weights + 8 * model.linear.numFeatures + 4096);
  });

  it('reads bytes at an offset inside a larger buffer', () => {
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(deserializeModel(padded.subarray(3)).labels).toEqual(model.labels);
  });

  it('rejects foreign, truncated and future-version bytes with a MODEL_FORMAT error', () => {
    const expectFormatError = (input: Uint8Array, message: RegExp) => {
      try {
        deserializeModel(input);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ClassifyError);
        expect((error as ClassifyError).code).toBe('MODEL_FORMAT');
        expect((error as ClassifyError).message).toMatch(message);
      }
    };
    expectFormatError(new TextEncoder().encode('{"not":"a model"}'), /magic/);
    expectFormatError(bytes.subarray(0, bytes.length - 4), /expected \d+ bytes/);
    const future = bytes.slice();
    new DataView(future.buffer).setUint16(4, MODEL_FORMAT_VERSION + 1, true);
    expectFormatError(future, /format version/);
    const badHeader = bytes.slice();
    badHeader[12] = 0x7b + 1; // corrupt the JSON header's opening brace
    expectFormatError(badHeader, /bad header/);
  });
});

describe('version 1 models (stored in databases before the ensemble)', () => {
  it('load and predict exactly as the version-1 build did', () => {
    // Written by the version-1 build (logistic regression alone), with its predictions at the time.
    const fixture = JSON.parse(readFileSync(new URL('./model-v1.fixture.json', import.meta.url), 'utf8')) as {
      base64: string;
      predictions: [string, unknown][];
    };
    const bytes = new Uint8Array(Buffer.from(fixture.base64, 'base64'));
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint16(4, true)).toBe(1);
    const old = deserializeModel(bytes);
    expect(old.formatVersion).toBe(1);
    expect(old.hyperparameters.selection).toBeUndefined();
    for (const [text, prediction] of fixture.predictions) expect(predict(old, text)).toEqual(prediction);
  });
});
