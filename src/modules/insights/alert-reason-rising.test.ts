import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { buildArticle } from '../content/content.factories.js';
import { reasonRisingDetector } from './alert-reason-rising.js';
import { getAlertSettings } from './alert-settings.js';
import { listAlerts } from './alerts.js';
import { plantVotes } from './alerts.test-support.js';
import { type AlertCandidate, type AlertDetector, runAlertDetectors } from './detect-alerts.js';
import { rollUpInsights } from './roll-up-insights.js';

const NOW = new Date('2026-05-01T10:00:00Z');
const BASELINE_FROM = '2026-03-07';
const RECENT_FROM = '2026-04-04';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the reason-rising detector', () => {
  let t: DatabaseHandle;
  beforeAll(async () => {
    t = await createTestDatabase();
    const db = t.db;
    for (const slug of ['rising', 'stable', 'few']) await buildArticle(db, { slug, title: `Article ${slug}` });
    // rising: "hard to understand" goes from 4 of 40 "no" votes to 24 of 40.
    await plantVotes(db, {
      slug: 'rising',
      from: BASELINE_FROM,
      days: 28,
      helpful: 60,
      no: { hard_to_understand: 4, did_not_solve: 36 },
    });
    await plantVotes(db, {
      slug: 'rising',
      from: RECENT_FROM,
      days: 28,
      helpful: 60,
      no: { hard_to_understand: 24, did_not_solve: 16 },
    });
    // stable: 4 of 40, then 5 of 40.
    await plantVotes(db, {
      slug: 'stable',
      from: BASELINE_FROM,
      days: 28,
      helpful: 60,
      no: { hard_to_understand: 4, did_not_solve: 36 },
    });
    await plantVotes(db, {
      slug: 'stable',
      from: RECENT_FROM,
      days: 28,
      helpful: 60,
      no: { hard_to_understand: 5, did_not_solve: 35 },
    });
    // few: a big rise on 10 "no" votes a window, under the default minimum of 30.
    await plantVotes(db, {
      slug: 'few',
      from: BASELINE_FROM,
      days: 28,
      helpful: 10,
      no: { hard_to_understand: 1, none: 9 },
    });
    await plantVotes(db, {
      slug: 'few',
      from: RECENT_FROM,
      days: 28,
      helpful: 10,
      no: { hard_to_understand: 8, none: 2 },
    });
    await rollUpInsights(db, { from: BASELINE_FROM, to: '2026-05-01' });
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  it('finds the planted rising reason, and neither the stable article nor the one with too few votes', async () => {
    const settings = await getAlertSettings(t.db);
    expect(settings).toMatchObject({ fdr: 0.1, minVotes: 30, reasonRise: 0.15, webhookUrl: null, dailyDigest: false });
    const found = await reasonRisingDetector(t.db, settings, NOW);
    expect(found.map((c) => [c.slug, c.locale, c.data.reason])).toEqual([['rising', 'en', 'hard_to_understand']]);
    const [alert] = found as [AlertCandidate];
    expect(alert.kind).toBe('reason_rising');
    expect(alert.dedupeKey).toBe('reason_rising:rising:en:hard_to_understand');
    expect(alert.data).toMatchObject({
      baselineShare: 0.1,
      recentShare: 0.6,
      recentNo: 40,
      baselineNo: 40,
      tested: 10,
    });
    expect(alert.data.low as number).toBeGreaterThan(0.15);
    expect(alert.data.qValue as number).toBeLessThan(0.01);
    expect(alert.message).toContain('from 10 % to 60 %');
  });

  it('follows the analyst’s thresholds: the minimum votes and the minimum rise', async () => {
    const settings = await getAlertSettings(t.db);
    const lower = await reasonRisingDetector(t.db, { ...settings, minVotes: 5 }, NOW);
    expect(lower.map((c) => c.slug).sort()).toEqual(['few', 'rising']);
    expect(await reasonRisingDetector(t.db, { ...settings, reasonRise: 0.6 }, NOW)).toEqual([]);
    // A month later, the rise is the baseline: nothing is rising any more.
    expect(await reasonRisingDetector(t.db, settings, new Date(NOW.getTime() + 28 * DAY))).toEqual([]);
  });

  it('stores an alert once, and again only after 7 days without one', async () => {
    const first = await runAlertDetectors(t.db, [reasonRisingDetector], NOW);
    expect(first).toEqual({ created: 1, skipped: 0, failures: [] });
    const again = await runAlertDetectors(t.db, [reasonRisingDetector], new Date(NOW.getTime() + HOUR));
    expect(again).toEqual({ created: 0, skipped: 1, failures: [] });
    const alerts = await listAlerts(t.db, { kind: 'reason_rising' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ slug: 'rising', locale: 'en', acknowledgedAt: null });

    // An ongoing finding (a detector that always finds it) is heard once a week.
    const always: AlertDetector = async () => [
      {
        kind: 'declining',
        slug: 'stable',
        locale: 'en',
        dedupeKey: 'declining:stable:en',
        title: 'Declining',
        message: 'It declines.',
        severity: 'warning',
        data: {},
      },
    ];
    const start = NOW.getTime();
    const runs = [0, 2 * HOUR, 6 * DAY + 23 * HOUR, 7 * DAY + HOUR, 8 * DAY, 14 * DAY + 2 * HOUR];
    const created: number[] = [];
    for (const offset of runs)
      created.push((await runAlertDetectors(t.db, [always], new Date(start + offset))).created);
    expect(created).toEqual([1, 0, 0, 1, 0, 1]);
    expect(await listAlerts(t.db, { kind: 'declining', slug: 'stable' })).toHaveLength(3);
  });

  it('keeps the other detectors’ alerts when one detector fails, and drops a candidate naming no article', async () => {
    const broken: AlertDetector = async function broken() {
      throw new Error('no rollup');
    };
    const unknown: AlertDetector = async () => [
      {
        kind: 'translation_behind',
        slug: 'no-such-article',
        locale: 'ar',
        dedupeKey: 'x',
        title: 'x',
        message: 'x',
        severity: 'info',
        data: {},
      },
      {
        kind: 'content_gap',
        slug: null,
        locale: 'es',
        dedupeKey: 'content_gap:es:refund',
        title: 'Gap',
        message: 'Gap',
        severity: 'info',
        data: { volume: 12 },
      },
    ];
    const result = await runAlertDetectors(t.db, [broken, unknown], NOW);
    expect(result).toEqual({ created: 1, skipped: 1, failures: [{ detector: 'broken', message: 'no rollup' }] });
    expect(await listAlerts(t.db, { kind: 'content_gap' })).toMatchObject([
      { slug: null, locale: 'es', data: { volume: 12 } },
    ]);
  });
});
