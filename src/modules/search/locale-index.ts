import MiniSearch from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { type AnalyzedWord, type Analyzer, analyzerFor } from './analyze-text.js';
import type { Vocabulary } from './expand-query.js';
import { InvertedIndex, type ScoredDoc } from './inverted-index.js';

/** What the index needs of one published article translation. */
export interface IndexableArticle {
  slug: string;
  locale: string;
  title: string;
  keywords: string[];
  headings: string[];
  /** The text a reader sees (Markdown rendered to plain text). */
  body: string;
  /**
   * The language of `body` when it is not the index's: an untranslated article found in this locale through the
   * words translated articles use to link to it (then `title` and `keywords` are those link texts and the body is
   * shown in snippets but not indexed).
   */
  textLocale?: string;
}

export interface IndexedDoc {
  id: number;
  slug: string;
  title: string;
  keywords: string[];
  headings: string[];
  body: string;
  /** Language of title and body as shown (differs from the index's for an untranslated article). */
  textLocale: string;
  /** True for an untranslated article indexed through link texts. */
  fallback: boolean;
  /** Primary term ids of title, keywords, headings and body in reading order; 0 separates fields and phrases. */
  stream: Uint32Array;
  /** Stream positions below this index are in the title or keywords. */
  titleEnd: number;
}

export type IndexField = 'title' | 'keywords' | 'headings' | 'body';

/** Field weights: a word in the title says more about what an article answers than one in the body. */
export const FIELD_BOOST: Record<IndexField, number> = { title: 4, keywords: 3, headings: 1.6, body: 1 };

/** Where postings live and how they are scored; ours (typed arrays) by default, MiniSearch for comparison. */
export interface PostingsBackend extends Vocabulary {
  readonly termCount: number;
  /** Adds a document given the index terms of title, keywords, headings and body; returns its id. */
  add(fields: readonly (readonly string[])[]): number;
  remove(doc: number): void;
  search(
    terms: ReadonlyMap<string, number>,
    boosts: readonly number[],
    depth: number,
  ): { total: number; top: ScoredDoc[] };
}

export type BackendName = 'typed' | 'minisearch';

interface FieldTermData {
  size: number;
}

const FIELDS: IndexField[] = ['title', 'keywords', 'headings', 'body'];

// MiniSearch keeps its radix tree protected; the adapter reads it for the same query expansion as our backend.
class MiniSearchBackend extends MiniSearch<Record<string, unknown>> implements PostingsBackend {
  private next = 0;

  constructor() {
    super({
      fields: FIELDS,
      idField: 'id',
      storeFields: [],
      // Fields arrive analysed (space-separated index terms), so the library only splits them.
      tokenize: (text) => (text.length > 0 ? text.split(' ') : []),
      processTerm: (term) => term,
      autoVacuum: { minDirtCount: 50, minDirtFactor: 0.05, batchSize: 1000, batchWait: 5 },
    });
  }

  override add(document: Record<string, unknown>): void;
  override add(fields: readonly (readonly string[])[]): number;
  override add(input: Record<string, unknown> | readonly (readonly string[])[]): number | undefined {
    if (!Array.isArray(input)) {
      super.add(input as Record<string, unknown>);
      return undefined;
    }
    const id = this.next++;
    super.add(Object.fromEntries([['id', id], ...FIELDS.map((f, i) => [f, (input[i] ?? []).join(' ')])]));
    return id;
  }

  override remove(document: Record<string, unknown>): void;
  override remove(doc: number): void;
  override remove(input: Record<string, unknown> | number): void {
    if (typeof input === 'number') this.discard(input);
    else super.remove(input);
  }

  override search(
    ...args: Parameters<MiniSearch<Record<string, unknown>>['search']>
  ): ReturnType<MiniSearch<Record<string, unknown>>['search']>;
  override search(
    terms: ReadonlyMap<string, number>,
    boosts: readonly number[],
    depth: number,
  ): { total: number; top: ScoredDoc[] };
  override search(...args: unknown[]): unknown {
    if (!(args[0] instanceof Map)) return super.search(...(args as Parameters<MiniSearch['search']>));
    const terms = args[0] as ReadonlyMap<string, number>;
    const boosts = args[1] as readonly number[];
    const depth = args[2] as number;
    const boost: Record<string, number> = {};
    FIELDS.forEach((f, i) => {
      if (boosts[i]! > 0) boost[f] = boosts[i]!;
    });
    const results = super.search(
      { queries: [...terms.keys()], combineWith: 'OR' },
      { fields: Object.keys(boost), boost, prefix: false, fuzzy: false, boostTerm: (t) => terms.get(t) ?? 1 },
    );
    return {
      total: results.length,
      top: results.slice(0, depth).map((r) => ({ doc: r.id as number, score: r.score, terms: r.terms })),
    };
  }

  termsWithPrefix(prefix: string, limit: number): { term: string; df: number }[] {
    const out: { term: string; df: number }[] = [];
    for (const [term, data] of this._index.atPrefix(prefix)) {
      out.push({ term, df: documentFrequency(data as unknown as Map<number, FieldTermData>) });
      if (out.length >= limit) break;
    }
    return out;
  }

  termsNear(term: string, distance: number): { term: string; df: number; distance: number }[] {
    const out: { term: string; df: number; distance: number }[] = [];
    for (const [found, [data, d]] of this._index.fuzzyGet(term, distance)) {
      out.push({ term: found, df: documentFrequency(data as unknown as Map<number, FieldTermData>), distance: d });
    }
    return out;
  }

  frequency(term: string): number {
    const data = this._index.get(term) as unknown as Map<number, FieldTermData> | undefined;
    return data ? documentFrequency(data) : 0;
  }
}

function documentFrequency(data: Map<number, FieldTermData>): number {
  let max = 0;
  for (const docs of data.values()) if (docs.size > max) max = docs.size;
  return max;
}

const GAP = 0;
// Region price placeholders ({{price:key}}) are resolved per reader; their key is not something anyone searches for.
const PLACEHOLDER = /\{\{[^}]{0,80}\}\}/g;

/** One locale's article index: postings with BM25F scoring, plus term streams for phrase and proximity. */
export class LocaleIndex {
  readonly analyzer: Analyzer;
  readonly postings: PostingsBackend;
  private readonly docs = new Map<number, IndexedDoc>();
  private readonly bySlug = new Map<string, number>();
  private readonly termIds = new Map<string, number>();
  /** Index term → ids of the primary terms whose words produce it (a Hebrew stripped form maps to several). */
  private readonly termPrimaries = new Map<string, number[]>();
  /** Folded surface words seen in articles → number of documents that had them, for "did you mean". */
  readonly surfaceWords = new SearchableMap<number>();
  /** Folded word → how it is written (accents, case folded), where the two differ. */
  private readonly displayForms = new Map<string, string>();

  constructor(
    readonly locale: string,
    backend: BackendName = 'typed',
  ) {
    this.analyzer = analyzerFor(locale);
    this.postings = backend === 'typed' ? new InvertedIndex() : new MiniSearchBackend();
  }

  get size(): number {
    return this.docs.size;
  }

  /** The indexed document with this id. */
  doc(id: number): IndexedDoc | undefined {
    return this.docs.get(id);
  }

  /** The indexed document of an article slug. */
  docBySlug(slug: string): IndexedDoc | undefined {
    const id = this.bySlug.get(slug);
    return id === undefined ? undefined : this.docs.get(id);
  }

  slugs(): string[] {
    return [...this.bySlug.keys()];
  }

  /** Slugs of untranslated articles indexed through link texts. */
  fallbackSlugs(): string[] {
    return this.slugs().filter((slug) => this.docBySlug(slug)?.fallback);
  }

  /** Adds or replaces an article (by slug). */
  upsert(article: IndexableArticle): void {
    this.remove(article.slug);
    const stream: number[] = [];
    const fields: Record<IndexField, string[]> = { title: [], keywords: [], headings: [], body: [] };
    const seenSurface = new Set<string>();
    const addText = (field: IndexField, text: string) => {
      for (const word of this.analyzer.analyze(text.replace(PLACEHOLDER, ' '))) {
        if (word.stop) continue;
        // The body is searched by stems only: surface forms serve prefix typing and exact-form bonuses, which
        // matter in titles, keywords and headings; leaving them out halves the body's postings.
        const terms =
          field === 'body' && word.terms.length > 1
            ? word.terms.filter((t) => t !== word.word || t === word.stem)
            : word.terms;
        if (word.display !== word.word && !this.displayForms.has(word.word)) {
          this.displayForms.set(word.word, word.display);
        }
        fields[field].push(...terms);
        stream.push(this.primaryId(word));
        seenSurface.add(word.word);
      }
      stream.push(GAP);
    };
    addText('title', article.title);
    for (const keyword of article.keywords) addText('keywords', keyword);
    // Title and keywords together say what the article is about (the ranking's "title" signal covers both).
    const titleEnd = stream.length;
    for (const heading of article.headings) addText('headings', heading);
    // Paragraph breaks end phrases too.
    const fallback = article.textLocale !== undefined && article.textLocale !== this.locale;
    // A fallback's body is in another language: its words would only add noise to this locale's vocabulary, so its
    // link texts stand in for the body (they are what this locale's articles say the article is about).
    if (!fallback) for (const paragraph of article.body.split(/\n+/)) addText('body', paragraph);
    else for (const text of [article.title, ...article.keywords]) addText('body', text);
    for (const word of seenSurface) this.surfaceWords.set(word, (this.surfaceWords.get(word) ?? 0) + 1);
    const id = this.postings.add([fields.title, fields.keywords, fields.headings, fields.body]);
    const doc: IndexedDoc = {
      id,
      slug: article.slug,
      title: article.title,
      keywords: article.keywords,
      headings: article.headings,
      body: article.body,
      textLocale: article.textLocale ?? this.locale,
      fallback,
      stream: Uint32Array.from(stream),
      titleEnd,
    };
    this.docs.set(id, doc);
    this.bySlug.set(article.slug, id);
  }

  /** Removes an article (by slug); true when it was indexed. */
  remove(slug: string): boolean {
    const id = this.bySlug.get(slug);
    if (id === undefined) return false;
    this.postings.remove(id);
    this.docs.delete(id);
    this.bySlug.delete(slug);
    // surfaceWords only grows: it says which spellings are real words, and "did you mean" checks candidates
    // against the live index anyway.
    return true;
  }

  /** Real words of the articles within `distance` edits of `word`, with how many articles have each. */
  wordsNear(word: string, distance: number): { word: string; docs: number; distance: number }[] {
    const out: { word: string; docs: number; distance: number }[] = [];
    for (const [found, [docs, d]] of this.surfaceWords.fuzzyGet(word, distance))
      out.push({ word: found, docs, distance: d });
    return out;
  }

  /** How a folded word is written in the articles (with its accents), for showing it to readers. */
  displayOf(word: string): string {
    return this.displayForms.get(word) ?? word;
  }

  /** The primary-term ids an index term stands for (for positions); empty when unknown. */
  primariesOf(term: string): readonly number[] {
    return this.termPrimaries.get(term) ?? [];
  }

  private primaryId(word: AnalyzedWord): number {
    let id = this.termIds.get(word.stem);
    if (id === undefined) {
      id = this.termIds.size + 1;
      this.termIds.set(word.stem, id);
    }
    for (const term of word.terms) {
      const list = this.termPrimaries.get(term);
      if (!list) this.termPrimaries.set(term, [id]);
      else if (!list.includes(id)) list.push(id);
    }
    return id;
  }
}
