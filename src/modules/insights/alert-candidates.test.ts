import { describe, expect, it } from 'vitest';
import { contentGapCandidates, decliningCandidates, translationCandidates } from './alert-candidates.js';
import type { AlertSettings, DecliningArticle, Gap, TranslationHealth } from './insights.schema.js';

const SETTINGS: AlertSettings = {
  fdr: 0.1,
  minVotes: 30,
  minDrop: 0.05,
  reasonRise: 0.15,
  minGapVolume: 5,
  webhookUrl: null,
  webhookSecretSet: false,
  dailyDigest: false,
};

const declining = (over: Partial<DecliningArticle>): DecliningArticle => ({
  slug: 'reset-password',
  title: 'Reset your password',
  locale: 'en',
  metric: 'helpful',
  baselineRate: 0.81,
  recentRate: 0.62,
  difference: -0.19,
  adjustedDifference: -0.15,
  low: -0.25,
  high: -0.05,
  baselineTrials: 800,
  recentTrials: 240,
  pValue: 0.001,
  qValue: 0.01,
  ...over,
});

describe('candidates from the other insights', () => {
  it('alert a decline only when significant and large enough beyond the help center’s own change', () => {
    const [found] = decliningCandidates([declining({})], SETTINGS);
    expect(found).toMatchObject({
      kind: 'declining',
      slug: 'reset-password',
      locale: 'en',
      dedupeKey: 'declining:reset-password:en',
      severity: 'critical',
    });
    expect(found?.message).toBe(
      "Helpful rate fell from 81 % to 62 % (−15 points beyond the help center's own change, 95 % interval −25 to −5; q = 0.010), 240 votes recently against 800 before.",
    );
    expect(decliningCandidates([declining({ qValue: 0.2 })], SETTINGS)).toEqual([]);
    // A fall everywhere (the raw difference) is not the article's: only the adjusted one counts.
    expect(decliningCandidates([declining({ adjustedDifference: -0.02 })], SETTINGS)).toEqual([]);
    const contact = decliningCandidates(
      [declining({ metric: 'contact', baselineRate: 0.1, recentRate: 0.2, adjustedDifference: 0.08 })],
      SETTINGS,
    );
    expect(contact.map((c) => [c.kind, c.dedupeKey, c.severity])).toEqual([
      ['contact_rising', 'contact_rising:reset-password:en', 'warning'],
    ]);
  });

  it('alert a content gap past the minimum volume, keyed by its phrase and locales', () => {
    const gap: Gap = {
      phrase: 'Refund  Policy',
      volume: 23,
      trend: null,
      locales: ['es'],
      searches: 17,
      noResults: 8,
      weakResults: 5,
      contactAfter: 4,
      tickets: 6,
      examples: [],
    };
    expect(contentGapCandidates([gap], SETTINGS)).toMatchObject([
      { kind: 'content_gap', slug: null, locale: 'es', dedupeKey: 'content_gap:es:refund policy', severity: 'warning' },
    ]);
    expect(contentGapCandidates([{ ...gap, volume: 4 }], SETTINGS)).toEqual([]);
  });

  it('alert a translation significantly worse than its source, or outdated while read', () => {
    const tr: TranslationHealth = {
      slug: 'billing',
      title: 'Billing',
      locale: 'ar',
      sourceLocale: 'en',
      outdated: false,
      views: 900,
      votes: 120,
      helpfulRate: 0.54,
      low: 0.45,
      high: 0.63,
      sourceRate: 0.72,
      difference: -0.18,
      qValue: 0.02,
      contactRate: null,
      sourceContactRate: null,
      flagged: true,
      readersAffected: 340,
    };
    expect(translationCandidates([tr], SETTINGS)).toMatchObject([
      {
        kind: 'translation_behind',
        dedupeKey: 'translation_behind:billing:ar',
        message: '54 % helpful against 72 % in en (−18 points, q = 0.020); 340 readers affected.',
      },
    ]);
    expect(translationCandidates([{ ...tr, flagged: false }], SETTINGS)).toEqual([]);
    expect(translationCandidates([{ ...tr, qValue: 0.5 }], SETTINGS)).toEqual([]);
    expect(translationCandidates([{ ...tr, qValue: 0.5, outdated: true }], SETTINGS)[0]?.message).toBe(
      'behind its en source; 340 readers affected.',
    );
  });
});
