import SearchableMap from 'minisearch/SearchableMap';
import type { Vocabulary } from './expand-query.js';

/**
 * The article postings and BM25F scoring, in typed arrays. The vocabulary (prefix and typo lookups) is MiniSearch's
 * radix tree; the postings and scoring are our own because MiniSearch's per-posting objects made a keystroke cost
 * 3–20 ms on the 10,000-articles-per-locale bench corpus, and these loops cost a small fraction of that
 * (bench/search.ts prints both engines). Documents are appended with increasing ids; removal marks them dead and
 * a compaction drops them once they are a tenth of the postings.
 */

export const FIELD_COUNT = 4;
const LETTER = /\p{L}/u;

/** BM25+ parameters (the same family MiniSearch uses). */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;

/** BM25's inverse document frequency of a term found in `df` of `n` documents. */
export function bm25Idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/**
 * What one field contributes (before its boost and the idf) when it holds the term once and is of average length:
 * the yardstick for "the best an article could match this word" (more repetitions saturate quickly above it).
 */
export const BM25_TYPICAL_FIELD = DELTA + 1;

class Postings {
  docs = new Int32Array(4);
  /** Term frequency per field, FIELD_COUNT per posting, capped at 255. */
  tf = new Uint8Array(4 * FIELD_COUNT);
  length = 0;
  /** Live documents containing the term. */
  df = 0;

  push(doc: number, counts: ArrayLike<number>): void {
    if (this.length === this.docs.length) {
      const docs = new Int32Array(this.docs.length * 2);
      docs.set(this.docs);
      this.docs = docs;
      const tf = new Uint8Array(this.tf.length * 2);
      tf.set(this.tf);
      this.tf = tf;
    }
    this.docs[this.length] = doc;
    for (let f = 0; f < FIELD_COUNT; f++) this.tf[this.length * FIELD_COUNT + f] = Math.min(255, counts[f] ?? 0);
    this.length += 1;
    this.df += 1;
  }

  /** Position of `doc` in this list (docs ascend), or -1. */
  indexOf(doc: number): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.docs[mid]!;
      if (v === doc) return mid;
      if (v < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

export interface ScoredDoc {
  doc: number;
  score: number;
  /** Query terms found in the document. */
  terms: string[];
}

/** A bounded min-heap keeping the `size` best (doc, score) pairs. */
class TopK {
  private readonly docs: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly size: number) {}

  offer(doc: number, score: number): void {
    if (this.docs.length < this.size) {
      this.docs.push(doc);
      this.scores.push(score);
      this.up(this.docs.length - 1);
    } else if (score > this.scores[0]!) {
      this.docs[0] = doc;
      this.scores[0] = score;
      this.down(0);
    }
  }

  sorted(): { doc: number; score: number }[] {
    return this.docs
      .map((doc, i) => ({ doc, score: this.scores[i]! }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  private swap(a: number, b: number): void {
    [this.docs[a], this.docs[b]] = [this.docs[b]!, this.docs[a]!];
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.scores[parent]! <= this.scores[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.docs.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.scores[l]! < this.scores[m]!) m = l;
      if (r < n && this.scores[r]! < this.scores[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

/** One locale's inverted index over four weighted fields, with BM25+ scoring. */
export class InvertedIndex implements Vocabulary {
  private readonly vocabulary = new SearchableMap<Postings>();
  /** Field lengths, FIELD_COUNT per document. */
  private fieldLengths = new Float32Array(64 * FIELD_COUNT);
  private alive = new Uint8Array(64);
  /** Each document's distinct terms, to keep document frequencies right on removal. */
  private docTerms: (string[] | undefined)[] = [];
  private readonly totalLength = new Float64Array(FIELD_COUNT);
  private liveDocs = 0;
  private deadPostings = 0;
  private totalPostings = 0;
  private nextDoc = 0;
  private scores = new Float64Array(64);
  private readonly letters = new Set<string>();

  get documentCount(): number {
    return this.liveDocs;
  }

  get termCount(): number {
    return this.vocabulary.size;
  }

  /** Adds a document; `fields[f]` is the list of index terms of field f. Returns its id. */
  add(fields: readonly (readonly string[])[]): number {
    const doc = this.nextDoc++;
    this.grow(doc + 1);
    const counts = new Map<string, number[]>();
    for (let f = 0; f < FIELD_COUNT; f++) {
      const terms = fields[f] ?? [];
      this.fieldLengths[doc * FIELD_COUNT + f] = terms.length;
      this.totalLength[f] = (this.totalLength[f] ?? 0) + terms.length;
      for (const term of terms) {
        let c = counts.get(term);
        if (!c) {
          c = [0, 0, 0, 0];
          counts.set(term, c);
        }
        c[f]! += 1;
      }
    }
    for (const [term, c] of counts) {
      let postings = this.vocabulary.get(term);
      if (!postings) {
        postings = new Postings();
        this.vocabulary.set(term, postings);
        for (const ch of term) if (LETTER.test(ch)) this.letters.add(ch);
      }
      postings.push(doc, c);
    }
    this.totalPostings += counts.size;
    this.docTerms[doc] = [...counts.keys()];
    this.alive[doc] = 1;
    this.liveDocs += 1;
    return doc;
  }

  /** Removes a document (its postings are skipped until the next compaction). */
  remove(doc: number): void {
    if (!this.alive[doc]) return;
    this.alive[doc] = 0;
    this.liveDocs -= 1;
    for (let f = 0; f < FIELD_COUNT; f++) {
      this.totalLength[f] = (this.totalLength[f] ?? 0) - (this.fieldLengths[doc * FIELD_COUNT + f] ?? 0);
    }
    const terms = this.docTerms[doc] ?? [];
    for (const term of terms) {
      const postings = this.vocabulary.get(term);
      if (postings) postings.df -= 1;
    }
    this.deadPostings += terms.length;
    this.docTerms[doc] = undefined;
    if (this.deadPostings > 1000 && this.deadPostings > this.totalPostings / 10) this.compact();
  }

  frequency(term: string): number {
    return this.vocabulary.get(term)?.df ?? 0;
  }

  /** Letters the terms use (it only grows; a letter no live term has costs a lookup, never a wrong answer). */
  alphabet(): ReadonlySet<string> {
    return this.letters;
  }

  termsNear(term: string, distance: number): { term: string; df: number; distance: number }[] {
    const out: { term: string; df: number; distance: number }[] = [];
    for (const [found, [postings, d]] of this.vocabulary.fuzzyGet(term, distance)) {
      if (postings.df > 0) out.push({ term: found, df: postings.df, distance: d });
    }
    return out;
  }

  termsWithPrefix(prefix: string, limit: number): { term: string; df: number }[] {
    const out: { term: string; df: number }[] = [];
    for (const [term, postings] of this.vocabulary.atPrefix(prefix)) {
      if (postings.df > 0) out.push({ term, df: postings.df });
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Scores every live document containing a query term (weights per term, boosts per field; a zero boost leaves
   * the field out), and returns how many matched and the `depth` best with the terms each contains.
   */
  search(
    terms: ReadonlyMap<string, number>,
    boosts: readonly number[],
    depth: number,
  ): { total: number; top: ScoredDoc[] } {
    const n = Math.max(1, this.liveDocs);
    const avg = Array.from(this.totalLength, (t) => Math.max(1, t / n));
    const touched: number[] = [];
    const scores = this.scores;
    const lists: { term: string; postings: Postings }[] = [];
    for (const [term, weight] of terms) {
      const postings = this.vocabulary.get(term);
      if (!postings || postings.df === 0) continue;
      lists.push({ term, postings });
      const idf = bm25Idf(n, postings.df);
      const { docs, tf, length } = postings;
      for (let i = 0; i < length; i++) {
        const doc = docs[i]!;
        if (!this.alive[doc]) continue;
        let s = 0;
        for (let f = 0; f < FIELD_COUNT; f++) {
          const boost = boosts[f]!;
          if (boost === 0) continue;
          const freq = tf[i * FIELD_COUNT + f]!;
          if (freq === 0) continue;
          const norm = K1 * (1 - B + (B * this.fieldLengths[doc * FIELD_COUNT + f]!) / avg[f]!);
          s += boost * (DELTA + (freq * (K1 + 1)) / (freq + norm));
        }
        if (s === 0) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += weight * idf * s;
      }
    }
    const best = new TopK(depth);
    for (const doc of touched) {
      best.offer(doc, scores[doc]!);
      scores[doc] = 0;
    }
    const top = best.sorted().map(({ doc, score }) => ({
      doc,
      score,
      terms: lists.filter((l) => this.inFields(l.postings, doc, boosts)).map((l) => l.term),
    }));
    return { total: touched.length, top };
  }

  private inFields(postings: Postings, doc: number, boosts: readonly number[]): boolean {
    const i = postings.indexOf(doc);
    if (i < 0) return false;
    for (let f = 0; f < FIELD_COUNT; f++) if (boosts[f]! > 0 && postings.tf[i * FIELD_COUNT + f]! > 0) return true;
    return false;
  }

  private grow(size: number): void {
    if (size <= this.alive.length) return;
    let capacity = this.alive.length;
    while (capacity < size) capacity *= 2;
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    this.alive = alive;
    const lengths = new Float32Array(capacity * FIELD_COUNT);
    lengths.set(this.fieldLengths);
    this.fieldLengths = lengths;
    this.scores = new Float64Array(capacity);
  }

  /** Drops dead documents from every postings list, and terms no live document has. */
  private compact(): void {
    const empty: string[] = [];
    for (const [term, postings] of this.vocabulary) {
      let w = 0;
      for (let r = 0; r < postings.length; r++) {
        const doc = postings.docs[r]!;
        if (!this.alive[doc]) continue;
        postings.docs[w] = doc;
        for (let f = 0; f < FIELD_COUNT; f++) postings.tf[w * FIELD_COUNT + f] = postings.tf[r * FIELD_COUNT + f]!;
        w += 1;
      }
      postings.length = w;
      if (w === 0) empty.push(term);
    }
    for (const term of empty) this.vocabulary.delete(term);
    this.totalPostings -= this.deadPostings;
    this.deadPostings = 0;
  }
}
