/**
 * Runs trainClassifier in a worker thread so a server keeps answering while a model trains. Progress is posted back
 * to the caller; the result is the serialised model (transferred, not copied) and the model read back from it, so
 * what the caller holds is exactly what it would store.
 */
import { Worker } from 'node:worker_threads';
import type { LabeledExample, ProgressCallback, TrainClassifierInput } from './classify.schema.js';
import type { TrainedModel } from './classify.types.js';
import { ClassifyError, type ClassifyErrorCode } from './classify-error.js';
import { deserializeModel } from './serialize-model.js';
import type { TrainWorkerInput, TrainWorkerMessage } from './train-worker.js';
import { workerScript } from './worker-script.js';

/** trainClassifier's options plus a progress callback and a cancellation signal. */
export interface TrainInWorkerOptions extends TrainClassifierInput {
  onProgress?: ProgressCallback;
  /** Aborting terminates the worker and rejects with ClassifyError('WORKER'). */
  signal?: AbortSignal;
}

/** The serialised model (what to store) and the model read back from it (what to use). */
export interface TrainInWorkerResult {
  bytes: Uint8Array;
  model: TrainedModel;
}

const ERROR_CODES: readonly ClassifyErrorCode[] = [
  'INPUT_FILE',
  'TRAINING_DATA',
  'INVALID_OPTIONS',
  'MODEL_FORMAT',
  'WORKER',
];

/** Trains a classifier in a worker thread; same seed and data give the same bytes as in-process training. */
export function trainInWorker(
  examples: readonly LabeledExample[],
  options: TrainInWorkerOptions = {},
): Promise<TrainInWorkerResult> {
  const { onProgress, signal, ...trainOptions } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ClassifyError('WORKER', 'Training was cancelled before it started.'));
      return;
    }
    let script: URL;
    try {
      script = workerScript('train-worker', import.meta.url);
    } catch (error) {
      reject(error);
      return;
    }
    const input: TrainWorkerInput = {
      examples: examples.map((example) => ({ text: example.text, labels: [...example.labels] })),
      options: trainOptions,
    };
    const worker = new Worker(script, { workerData: input });
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      action();
    };
    const onAbort = () => {
      finish(() => reject(new ClassifyError('WORKER', 'Training was cancelled.')));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: TrainWorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.fraction, message.message);
      else if (message.type === 'done') {
        finish(() => {
          try {
            const bytes = message.bytes;
            resolve({ bytes, model: deserializeModel(bytes) });
          } catch (error) {
            reject(error);
          }
        });
        void worker.terminate();
      } else {
        const code = ERROR_CODES.find((c) => c === message.code) ?? 'WORKER';
        finish(() => reject(new ClassifyError(code, message.message)));
      }
    });
    worker.on('error', (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      finish(() => reject(new ClassifyError('WORKER', `Training worker failed: ${reason}`)));
    });
    worker.on('exit', (exitCode) => {
      finish(() =>
        reject(new ClassifyError('WORKER', `Training worker exited with code ${exitCode} before finishing.`)),
      );
    });
  });
}
