/**
 * Runs discoverThemes in a worker thread: clustering 5,000 texts takes seconds of one core, which would stop a server
 * answering if it ran on the event loop.
 */
import { Worker } from 'node:worker_threads';
import { ClassifyError } from './classify-error.js';
import type {
  DiscoverThemesInput,
  DiscoverThemesOptions,
  DiscoverThemesResult,
  ThemeProgress,
} from './discover-themes.js';
import type { ThemeWorkerInput, ThemeWorkerMessage } from './theme-worker.js';
import { workerScript } from './worker-script.js';

/** Same input and options give the same result as discoverThemes in-process. Aborting terminates the worker. */
export function discoverThemesInWorker(
  input: DiscoverThemesInput,
  options: DiscoverThemesOptions,
  control: { onProgress?: ThemeProgress; signal?: AbortSignal } = {},
): Promise<DiscoverThemesResult> {
  const { onProgress, signal } = control;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ClassifyError('WORKER', 'Theme discovery was cancelled before it started.'));
      return;
    }
    let worker: Worker;
    try {
      const data: ThemeWorkerInput = { input, options };
      worker = new Worker(workerScript('theme-worker', import.meta.url), { workerData: data });
    } catch (error) {
      reject(error);
      return;
    }
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(new ClassifyError('WORKER', 'Theme discovery was cancelled.')));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: ThemeWorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.fraction, message.language);
      else if (message.type === 'done') finish(() => resolve(message.result));
      else finish(() => reject(new ClassifyError('WORKER', message.message)));
    });
    worker.on('error', (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      finish(() => reject(new ClassifyError('WORKER', `Theme worker failed: ${reason}`)));
    });
    worker.on('exit', (exitCode) => {
      finish(() => reject(new ClassifyError('WORKER', `Theme worker exited with code ${exitCode} before finishing.`)));
    });
  });
}
