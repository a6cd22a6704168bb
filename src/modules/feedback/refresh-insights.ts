import type { DB } from '../../db/client.js';
import { enqueueJob } from '../../jobs/index.js';
// The files, not the insights index: its schema imports this module's index, and the cycle would read VOTE_REASONS
// before it is initialised.
import { ROLLUP_QUEUE } from '../insights/insights-jobs.js';
import { dayOf, markInsightDaysDirty } from '../insights/roll-up-insights.js';

/**
 * Backdated feedback (imported votes, tickets) changes insights of past days: marks those days dirty and queues a
 * rollup run, inside the writing transaction, so both exist exactly when the write commits.
 */
export async function queueInsightsRefresh(trx: DB, times: Iterable<Date>): Promise<void> {
  const days = new Set<string>();
  for (const at of times) days.add(dayOf(at));
  if (days.size === 0) return;
  await markInsightDaysDirty(trx, days);
  await enqueueJob(trx, { queue: ROLLUP_QUEUE, dedupeKey: 'rolling' });
}
