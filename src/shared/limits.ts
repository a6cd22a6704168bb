/** Size limits shared by the server, the CLI and the browser islands. Changing one changes it everywhere. */
export const LIMITS = {
  slug: 120,
  articleTitle: 200,
  articleBody: 200_000,
  keyword: 80,
  keywords: 30,
  topicName: 120,
  topicDescription: 500,
  /** URLs in one sitemap file (the sitemaps.org protocol's limit); more make a sitemap index. */
  sitemapUrls: 50_000,
  authorName: 120,
  /** Back office: article rows one list request may ask for, translation-queue items, a region's name. */
  articleRowsPage: 200,
  translationQueuePage: 1000,
  regionName: 80,
  searchQuery: 200,
  /** Results one search request may ask for. */
  searchResults: 50,
  /** Suggested queries one typeahead request may ask for. */
  searchSuggestions: 10,
  /** Search clicks that count as evidence per reader, and per client network (/24, /64), in 24 hours. */
  searchEvidencePerReaderPerDay: 30,
  searchEvidencePerNetworkPerDay: 100,
  /** Characters of one word or phrase in a synonym group, and entries per group. */
  synonymTerm: 80,
  synonymGroup: 20,
  /** Events collector (Segment's limits): one message, and one /v1/batch request, decompressed. */
  eventMessageBytes: 32 * 1024, // 32 KiB
  eventBatchBytes: 500 * 1024, // 500 KiB
  /** Events: messageId, userId, anonymousId, groupId, previousId. */
  eventId: 200,
  eventName: 200,
  /** Events: levels of JSON nesting in one request body (PostgreSQL's jsonb parser overflows its stack near 15,000). */
  eventJsonDepth: 64,
  writeKeyName: 120,
  /** Events: one tracking plan version as JSON. */
  trackingPlanBytes: 256 * 1024, // 256 KiB
  /** Events: steps in one funnel. */
  funnelSteps: 10,
  /** Feedback: a vote's comment, and votes one reader (with one address) may send per minute. */
  voteComment: 2000,
  votesPerMinute: 12,
  /** Feedback: votes one network (IPv4 /24, IPv6 /64) may send per minute, however many addresses it rotates. */
  votesPerNetworkPerMinute: 60,
  /**
   * Feedback: vote budgets, counted per article over the last `voteBudgetWindowMs`. Votes beyond them are stored
   * but flagged and left out of every rating. An address (a household, an office behind one NAT) has its budget on
   * each article separately, so many readers voting on different articles are never flagged; a network has a
   * larger one. A reader identity issued less than `voteIdentityMatureMs` ago (or minted by the vote itself)
   * counts only while its network has fewer than `voteNewIdentityBudget` counted votes on the article: cookies are
   * free to rotate, time is not.
   */
  voteAddressBudget: 10,
  voteNetworkBudget: 30,
  voteNewIdentityBudget: 3,
  voteBudgetWindowMs: 24 * 60 * 60 * 1000, // 1 day
  voteIdentityMatureMs: 24 * 60 * 60 * 1000, // 1 day
  /** Feedback: counted votes the current revision needs before its page shows "X of Y found this helpful". */
  helpfulSummaryMinVotes: 10,
  /** Feedback: tickets. */
  ticketSubject: 300,
  ticketBody: 20_000,
  ticketExternalId: 200,
  ticketChannel: 30,
  requesterEmail: 320,
  /** Tickets one import file may hold. */
  ticketImportRows: 200_000,
  /** Classify: taxonomy categories and their texts. */
  categoryName: 120,
  categoryDescription: 1000,
  categoryExamples: 50,
  categoryExample: 300,
  taxonomyCategories: 2000,
  /** Classify: labels on one item, who labeled it, a text to classify, items in one queue page. */
  labelsPerItem: 20,
  labeledBy: 120,
  classifyText: 20_000,
  reviewQueuePage: 100,
  modelNote: 500,
  /** Content locales: a code (BCP 47, narrowed), its native name, its fallback chain, how many may exist. */
  localeCode: 35,
  localeName: 60,
  localeFallbacks: 10,
  contentLocales: 200,
  /** Accounts: a user's name and email, passwords (min and max characters), a personal API token's name. */
  userName: 120,
  email: 320,
  passwordMin: 10,
  passwordMax: 200,
  apiTokenName: 120,
  /** Accounts: live (unrevoked) personal API tokens one user may hold, and content locales one translator may hold. */
  apiTokensPerUser: 50,
  translatorLocales: 50,
  /** Accounts: the help center's name in the settings; audit log entries one page may ask for. */
  helpCenterName: 120,
  /** Accounts: the largest session idle timeout (hours) and session lifetime (days) settings accept; a token's days. */
  sessionIdleHoursMax: 720,
  sessionMaxDaysMax: 365,
  apiTokenDaysMax: 3650,
  auditPage: 200,
  /** Request bodies of the JSON API. */
  bodyBytes: 1024 * 1024, // 1 MiB
  /** Insights alerts: rows one list request may ask for, delivery rows, the webhook's URL and secret (characters). */
  alertRows: 1000,
  alertDeliveryRows: 200,
  alertWebhookUrl: 2000,
  alertWebhookSecretMin: 16,
  alertWebhookSecret: 200,
} as const;
