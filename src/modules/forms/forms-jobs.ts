import { enqueueJob, type JobRunner } from '../../jobs/index.js';
import type { AppContext } from '../../server/context.js';
import { forwardDueDeliveries } from './forward-deliveries.js';
import { createConnector } from './helpdesk-connectors.js';

/** The queue of the help-desk forwarding runs. */
export const HELPDESK_QUEUE = 'forms.helpdesk';
/**
 * The recurring run every process schedules: the safety net for rows no live process has a wake-up for (a retry
 * owed by a process that died, a lease that ran out). Each run is a job row, so not every second: a new ticket and
 * a retry coming due are woken precisely instead (the bus event and the timer below).
 */
export const HELPDESK_TICK_MS = 5_000; // 5 s

/**
 * Registers forwarding to the configured help desk (nothing when none is): a recurring run, a run at once when a
 * ticket is filed ('ticket.filed'), and after each run a wake-up when the earliest pending delivery comes due.
 */
export function registerFormsJobs(jobs: JobRunner, ctx: Pick<AppContext, 'db' | 'config' | 'bus'>): void {
  const connector = createConnector(ctx.config.helpdesk);
  if (!connector) return;
  let wake: ReturnType<typeof setTimeout> | undefined;
  const runSoon = () => {
    enqueueJob(ctx.db, { queue: HELPDESK_QUEUE, dedupeKey: 'due' })
      .then(() => jobs.poke())
      // The database is gone (shutting down): the next process's tick forwards what is left.
      .catch(() => undefined);
  };
  const wakeAt = (due: Date | null) => {
    if (wake) clearTimeout(wake);
    wake = undefined;
    if (due === null) return;
    const delay = Math.max(0, due.getTime() - Date.now());
    if (delay >= HELPDESK_TICK_MS) return;
    wake = setTimeout(runSoon, delay);
    wake.unref();
  };
  jobs.handle(HELPDESK_QUEUE, async (job) => {
    const result = await forwardDueDeliveries(ctx.db, { connector, config: ctx.config.helpdesk, signal: job.signal });
    if (!job.signal.aborted) wakeAt(result.nextDueAt);
    return { ...result, nextDueAt: result.nextDueAt?.toISOString() ?? null };
  });
  jobs.every(HELPDESK_QUEUE, HELPDESK_TICK_MS, { dedupeKey: 'due' });
  ctx.bus.on('ticket.filed', (event) => {
    if (event.deliveryId !== null) runSoon();
  });
}
