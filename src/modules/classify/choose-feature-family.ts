/**
 * The first choice of the inner cross-validation: how text becomes features. Two families are candidates:
 *
 * - ours: word 1–2-grams + character 3–5-grams inside padded words, sublinear tf (what the classifier used alone);
 * - the plain strong baseline's: word 1–2-grams + character 2–5-grams across the whole text, raw tf — the
 *   featurisation of scikit-learn's TF-IDF + LinearSVC reference (bench/classify.ts).
 *
 * Each family is scored by the out-of-fold accuracy of one linear SVM (C = 1) on the same stratified folds of the
 * training part; the rest of the selection (character weight, C, the blend) then runs in the winner. This is a cheap
 * proxy, and a coarse one: on BANKING77's training part it scored the two families 88.4 % and 88.0 %. Running the
 * whole selection in each family instead was tried: it cost 2.5 times the training time and chose the same family
 * (ours) on all four sets we have (BANKING77, SIB-200, the sebis chatbot set, the demo), so the proxy stays.
 * Having the baseline's family among the candidates is what lets the same automatic procedure stay at or above it on
 * data nobody here has seen, up to the noise of the folds.
 */
import { type FeatureConfig, vectorizeKeys } from './extract-features.js';
import { fitFeatureSpace } from './fit-feature-space.js';
import { innerFolds } from './select-settings.js';
import { stratifiedFolds } from './split-examples.js';
import { computeScores } from './train-linear-model.js';
import { trainSvm } from './train-svm.js';

/** The baseline's featurisation, on top of a resolved config (keeps its minDf and word n-grams). */
export function baselineFamily(config: FeatureConfig): FeatureConfig {
  return { ...config, charNgramMin: 2, charNgramMax: 5, charScope: 'text', sublinearTf: false, charWeight: 1 };
}

export interface FamilyInput {
  /** Per family, the keys of every training text. */
  keys: readonly (readonly Int32Array[])[];
  families: readonly FeatureConfig[];
  targets: readonly Int32Array[];
  exampleWeights: Float32Array;
  strata: readonly string[];
  numClasses: number;
  seed: number;
  onProgress?: (fraction: number, message: string) => void;
}

/** Out-of-fold accuracy of each family; the index of the best (the first on a tie). Null: too few to hold out. */
export function chooseFeatureFamily(input: FamilyInput): { chosen: number; accuracies: number[] } | null {
  const n = input.targets.length;
  const counts = new Map<string, number>();
  for (const label of input.strata) counts.set(label, (counts.get(label) ?? 0) + 1);
  if ([...counts.values()].every((count) => count < 2) || n < 6) return null;
  const folds = innerFolds(input.strata);
  const assignment = stratifiedFolds(
    input.strata.map((label) => ({ labels: [label] })),
    folds,
    input.seed,
  );
  const k = input.numClasses;
  const row = new Float64Array(k);
  const accuracies = input.families.map((family, f) => {
    let right = 0;
    assignment.forEach((testIndices, fold) => {
      input.onProgress?.((f * folds + fold) / (input.families.length * folds), `choosing features: family ${f + 1}`);
      const inTest = new Set(testIndices);
      const train: number[] = [];
      for (let i = 0; i < n; i++) if (!inTest.has(i)) train.push(i);
      const keys = input.keys[f]!;
      const space = fitFeatureSpace(
        train.map((i) => keys[i]!),
        family,
      );
      const model = trainSvm(
        {
          vectors: train.map((i) => vectorizeKeys(space, keys[i]!)),
          targets: train.map((i) => input.targets[i]!),
          numFeatures: space.idf.length,
          numClasses: k,
        },
        { c: 1, seed: input.seed, tol: 0.1, exampleCost: Float32Array.from(train, (i) => input.exampleWeights[i]!) },
      );
      for (const i of testIndices) {
        const vector = vectorizeKeys(space, keys[i]!);
        computeScores(vector.indices, vector.values, model.weights, model.bias, k, row);
        let top = 0;
        for (let c = 1; c < k; c++) if (row[c]! > row[top]!) top = c;
        if (input.targets[i]!.includes(top)) right++;
      }
    });
    return right / n;
  });
  let chosen = 0;
  accuracies.forEach((accuracy, i) => {
    if (accuracy > accuracies[chosen]!) chosen = i;
  });
  return { chosen, accuracies };
}
