export { collectorRoutes } from './collector.routes.js';
export { countedEventSql, SERVER_OBSERVED_EVENTS } from './counted-events.js';
export { createWriteKey, type WriteKeyInfo } from './create-write-key.js';
export { dropExpiredPartitions } from './drop-expired-partitions.js';
export { ensureMonthPartitions } from './ensure-partitions.js';
export { SITE_KEY_PURPOSE } from './ensure-site-write-key.js';
export { eventsRoutes } from './events.routes.js';
export type { EventsTables } from './events.tables.js';
export { KPI_ROLLUP_QUEUE, RETENTION_QUEUE, registerEventsJobs } from './events-jobs.js';
export {
  ANONYMOUS_ID_COOKIE,
  CONSENT_COOKIE,
  type EmitResult,
  EventsService,
  type ServerEvent,
  trackingIdentity,
  /** The first name of `trackingIdentity`, kept for modules that import it. */
  trackingIdentity as readerIdentity,
} from './events-service.js';
export { listWriteKeys } from './list-write-keys.js';
export { type EventRow, normalizeMessage } from './normalize-message.js';
export { PERSON_JOINS, PERSON_SQL } from './person-id.js';
export { HELP_CENTER_FUNNEL, queryFunnel } from './query-funnel.js';
export { queryKpis, SEARCH_EXIT_MINUTES } from './query-kpis.js';
export { revokeWriteKey } from './revoke-write-key.js';
export { runKpiRollup } from './roll-up-kpis.js';
export { BUILT_IN_PLAN, type TrackingPlan } from './tracking-plan.js';
export { writeEventBatch } from './write-event-batch.js';
