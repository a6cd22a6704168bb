import type { DB } from '../../db/client.js';
import type { JobRunner } from '../../jobs/index.js';
import { runInsightsRollup } from './roll-up-insights.js';

/** The queue that keeps `insight_article_daily` current. */
export const ROLLUP_QUEUE = 'insights.rollup';
/** How often the rollup runs: insights are at most this stale (plus the run's own time). */
export const ROLLUP_EVERY_MS = 5 * 60_000;

/** Registers the insights rollup: every process may run it; the job queue's dedupe key keeps one run queued. */
export function registerInsightsJobs(runner: JobRunner, deps: { db: DB }): void {
  runner.handle(ROLLUP_QUEUE, async () => runInsightsRollup(deps.db));
  runner.every(ROLLUP_QUEUE, ROLLUP_EVERY_MS, { dedupeKey: 'rolling' });
}
