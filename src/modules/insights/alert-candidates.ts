import type { AlertCandidate } from './detect-alerts.js';
import type { AlertSettings, DecliningArticle, Gap, TranslationHealth } from './insights.schema.js';

/**
 * Turns the other insights' findings (in the API contract's shapes) into alert candidates with the analyst's
 * thresholds, so each detector in ALERT_DETECTORS is one line:
 *
 *   async (db, s, now) => decliningCandidates((await findDeclining(db, { asOf: dayOf(now) })).articles, s)
 *   async (db, s, now) => contentGapCandidates((await findContentGaps(db, { to: dayOf(now) })).gaps, s)
 *   async (db, s, now) => translationCandidates((await computeTranslationHealth(db, { to: dayOf(now) })).translations, s)
 */

const percent = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`);
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(Math.round(x * 100))}`;
const q = (value: number) => (value < 0.001 ? '< 0.001' : value.toFixed(3));

/**
 * Declining helpful rate, or rising contact rate after reading: significant across all articles (q ≤ fdr) and
 * moved, beyond the help center's own change, by at least `minDrop`.
 */
export function decliningCandidates(articles: readonly DecliningArticle[], settings: AlertSettings): AlertCandidate[] {
  return articles.flatMap((a): AlertCandidate[] => {
    const worse = a.metric === 'helpful' ? -a.adjustedDifference : a.adjustedDifference;
    if (a.qValue > settings.fdr || worse < settings.minDrop) return [];
    const what = a.metric === 'helpful' ? 'Helpful rate fell' : 'Contact rate after reading rose';
    const unit = a.metric === 'helpful' ? 'votes' : 'readers';
    return [
      {
        kind: a.metric === 'helpful' ? 'declining' : 'contact_rising',
        slug: a.slug,
        locale: a.locale,
        dedupeKey: `${a.metric === 'helpful' ? 'declining' : 'contact_rising'}:${a.slug}:${a.locale}`,
        title: `“${a.title}” (${a.locale}) ${a.metric === 'helpful' ? 'is less helpful' : 'sends more readers to support'}`,
        message:
          `${what} from ${percent(a.baselineRate)} to ${percent(a.recentRate)} ` +
          `(${points(a.adjustedDifference)} points beyond the help center's own change, 95 % interval ` +
          `${points(a.low)} to ${points(a.high)}; q = ${q(a.qValue)}), ${a.recentTrials} ${unit} recently against ` +
          `${a.baselineTrials} before.`,
        severity: worse >= 2 * settings.minDrop && a.qValue <= settings.fdr / 10 ? 'critical' : 'warning',
        data: { ...a },
      },
    ];
  });
}

/** A content gap with at least `minGapVolume` searches or tickets; keyed by its phrase, so it alerts once a week. */
export function contentGapCandidates(gaps: readonly Gap[], settings: AlertSettings): AlertCandidate[] {
  return gaps.flatMap((gap): AlertCandidate[] => {
    if (gap.volume < settings.minGapVolume) return [];
    const phrase = gap.phrase.trim().toLowerCase().replace(/\s+/g, ' ');
    return [
      {
        kind: 'content_gap',
        slug: null,
        locale: gap.locales.length === 1 ? (gap.locales[0] ?? null) : null,
        dedupeKey: `content_gap:${[...gap.locales].sort().join(',')}:${phrase}`,
        title: `No article answers “${gap.phrase}”`,
        message:
          `${gap.volume} searches or tickets (${gap.noResults} with no results, ${gap.weakResults} weak, ` +
          `${gap.contactAfter} followed by a contact, ${gap.tickets} tickets) in ${gap.locales.join(', ') || 'no locale'}` +
          `${gap.trend === null ? ', new in this period' : `, ${points(gap.trend)} % against the first half of the period`}.`,
        severity: gap.trend === null || gap.trend > 0 ? 'warning' : 'info',
        data: { ...gap },
      },
    ];
  });
}

/** A translation flagged as significantly worse than its source (q ≤ fdr) or outdated while read. */
export function translationCandidates(
  translations: readonly TranslationHealth[],
  settings: AlertSettings,
): AlertCandidate[] {
  return translations.flatMap((tr): AlertCandidate[] => {
    const worse = tr.qValue !== null && tr.qValue <= settings.fdr && (tr.difference ?? 0) < 0;
    if (!tr.flagged || (!worse && !tr.outdated)) return [];
    const parts: string[] = [];
    if (worse) {
      parts.push(
        `${percent(tr.helpfulRate)} helpful against ${percent(tr.sourceRate)} in ${tr.sourceLocale} ` +
          `(${points(tr.difference ?? 0)} points, q = ${q(tr.qValue ?? 1)})`,
      );
    }
    if (tr.outdated) parts.push(`behind its ${tr.sourceLocale} source`);
    return [
      {
        kind: 'translation_behind',
        slug: tr.slug,
        locale: tr.locale,
        dedupeKey: `translation_behind:${tr.slug}:${tr.locale}`,
        title: `The ${tr.locale} translation of “${tr.title}” falls behind`,
        message: `${parts.join('; ')}; ${tr.readersAffected} readers affected.`,
        severity: worse && tr.outdated ? 'critical' : 'warning',
        data: { ...tr },
      },
    ];
  });
}
