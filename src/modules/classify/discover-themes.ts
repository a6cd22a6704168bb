/**
 * Theme discovery: clusters feedback the classifier could not place into proposed categories, each named by its
 * most distinctive words. Pure (no database): run-theme-discovery.ts loads the texts and stores the proposals.
 *
 * Each detected language is clustered on its own: lexical features do not cross languages, so one clustering over
 * all of them groups the texts by language, not by topic. Languages with fewer than twice the minimum cluster size
 * of texts are not clustered (counted as "too few"). Within a language: TF-IDF over word unigrams and character
 * 3–5-grams (extract-features.ts, so every script tokenises as the classifier does) → LSA (reduce-dimensions.ts) →
 * spherical k-means with k-means++ and restarts, k chosen by the silhouette over a range → clusters that are small or
 * loose are noise → each remaining cluster is named by class-based TF-IDF of its words (stop words of its language
 * left out) against the language's other clusters and labelled categories, and proposed as a new category, or as
 * "add to <category>" when its centroid sits on that category's labelled examples in the same language. Recent items
 * of a busy category that fall into clearly separated groups (within one language) become split proposals.
 */
import { stopWordsFor } from '../../shared/stop-words.js';
import { UNDETERMINED } from './detect-language.js';
import { extractFeatureKeys, type FeatureConfig, type SparseVector, vectorizeKeys } from './extract-features.js';
import { fitFeatureSpace } from './fit-feature-space.js';
import { normalizeText } from './normalize-text.js';
import { type DenseRows, reduceDimensions } from './reduce-dimensions.js';
import { segmentWords } from './segment-words.js';
import { type Clustering, pairwiseSimilarity, silhouette, sphericalKMeans } from './spherical-k-means.js';

/** A text to cluster: an unlabelled or unsure feedback item. */
export interface ThemeText {
  id: number;
  text: string;
  locale: string | null;
  /** Detected language (ISO 639-1, or 'und'); texts are clustered per language. Missing: 'und'. */
  language?: string | null;
  createdAt: Date;
}

/** A labelled example: background for naming, and what a cluster is compared with to propose a merge. */
export interface ThemeLabeledText {
  text: string;
  categoryId: number;
  /** Detected language; a cluster is compared with the labelled examples of its own language. Missing: 'und'. */
  language?: string | null;
}

/** A recent item the model placed confidently in a category (or a person labelled): material for split proposals. */
export interface ThemeCategoryItem extends ThemeText {
  categoryId: number;
}

export interface DiscoverThemesInput {
  texts: readonly ThemeText[];
  labeled?: readonly ThemeLabeledText[];
  categoryItems?: readonly ThemeCategoryItem[];
  /** The end of the window (trend: the last 7 days against the weeks before). */
  now?: Date;
  /** The window's length in days, for the weekly rate before the last week. */
  windowDays?: number;
}

export interface DiscoverThemesOptions {
  seed: number;
  /** A fixed number of clusters; otherwise chosen by silhouette between kMin and kMax. */
  k?: number;
  kMin?: number;
  kMax?: number;
  /** LSA dimensions. */
  dimensions?: number;
  restarts?: number;
  /** Clusters with fewer members are noise. */
  minClusterSize?: number;
  /** Clusters whose members' mean cosine to the centroid is lower are noise (incoherent). */
  minCoherence?: number;
  /** Members less similar than this to their centroid are noise, not in the proposal. */
  minItemSimilarity?: number;
  /** Members less similar than this share of their cluster's median similarity are strays (noise). */
  strayShare?: number;
  /** Cosine between a cluster's centroid and a category's labelled centroid from which it is proposed as a merge. */
  mergeSimilarity?: number;
  /** Categories with at least this many recent items are checked for a split. */
  splitMinItems?: number;
  /**
   * Silhouette a category's recent items must reach in 2–3 groups to be proposed as a split: above 0.25, which
   * Kaufman & Rousseeuw read as "no substantial structure".
   */
  splitSilhouette?: number;
  /** How many distinctive words name a proposal. */
  terms?: number;
  examples?: number;
}

export const DEFAULT_THEME_OPTIONS: Required<Omit<DiscoverThemesOptions, 'k'>> = {
  seed: 13,
  kMin: 2,
  kMax: 40,
  dimensions: 100,
  restarts: 4,
  minClusterSize: 5,
  minCoherence: 0.35,
  minItemSimilarity: 0.2,
  strayShare: 0.65,
  mergeSimilarity: 0.8,
  splitMinItems: 40,
  splitSilhouette: 0.25,
  terms: 5,
  examples: 5,
};

export interface ThemeExample {
  id: number;
  text: string;
  locale: string | null;
  similarity: number;
}

export interface ThemeProposal {
  /** The language its texts are in (ISO 639-1, or 'und'). */
  language: string;
  /** new: a category the taxonomy lacks; merge: more of an existing category; split: part of a busy category. */
  kind: 'new' | 'merge' | 'split';
  /** The category to add to (merge) or the one split. */
  categoryId: number | null;
  /** Cosine of the cluster's centroid to that category's labelled centroid (merge), or the split's silhouette. */
  similarity: number | null;
  /** The most distinctive words, best first. */
  terms: string[];
  itemIds: number[];
  /** Share of the clustered texts (for split parts: of the category's recent items). */
  share: number;
  /** Mean cosine of the members to the centroid (LSA space): how tight the theme is. */
  coherence: number;
  examples: ThemeExample[];
  trend: { lastWeek: number; weeklyBefore: number };
}

export interface DiscoverThemesResult {
  texts: number;
  /** Clusters over every language clustered. */
  k: number;
  /** Each language: its texts, whether it was clustered, the k chosen and the silhouette of each k tried. */
  languages: LanguageRun[];
  proposals: ThemeProposal[];
  /** Texts of clustered languages in no proposal: in small or loose clusters, or far from their centroid. */
  noise: number;
  /** Texts of languages with too few texts to cluster (fewer than twice the minimum cluster size). */
  tooFew: number;
}

export interface LanguageRun {
  language: string;
  texts: number;
  clustered: boolean;
  k: number;
  silhouettes: { k: number; score: number }[];
}

/** Reports progress: the share of the texts done, and the language being clustered. */
export type ThemeProgress = (fraction: number, language: string) => void;

/** Word unigrams plus character 3–5-grams: words carry topic, character n-grams carry inflection and unspaced scripts. */
const CLUSTER_FEATURES: FeatureConfig = {
  wordNgramMax: 1,
  charNgramMin: 3,
  charNgramMax: 5,
  minDf: 2,
  charWeight: 1,
  sublinearTf: true,
};

/** Feature cap: the LSA's dense matrices are features × ~110 floats, so rare n-grams go first. */
const MAX_FEATURES = 40_000;
/** Rows used to choose k; the chosen k is then fitted on every row. */
const SELECTION_SAMPLE = 1_200;
const WEEK_MS = 7 * 24 * 3_600_000;

/** TF-IDF rows for texts: minimum document frequency 2, raised until at most MAX_FEATURES features remain. */
export function vectorizeForClustering(
  texts: readonly string[],
  config: FeatureConfig = CLUSTER_FEATURES,
): { rows: SparseVector[]; features: number } {
  const keys = texts.map((text) => extractFeatureKeys(text, config));
  const df = new Map<number, number>();
  for (const list of keys) for (const key of new Set(list)) df.set(key, (df.get(key) ?? 0) + 1);
  const counts = [...df.values()].sort((a, b) => b - a);
  const minDf = Math.max(config.minDf, counts.length > MAX_FEATURES ? counts[MAX_FEATURES]! + 1 : 0);
  const space = fitFeatureSpace(keys, { ...config, minDf });
  return { rows: keys.map((k) => vectorizeKeys(space, k)), features: space.idf.length };
}

/**
 * LSA dimensions for n texts: about 2·√n, at most `cap`. With nearly as many dimensions as texts LSA reduces
 * nothing and every text is its own direction; with too few, distinct themes share one.
 */
export function lsaDimensions(n: number, cap: number): number {
  return Math.max(2, Math.min(cap, Math.round(2 * Math.sqrt(n))));
}

function candidateKs(kMin: number, kMax: number): number[] {
  const ks: number[] = [];
  for (let k = kMin; k <= kMax; k = k < 8 ? k + 1 : k < 24 ? k + 2 : k < 48 ? k + 4 : k + 8) ks.push(k);
  return ks;
}

function subsetRows(x: DenseRows, indices: readonly number[]): DenseRows {
  const data = new Float64Array(indices.length * x.cols);
  indices.forEach((row, i) => {
    data.set(x.data.subarray(row * x.cols, (row + 1) * x.cols), i * x.cols);
  });
  return { rows: indices.length, cols: x.cols, data };
}

/** Every `step`-th row, so the sample spreads over the input order (newest first) without a random draw. */
function spreadSample(n: number, size: number): number[] {
  if (n <= size) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: size }, (_, i) => Math.floor((i * n) / size));
}

/**
 * Chooses k by the silhouette over a grid of candidates (on a sample of rows, so its n² similarities stay small),
 * then clusters every row at that k.
 */
export function clusterRows(
  x: DenseRows,
  options: { seed: number; k?: number; kMin: number; kMax: number; restarts: number; minClusterSize: number },
): { clustering: Clustering; silhouettes: { k: number; score: number }[] } {
  if (options.k !== undefined) {
    return {
      clustering: sphericalKMeans(x, options.k, { seed: options.seed, restarts: options.restarts }),
      silhouettes: [],
    };
  }
  // A cluster below the minimum size cannot become a proposal, so k stops where the average cluster would be twice
  // that size, and rows of smaller clusters score 0 (as singletons do) rather than rewarding fragments.
  const kMax = Math.max(options.kMin, Math.min(options.kMax, Math.floor(x.rows / (2 * options.minClusterSize))));
  const sample = subsetRows(x, spreadSample(x.rows, SELECTION_SAMPLE));
  const similarity = pairwiseSimilarity(sample);
  const silhouettes: { k: number; score: number }[] = [];
  let bestK = options.kMin;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const k of candidateKs(options.kMin, kMax)) {
    const trial = sphericalKMeans(sample, k, { seed: options.seed + k, restarts: 2, maxIterations: 25 });
    const score = silhouette(similarity, trial.assignments, trial.k, options.minClusterSize);
    silhouettes.push({ k, score });
    if (score > bestScore) {
      bestScore = score;
      bestK = k;
    }
  }
  return { clustering: sphericalKMeans(x, bestK, { seed: options.seed, restarts: options.restarts }), silhouettes };
}

/**
 * Clusters texts (every text gets a cluster; no noise removal): the first half of discoverThemes, which benchmarks
 * score against known classes.
 */
export function clusterTexts(
  texts: readonly string[],
  options: {
    seed: number;
    k?: number;
    kMin?: number;
    kMax?: number;
    restarts?: number;
    dimensions?: number;
    minClusterSize?: number;
  },
): { k: number; assignments: Int32Array; silhouettes: { k: number; score: number }[] } {
  const o = { ...DEFAULT_THEME_OPTIONS, ...options };
  const { rows, features } = vectorizeForClustering(texts);
  const x = reduceDimensions(rows, features, { dimensions: lsaDimensions(texts.length, o.dimensions), seed: o.seed });
  const { clustering, silhouettes } = clusterRows(x, {
    seed: o.seed,
    ...(options.k !== undefined ? { k: options.k } : {}),
    kMin: o.kMin,
    kMax: o.kMax,
    restarts: o.restarts,
    minClusterSize: o.minClusterSize,
  });
  return { k: clustering.k, assignments: clustering.assignments, silhouettes };
}

/**
 * The words a text contributes to naming: lower-cased, folded, no numbers, no single Latin/Cyrillic letters, and no
 * stop words of its language ("is", "لا"): class-based TF-IDF discounts words common to every cluster, but a function
 * word can still be more frequent in one cluster than elsewhere, and it says nothing about the theme.
 */
function wordsOf(text: string, stopWords: ReadonlySet<string>): Set<string> {
  const words = new Set<string>();
  for (const word of segmentWords(normalizeText(text))) {
    if (stopWords.has(word)) continue;
    if (/^[\p{N}\p{P}]+$/u.test(word)) continue;
    if ([...word].length < 2 && /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u.test(word)) continue;
    words.add(word);
  }
  return words;
}

/**
 * Class-based TF-IDF (as in BERTopic): a word's weight in a class is the share of the class's texts containing it
 * times log(1 + average class size / the word's count over every class). Words frequent everywhere (articles,
 * "the app") score low without a stop-word list, in any language.
 */
function distinctiveTerms(classes: readonly (readonly Set<string>[])[], wanted: readonly number[], terms: number) {
  const total = new Map<string, number>();
  const perClass = classes.map((docs) => {
    const counts = new Map<string, number>();
    for (const doc of docs) for (const w of doc) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [w, c] of counts) total.set(w, (total.get(w) ?? 0) + c);
    return counts;
  });
  const average = classes.reduce((sum, docs) => sum + docs.length, 0) / Math.max(1, classes.length);
  return wanted.map((c) => {
    const size = classes[c]!.length;
    const minCount = Math.max(2, Math.ceil(size * 0.05)); // a word one text repeats does not name a theme
    const scored: { word: string; weight: number }[] = [];
    for (const [word, count] of perClass[c]!) {
      if (count < minCount) continue;
      scored.push({ word, weight: (count / size) * Math.log(1 + average / total.get(word)!) });
    }
    scored.sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : 1));
    return scored.slice(0, terms).map((s) => s.word);
  });
}

interface Group {
  kind: ThemeProposal['kind'];
  categoryId: number | null;
  similarity: number | null;
  /** Row indices (into the embedded rows) of the members, most similar first. */
  rows: number[];
  similarities: number[];
  coherence: number;
  denominator: number;
}

/**
 * Members less than `share` of the cluster's median similarity to the centroid are strays: k-means puts every text
 * somewhere, and a text forced into a cluster should not join its proposal. Relative to the median because how close
 * a typical member sits depends on the data (short texts, dimensions), not on a universal constant.
 */
function strayFloor(similarities: readonly number[], share: number): number {
  if (similarities.length === 0) return Number.POSITIVE_INFINITY;
  const sorted = similarities.slice().sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return share * median;
}

function centroidOf(x: DenseRows, rows: readonly number[]): Float64Array {
  const centroid = new Float64Array(x.cols);
  for (const row of rows) for (let c = 0; c < x.cols; c++) centroid[c]! += x.data[row * x.cols + c]!;
  let norm = 0;
  for (const v of centroid) norm += v * v;
  if (norm > 0) for (let c = 0; c < x.cols; c++) centroid[c]! /= Math.sqrt(norm);
  return centroid;
}

function cosine(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

const languageKey = (language: string | null | undefined): string => language || UNDETERMINED;

function groupByLanguage<T extends { language?: string | null }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = languageKey(item.language);
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  return groups;
}

const stopWordCache = new Map<string, ReadonlySet<string>>();
function stopWordsOf(language: string): ReadonlySet<string> {
  let words = stopWordCache.get(language);
  if (!words) {
    words = stopWordsFor(language, normalizeText, 'naming');
    stopWordCache.set(language, words);
  }
  return words;
}

/**
 * Finds themes in the texts, one detected language at a time; see the module comment. Deterministic for a seed.
 * `onProgress` hears after each language.
 */
export function discoverThemes(
  input: DiscoverThemesInput,
  options: DiscoverThemesOptions,
  onProgress?: ThemeProgress,
): DiscoverThemesResult {
  const o = { ...DEFAULT_THEME_OPTIONS, ...options };
  const texts = groupByLanguage(input.texts);
  const labeled = groupByLanguage(input.labeled ?? []);
  const categoryItems = groupByLanguage(input.categoryItems ?? []);
  // Most texts first (the order proposals of equal volume keep); a language with only categorised items can still
  // hold a split.
  const languages = [...new Set([...texts.keys(), ...categoryItems.keys()])].sort(
    (a, b) => (texts.get(b)?.length ?? 0) - (texts.get(a)?.length ?? 0) || (a < b ? -1 : 1),
  );
  const total = Math.max(1, input.texts.length + (input.categoryItems?.length ?? 0));
  let done = 0;
  const result: DiscoverThemesResult = {
    texts: input.texts.length,
    k: 0,
    languages: [],
    proposals: [],
    noise: 0,
    tooFew: 0,
  };
  for (const language of languages) {
    const own = texts.get(language) ?? [];
    const clustered = own.length >= o.minClusterSize * 2;
    const part = themesInLanguage(
      language,
      clustered ? own : [],
      labeled.get(language) ?? [],
      categoryItems.get(language) ?? [],
      o,
      input,
    );
    if (!clustered) result.tooFew += own.length;
    result.k += part.k;
    result.noise += part.noise;
    result.proposals.push(...part.proposals);
    result.languages.push({ language, texts: own.length, clustered, k: part.k, silhouettes: part.silhouettes });
    done += own.length + (categoryItems.get(language)?.length ?? 0);
    onProgress?.(done / total, language);
  }
  result.proposals.sort((a, b) => b.itemIds.length - a.itemIds.length);
  return result;
}

/** Clusters, names and proposes the themes of one language's texts (and splits of its categorised items). */
function themesInLanguage(
  language: string,
  texts: readonly ThemeText[],
  labeled: readonly ThemeLabeledText[],
  categoryItems: readonly ThemeCategoryItem[],
  o: typeof DEFAULT_THEME_OPTIONS & { k?: number },
  input: DiscoverThemesInput,
): { k: number; silhouettes: { k: number; score: number }[]; proposals: ThemeProposal[]; noise: number } {
  const n = texts.length;
  if (n === 0 && categoryItems.length < o.splitMinItems) return { k: 0, silhouettes: [], proposals: [], noise: 0 };
  const all = [...texts.map((t) => t.text), ...labeled.map((l) => l.text), ...categoryItems.map((c) => c.text)];
  const { rows, features } = vectorizeForClustering(all);
  const embedded = reduceDimensions(rows, features, {
    dimensions: lsaDimensions(all.length, o.dimensions),
    seed: o.seed,
  });

  // Category centroids of the labelled examples in this language, in the same space, for merge proposals.
  const labeledRows = new Map<number, number[]>();
  labeled.forEach((l, i) => {
    const list = labeledRows.get(l.categoryId) ?? [];
    list.push(n + i);
    labeledRows.set(l.categoryId, list);
  });
  const categoryCentroids = [...labeledRows].map(([id, list]) => ({ id, centroid: centroidOf(embedded, list) }));

  const groups: Group[] = [];
  let k = 0;
  let silhouettes: { k: number; score: number }[] = [];
  if (n > 0) {
    const x = subsetRows(
      embedded,
      texts.map((_, i) => i),
    );
    const clustered = clusterRows(x, {
      seed: o.seed,
      ...(o.k !== undefined ? { k: o.k } : {}),
      kMin: o.kMin,
      kMax: o.kMax,
      restarts: o.restarts,
      minClusterSize: o.minClusterSize,
    });
    const { clustering } = clustered;
    k = clustering.k;
    silhouettes = clustered.silhouettes;
    for (let c = 0; c < clustering.k; c++) {
      const assigned: { row: number; similarity: number }[] = [];
      for (let i = 0; i < n; i++) {
        if (clustering.assignments[i] === c) assigned.push({ row: i, similarity: clustering.similarity[i]! });
      }
      const floor = Math.max(
        o.minItemSimilarity,
        strayFloor(
          assigned.map((m) => m.similarity),
          o.strayShare,
        ),
      );
      const members = assigned.filter((m) => m.similarity >= floor);
      const coherence = members.reduce((sum, m) => sum + m.similarity, 0) / members.length;
      if (members.length < o.minClusterSize) continue;
      if (coherence < o.minCoherence) continue;
      members.sort((a, b) => b.similarity - a.similarity || a.row - b.row);
      const centroid = centroidOf(
        embedded,
        members.map((m) => m.row),
      );
      let match: { id: number; similarity: number } | null = null;
      for (const category of categoryCentroids) {
        const similarity = cosine(centroid, category.centroid);
        if (similarity >= o.mergeSimilarity && (!match || similarity > match.similarity)) {
          match = { id: category.id, similarity };
        }
      }
      groups.push({
        kind: match ? 'merge' : 'new',
        categoryId: match?.id ?? null,
        similarity: match?.similarity ?? null,
        rows: members.map((m) => m.row),
        similarities: members.map((m) => m.similarity),
        coherence,
        denominator: n,
      });
    }
  }

  groups.push(...findSplits(embedded, categoryItems, n + labeled.length, o));

  // Naming: every group against the language's other groups and its labelled categories.
  const stopWords = stopWordsOf(language);
  const words = all.map((text) => wordsOf(text, stopWords));
  const classes: Set<string>[][] = groups.map((g) => g.rows.map((r) => words[r]!));
  for (const list of labeledRows.values()) classes.push(list.map((r) => words[r]!));
  const names = distinctiveTerms(
    classes,
    groups.map((_, i) => i),
    o.terms,
  );

  const now = (input.now ?? new Date()).getTime();
  const weeksBefore = Math.max(1, ((input.windowDays ?? 90) - 7) / 7);
  const itemOf = (row: number): ThemeText => (row < n ? texts[row]! : categoryItems[row - n - labeled.length]!);
  const proposals = groups.map((g, i): ThemeProposal => {
    const items = g.rows.map(itemOf);
    const lastWeek = items.filter((t) => t.createdAt.getTime() >= now - WEEK_MS).length;
    return {
      language,
      kind: g.kind,
      categoryId: g.categoryId,
      similarity: g.similarity,
      terms: names[i]!,
      itemIds: items.map((t) => t.id),
      share: g.rows.length / g.denominator,
      coherence: g.coherence,
      examples: g.rows.slice(0, o.examples).map((row, j) => {
        const t = itemOf(row);
        return { id: t.id, text: t.text, locale: t.locale, similarity: g.similarities[j]! };
      }),
      trend: { lastWeek, weeklyBefore: (items.length - lastWeek) / weeksBefore },
    };
  });
  const inProposals = groups.filter((g) => g.kind !== 'split').reduce((sum, g) => sum + g.rows.length, 0);
  return { k, silhouettes, proposals, noise: n - inProposals };
}

/**
 * A busy category whose recent items (of one language) fall into 2–3 clearly separated groups (silhouette at least
 * splitSilhouette, every part at least a sixth of the items) is proposed as a split, one proposal per part.
 */
function findSplits(
  embedded: DenseRows,
  items: readonly ThemeCategoryItem[],
  offset: number,
  o: typeof DEFAULT_THEME_OPTIONS,
): Group[] {
  const byCategory = new Map<number, number[]>();
  items.forEach((item, i) => {
    const list = byCategory.get(item.categoryId) ?? [];
    list.push(offset + i);
    byCategory.set(item.categoryId, list);
  });
  const groups: Group[] = [];
  for (const [categoryId, rowsOf] of byCategory) {
    if (rowsOf.length < o.splitMinItems) continue;
    const x = subsetRows(embedded, rowsOf);
    const similarity = pairwiseSimilarity(x);
    let best: { clustering: Clustering; score: number } | null = null;
    for (const k of [2, 3]) {
      const clustering = sphericalKMeans(x, k, { seed: o.seed + categoryId, restarts: 3 });
      const sizes = new Array<number>(k).fill(0);
      for (const a of clustering.assignments) sizes[a]!++;
      if (Math.min(...sizes) < Math.max(o.minClusterSize, rowsOf.length / 6)) continue;
      // The silhouette over every pair, not over centroids: on a homogeneous category (texts drawn from one
      // vocabulary) centroid silhouettes reach 0.4 because members always sit nearer their own mean, while the
      // pairwise one stays near 0.2 (discover-themes.test.ts).
      const score = silhouette(similarity, clustering.assignments, k, o.minClusterSize);
      if (!best || score > best.score) best = { clustering, score };
    }
    if (!best || best.score < o.splitSilhouette) continue;
    for (let c = 0; c < best.clustering.k; c++) {
      const members = rowsOf
        .map((row, i) => ({ row, similarity: best.clustering.similarity[i]!, cluster: best.clustering.assignments[i] }))
        .filter((m) => m.cluster === c)
        .sort((a, b) => b.similarity - a.similarity || a.row - b.row);
      groups.push({
        kind: 'split',
        categoryId,
        similarity: best.score,
        rows: members.map((m) => m.row),
        similarities: members.map((m) => m.similarity),
        coherence: members.reduce((sum, m) => sum + m.similarity, 0) / members.length,
        denominator: rowsOf.length,
      });
    }
  }
  return groups;
}

/**
 * Clusters texts per language as discoverThemes does (every text of a clustered language gets a cluster; no noise
 * removal), for benchmarks that score clusters against known classes. `kOf` fixes k per language (else chosen
 * automatically). The pooled assignment is the union of the languages' clusterings; the texts of each language too
 * small to cluster share one cluster.
 */
export function clusterTextsByLanguage(
  texts: readonly string[],
  languages: readonly string[],
  options: {
    seed: number;
    kOf?: ReadonlyMap<string, number>;
    kMax?: number;
    restarts?: number;
    minClusterSize?: number;
  },
): {
  k: number;
  assignments: Int32Array;
  tooFew: number;
  perLanguage: { language: string; indices: number[]; k: number; clustered: boolean; assignments: Int32Array }[];
} {
  const minClusterSize = options.minClusterSize ?? DEFAULT_THEME_OPTIONS.minClusterSize;
  const indicesOf = new Map<string, number[]>();
  languages.forEach((language, i) => {
    const key = languageKey(language);
    const list = indicesOf.get(key) ?? [];
    list.push(i);
    indicesOf.set(key, list);
  });
  const assignments = new Int32Array(texts.length);
  const perLanguage: {
    language: string;
    indices: number[];
    k: number;
    clustered: boolean;
    assignments: Int32Array;
  }[] = [];
  let next = 0;
  let tooFew = 0;
  for (const [language, indices] of [...indicesOf].sort(
    (a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1),
  )) {
    let local: { k: number; assignments: Int32Array };
    const clustered = indices.length >= minClusterSize * 2;
    if (clustered) {
      const k = options.kOf?.get(language);
      local = clusterTexts(
        indices.map((i) => texts[i]!),
        {
          seed: options.seed,
          minClusterSize,
          ...(k !== undefined ? { k: Math.min(k, indices.length) } : {}),
          ...(options.kMax !== undefined ? { kMax: options.kMax } : {}),
          ...(options.restarts !== undefined ? { restarts: options.restarts } : {}),
        },
      );
    } else {
      local = { k: 1, assignments: new Int32Array(indices.length) };
      tooFew += indices.length;
    }
    indices.forEach((i, j) => {
      assignments[i] = next + local.assignments[j]!;
    });
    next += local.k;
    perLanguage.push({ language, indices, k: local.k, clustered, assignments: local.assignments });
  }
  return { k: next, assignments, tooFew, perLanguage };
}
