/** Fits the vocabulary (hashed keys seen in at least `minDf` texts) and smoothed IDF weights on training texts. */
import type { FeatureConfig, FeatureSpace } from './extract-features.js';
import { buildHashedVocabulary } from './hashed-vocabulary.js';

/** Builds a feature space from the feature keys of each training text. */
export function fitFeatureSpace(keysPerText: readonly Int32Array[], config: FeatureConfig): FeatureSpace {
  const documentFrequency = new Map<number, number>();
  for (const keys of keysPerText) {
    const distinct = keys.slice().sort();
    for (let i = 0; i < distinct.length; i++) {
      const key = distinct[i]!;
      if (i > 0 && distinct[i - 1] === key) continue;
      documentFrequency.set(key, (documentFrequency.get(key) ?? 0) + 1);
    }
  }
  const kept: number[] = [];
  for (const [key, df] of documentFrequency) if (df >= config.minDf) kept.push(key);
  // Sorted keys make the feature ids, and so the weights, independent of Map iteration order.
  const keys = Int32Array.from(kept).sort();
  const idf = new Float32Array(keys.length);
  const n = keysPerText.length;
  for (let id = 0; id < keys.length; id++) {
    const df = documentFrequency.get(keys[id]!)!;
    idf[id] = Math.log((1 + n) / (1 + df)) + 1; // scikit-learn's smooth_idf: never zero, never divides by zero
  }
  return { config, vocabulary: buildHashedVocabulary(keys), idf };
}
