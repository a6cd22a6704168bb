import { reasonRisingDetector } from './alert-reason-rising.js';
import type { AlertDetector } from './detect-alerts.js';

/**
 * Every detector the hourly 'insights.alerts' job runs. Another insight becomes an alert with one adapter line here:
 * a function `(db, settings, now) => Promise<AlertCandidate[]>` that calls the insight and turns each finding into a
 * candidate (kind, slug, locale, a dedupeKey naming the finding, title, message with the figures, severity, data).
 */
export const ALERT_DETECTORS: readonly AlertDetector[] = [reasonRisingDetector];
