/**
 * Worker-thread entry for discoverThemesInWorker: clusters the input it was started with, posts progress after each
 * language, and posts the result back. Not part of the public API.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  type DiscoverThemesInput,
  type DiscoverThemesOptions,
  type DiscoverThemesResult,
  discoverThemes,
} from './discover-themes.js';

/** What the parent sends to the worker. */
export interface ThemeWorkerInput {
  input: DiscoverThemesInput;
  options: DiscoverThemesOptions;
}

/** What the worker posts back. */
export type ThemeWorkerMessage =
  | { type: 'progress'; fraction: number; language: string }
  | { type: 'done'; result: DiscoverThemesResult }
  | { type: 'error'; message: string };

const port = parentPort;
if (port) {
  const post = (message: ThemeWorkerMessage) => port.postMessage(message);
  const { input, options } = workerData as ThemeWorkerInput;
  try {
    const result = discoverThemes(input, options, (fraction, language) =>
      post({ type: 'progress', fraction, language }),
    );
    post({ type: 'done', result });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}
