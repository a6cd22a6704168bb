import type { DB } from '../../db/client.js';
import { enqueueJob, type JobRunner } from '../../jobs/index.js';
import type { ActiveModelCache } from './active-model-cache.js';
import { CATEGORISE_QUEUE, categorisePending } from './categorise-feedback.js';
import { TRAIN_QUEUE } from './create-model-version.js';
import { type Trainer, trainModelVersion, workerTrainer } from './train-model-version.js';

/** How often a process checks for zero-result searches to classify even when no vote or ticket arrives. */
const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * Registers the classifier's background jobs: training a model version (in a worker thread) and classifying
 * pending feedback with the active model.
 */
export function registerClassifyJobs(
  runner: JobRunner,
  deps: { db: DB; models: ActiveModelCache; trainer?: Trainer },
): void {
  runner.handle(TRAIN_QUEUE, async (job) => {
    const { version } = job.payload as { version: number };
    return trainModelVersion(deps.db, version, {
      trainer: deps.trainer ?? workerTrainer,
      signal: job.signal,
      attempt: job.attempt,
    });
  });
  runner.handle(CATEGORISE_QUEUE, async (job) => {
    const result = await categorisePending(deps.db, deps.models, { signal: job.signal });
    // A very large backlog (after an activation) continues in a fresh job rather than one endless run.
    if (result.more) await enqueueJob(deps.db, { queue: CATEGORISE_QUEUE, dedupeKey: 'pending' });
    return result;
  });
  runner.every(CATEGORISE_QUEUE, SWEEP_EVERY_MS, { dedupeKey: 'pending' });
}
