import SearchableMap from 'minisearch/SearchableMap';
import { analyzerFor } from './analyze-text.js';
import { expandQuery, MATCH_WEIGHT, mergeTrailingRun, type SynonymTable, type Vocabulary } from './expand-query.js';

export type SuggestionKind = 'query' | 'title' | 'phrase';

/** A query the box may suggest: a popular successful search, an article title, or an article's key phrase. */
export interface SuggestionEntry {
  text: string;
  kind: SuggestionKind;
  /** Popularity: recency-weighted successful searches for queries, a small constant for titles and phrases. */
  weight: number;
  /** The articles it leads to, most chosen first. */
  slugs: string[];
}

export interface ScoredSuggestion {
  entry: SuggestionEntry;
  score: number;
}

// Readers pick what other readers searched for over our own titles when both match equally well.
const KIND_FACTOR: Record<SuggestionKind, number> = { query: 1, title: 0.85, phrase: 0.7 };

/** True when the sorted `ids` contain `id`. */
function hasId(ids: Int32Array, id: number): boolean {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid]!;
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * One locale's suggestions, searchable by prefix with typo tolerance; every typed word must match (one may be
 * missing from three words on). The vocabulary is MiniSearch's radix tree; the postings and the matching are our
 * own: suggestions are ranked by how well the words match and by popularity, never by BM25, and skipping BM25
 * made suggest 3× faster on the 10,000-article bench corpus.
 */
export class SuggestionIndex implements Vocabulary {
  private readonly vocabulary = new SearchableMap<Int32Array>();
  /** Per term, its entries by decreasing popularity (the id-sorted postings answer "does it contain"). */
  private readonly byPopularity = new Map<string, Int32Array>();
  private readonly entries: SuggestionEntry[] = [];
  /** The best score an entry can reach (a perfect match): popularity × kind. */
  private ceiling = new Float64Array(0);
  private readonly letters = new Set<string>();

  constructor(
    readonly locale: string,
    entries: readonly SuggestionEntry[],
  ) {
    const analyzer = analyzerFor(locale);
    const seen = new Map<string, number>();
    const postings = new Map<string, number[]>();
    for (const entry of entries) {
      const words = analyzer.analyze(entry.text);
      const key = words.map((w) => w.word).join(' ');
      if (key.length === 0) continue;
      const known = seen.get(key);
      if (known !== undefined) {
        // The same words from two sources: keep the more trusted kind, add up the evidence.
        const existing = this.entries[known]!;
        if (KIND_FACTOR[entry.kind] > KIND_FACTOR[existing.kind]) existing.kind = entry.kind;
        existing.weight += entry.weight;
        for (const slug of entry.slugs) if (!existing.slugs.includes(slug)) existing.slugs.push(slug);
        continue;
      }
      const id = this.entries.length;
      this.entries.push({ ...entry, slugs: [...entry.slugs] });
      seen.set(key, id);
      // Stop words are indexed here (unlike articles): "how to" is part of what readers type and see.
      for (const term of new Set(words.flatMap((w) => w.terms))) {
        const list = postings.get(term);
        if (list) list.push(id);
        else postings.set(term, [id]);
      }
    }
    this.ceiling = Float64Array.from(this.entries, (e) => (1 + Math.log1p(e.weight)) * KIND_FACTOR[e.kind]);
    for (const [term, ids] of postings) {
      for (const ch of term) if (/\p{L}/u.test(ch)) this.letters.add(ch);
      const sorted = Int32Array.from(ids);
      this.vocabulary.set(term, sorted);
      this.byPopularity.set(
        term,
        Int32Array.from(ids).sort((a, b) => this.ceiling[b]! - this.ceiling[a]! || a - b),
      );
    }
  }

  get size(): number {
    return this.entries.length;
  }

  frequency(term: string): number {
    return this.vocabulary.get(term)?.length ?? 0;
  }

  /** Letters the suggestions use, for completing a prefix typed with a typo. */
  alphabet(): ReadonlySet<string> {
    return this.letters;
  }

  termsNear(term: string, distance: number): { term: string; df: number; distance: number }[] {
    const out: { term: string; df: number; distance: number }[] = [];
    for (const [found, [ids, d]] of this.vocabulary.fuzzyGet(term, distance))
      out.push({ term: found, df: ids.length, distance: d });
    return out;
  }

  termsWithPrefix(prefix: string, limit: number): { term: string; df: number }[] {
    const out: { term: string; df: number }[] = [];
    for (const [term, ids] of this.vocabulary.atPrefix(prefix)) {
      out.push({ term, df: ids.length });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Suggestions for what the reader has typed so far, best first. */
  suggest(text: string, limit: number, synonyms?: SynonymTable): ScoredSuggestion[] {
    const analyzer = analyzerFor(this.locale);
    const typing = /[\p{L}\p{N}]$/u.test(text);
    const all = typing ? mergeTrailingRun(analyzer, text, analyzer.analyze(text)) : analyzer.analyze(text);
    if (all.length === 0 || this.entries.length === 0) return [];
    // Keep stop words: a suggestion "how to delete a board" should follow "how to de".
    const tokens = all.slice(0, 12).map((word, i, arr) => ({ word, prefix: typing && i === arr.length - 1 }));
    // After other words one letter is enough to complete ("как у" → "как удалить…"): the words before narrow it,
    // and so many words share one or two letters (stop words first) that more completions are read to find them.
    const last = tokens[tokens.length - 1]!;
    const shortAfterWords = tokens.length > 1 && last.prefix && Array.from(last.word.word).length <= 2;
    const { terms } = expandQuery(this, tokens, {
      synonyms,
      maxPrefixTerms: shortAfterWords ? 40 : 10,
      maxTypoTerms: 6,
      minPrefixLength: tokens.length > 1 ? 1 : undefined,
    });
    // Per token: its index terms with their weights and postings.
    const perToken = tokens.map(() => [] as { term: string; ids: Int32Array; weight: number }[]);
    for (const [term, expanded] of terms) {
      const ids = this.vocabulary.get(term);
      if (!ids) continue;
      for (const t of expanded.tokens) {
        // A word just begun ("my a…") or a stop word being typed is as likely the start of a longer word as the word
        // itself: its literal match says nothing about what the reader wants, so it weighs what a completion does.
        const flat = tokens[t]!.prefix && (tokens[t]!.word.stop || (t === tokens.length - 1 && shortAfterWords));
        perToken[t]!.push({ term, ids, weight: flat ? MATCH_WEIGHT.prefix : Math.min(1, expanded.weight) });
      }
    }
    let meaningful = tokens.map((t) => !t.word.stop || t.prefix);
    if (!meaningful.some(Boolean)) meaningful = tokens.map(() => true);
    const required = tokens.map((_, i) => i).filter((i) => meaningful[i]);
    const size = (i: number) => perToken[i]!.reduce((s, p) => s + p.ids.length, 0);
    const byRarity = [...required].sort((a, b) => size(a) - size(b));
    const weightOf = (i: number, id: number) => {
      let best = 0;
      for (const p of perToken[i]!) if (p.weight > best && hasId(p.ids, id)) best = p.weight;
      return best;
    };
    const score = (id: number, allowMissing: number): ScoredSuggestion | undefined => {
      let missing = 0;
      let quality = 0;
      for (const i of required) {
        const w = weightOf(i, id);
        if (w === 0 && ++missing > allowMissing) return undefined;
        quality += w;
      }
      quality /= required.length;
      // Whole-query intent: of suggestions matching the meaningful words equally, the one holding more of everything
      // typed ("how do i delete my account" → "delete my account" over "delete pin") reads more like the question.
      let held = 0;
      for (let i = 0; i < tokens.length; i++) if (weightOf(i, id) > 0) held += 1;
      const whole = 0.8 + (0.2 * held) / tokens.length;
      return { entry: this.entries[id]!, score: quality * quality * whole * this.ceiling[id]! };
    };
    // Threshold algorithm: walk the candidates of the rarest word(s) from the most popular down, and stop once no
    // remaining entry could beat the current top `limit` even with a perfect match.
    const collect = (sources: number[], allowMissing: number) => {
      const top: ScoredSuggestion[] = [];
      const seenIds = new Set<number>();
      for (const i of sources) {
        for (const posting of perToken[i]!) {
          const ordered = this.byPopularity.get(posting.term) ?? posting.ids;
          for (const id of ordered) {
            const floor = top.length >= limit ? top[top.length - 1]!.score : 0;
            if (this.ceiling[id]! <= floor) break;
            if (seenIds.has(id)) continue;
            seenIds.add(id);
            const s = score(id, allowMissing);
            if (!s || s.score <= floor) continue;
            top.push(s);
            top.sort((a, b) => b.score - a.score || a.entry.text.localeCompare(b.entry.text));
            if (top.length > limit) top.pop();
          }
        }
      }
      return top;
    };
    let pool = byRarity.length > 0 ? collect([byRarity[0]!], 0) : [];
    // With three words or more, one may be phrased differently from every suggestion ("change" vs "reset").
    if (pool.length === 0 && required.length >= 3) pool = collect(byRarity.slice(0, 2), 1);
    // A word just begun that no suggestion continues ("how do i delete my", "как у" before the index knows a match)
    // must not empty the box: what the finished words suggest stays until the new word narrows it.
    if (pool.length === 0 && typing && all.length > 1) {
      const finished = text.replace(/[\p{L}\p{N}\p{M}]+$/u, '');
      if (finished.trim().length > 0 && finished !== text) return this.suggest(finished, limit, synonyms);
    }
    return pool.slice(0, limit);
  }
}
