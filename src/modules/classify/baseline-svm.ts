/**
 * The reference baseline of bench/classify.ts, in TypeScript because there is no Python here. It is meant to equal
 *
 *   make_pipeline(
 *     FeatureUnion([('word', TfidfVectorizer(analyzer='word', ngram_range=(1, 2))),
 *                   ('char', TfidfVectorizer(analyzer='char', ngram_range=(2, 5)))]),
 *     LinearSVC(C=1))
 *
 * with scikit-learn's defaults, which map as follows:
 * - preprocessing: lowercase=True, strip_accents=None (str.lower ≈ String.prototype.toLowerCase);
 * - word analyzer: token_pattern (?u)\b\w\w+\b, i.e. maximal runs of ≥ 2 word characters ([\p{L}\p{N}_], Python's
 *   Unicode \w), then unigrams and space-joined bigrams of consecutive tokens;
 * - char analyzer: runs of two or more whitespace characters become one space (`\s\s+` → ' '; a lone newline stays),
 *   then every substring of 2 to 5 code points of the whole text, across word boundaries;
 * - TfidfVectorizer: raw counts (sublinear_tf=False), min_df=1, smooth idf = ln((1 + n) / (1 + df)) + 1, each row
 *   L2-normalised (norm='l2') per vectorizer, then the two blocks concatenated (so a full row has norm √2);
 * - LinearSVC(C=1): one-vs-rest, squared hinge, L2 penalty, dual coordinate descent (liblinear solver 1, see
 *   train-svm.ts), fit_intercept with intercept_scaling=1 (a regularised constant feature 1), tol=1e-4,
 *   max_iter=1000, no class weights; the prediction is the class of the highest decision value.
 * liblinear's shuffles come from its own generator, so weights agree with scikit-learn's to the solver tolerance,
 * not bit for bit.
 */
import type { LabeledExample } from './classify.schema.js';
import type { SparseVector } from './extract-features.js';
import { argMax } from './roll-up-parents.js';
import { computeScores, type LinearModel } from './train-linear-model.js';
import { trainSvm } from './train-svm.js';

const WORD_TOKEN = /[\p{L}\p{N}_]{2,}/gu;
const WHITESPACE_RUN = /\s\s+/gu;
const CHAR_MIN = 2;
const CHAR_MAX = 5;

/** A fitted baseline: the two vocabularies with their idf, and the SVM. */
export interface BaselineModel {
  labels: string[];
  words: Map<string, number>;
  chars: Map<string, number>;
  /** idf of every feature: word features first, then character features. */
  idf: Float64Array;
  linear: LinearModel;
}

/** The word analyzer's terms (unigrams, then bigrams) of a text, with repeats. */
export function baselineWordTerms(text: string): string[] {
  const tokens = text.toLowerCase().match(WORD_TOKEN) ?? [];
  const terms = tokens.slice();
  for (let i = 0; i + 1 < tokens.length; i++) terms.push(`${tokens[i]} ${tokens[i + 1]}`);
  return terms;
}

/** The char analyzer's terms (2- to 5-grams of code points) of a text, with repeats. */
export function baselineCharTerms(text: string): string[] {
  const points = Array.from(text.toLowerCase().replace(WHITESPACE_RUN, ' '));
  const terms: string[] = [];
  for (let n = CHAR_MIN; n <= Math.min(CHAR_MAX, points.length); n++) {
    for (let i = 0; i + n <= points.length; i++) terms.push(points.slice(i, i + n).join(''));
  }
  return terms;
}

function countTerms(
  terms: readonly string[],
  vocabulary: Map<string, number>,
  offset: number,
  into: Map<number, number>,
) {
  for (const term of terms) {
    const id = vocabulary.get(term);
    if (id !== undefined) into.set(id + offset, (into.get(id + offset) ?? 0) + 1);
  }
}

/** The baseline's TF-IDF row of a text: each block L2-normalised, then concatenated. */
export function baselineVector(model: Pick<BaselineModel, 'words' | 'chars' | 'idf'>, text: string): SparseVector {
  const counts = new Map<number, number>();
  countTerms(baselineWordTerms(text), model.words, 0, counts);
  const wordCount = counts.size;
  countTerms(baselineCharTerms(text), model.chars, model.words.size, counts);
  const ids = [...counts.keys()];
  const values = ids.map((id) => counts.get(id)! * model.idf[id]!);
  for (const [from, to] of [
    [0, wordCount],
    [wordCount, ids.length],
  ] as const) {
    let norm = 0;
    for (let i = from; i < to; i++) norm += values[i]! ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = from; i < to; i++) values[i] = values[i]! * scale;
  }
  return { indices: Int32Array.from(ids), values: Float32Array.from(values) };
}

function buildVocabulary(termsPerText: readonly string[][]): { vocabulary: Map<string, number>; df: number[] } {
  const vocabulary = new Map<string, number>();
  const df: number[] = [];
  for (const terms of termsPerText) {
    for (const term of new Set(terms)) {
      const id = vocabulary.get(term);
      if (id === undefined) {
        vocabulary.set(term, df.length);
        df.push(1);
      } else {
        df[id] = df[id]! + 1;
      }
    }
  }
  return { vocabulary, df };
}

/** Fits the baseline on labeled examples (the first label of each; the baseline is single-label). */
export function trainBaselineSvm(examples: readonly LabeledExample[], seed = 1): BaselineModel {
  const labels = [...new Set(examples.map((example) => example.labels[0]!))].sort();
  const classOf = new Map(labels.map((label, index) => [label, index]));
  const words = buildVocabulary(examples.map((example) => baselineWordTerms(example.text)));
  const chars = buildVocabulary(examples.map((example) => baselineCharTerms(example.text)));
  const n = examples.length;
  const idf = Float64Array.from([...words.df, ...chars.df], (df) => Math.log((1 + n) / (1 + df)) + 1);
  const space = { words: words.vocabulary, chars: chars.vocabulary, idf };
  const linear = trainSvm(
    {
      vectors: examples.map((example) => baselineVector(space, example.text)),
      targets: examples.map((example) => Int32Array.of(classOf.get(example.labels[0]!)!)),
      numFeatures: idf.length,
      numClasses: labels.length,
    },
    { c: 1, seed, biasFeature: 1, tol: 1e-4, maxIter: 1000 },
  );
  return { labels, ...space, linear };
}

/** Decision values of every class for one text. */
export function baselineScores(model: BaselineModel, text: string): Float64Array {
  const vector = baselineVector(model, text);
  const scores = new Float64Array(model.labels.length);
  computeScores(vector.indices, vector.values, model.linear.weights, model.linear.bias, model.labels.length, scores);
  return scores;
}

/** The baseline's label for a text. */
export function predictBaseline(model: BaselineModel, text: string): string {
  return model.labels[argMax(baselineScores(model, text))]!;
}
