import type { DB } from '../../db/client.js';
import type { JobRunner } from '../../jobs/index.js';
import { dropExpiredPartitions } from './drop-expired-partitions.js';
import { runKpiRollup } from './roll-up-kpis.js';

/** The queue that keeps the KPI rollup (`event_kpi_*`) current. */
export const KPI_ROLLUP_QUEUE = 'events.kpi-rollup';
/** How often it runs: a late event or a re-stitched identity shows in the KPIs within this (plus the run). */
export const KPI_ROLLUP_EVERY_MS = 5 * 60_000;
/** The queue that drops event partitions older than the retention setting. */
export const RETENTION_QUEUE = 'events.retention';
/** Often enough that a process restarted daily still gets to it; a run with nothing to drop reads the catalog only. */
export const RETENTION_EVERY_MS = 6 * 3_600_000;

/** Registers the events module's jobs: every process may run them; the dedupe key keeps one run of each queued. */
export function registerEventsJobs(runner: JobRunner, deps: { db: DB; retentionMonths: number }): void {
  runner.handle(KPI_ROLLUP_QUEUE, async (job) => runKpiRollup(deps.db, { signal: job.signal }));
  runner.every(KPI_ROLLUP_QUEUE, KPI_ROLLUP_EVERY_MS, { dedupeKey: 'rolling' });
  runner.handle(RETENTION_QUEUE, async () => ({
    dropped: await dropExpiredPartitions(deps.db, { months: deps.retentionMonths }),
  }));
  runner.every(RETENTION_QUEUE, RETENTION_EVERY_MS, { dedupeKey: 'recurring' });
}
