/**
 * Text → sparse TF-IDF vector, in any language. Features are 32-bit hashes of word unigrams, word bigrams and
 * character n-grams taken inside padded words (scikit-learn's `char_wb`); no strings are kept, so models stay small
 * and the same code serves Latin, Cyrillic, Arabic, Hebrew and CJK text. The lowest bit of a key says which block
 * the feature belongs to (0 = words, 1 = characters) so each block can be normalised on its own.
 */
import { combineHashes, FNV_PRIME, hashCodePoints, mix32 } from './hash-code-points.js';
import { type HashedVocabulary, lookupFeature } from './hashed-vocabulary.js';
import { normalizeText } from './normalize-text.js';
import { segmentWords } from './segment-words.js';

/** How text becomes features; stored in the model so prediction extracts exactly what training saw. */
export interface FeatureConfig {
  /** Longest word n-gram: 1 = unigrams only, 2 = plus bigrams, 3 = plus trigrams. */
  wordNgramMax: number;
  /** Shortest character n-gram; 0 turns character n-grams off. */
  charNgramMin: number;
  charNgramMax: number;
  /** Features seen in fewer training texts than this are dropped. */
  minDf: number;
  /** Weight of the character block relative to the word block (each block is L2-normalised first). */
  charWeight: number;
  /** Use 1 + ln(tf) instead of raw counts. */
  sublinearTf: boolean;
  /**
   * Where character n-grams are taken: inside each word padded with spaces ('word', scikit-learn's char_wb; the
   * default, and what models stored before this option had), or across the whole text, words joined by one space
   * ('text', scikit-learn's char), which also sees the junction of two words.
   */
  charScope?: 'word' | 'text';
}

/** A fitted feature space: the vocabulary of hashed keys and their inverse document frequencies. */
export interface FeatureSpace {
  config: FeatureConfig;
  vocabulary: HashedVocabulary;
  idf: Float32Array;
}

/** A sparse vector; indices are distinct feature ids, in order of first occurrence in the text. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  wordNgramMax: 2,
  charNgramMin: 3,
  charNgramMax: 5,
  minDf: 2,
  charWeight: 1,
  sublinearTf: true,
};

const WORD_SEED = 0x2545f491;
const BIGRAM_SEED = 0x61c88647;
const TRIGRAM_SEED = 0x1b873593;
const CHAR_SEED = 0x5bd1e995;
const PAD = 0x20; // space: marks a word boundary inside character n-grams

let codePointBuffer = new Int32Array(64);
// The whole text's code points (words joined by one space), for charScope 'text'.
let textBuffer = new Int32Array(256);
// Keys are collected in a reused typed array: most 32-bit hashes are not small integers in V8, so a plain array
// would allocate a heap number per key.
let keyBuffer = new Int32Array(1024);
let keyCount = 0;

function pushKey(key: number): void {
  if (keyCount === keyBuffer.length) {
    const grown = new Int32Array(keyBuffer.length * 2);
    grown.set(keyBuffer);
    keyBuffer = grown;
  }
  keyBuffer[keyCount++] = key;
}

/** Returns the hashed feature keys of a text, one per occurrence (a key repeats as often as its n-gram). */
export function extractFeatureKeys(text: string, config: FeatureConfig): Int32Array {
  const words = segmentWords(normalizeText(text));
  keyCount = 0;
  let previous = 0;
  let previous2 = 0;
  const acrossText = config.charScope === 'text' && config.charNgramMin > 0;
  let textLength = 0;
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    if (word.length + 2 > codePointBuffer.length) codePointBuffer = new Int32Array(word.length * 2 + 2);
    let length = 1;
    codePointBuffer[0] = PAD;
    for (let i = 0; i < word.length; i++) {
      const point = word.codePointAt(i)!;
      if (point > 0xffff) i++; // the low surrogate belongs to this code point
      codePointBuffer[length++] = point;
    }
    codePointBuffer[length++] = PAD;
    const wordHash = hashCodePoints(codePointBuffer, WORD_SEED, 1, length - 1);
    pushKey(wordHash & ~1);
    if (config.wordNgramMax >= 2 && w > 0) pushKey(combineHashes(previous, wordHash, BIGRAM_SEED) & ~1);
    if (config.wordNgramMax >= 3 && w > 1) {
      pushKey(combineHashes(combineHashes(previous2, previous, BIGRAM_SEED), wordHash, TRIGRAM_SEED) & ~1);
    }
    previous2 = previous;
    previous = wordHash;
    if (acrossText) {
      // The word without its padding, after one space from the previous word.
      const needed = textLength + length;
      if (needed > textBuffer.length) {
        const grown = new Int32Array(needed * 2);
        grown.set(textBuffer.subarray(0, textLength));
        textBuffer = grown;
      }
      if (textLength > 0) textBuffer[textLength++] = PAD;
      for (let i = 1; i < length - 1; i++) textBuffer[textLength++] = codePointBuffer[i]!;
    } else if (config.charNgramMin > 0) {
      pushCharNgrams(codePointBuffer, length, config);
    }
  }
  if (acrossText) pushCharNgrams(textBuffer, textLength, config);
  return keyBuffer.slice(0, keyCount);
}

function pushCharNgrams(points: Int32Array, length: number, config: FeatureConfig): void {
  const min = config.charNgramMin;
  const max = config.charNgramMax;
  // At most (max − min + 1) n-grams start at each position; grow once up front so the loop writes without checks.
  const needed = keyCount + length * (max - min + 1);
  if (needed > keyBuffer.length) {
    const grown = new Int32Array(Math.max(needed, keyBuffer.length * 2));
    grown.set(keyBuffer.subarray(0, keyCount));
    keyBuffer = grown;
  }
  const out = keyBuffer;
  let count = keyCount;
  for (let start = 0; start + min <= length; start++) {
    let h = CHAR_SEED;
    const end = Math.min(start + max, length);
    for (let i = start; i < end; i++) {
      h = Math.imul(h ^ points[i]!, FNV_PRIME);
      if (i - start + 1 >= min) out[count++] = mix32(h) | 1;
    }
  }
  keyCount = count;
}

/**
 * Per-feature scratch for counting term frequencies without sorting: `stamp[id] === generation` means id was seen in
 * the current text and `slot[id]` is its position. Reused across calls (the process is single-threaded per isolate).
 */
let stamp = new Int32Array(0);
let slot = new Int32Array(0);
let generation = 0;

/** Turns the keys of one text into an L2-normalised TF-IDF vector; keys outside the vocabulary are ignored. */
export function vectorizeKeys(space: FeatureSpace, keys: Int32Array): SparseVector {
  const numFeatures = space.idf.length;
  if (stamp.length < numFeatures) {
    stamp = new Int32Array(numFeatures);
    slot = new Int32Array(numFeatures);
    generation = 0;
  }
  generation++;
  if (generation === 0x7fffffff) {
    stamp.fill(0);
    generation = 1;
  }
  const indices = new Int32Array(keys.length);
  const counts = new Float32Array(keys.length);
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    const id = lookupFeature(space.vocabulary, keys[i]!);
    if (id < 0) continue;
    if (stamp[id] === generation) {
      counts[slot[id]!]!++;
    } else {
      stamp[id] = generation;
      slot[id] = count;
      indices[count] = id;
      counts[count++] = 1;
    }
  }
  const values = counts;
  const vocabularyKeys = space.vocabulary.keys;
  const { sublinearTf, charWeight } = space.config;
  let wordNorm = 0;
  let charNorm = 0;
  for (let i = 0; i < count; i++) {
    const id = indices[i]!;
    const tf = counts[i]!;
    const weight = (sublinearTf ? (tf === 1 ? 1 : 1 + Math.log(tf)) : tf) * space.idf[id]!;
    values[i] = weight;
    if (vocabularyKeys[id]! & 1) charNorm += weight * weight;
    else wordNorm += weight * weight;
  }
  // Each block is normalised on its own and then weighted, so long words do not drown the word features.
  const wordScale = wordNorm > 0 ? 1 / Math.sqrt(wordNorm) : 0;
  const charScale = charNorm > 0 ? charWeight / Math.sqrt(charNorm) : 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i]! * (vocabularyKeys[indices[i]!]! & 1 ? charScale : wordScale);
    values[i] = v;
    total += v * v;
  }
  if (total > 0) {
    const scale = 1 / Math.sqrt(total);
    for (let i = 0; i < count; i++) values[i] = values[i]! * scale;
  }
  return { indices: indices.subarray(0, count), values: values.subarray(0, count) };
}

/** Turns a text into an L2-normalised TF-IDF vector in a fitted feature space (empty when nothing is known). */
export function extractFeatures(space: FeatureSpace, text: string): SparseVector {
  return vectorizeKeys(space, extractFeatureKeys(text, space.config));
}
