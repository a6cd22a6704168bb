/**
 * The featurisations the inner cross-validation chooses between (train-classifier.ts runs the whole selection in
 * each and keeps the one with the higher out-of-fold accuracy):
 *
 * - ours: word 1–2-grams + character 3–5-grams inside padded words, sublinear tf;
 * - the plain strong baseline's: word 1–2-grams + character 2–5-grams across the whole text, raw tf — the
 *   featurisation of scikit-learn's TF-IDF + LinearSVC reference (bench/classify.ts, baseline-svm.ts).
 *
 * Neither wins everywhere, and a cheap proxy (one SVM per family) could not tell them apart on BANKING77's training
 * part (88.4 % against 88.5 % out of fold) while the full selection differed by a point on a held-out part of it.
 * Having the baseline's featurisation among the candidates is what lets the same automatic procedure stay at or
 * above the baseline on data nobody here has seen, up to the noise of the folds.
 */
import type { FeatureConfig } from './extract-features.js';

/** The baseline's featurisation, on top of a resolved config (keeps its minDf and word n-grams). */
export function baselineFamily(config: FeatureConfig): FeatureConfig {
  return { ...config, charNgramMin: 2, charNgramMax: 5, charScope: 'text', sublinearTf: false, charWeight: 1 };
}
