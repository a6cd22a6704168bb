export {
  type ArticleSummary,
  type ArticleTranslationInfo,
  type ArticleView,
  getPublishedArticle,
  listArticles,
  listTopics,
  listTranslations,
  popularArticles,
  type TopicSummary,
  topicPath,
} from './content.queries.js';
export { contentRoutes } from './content.routes.js';
export { type SaveArticleRequest, type SaveTopicRequest, ZLocale, ZSlug } from './content.schema.js';
export type { ArticleStatus, ContentTables, RegionTheme } from './content.tables.js';
export type { ContentActor } from './content-actor.js';
export type * from './content-admin.schema.js';
export { type ContentReader, createContentReader } from './content-cache.js';
export { contentLocalesOf } from './content-locales.js';
export { createLocale } from './create-locale.js';
export {
  type HistoryRevision,
  type ImportArticleHistoryInput,
  type ImportArticleHistoryResult,
  importArticleHistory,
  ZHistoryRevision,
} from './import-article-history.js';
export {
  type ContentLocale,
  createLocaleCatalog,
  type LocaleCatalog,
  type LocaleConfig,
  loadLocaleCatalog,
} from './locale-catalog.js';
export { localesRoutes } from './locales.routes.js';
export type {
  CreateLocaleRequest,
  ListLocalesResponse,
  LocaleResponse,
  LocaleView,
  UpdateLocaleRequest,
} from './locales.schema.js';
export type { LocalesTables } from './locales.tables.js';
export { publishTranslation, unpublishTranslation } from './publish-translation.js';
export { type ArticleFile, ArticleFileError, readArticleFiles } from './read-article-files.js';
export { loadRegionCatalog, type Region, type RegionCatalog, saveRegions } from './region-catalog.js';
export { renderRevision } from './render-cache.js';
export { type RenderedArticle, renderMarkdown, type TocEntry } from './render-markdown.js';
export {
  formatPrice,
  type PriceBook,
  placeholderKeys as placeholderKeysOf,
  resolvePlaceholders,
  resolvePlaceholdersText,
} from './resolve-placeholders.js';
export { type SaveArticleResult, saveArticle } from './save-article.js';
export { saveTopic } from './save-topic.js';
export { type BasicSearchHit, highlightSnippet, searchArticlesBasic } from './search-articles-basic.js';
export { updateLocale } from './update-locale.js';
export { ViewCounter } from './view-counter.js';
