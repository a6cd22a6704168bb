import type { AnalyzedWord, Analyzer } from './analyze-text.js';

/** One word of a reader's query. */
export interface QueryToken {
  word: AnalyzedWord;
  /** The reader may still be typing this word (the last one, with no space after it). */
  prefix: boolean;
}

/** The index lookups query expansion needs (an article index or a suggestion index). */
export interface Vocabulary {
  frequency(term: string): number;
  termsNear(term: string, distance: number): { term: string; df: number; distance: number }[];
  termsWithPrefix(prefix: string, limit: number): { term: string; df: number }[];
  /** The letters its terms use: the substitutions and insertions worth trying for a prefix typed with a typo. */
  alphabet?(): ReadonlySet<string>;
}

/** Synonyms of one locale: a folded word or its stem → the index terms it should also find. */
export type SynonymTable = ReadonlyMap<string, readonly string[]>;

export interface ExpandedTerm {
  /** Best weight of this index term over the tokens that produce it. */
  weight: number;
  /** Indexes of the query tokens this term stands for. */
  tokens: number[];
}

export interface ExpandedQuery {
  tokens: QueryToken[];
  terms: Map<string, ExpandedTerm>;
  /** Per token, the share of its characters no index term stands for (a CJK word split into known pieces). */
  uncovered?: number[];
}

export interface ExpandOptions {
  synonyms?: SynonymTable | undefined;
  /** Completions considered for a word still being typed (the most frequent first). */
  maxPrefixTerms?: number;
  /** Spellings considered per mistyped word (fewest edits, then most frequent, first). */
  maxTypoTerms?: number;
  /**
   * Shortest word (in characters) completed as a prefix; 1 lets "как у" complete "у" once other words narrow it
   * (suggestions), the default 2 keeps one letter from matching a large part of an article index.
   */
  minPrefixLength?: number;
}

const MAX_TOKENS = 12;
const MIN_PREFIX_LENGTH = 2;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Weights of the ways an index term can match a query word; the ranking rewards exact words over guesses. */
export const MATCH_WEIGHT = {
  exact: 1,
  surface: 0.3,
  variant: 0.8,
  synonym: 0.7,
  typo1: 0.55,
  typo2: 0.35,
  prefix: 0.65,
} as const;

/**
 * Splits a query into tokens: stop words go unless the query has nothing else; the last word is a prefix when
 * `prefixLast` and the text does not end with a space or punctuation (the reader is still typing it).
 */
export function parseQuery(analyzer: Analyzer, text: string, prefixLast: boolean): QueryToken[] {
  const typing = prefixLast && /[\p{L}\p{N}]$/u.test(text);
  const words = typing ? mergeTrailingRun(analyzer, text, analyzer.analyze(text)) : analyzer.analyze(text);
  if (words.length === 0) return [];
  const meaningful = words.filter((w, i) => !w.stop || (typing && i === words.length - 1 && words.length === 1));
  const kept = meaningful.length > 0 ? meaningful : words;
  const tokens = kept.slice(0, MAX_TOKENS).map((word) => ({ word, prefix: false }));
  const last = tokens[tokens.length - 1];
  if (typing && last && last.word === words[words.length - 1]) last.prefix = true;
  return tokens;
}

const TRAILING_RUN = /(?:\p{Script=Katakana}|ー)+$|\p{Script=Han}+$|\p{Script=Hiragana}+$/u;

/**
 * While a Japanese word is being typed, the segmenter splits the unfinished word ("パスワ" → "パス" + "ワ"); the
 * trailing run of one script is what the reader is typing, so it becomes one prefix word again.
 */
export function mergeTrailingRun(analyzer: Analyzer, text: string, words: AnalyzedWord[]): AnalyzedWord[] {
  const run = TRAILING_RUN.exec(analyzer.fold(text.trimEnd()))?.[0];
  if (!run || words.length < 2) return words;
  let joined = '';
  let k = words.length;
  while (k > 0 && joined.length < run.length) joined = words[--k]!.word + joined;
  if (joined !== run || words.length - k < 2) return words;
  return [...words.slice(0, k), analyzer.analyzeWord(run)];
}

/** Turns query tokens into weighted index terms: exact, variants, synonyms, typo corrections and completions. */
export function expandQuery(vocabulary: Vocabulary, tokens: QueryToken[], options: ExpandOptions = {}): ExpandedQuery {
  const terms = new Map<string, ExpandedTerm>();
  const add = (term: string, weight: number, token: number) => {
    const known = terms.get(term);
    if (!known) terms.set(term, { weight, tokens: [token] });
    else {
      if (weight > known.weight) known.weight = weight;
      if (!known.tokens.includes(token)) known.tokens.push(token);
    }
  };
  const maxPrefix = options.maxPrefixTerms ?? 20;
  const maxTypos = options.maxTypoTerms ?? 8;
  const uncovered = tokens.map(() => 0);
  tokens.forEach((token, i) => {
    const { word } = token;
    word.terms.forEach((term, k) => {
      add(term, k === 0 ? MATCH_WEIGHT.exact : term === word.word ? MATCH_WEIGHT.surface : MATCH_WEIGHT.variant, i);
    });
    const synonyms = options.synonyms?.get(word.word) ?? options.synonyms?.get(word.stem);
    for (const synonym of synonyms ?? []) add(synonym, MATCH_WEIGHT.synonym, i);
    const known = word.terms.some((t) => vocabulary.frequency(t) > 0);
    if (!known && CJK.test(word.word)) {
      const parts = splitByVocabulary(vocabulary, word.word);
      for (const part of parts) add(part, MATCH_WEIGHT.variant, i);
      const covered = parts.reduce((sum, p) => sum + Array.from(p).length, 0);
      if (parts.length > 0) uncovered[i] = Math.max(0, 1 - covered / Array.from(word.word).length);
    }
    const minPrefix = CJK.test(word.word) ? 1 : (options.minPrefixLength ?? MIN_PREFIX_LENGTH);
    let completed = false;
    if (token.prefix && Array.from(word.word).length >= minPrefix) {
      // The radix tree lists completions alphabetically; we read a bounded number and keep the most frequent,
      // so a one-letter prefix costs the same on a large index as on a small one.
      const completions = vocabulary
        .termsWithPrefix(word.word, maxPrefix * 20)
        .filter((c) => c.term !== word.word)
        .sort((a, b) => b.df - a.df)
        .slice(0, maxPrefix);
      completed = completions.length > 0;
      const typedLength = word.word.length;
      // A complete word the articles use is probably finished ("down" in "taken down" is not "download").
      const finished = known ? 0.4 : 1;
      for (const c of completions) {
        // Shorter completions are likelier what the reader is typing.
        add(c.term, MATCH_WEIGHT.prefix * finished * Math.sqrt(typedLength / c.term.length), i);
      }
    }
    // A word being typed with a typo in it ("paswor") completes nothing and is too far from any whole word: complete
    // its one-edit neighbours instead.
    if (token.prefix && !completed && !known && word.typos > 0 && vocabulary.alphabet) {
      const typedLength = word.word.length;
      const completions = completeWithTypo(vocabulary, word.word, vocabulary.alphabet(), maxPrefix);
      completed = completions.length > 0;
      for (const c of completions) add(c.term, MATCH_WEIGHT.typo1 * Math.sqrt(typedLength / c.term.length), i);
    }
    // Typo tolerance only where the word as typed finds nothing: a known word is what the reader meant, and the
    // fuzzy walk of a large vocabulary is the costliest step of a query (bench/search.ts).
    if (word.typos > 0 && !known && !completed) {
      const near = vocabulary
        .termsNear(word.word, word.typos)
        .filter((n) => n.distance > 0)
        .sort((a, b) => a.distance - b.distance || b.df - a.df)
        .slice(0, maxTypos);
      for (const n of near) add(n.term, n.distance === 1 ? MATCH_WEIGHT.typo1 : MATCH_WEIGHT.typo2, i);
    }
  });
  return { tokens, terms, uncovered };
}

/**
 * Completions of the prefixes one edit away from `prefix` (a letter missing, extra, wrong or swapped; the first
 * letter kept, as readers rarely mistype it and it bounds the work), most frequent first. The radix tree has no
 * fuzzy prefix walk, so the neighbours are enumerated: (2·length + 1) × letters lookups, each stopping at the first
 * missing branch; this runs only when the typed prefix completes nothing.
 */
export function completeWithTypo(
  vocabulary: Vocabulary,
  prefix: string,
  alphabet: ReadonlySet<string>,
  limit: number,
): { term: string; df: number }[] {
  const chars = Array.from(prefix);
  const variants = new Set<string>();
  // Edits at the end add nothing: the prefix itself completes nothing, so neither does it plus a letter.
  for (let i = 1; i < chars.length; i++) {
    const head = chars.slice(0, i).join('');
    const rest = chars.slice(i);
    variants.add(head + rest.slice(1).join('')); // extra letter typed
    if (rest.length >= 2) variants.add(head + rest[1] + rest[0] + rest.slice(2).join('')); // swapped
    for (const letter of alphabet) {
      variants.add(head + letter + rest.join('')); // letter missing
      variants.add(head + letter + rest.slice(1).join('')); // wrong letter
    }
  }
  variants.delete(prefix);
  const found = new Map<string, number>();
  for (const variant of variants) {
    if (variant.length < MIN_PREFIX_LENGTH) continue;
    for (const c of vocabulary.termsWithPrefix(variant, limit * 4)) found.set(c.term, c.df);
  }
  return [...found]
    .map(([term, df]) => ({ term, df }))
    .sort((a, b) => b.df - a.df || a.term.localeCompare(b.term))
    .slice(0, limit);
}

/**
 * Japanese and Chinese word boundaries depend on context, so a query word may be one the articles never have on
 * its own ("ビジネスアカウント" where they have "ビジネス" + "アカウント"). Splits it greedily into the longest
 * pieces the index knows; characters no piece covers are skipped.
 */
export function splitByVocabulary(vocabulary: Vocabulary, word: string): string[] {
  const chars = Array.from(word);
  const parts: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let found = 0;
    for (let end = Math.min(chars.length, i + 12); end > i; end--) {
      const piece = chars.slice(i, end).join('');
      if (vocabulary.frequency(piece) > 0 && (end - i > 1 || chars.length <= 2)) {
        parts.push(piece);
        found = end - i;
        break;
      }
    }
    i += Math.max(1, found);
  }
  return parts;
}

/** Builds the synonym table of a locale from groups of equivalent words or phrases (single words trigger). */
export function buildSynonymTable(analyzer: Analyzer, groups: readonly (readonly string[])[]): SynonymTable {
  const table = new Map<string, string[]>();
  for (const group of groups) {
    const analyzed = group.map((member) => analyzer.analyze(member).filter((w) => !w.stop));
    analyzed.forEach((words, i) => {
      if (words.length !== 1) return;
      const trigger = words[0]!;
      const others = analyzed.flatMap((w, j) => (j === i ? [] : w.map((x) => x.stem)));
      for (const key of new Set([trigger.word, trigger.stem])) {
        const list = table.get(key) ?? [];
        for (const o of others) if (o !== trigger.stem && !list.includes(o)) list.push(o);
        table.set(key, list);
      }
    });
  }
  return table;
}
