/**
 * Worker-thread entry for trainInWorker: trains with the data it was started with, posts progress, and posts the
 * serialised model back (its buffer is transferred, not copied). Not part of the public API.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LabeledExample, TrainClassifierInput } from './classify.schema.js';
import { ClassifyError } from './classify-error.js';
import { serializeModel } from './serialize-model.js';
import { trainClassifier } from './train-classifier.js';

/** What the parent sends to the worker. */
export interface TrainWorkerInput {
  examples: LabeledExample[];
  options: TrainClassifierInput;
}

/** What the worker posts back. */
export type TrainWorkerMessage =
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'done'; bytes: Uint8Array }
  | { type: 'error'; code: string; message: string };

const port = parentPort;
if (port) {
  const post = (message: TrainWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const { examples, options } = workerData as TrainWorkerInput;
  try {
    const model = trainClassifier(examples, {
      ...options,
      onProgress: (fraction, message) => post({ type: 'progress', fraction, message }),
    });
    const bytes = serializeModel(model);
    post({ type: 'done', bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    post({
      type: 'error',
      code: error instanceof ClassifyError ? error.code : 'WORKER',
      message: error instanceof Error ? error.message : String(error),
    });
  }
}
