export { ALERT_DETECTORS, alertDetectors } from './alert-detectors.js';
export { ALERTS_QUEUE, registerAlertJobs } from './alert-jobs.js';
export { reasonRisingDetector } from './alert-reason-rising.js';
export { getAlertSettings } from './alert-settings.js';
export { type ListAlertsOptions, listAlerts } from './alerts.js';
export type { AlertsTables } from './alerts.tables.js';
export { articleCategories, type CategoryInsight } from './article-categories.js';
export { computeArticleHealth } from './article-health.js';
export { articleInsight } from './article-insight.js';
export { articleReasons, type ReasonInsight } from './article-reasons.js';
export { articleSeries } from './article-series.js';
export { articleVocabulary } from './article-vocabulary.js';
export { findDeclining, testDeclines } from './declining.js';
export { computeDeflection } from './deflection.js';
export { type AlertCandidate, type AlertDetector, runAlertDetectors } from './detect-alerts.js';
export { type FindArticles, findContentGaps } from './gaps.js';
export * from './insights.schema.js';
export type { InsightsTables } from './insights.tables.js';
export { insightsAlertsRoutes } from './insights-alerts.routes.js';
export { insightsArticleRoutes } from './insights-article.routes.js';
export { insightsHealthRoutes } from './insights-health.routes.js';
export { ROLLUP_EVERY_MS, ROLLUP_QUEUE, registerInsightsJobs } from './insights-jobs.js';
export { computeOverview } from './overview.js';
export { DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS, type Period, resolvePeriod, sendCsv, wantsCsv } from './present-rows.js';
export { revisionInsights } from './revision-insights.js';
export {
  CONTACT_WINDOW_HOURS,
  dayOf,
  daysBetween,
  markInsightDaysDirty,
  ROLLING_DAYS,
  rollUpInsights,
  runInsightsRollup,
  SEARCH_AGAIN_MINUTES,
} from './roll-up-insights.js';
export { rollUpSiteDaily } from './site-rollup.js';
export * from './stats.js';
export { computeTranslationHealth } from './translation-health.js';
export { customerVocabulary } from './vocabulary.js';
