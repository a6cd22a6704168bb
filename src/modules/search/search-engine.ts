import { LRUCache } from 'lru-cache';
import { analyzerFor } from './analyze-text.js';
import { buildSnippet } from './build-snippet.js';
import { containsPersonalData } from './detect-personal-data.js';
import { buildSynonymTable, parseQuery, type SynonymTable } from './expand-query.js';
import type { SuccessfulQuery } from './load-successful-queries.js';
import { type BackendName, type IndexableArticle, type IndexField, LocaleIndex } from './locale-index.js';
import { type LocaleSearchResult, searchLocale } from './search-locale.js';
import { type SuggestionEntry, SuggestionIndex, type SuggestionKind } from './suggestion-index.js';

export interface SearchHitView {
  slug: string;
  title: string;
  locale: string;
  /** Escaped text with matched words in <mark>; region placeholders are left for the caller to resolve. */
  snippetHtml: string;
  score: number;
  /** How well the article's text answers the whole query, 0–1 (a share of an ideal article's score). */
  relevance: number;
  /** Under the relevance floor: it mentions some of the words but does not answer the query. */
  weak: boolean;
}

export interface SearchOutcome {
  hits: SearchHitView[];
  /** Every article matching at least one word. */
  total: number;
  /** Articles above the relevance floor (among the best 60 by BM25). */
  strong: number;
  /**
   * True when articles matched but none answers the query: a content gap hiding behind results. False when nothing
   * matched at all (that gap is `total === 0`).
   */
  weak: boolean;
  /** A corrected query whose results are clearly better (null when the query reads fine or the guess finds no more). */
  didYouMean: string | null;
}

export interface SuggestOutcome {
  queries: { text: string; kind: SuggestionKind }[];
  /** `locale` is the language of the article's text (the source language for an untranslated one). */
  articles: { slug: string; title: string; locale: string }[];
}

const SUGGEST_FIELDS: IndexField[] = ['title', 'keywords'];
// One Latin letter says too little to pick articles (and would score most of a large index); one kanji does not.
const MIN_ARTICLE_QUERY = /^(?:\s*\S){2}|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** Suggestion entries up to which a stale index is rebuilt during the request rather than in the background. */
const SYNC_REBUILD_LIMIT = 5_000;
/** How much a past reader's choice can lift an article for the same query (at most +60%). */
const LEARNED_WEIGHT = 0.6;

/**
 * The in-memory search engine: one article index and one suggestion index per locale, synonyms, and what readers
 * taught it (successful queries and the articles they chose). No I/O: the service feeds it, the bench drives it.
 */
export interface SearchEngineOptions {
  /** Where postings live; 'minisearch' is kept to measure our typed-array index against it. */
  backend?: BackendName;
  /** Suggest answers kept per process (0 = none); any change to the index or suggestions clears them. */
  suggestCacheSize?: number;
}

export class SearchEngine {
  // Typeahead traffic repeats itself ("p", "pa", "pas"...): a keystroke answered before is answered from memory.
  private suggestCache: LRUCache<string, SuggestOutcome> | undefined;

  constructor(private readonly options: SearchEngineOptions = {}) {
    this.setSuggestCacheSize(options.suggestCacheSize ?? 20_000);
  }

  /** Resizes (0 disables) the suggest cache, e.g. to measure the engine itself. */
  setSuggestCacheSize(size: number): void {
    this.suggestCache = size > 0 ? new LRUCache({ max: size }) : undefined;
  }

  private readonly indexes = new Map<string, LocaleIndex>();
  private readonly suggestions = new Map<string, SuggestionIndex>();
  private readonly synonyms = new Map<string, SynonymTable>();
  private readonly synonymGroups = new Map<string, string[][]>();
  private successful: SuccessfulQuery[] = [];
  /** locale → query key → slug → boost */
  private readonly learned = new Map<string, Map<string, Map<string, number>>>();
  private readonly dirtySuggestions = new Set<string>();
  private readonly pendingRebuilds = new Map<string, NodeJS.Timeout>();

  /** The locales with at least one indexed article. */
  locales(): string[] {
    return [...this.indexes.keys()].filter((l) => (this.indexes.get(l)?.size ?? 0) > 0);
  }

  /** The article index of a locale (created empty on first use). */
  index(locale: string): LocaleIndex {
    let index = this.indexes.get(locale);
    if (!index) {
      index = new LocaleIndex(locale, this.options.backend);
      this.indexes.set(locale, index);
    }
    return index;
  }

  /** Adds or replaces an article translation. */
  upsert(article: IndexableArticle): void {
    this.index(article.locale).upsert(article);
    this.changed(article.locale);
  }

  private changed(locale: string): void {
    this.dirtySuggestions.add(locale);
    this.suggestCache?.clear();
  }

  /** Removes an article translation; true when it was indexed. */
  remove(slug: string, locale: string): boolean {
    const removed = this.indexes.get(locale)?.remove(slug) ?? false;
    if (removed) this.changed(locale);
    return removed;
  }

  /** Replaces the synonym groups of a locale. */
  setSynonyms(locale: string, groups: string[][]): void {
    this.synonymGroups.set(locale, groups);
    this.synonyms.set(locale, buildSynonymTable(analyzerFor(locale), groups));
    this.suggestCache?.clear();
  }

  /** Replaces what readers taught the engine: popular successful queries and the articles they chose. */
  setSuccessfulQueries(queries: SuccessfulQuery[]): void {
    this.successful = queries;
    this.learned.clear();
    for (const q of queries) {
      const total = q.clicks.reduce((s, c) => s + c.count, 0);
      if (total === 0) continue;
      let byKey = this.learned.get(q.locale);
      if (!byKey) {
        byKey = new Map();
        this.learned.set(q.locale, byKey);
      }
      const boosts = new Map<string, number>();
      for (const c of q.clicks) {
        const share = c.count / total;
        if (share >= 0.2) boosts.set(c.slug, LEARNED_WEIGHT * share);
      }
      byKey.set(queryKey(q.locale, q.text), boosts);
    }
    for (const locale of new Set([...this.indexes.keys(), ...queries.map((q) => q.locale)])) this.changed(locale);
  }

  /** Ranked articles for a query, with snippets and a "did you mean" when words look misspelt. */
  search(locale: string, query: string, options: { limit: number; prefixLast?: boolean }): SearchOutcome {
    const index = this.indexes.get(locale);
    if (!index) return { hits: [], total: 0, strong: 0, weak: false, didYouMean: null };
    const result = searchLocale(index, query, {
      limit: options.limit,
      prefixLast: options.prefixLast ?? true,
      synonyms: this.synonyms.get(locale),
      learned: this.learned.get(locale)?.get(queryKey(locale, query)),
    });
    const hits = result.hits.map((hit) => ({
      slug: hit.doc.slug,
      title: hit.doc.title,
      locale: hit.doc.textLocale,
      snippetHtml: buildSnippet(index.analyzer, hit.doc.body || hit.doc.title, new Set(hit.matchedTerms)),
      score: Math.round(hit.score * 1000) / 1000,
      relevance: Math.round(hit.relevance * 1000) / 1000,
      weak: hit.weak,
    }));
    const didYouMean = this.correct(index, query, result);
    return {
      hits,
      total: result.total,
      strong: result.strong,
      weak: result.total > 0 && result.strong === 0,
      didYouMean,
    };
  }

  /** Suggested queries and the top matching articles for what the reader has typed so far. */
  suggest(locale: string, query: string, options: { limit: number; articles: number }): SuggestOutcome {
    const key = `${locale}\u0000${options.limit}\u0000${options.articles}\u0000${query}`;
    const cached = this.suggestCache?.get(key);
    if (cached) return cached;
    const outcome = this.computeSuggest(locale, query, options);
    this.suggestCache?.set(key, outcome);
    return outcome;
  }

  private computeSuggest(locale: string, query: string, options: { limit: number; articles: number }): SuggestOutcome {
    const index = this.indexes.get(locale);
    if (!index) return { queries: [], articles: [] };
    const suggestions = this.suggestionIndex(locale).suggest(query, options.limit + 3, this.synonyms.get(locale));
    // What readers chose after the best matching popular query lifts those articles while this one is typed.
    const top = suggestions.find((s) => s.entry.kind === 'query');
    const learned = new Map(this.learned.get(locale)?.get(queryKey(locale, query)) ?? []);
    if (top) {
      for (const [slug, boost] of this.learned.get(locale)?.get(queryKey(locale, top.entry.text)) ?? []) {
        learned.set(slug, Math.max(learned.get(slug) ?? 0, boost * 0.5));
      }
    }
    const search = (fields?: IndexField[]) =>
      searchLocale(index, query, {
        limit: options.articles,
        prefixLast: true,
        fields,
        synonyms: this.synonyms.get(locale),
        learned,
        rerankDepth: 20,
        maxPrefixTerms: 12,
      });
    if (!MIN_ARTICLE_QUERY.test(query)) {
      return {
        queries: suggestions.slice(0, options.limit).map((s) => ({ text: s.entry.text, kind: s.entry.kind })),
        articles: [],
      };
    }
    // Titles and keywords, then headings: the body is for the results page (on a large index, scoring it per
    // keystroke costs more than a typeahead can afford).
    let found = search(SUGGEST_FIELDS);
    if (found.hits.length === 0) found = search(['headings']);
    // Whole-query intent: once an article matches every word typed ("how do i delete my account"), one that matches
    // a single word ("Edit or delete a Pin") is a different question, not a weaker answer; only the articles
    // matching as many of the words as the best one are offered.
    const most = Math.max(0, ...found.hits.map((h) => h.coverage));
    const articles = found.hits
      .filter((h) => h.coverage >= most)
      .map((h) => ({ slug: h.doc.slug, title: h.doc.title, locale: h.doc.textLocale }));
    const queries = suggestions.slice(0, options.limit).map((s) => ({ text: s.entry.text, kind: s.entry.kind }));
    return { queries, articles };
  }

  /** Number of indexed articles and suggestions per locale. */
  stats(): Record<string, { articles: number; suggestions: number }> {
    const out: Record<string, { articles: number; suggestions: number }> = {};
    for (const [locale, index] of this.indexes) {
      out[locale] = { articles: index.size, suggestions: this.suggestionIndex(locale).size };
    }
    return out;
  }

  /**
   * The suggestion index of a locale, rebuilt after changes: at once while it is small (a help center's few
   * thousand entries take milliseconds), in the background when large, serving the previous one meanwhile so a
   * publish never stalls a keystroke (60,000 entries take seconds to analyse).
   */
  private suggestionIndex(locale: string): SuggestionIndex {
    const built = this.suggestions.get(locale);
    if (built && !this.dirtySuggestions.has(locale)) return built;
    if (built && built.size > SYNC_REBUILD_LIMIT) {
      if (!this.pendingRebuilds.has(locale)) {
        const timer = setTimeout(() => {
          this.pendingRebuilds.delete(locale);
          this.rebuildSuggestions(locale);
        }, 200);
        timer.unref();
        this.pendingRebuilds.set(locale, timer);
      }
      return built;
    }
    return this.rebuildSuggestions(locale);
  }

  private rebuildSuggestions(locale: string): SuggestionIndex {
    this.dirtySuggestions.delete(locale);
    const built = new SuggestionIndex(locale, this.suggestionEntries(locale));
    this.suggestions.set(locale, built);
    this.suggestCache?.clear();
    return built;
  }

  /** Rebuilds every stale suggestion index now (start-up, tests, the bench). */
  warmSuggestions(): void {
    for (const [locale, timer] of this.pendingRebuilds) {
      clearTimeout(timer);
      this.pendingRebuilds.delete(locale);
    }
    for (const locale of this.indexes.keys()) if (this.dirtySuggestions.has(locale)) this.rebuildSuggestions(locale);
  }

  private suggestionEntries(locale: string): SuggestionEntry[] {
    const index = this.index(locale);
    const entries: SuggestionEntry[] = [];
    for (const q of this.successful) {
      if (q.locale !== locale || containsPersonalData(q.text) || looksMisspelt(index, q.text)) continue;
      entries.push({ text: q.text, kind: 'query', weight: q.weight, slugs: q.clicks.map((c) => c.slug) });
    }
    for (const slug of index.slugs()) {
      const doc = index.docBySlug(slug)!;
      entries.push({ text: doc.title, kind: 'title', weight: 2, slugs: [slug] });
      for (const phrase of doc.keywords) {
        if (!containsPersonalData(phrase)) entries.push({ text: phrase, kind: 'phrase', weight: 1, slugs: [slug] });
      }
      // Short headings read like queries ("Change your password when you're logged in").
      for (const heading of doc.headings) {
        if (heading.length <= 60) entries.push({ text: heading, kind: 'phrase', weight: 0.5, slugs: [slug] });
      }
    }
    return entries;
  }

  /**
   * "Did you mean": each word not in the index gets up to three close, real words; of the combinations, the one
   * whose best article matches best wins (so "pasword rset" becomes "password reset", not "password set"). It is
   * offered only when that article answers the corrected query (above the relevance floor) and matches about as
   * well as the best result of what was typed, or better: "dark mode" finding "mark" and "mode" somewhere is no better answer
   * as "mark mode", so the reader sees a content gap instead of a confident wrong guess.
   */
  private correct(index: LocaleIndex, query: string, result: LocaleSearchResult): string | null {
    const tokens = parseQuery(index.analyzer, query, false);
    if (tokens.length === 0) return null;
    let changed = false;
    const choices = tokens.map(({ word }) => {
      if (word.typos === 0 || word.terms.some((t) => index.postings.frequency(t) > 0)) return [word.display];
      const near = index
        .wordsNear(word.word, Math.max(1, word.typos))
        .filter((n) => n.distance > 0)
        .sort((a, b) => a.distance - b.distance || b.docs - a.docs)
        .slice(0, 3)
        .map((n) => index.displayOf(n.word));
      if (near.length === 0) return [word.display];
      changed = true;
      return near;
    });
    if (!changed) return null;
    let combos: string[][] = [[]];
    for (const choice of choices) combos = combos.flatMap((c) => choice.map((w) => [...c, w])).slice(0, 9);
    let best: { text: string; score: number; relevance: number } | undefined;
    for (const combo of combos) {
      const text = combo.join(' ');
      const check = searchLocale(index, text, {
        limit: 1,
        prefixLast: false,
        synonyms: this.synonyms.get(index.locale),
      });
      const top = check.hits[0];
      if (top && !top.weak && (!best || top.score > best.score)) {
        best = { text, score: top.score, relevance: top.relevance };
      }
    }
    const typed = result.hits[0];
    // Within 5%: the typed words' yardstick is their guessed spellings, so an exact tie can land either side.
    if (!best || (typed && !typed.weak && best.relevance < typed.relevance * 0.95)) return null;
    return best.text;
  }
}

/** The key past queries and new ones share: their meaningful stems, in order. */
function queryKey(locale: string, text: string): string {
  return analyzerFor(locale)
    .analyze(text)
    .filter((w) => !w.stop)
    .map((w) => w.stem)
    .join(' ');
}

/** A word not in the articles that is within its typo budget of one that is: a misspelling, not customer wording. */
function looksMisspelt(index: LocaleIndex, text: string): boolean {
  return index.analyzer.analyze(text).some((word) => {
    if (word.typos === 0 || index.surfaceWords.has(word.word)) return false;
    if (word.terms.some((t) => index.postings.frequency(t) > 0)) return false;
    return index.wordsNear(word.word, word.typos).some((n) => n.distance > 0);
  });
}
