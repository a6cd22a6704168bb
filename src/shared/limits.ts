/** Size limits shared by the server, the CLI and the browser islands. Changing one changes it everywhere. */
export const LIMITS = {
  slug: 120,
  articleTitle: 200,
  articleBody: 200_000,
  keyword: 80,
  keywords: 30,
  topicName: 120,
  topicDescription: 500,
  authorName: 120,
  searchQuery: 200,
  /** Request bodies of the JSON API. */
  bodyBytes: 1024 * 1024, // 1 MiB
} as const;
