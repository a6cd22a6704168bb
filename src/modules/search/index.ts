export { type AnalyzedWord, type Analyzer, analyzerFor, foldText, typoBudget } from './analyze-text.js';
export { announceSearch } from './announce-search.js';
export { clickSuspicion, DEFAULT_EVIDENCE, type EvidencePolicy, evidencePolicyFrom } from './click-evidence.js';
export { containsPersonalData, redactPersonalData } from './detect-personal-data.js';
export {
  averageMetrics,
  type ComputedMetrics,
  evaluateRelevance,
  parseRelevanceFile,
  type QueryEvaluation,
  type RelevanceJudgement,
  scoreRanking,
} from './evaluate-relevance.js';
export { type IndexableArticle, LocaleIndex } from './locale-index.js';
export { networkKeyOf, observeSearcher, type Searcher } from './observe-searcher.js';
export { recordClick } from './record-click.js';
export { normalizeQuery, recordContact, recordSearch } from './record-search.js';
export { searchRoutes } from './search.routes.js';
export type { SearchSource, SearchTables } from './search.tables.js';
export { SearchEngine, type SearchHitView, type SearchOutcome, type SuggestOutcome } from './search-engine.js';
export { SearchPageExtra } from './search-page-extra.js';
export { SearchService, SUGGESTION_POLICY, toIndexable } from './search-service.js';
export { PARTIAL_RESULTS_SHOWN, type SelectedResults, selectResults } from './select-results.js';
export { boundedDistance } from './suggest-synonyms.js';
