import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { ZLocale, ZSlug } from '../content/index.js';

const ZQuery = z
  .string()
  .max(LIMITS.searchQuery, `must be at most ${LIMITS.searchQuery} characters`)
  .transform((q) => q.trim());

export const ZSearchRequest = z.object({
  q: ZQuery,
  locale: ZLocale.default('en'),
  limit: z.coerce.number().int().min(1).max(LIMITS.searchResults).default(10),
  /** "0" for tools (evaluation, monitoring) whose searches must not count as readers' searches. */
  track: z
    .enum(['0', '1', 'false', 'true'], { error: () => 'must be 0 or 1' })
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
});

export const ZSearchResponse = z.object({
  query: z.string(),
  locale: z.string(),
  total: z.number().int(),
  /** Articles above the relevance floor: they answer the query rather than mention some of its words. */
  strong: z.number().int(),
  /** Articles matched but none answers the query: show them as partial matches and offer the contact page. */
  weak: z.boolean(),
  didYouMean: z.string().nullable(),
  /** Send it back with clicks on these results. */
  searchId: z.string().nullable(),
  hits: z.array(
    z.object({
      slug: z.string(),
      title: z.string(),
      locale: z.string(),
      url: z.string(),
      snippet: z.string(),
      score: z.number(),
      /** How well the article answers the whole query, 0–1 (a share of an ideal article's score). */
      relevance: z.number(),
      /** Under the relevance floor: a partial match. */
      weak: z.boolean(),
    }),
  ),
});

export const ZSuggestRequest = z.object({
  q: ZQuery,
  locale: ZLocale.default('en'),
  limit: z.coerce.number().int().min(1).max(LIMITS.searchSuggestions).default(5),
});

export const ZSuggestResponse = z.object({
  query: z.string(),
  locale: z.string(),
  queries: z.array(z.object({ text: z.string(), kind: z.enum(['query', 'title', 'phrase']) })),
  articles: z.array(z.object({ slug: z.string(), title: z.string(), locale: z.string(), url: z.string() })),
  /** Send it back with a click on one of these articles (null when none were returned). */
  searchId: z.string().nullable(),
});

// A stored search's public id (22 characters) or a signed typeahead answer (a few hundred).
const ZSearchId = z
  .string()
  .min(16, 'must be the searchId a search returned')
  .max(4000, 'must be the searchId a search returned')
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be the searchId a search returned');

export const ZClickRequest = z.object({
  locale: ZLocale,
  slug: ZSlug,
  /**
   * The `searchId` of the answer the article was in (results page, API, or typeahead). The query, the result count
   * and the position are the server's own, looked up from it; the client can't state them.
   */
  searchId: ZSearchId,
});

export const ZClickResponse = z.object({ recorded: z.literal(true), searchId: z.string() });

export const ZContactRequest = z.object({ locale: ZLocale });

export const ZInsightsRequest = z.object({
  locale: ZLocale.optional(),
  days: z.coerce.number().int().min(1).max(365).default(30),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

const ZInsightRow = z.object({
  query: z.string(),
  locale: z.string(),
  searches: z.number().int(),
  readers: z.number().int(),
  averageResults: z.number(),
  clickThrough: z.number(),
  contacts: z.number().int(),
});

export const ZInsightsResponse = z.object({
  days: z.number().int(),
  totals: z.object({
    searches: z.number().int(),
    noResults: z.number().int(),
    weakResults: z.number().int(),
    clickThrough: z.number(),
    excludedClicks: z.number().int(),
  }),
  topQueries: z.array(ZInsightRow),
  noResults: z.array(ZInsightRow),
  weakResults: z.array(ZInsightRow),
  lowClickThrough: z.array(ZInsightRow),
  followedByContact: z.array(ZInsightRow),
});

const ZSynonymTerms = z
  .array(z.string().trim().min(1).max(LIMITS.synonymTerm))
  .min(2, 'a synonym group needs at least two words or phrases')
  .max(LIMITS.synonymGroup, `a synonym group has at most ${LIMITS.synonymGroup} entries`);

export const ZSynonymRequest = z.object({ locale: ZLocale, terms: ZSynonymTerms });
export const ZSynonymGroup = z.object({ id: z.number().int(), locale: z.string(), terms: z.array(z.string()) });
export const ZSynonymListResponse = z.object({ synonyms: z.array(ZSynonymGroup) });

export const ZSuggestedSynonymsResponse = z.object({
  suggestions: z.array(
    z.object({
      locale: z.string(),
      terms: z.array(z.string()),
      /** Distinct readers behind the weaker of the two wordings. */
      readers: z.number().int(),
      /** The article both wordings led to. */
      slug: z.string(),
      examples: z.array(z.string()),
    }),
  ),
});

export const ZSuggestionReviewRequest = z.object({ locale: ZLocale.optional() });

export const ZSuggestionReviewResponse = z.object({
  /** The thresholds in force (distinct readers and networks, reader identity age) and how many blocklist terms. */
  policy: z.object({
    minReaders: z.number().int(),
    minNetworks: z.number().int(),
    minReaderAgeMinutes: z.number(),
    blocklistTerms: z.number().int(),
  }),
  suggestions: z.array(
    z.object({
      locale: z.string(),
      text: z.string(),
      normalized: z.string(),
      /** Searches with a counted click, and the distinct readers and client networks behind them. */
      searches: z.number().int(),
      readers: z.number().int(),
      networks: z.number().int(),
      status: z.enum(['learned', 'pinned', 'banned']),
      /** Why it is never shown unless pinned: link, contact, personal-data or blocklist. */
      filtered: z.enum(['link', 'contact', 'personal-data', 'blocklist']).nullable(),
      enoughEvidence: z.boolean(),
      offered: z.boolean(),
      /** Articles chosen after it, with how many distinct networks chose each. */
      articles: z.array(z.object({ slug: z.string(), networks: z.number().int() })),
    }),
  ),
});

export const ZSuggestionRuleRequest = z.object({
  locale: ZLocale,
  text: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(LIMITS.searchQuery, `must be at most ${LIMITS.searchQuery} characters`),
  action: z.enum(['pin', 'ban', 'unpin', 'unban'], { error: () => 'must be pin, ban, unpin or unban' }),
});

export const ZSuggestionRuleResponse = z.object({
  locale: z.string(),
  normalized: z.string(),
  text: z.string(),
  status: z.enum(['pinned', 'banned']).nullable(),
});
