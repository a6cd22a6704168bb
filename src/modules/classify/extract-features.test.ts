import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURE_CONFIG,
  extractFeatureKeys,
  extractFeatures,
  type FeatureConfig,
  vectorizeKeys,
} from './extract-features.js';
import { fitFeatureSpace } from './fit-feature-space.js';
import { buildMultilingualExamples } from './multilingual-fixture.js';

const config: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, minDf: 1 };
const corpus = buildMultilingualExamples(2, 3).map((example) => example.text);
const space = fitFeatureSpace(
  corpus.map((text) => extractFeatureKeys(text, config)),
  config,
);

function norm(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

describe('extractFeatureKeys', () => {
  it("takes character n-grams across the whole text with charScope 'text', junctions of words included", () => {
    // "ab cd" as one string of 5 code points: 4 bigrams, 3 trigrams, 2 four-grams, 1 five-gram, plus 3 word keys.
    const across = { ...config, charNgramMin: 2, charNgramMax: 5, charScope: 'text' as const };
    expect(extractFeatureKeys('ab cd', across).length).toBe(3 + 4 + 3 + 2 + 1);
    // Inside words the order of the words does not change the character keys; across the text it does.
    const charKeys = (text: string, c: FeatureConfig) =>
      [...extractFeatureKeys(text, c)].filter((key) => key & 1).sort((x, y) => x - y);
    const inside = { ...config, charNgramMin: 2, charNgramMax: 5 };
    expect(charKeys('ab cd', inside)).toEqual(charKeys('cd ab', inside));
    expect(charKeys('ab cd', across)).not.toEqual(charKeys('cd ab', across));
  });

  it('counts word unigrams, bigrams and padded character n-grams', () => {
    // "ab cd": 2 words, 1 bigram; " ab " and " cd " (4 code points each) give 2 trigrams + 1 four-gram each.
    const keys = extractFeatureKeys('ab cd', { ...config, charNgramMin: 3, charNgramMax: 5 });
    expect(keys.length).toBe(2 + 1 + 2 * 3);
    const wordOnly = extractFeatureKeys('ab cd', { ...config, charNgramMin: 0 });
    expect(wordOnly.length).toBe(3);
    expect(Array.from(wordOnly).every((key) => (key & 1) === 0)).toBe(true); // word block bit
    const unigrams = extractFeatureKeys('ab cd', { ...config, charNgramMin: 0, wordNgramMax: 1 });
    expect(unigrams.length).toBe(2);
  });

  it('maps spellings that differ only in case, diacritics, tashkeel or ё to the same features', () => {
    const same = (a: string, b: string) =>
      expect(Array.from(extractFeatureKeys(a, config))).toEqual(Array.from(extractFeatureKeys(b, config)));
    same('Café Crème', 'cafe creme');
    same('أَحْمَد', 'احمد');
    same('ЁЛКА', 'елка');
    same('שָׁלוֹם', 'שלום');
  });

  it('handles characters outside the Basic Multilingual Plane as single code points', () => {
    const keys = extractFeatureKeys('𠮷野家', { ...config, wordNgramMax: 1, charNgramMin: 3, charNgramMax: 3 });
    expect(keys.length).toBeGreaterThan(0);
    expect(extractFeatureKeys('𠮷野家', config)).toEqual(extractFeatureKeys('𠮷野家', config));
  });
});

describe('vectorizeKeys', () => {
  it('gives L2-normalised vectors with distinct indices for any text (or an empty vector)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...corpus), fc.string({ unit: 'grapheme' })), (text) => {
        const vector = extractFeatures(space, text);
        expect(new Set(vector.indices).size).toBe(vector.indices.length);
        if (vector.indices.length > 0) expect(norm(vector.values)).toBeCloseTo(1, 5);
        else expect(vector.values.length).toBe(0);
      }),
    );
  });

  it('weights words and characters as blocks: charWeight 0 leaves only word features', () => {
    const wordsOnly = { ...space, config: { ...space.config, charWeight: 0 } };
    const vector = vectorizeKeys(wordsOnly, extractFeatureKeys(corpus[0]!, config));
    for (let i = 0; i < vector.indices.length; i++) {
      const isChar = (space.vocabulary.keys[vector.indices[i]!]! & 1) === 1;
      if (isChar) expect(vector.values[i]).toBe(0);
    }
    expect(norm(vector.values)).toBeCloseTo(1, 5);
  });

  it('gives rarer features more weight (IDF) and ignores unknown words', () => {
    const small = fitFeatureSpace(
      ['common rare', 'common', 'common'].map((text) => extractFeatureKeys(text, { ...config, charNgramMin: 0 })),
      { ...config, charNgramMin: 0, wordNgramMax: 1 },
    );
    const vector = extractFeatures(small, 'common rare unknown');
    expect(vector.indices.length).toBe(2);
    const byKey = new Map<number, number>();
    vector.indices.forEach((id, i) => {
      byKey.set(small.vocabulary.keys[id]!, vector.values[i]!);
    });
    const [common, rare] = Array.from(extractFeatureKeys('common rare', small.config));
    expect(byKey.get(rare!)!).toBeGreaterThan(byKey.get(common!)!);
  });
});

describe('fitFeatureSpace', () => {
  it('drops features below minDf and does not depend on the order of texts', () => {
    const texts = ['alpha beta', 'alpha gamma', 'delta'];
    const keys = texts.map((text) => extractFeatureKeys(text, { ...config, charNgramMin: 0, wordNgramMax: 1 }));
    const strict = fitFeatureSpace(keys, { ...config, charNgramMin: 0, wordNgramMax: 1, minDf: 2 });
    expect(strict.idf.length).toBe(1); // only "alpha" is in two texts
    const a = fitFeatureSpace(keys, config);
    const b = fitFeatureSpace([...keys].reverse(), config);
    expect(Array.from(a.vocabulary.keys)).toEqual(Array.from(b.vocabulary.keys));
    expect(Array.from(a.idf)).toEqual(Array.from(b.idf));
  });
});
