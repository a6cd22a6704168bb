import { describe, expect, it } from 'vitest';
import { ClassifyError } from './classify-error.js';
import { buildMultilingualExamples, FIXTURE_PARENT_OF } from './multilingual-fixture.js';
import { predict } from './predict.js';
import { serializeModel } from './serialize-model.js';
import { trainClassifier } from './train-classifier.js';
import { trainInWorker } from './train-in-worker.js';

const examples = buildMultilingualExamples(4, 5);

describe('trainInWorker', () => {
  it('returns the same model as in-process training with the same seed, reporting progress', async () => {
    const progress: [number, string][] = [];
    const result = await trainInWorker(examples, {
      seed: 21,
      parentOf: FIXTURE_PARENT_OF,
      onProgress: (fraction, message) => progress.push([fraction, message]),
    });
    const inProcess = serializeModel(trainClassifier(examples, { seed: 21, parentOf: FIXTURE_PARENT_OF }));
    expect(result.bytes).toEqual(inProcess);
    expect(predict(result.model, 'I forgot my password').label).toBe('account.password');
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toEqual([1, 'done']);
  });

  it('rejects with the training error raised inside the worker', async () => {
    await expect(trainInWorker([{ text: 'only one label', labels: ['x'] }])).rejects.toMatchObject({
      code: 'TRAINING_DATA',
      message: expect.stringMatching(/at least two labels/),
    });
    await expect(trainInWorker(examples, { epochs: 0 })).rejects.toBeInstanceOf(ClassifyError);
  });

  it('stops the worker when aborted', async () => {
    const controller = new AbortController();
    const running = trainInWorker(examples, { signal: controller.signal, epochs: 200 });
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toMatchObject({ code: 'WORKER', message: expect.stringMatching(/cancelled/) });
    const aborted = new AbortController();
    aborted.abort();
    await expect(trainInWorker(examples, { signal: aborted.signal })).rejects.toMatchObject({ code: 'WORKER' });
  });
});
