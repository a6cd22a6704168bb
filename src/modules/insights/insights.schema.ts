import { z } from 'zod';
import { VOTE_REASONS } from '../feedback/feedback.tables.js';

/**
 * The insights API contract (operator, `insights.read`). The admin app imports these types; each list endpoint also
 * answers `Accept: text/csv` with the same rows.
 */

const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const ZRate = z.number().min(0).max(1).nullable();
const ZLocaleQuery = z.string().min(2).max(20);

/** A period: `from`/`to` are UTC days (inclusive); the default is the last 28 days up to today. */
export const ZPeriodQuery = z.object({
  locale: ZLocaleQuery.optional(),
  from: ZDay.optional(),
  to: ZDay.optional(),
});

export const ZArticlesQuery = ZPeriodQuery.extend({
  topic: z.string().min(1).max(120).optional(),
  belowAverage: z.enum(['true', 'false']).optional(),
  declining: z.enum(['true', 'false']).optional(),
  sort: z.enum(['impact', 'helpfulRate', 'shrunkRate', 'views', 'votes', 'contactRate']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
});

/** One article in one locale over a period. */
export const ZArticleHealth = z.object({
  slug: z.string(),
  title: z.string(),
  locale: z.string(),
  topic: z.object({ slug: z.string(), name: z.string() }),
  views: z.number().int(),
  /** Reading sessions (distinct people a day who read it). */
  readers: z.number().int(),
  votes: z.number().int(),
  helpful: z.number().int(),
  /** helpful / votes, with its 95 % Wilson interval (low..high); null without votes. */
  helpfulRate: ZRate,
  low: z.number(),
  high: z.number(),
  /** The empirical-Bayes rate: few votes pull it towards the help center's mean. */
  shrunkRate: z.number(),
  /** Significantly below the help center's rate (its interval lies under the average). */
  belowAverage: z.boolean(),
  /** Significantly below its topic's rate; null when the topic has too few votes to say. */
  belowTopicAverage: z.boolean().nullable(),
  /** Why it is flagged, in numbers ("62 % helpful (54–70 %) against 78 % for the help center"). */
  evidence: z.string().nullable(),
  /** Readers who opened the contact form or filed a ticket within 24 h of reading, and their share of readers. */
  contacted: z.number().int(),
  contactRate: ZRate,
  tickets: z.number().int(),
  /** Readers who searched again within 30 minutes, and their share. */
  searchExitRate: ZRate,
  /**
   * Readers per 30 days to win back: views × (the help center's mean − shrunk rate), at least 0, scaled to 30 days:
   * how many more readers leave unhappy than at an average article. Sort by it to fix first.
   */
  impact: z.number(),
  declining: z.boolean(),
});
export type ArticleHealth = z.infer<typeof ZArticleHealth>;

export const ZAverage = z.object({ rate: ZRate, low: z.number(), high: z.number(), votes: z.number().int() });

export const ZArticlesResponse = z.object({
  from: ZDay,
  to: ZDay,
  average: ZAverage,
  /** Rows that matched the filters; `articles` holds the first `limit` of them (100 by default). */
  total: z.number().int(),
  articles: z.array(ZArticleHealth),
});
export type ArticlesResponse = z.infer<typeof ZArticlesResponse>;

export const ZDecliningQuery = z.object({
  locale: ZLocaleQuery.optional(),
  /** The last day of the recent window (default today). */
  asOf: ZDay.optional(),
  metric: z.enum(['helpful', 'contact']).optional(),
  recentDays: z.coerce.number().int().min(7).max(180).optional(),
  baselineDays: z.coerce.number().int().min(14).max(365).optional(),
});

export const ZDecliningArticle = z.object({
  slug: z.string(),
  title: z.string(),
  locale: z.string(),
  metric: z.enum(['helpful', 'contact']),
  baselineRate: z.number(),
  recentRate: z.number(),
  /** recent − baseline, raw. */
  difference: z.number(),
  /** The difference beyond the help center's own change over the same windows (seasonality removed). */
  adjustedDifference: z.number(),
  low: z.number(),
  high: z.number(),
  baselineTrials: z.number().int(),
  recentTrials: z.number().int(),
  pValue: z.number(),
  /** Benjamini-Hochberg q-value across every article tested. */
  qValue: z.number(),
});
export type DecliningArticle = z.infer<typeof ZDecliningArticle>;

export const ZDecliningResponse = z.object({
  asOf: ZDay,
  recent: z.object({ from: ZDay, to: ZDay }),
  baseline: z.object({ from: ZDay, to: ZDay }),
  /** The help center's rate in both windows: the seasonality every article's change is judged against. */
  helpCenter: z.object({ baselineRate: ZRate, recentRate: ZRate }),
  /** Articles tested (enough volume in both windows), and the false-discovery rate used. */
  tested: z.number().int(),
  fdr: z.number(),
  articles: z.array(ZDecliningArticle),
});
export type DecliningResponse = z.infer<typeof ZDecliningResponse>;

export const ZReason = z.enum(VOTE_REASONS);

export const ZComment = z.object({
  /** Personal data (emails, phone and card numbers…) redacted. */
  text: z.string(),
  locale: z.string(),
  revision: z.number().int(),
  createdAt: z.string(),
});

export const ZReasonInsight = z.object({
  reason: ZReason,
  votes: z.number().int(),
  /** Share of the article's "no" votes that gave this reason. */
  share: z.number(),
  /** Share in the last 28 days minus the 28 before; null without votes in either. */
  trend: z.number().nullable(),
  /** How much the helpful rate would rise if these readers had been helped (their "no" votes were "yes"). */
  impact: z.number(),
  comments: z.array(ZComment),
});

export const ZCategoryInsight = z.object({
  category: z.object({ id: z.number().int(), slug: z.string(), name: z.string() }),
  /** Items (vote comments and linked tickets) with this category, human labels first, else predicted. */
  count: z.number().int(),
  fromVotes: z.number().int(),
  fromTickets: z.number().int(),
  share: z.number(),
  trend: z.number().nullable(),
  examples: z.array(ZComment),
});

export const ZRevisionEffect = z.object({
  /** Helpful rate: this revision − the previous one, with its 95 % interval. */
  difference: z.number(),
  low: z.number(),
  high: z.number(),
  /** P(this revision's helpful rate > the previous one's). */
  probabilityBetter: z.number(),
  /** The difference beyond what unchanged articles did over the same windows; null without controls. */
  didDifference: z.number().nullable(),
  didLow: z.number().nullable(),
  didHigh: z.number().nullable(),
  contactRate: z
    .object({ before: ZRate, after: ZRate, difference: z.number(), low: z.number(), high: z.number() })
    .nullable(),
  searchExitRate: z
    .object({ before: ZRate, after: ZRate, difference: z.number(), low: z.number(), high: z.number() })
    .nullable(),
});

export const ZRevisionInsight = z.object({
  revision: z.number().int(),
  title: z.string(),
  author: z.string(),
  publishedAt: z.string().nullable(),
  /** Until the next revision went live (null: still live). */
  endedAt: z.string().nullable(),
  views: z.number().int(),
  readers: z.number().int(),
  votes: z.number().int(),
  helpful: z.number().int(),
  helpfulRate: ZRate,
  low: z.number(),
  high: z.number(),
  contactRate: ZRate,
  searchExitRate: ZRate,
  /** Against the previous published revision; null for the first or without votes on both. */
  effect: ZRevisionEffect.nullable(),
});
export type RevisionInsight = z.infer<typeof ZRevisionInsight>;

export const ZRevisionsResponse = z.object({
  slug: z.string(),
  locale: z.string(),
  revisions: z.array(ZRevisionInsight),
});
export type RevisionsResponse = z.infer<typeof ZRevisionsResponse>;

export const ZVocabularyTerm = z.object({
  term: z.string(),
  /** Times readers and customers used it in the period. */
  count: z.number().int(),
  /** Log-odds ratio (readers vs articles) with an informative Dirichlet prior, and its z-score. */
  logOdds: z.number(),
  zScore: z.number(),
  sources: z.object({ search: z.number().int(), comment: z.number().int(), ticket: z.number().int() }),
  examples: z.array(z.string()),
});
export type VocabularyTerm = z.infer<typeof ZVocabularyTerm>;

export const ZVocabularyResponse = z.object({
  locale: z.string(),
  from: ZDay,
  to: ZDay,
  terms: z.array(ZVocabularyTerm),
});

/** For one article: the queries that led to it, and their words it lacks (offered as keywords or synonyms). */
export const ZArticleVocabulary = z.object({
  queries: z.array(z.object({ query: z.string(), count: z.number().int() })),
  missing: z.array(z.object({ term: z.string(), count: z.number().int(), queries: z.array(z.string()) })),
});

export const ZGap = z.object({
  /** The representative phrase of the cluster (its most central query or ticket subject). */
  phrase: z.string(),
  volume: z.number().int(),
  /** Volume in the last half of the period minus the first half, as a ratio (e.g. 0.5 = +50 %); null if new. */
  trend: z.number().nullable(),
  locales: z.array(z.string()),
  searches: z.number().int(),
  noResults: z.number().int(),
  weakResults: z.number().int(),
  contactAfter: z.number().int(),
  tickets: z.number().int(),
  examples: z.array(z.string()),
});
export type Gap = z.infer<typeof ZGap>;

export const ZGapsResponse = z.object({ from: ZDay, to: ZDay, gaps: z.array(ZGap) });

export const ZTranslationHealth = z.object({
  slug: z.string(),
  title: z.string(),
  locale: z.string(),
  sourceLocale: z.string(),
  outdated: z.boolean(),
  views: z.number().int(),
  votes: z.number().int(),
  helpfulRate: ZRate,
  low: z.number(),
  high: z.number(),
  sourceRate: ZRate,
  /** this locale − the source, and the q-value of that difference across all translations tested. */
  difference: z.number().nullable(),
  qValue: z.number().nullable(),
  contactRate: ZRate,
  sourceContactRate: ZRate,
  /** Significantly worse than the source, or outdated while read. */
  flagged: z.boolean(),
  /** Readers in the period who read this translation while flagged: the ranking. */
  readersAffected: z.number().int(),
});
export type TranslationHealth = z.infer<typeof ZTranslationHealth>;

export const ZTranslationsResponse = z.object({ from: ZDay, to: ZDay, translations: z.array(ZTranslationHealth) });

export const ZDeflectionRow = z.object({
  slug: z.string(),
  locale: z.string(),
  revision: z.number().int(),
  readers: z.number().int(),
  /** Reading sessions not followed by a contact or ticket within 24 h. */
  deflected: z.number().int(),
  rate: ZRate,
  low: z.number(),
  high: z.number(),
});
export const ZDeflectionResponse = z.object({ from: ZDay, to: ZDay, rows: z.array(ZDeflectionRow) });

export const ALERT_KINDS = [
  'declining',
  'reason_rising',
  'content_gap',
  'translation_behind',
  'contact_rising',
] as const;
export const ZAlert = z.object({
  id: z.number().int(),
  kind: z.enum(ALERT_KINDS),
  /** The article (declining, reason, translation) or null (a gap). */
  slug: z.string().nullable(),
  locale: z.string().nullable(),
  title: z.string(),
  /** Plain words with the figures ("Helpful rate fell from 81 % to 62 % (q = 0.01)"). */
  message: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
});
export type Alert = z.infer<typeof ZAlert>;
export const ZAlertsResponse = z.object({ alerts: z.array(ZAlert) });

export const ZAlertSettings = z.object({
  /** False-discovery rate for "declining" and "translation behind". */
  fdr: z.number().min(0.001).max(0.5),
  /** Minimum votes (or readers, for contact rate) in each window before an article is tested. */
  minVotes: z.number().int().min(1).max(100000),
  /** Minimum fall in helpful rate (percentage points, 0..1) worth an alert. */
  minDrop: z.number().min(0).max(1),
  /** A reason's share must rise by this much (0..1) over 28 days. */
  reasonRise: z.number().min(0).max(1),
  /** A content gap needs this many searches or tickets in the period. */
  minGapVolume: z.number().int().min(1).max(100000),
  /** Signed outbound webhook (X-Answerloop-Signature: sha256=HMAC); null: none. */
  webhookUrl: z.string().url().max(2000).nullable(),
  /** Write-only: set to change; reads say only whether one is set. */
  webhookSecret: z.string().min(16).max(200).optional(),
  webhookSecretSet: z.boolean().optional(),
  /** Send one digest a day (to the webhook, event "insights.digest"). */
  dailyDigest: z.boolean(),
});
export type AlertSettings = z.infer<typeof ZAlertSettings>;

/** Overview: the KPIs with their change against the previous period of the same length. */
export const ZKpi = z.object({
  value: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  previous: z.number().nullable(),
  /** Per day, for the sparkline. */
  series: z.array(z.object({ day: ZDay, value: z.number().nullable() })),
});
export const ZOverviewResponse = z.object({
  from: ZDay,
  to: ZDay,
  kpis: z.object({
    helpfulRate: ZKpi,
    contactRate: ZKpi,
    selfServiceScore: ZKpi,
    searchExitRate: ZKpi,
  }),
  alerts: z.array(ZAlert),
  fixFirst: z.array(ZArticleHealth),
});
export type OverviewResponse = z.infer<typeof ZOverviewResponse>;

/** One article: everything the detail screen and the editor's side panel show. */
export const ZArticleInsightResponse = z.object({
  slug: z.string(),
  locale: z.string(),
  title: z.string(),
  sourceLocale: z.string(),
  from: ZDay,
  to: ZDay,
  health: ZArticleHealth.nullable(),
  /** Helpful rate per week with its interval, and where revisions went live. */
  series: z.array(
    z.object({
      week: ZDay,
      votes: z.number().int(),
      helpful: z.number().int(),
      rate: ZRate,
      low: z.number(),
      high: z.number(),
    }),
  ),
  revisionMarkers: z.array(z.object({ revision: z.number().int(), publishedAt: z.string() })),
  reasons: z.array(ZReasonInsight),
  categories: z.array(ZCategoryInsight),
  vocabulary: ZArticleVocabulary,
  translations: z.array(ZTranslationHealth),
  alerts: z.array(ZAlert),
});
export type ArticleInsightResponse = z.infer<typeof ZArticleInsightResponse>;
