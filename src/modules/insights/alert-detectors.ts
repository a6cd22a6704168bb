import { contentGapCandidates, decliningCandidates, translationCandidates } from './alert-candidates.js';
import { reasonRisingDetector } from './alert-reason-rising.js';
import { findDeclining } from './declining.js';
import type { AlertDetector } from './detect-alerts.js';
import { type FindArticles, findContentGaps } from './gaps.js';
import { dayOf } from './roll-up-insights.js';
import { computeTranslationHealth } from './translation-health.js';

const DAY_MS = 86_400_000;
/** The window a content gap and a translation's health are judged over: the last 28 days. */
const WINDOW_DAYS = 28;
const windowEnding = (now: Date) => ({
  from: dayOf(new Date(now.getTime() - (WINDOW_DAYS - 1) * DAY_MS)),
  to: dayOf(now),
});

/**
 * Every detector the hourly 'insights.alerts' job runs: each calls one insight with the analyst's thresholds and
 * turns its findings into candidates (alert-candidates.ts). Content gaps need the search engine, to tell a ticket
 * no article answers from one an article does.
 */
export function alertDetectors(deps: { findArticles: FindArticles }): AlertDetector[] {
  return [
    reasonRisingDetector,
    async (db, s, now) =>
      decliningCandidates(
        (await findDeclining(db, { asOf: dayOf(now), metric: 'helpful', minTrials: s.minVotes, fdr: s.fdr })).articles,
        s,
      ),
    async (db, s, now) =>
      decliningCandidates(
        (await findDeclining(db, { asOf: dayOf(now), metric: 'contact', minTrials: s.minVotes, fdr: s.fdr })).articles,
        s,
      ),
    async (db, s, now) =>
      contentGapCandidates(
        (await findContentGaps(db, { ...windowEnding(now), minVolume: s.minGapVolume, fresh: true }, deps.findArticles))
          .gaps,
        s,
      ),
    async (db, s, now) => translationCandidates(await computeTranslationHealth(db, windowEnding(now)), s),
  ];
}

/** The detectors that need nothing but the database (tests and tools without a search engine). */
export const ALERT_DETECTORS: readonly AlertDetector[] = [reasonRisingDetector];
