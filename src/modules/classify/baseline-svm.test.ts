import { describe, expect, it } from 'vitest';
import {
  baselineCharTerms,
  baselineVector,
  baselineWordTerms,
  predictBaseline,
  trainBaselineSvm,
} from './baseline-svm.js';

describe('baseline TF-IDF as scikit-learn computes it', () => {
  it('drops one-character tokens and adds space-joined bigrams (token_pattern \\b\\w\\w+\\b)', () => {
    expect(baselineWordTerms('A cat, SAT! é_1 x')).toEqual(['cat', 'sat', 'é_1', 'cat sat', 'sat é_1']);
  });

  it('takes 2- to 5-grams of the whole lowercased text, collapsing only runs of whitespace', () => {
    expect(baselineCharTerms('Ab  c')).toEqual(['ab', 'b ', ' c', 'ab ', 'b c', 'ab c']);
    expect(baselineCharTerms('a\nb')).toEqual(['a\n', '\nb', 'a\nb']);
  });

  it('gives the hand-computed row: raw tf × smooth idf, each block L2-normalised', () => {
    const model = trainBaselineSvm(
      [
        { text: 'a cat sat', labels: ['x'] },
        { text: 'the cat', labels: ['y'] },
      ],
      1,
    );
    const vector = baselineVector(model, 'a cat sat');
    const rare = Math.log(3 / 2) + 1; // df 1 of n = 2: ln((1 + 2) / (1 + 1)) + 1; "cat" (df 2) has idf 1
    const norm = Math.sqrt(1 + 2 * rare * rare);
    const words = new Map<string, number>();
    vector.indices.forEach((id, i) => {
      for (const [term, wordId] of model.words) if (wordId === id) words.set(term, vector.values[i]!);
    });
    expect(words.get('cat')).toBeCloseTo(1 / norm, 6);
    expect(words.get('sat')).toBeCloseTo(rare / norm, 6);
    expect(words.get('cat sat')).toBeCloseTo(rare / norm, 6);
    expect(words.size).toBe(3);
    let charNorm = 0;
    vector.indices.forEach((id, i) => {
      if (id >= model.words.size) charNorm += vector.values[i]! ** 2;
    });
    expect(charNorm).toBeCloseTo(1, 6);
  });

  it('separates a separable problem and generalises by word and by character', () => {
    const train = [
      ['I want a refund', 'refund'],
      ['refund my money please', 'refund'],
      ['money back now', 'refund'],
      ['forgot my password', 'password'],
      ['reset the password', 'password'],
      ['cannot log in', 'password'],
      ['where is my parcel', 'delivery'],
      ['parcel not delivered', 'delivery'],
      ['delivery is late', 'delivery'],
    ].map(([text, label]) => ({ text: text!, labels: [label!] }));
    const model = trainBaselineSvm(train, 3);
    for (const example of train) expect(predictBaseline(model, example.text)).toBe(example.labels[0]);
    expect(predictBaseline(model, 'a refund?')).toBe('refund');
    expect(predictBaseline(model, 'passwords')).toBe('password');
    expect(predictBaseline(model, 'parcels')).toBe('delivery');
  });
});
