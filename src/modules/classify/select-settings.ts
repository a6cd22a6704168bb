/**
 * Chooses the classifier's settings by inner cross-validation on the training examples only, with the same
 * procedure for any data set: the weight of character n-grams against words, the SVM's C, and the blend of the
 * ensemble's members (logistic regression, SVM, prototypes) with a temperature per member.
 *
 * Every candidate is trained on k − 1 stratified folds (the feature space, i.e. vocabulary and idf, fitted on those
 * folds too) and scored on the remaining one, so each training text gets one out-of-fold score row per candidate.
 * The blend with the most right out-of-fold answers wins; ties go to the lower log-loss, then to the earlier
 * candidate. On a handful of examples per class the prototypes usually win weight; on thousands the discriminative
 * members do: that is measured, not assumed.
 */
import { type FeatureConfig, vectorizeKeys } from './extract-features.js';
import { fitFeatureSpace } from './fit-feature-space.js';
import { fitTemperature } from './fit-temperature.js';
import { stratifiedFolds } from './split-examples.js';
import { MEMBERS, type Member, type MemberCoefficients, trainMember } from './train-ensemble.js';
import { computeScores } from './train-linear-model.js';

export const CHAR_WEIGHTS = [0.5, 1, 2];
export const SVM_CS = [0.3, 1, 3];
/** Blend weights over (lr, svm, prototype): the simplex in steps of a quarter. */
const BLEND_GRID: [number, number, number][] = [];
for (let a = 0; a <= 4; a++) for (let b = 0; a + b <= 4; b++) BLEND_GRID.push([a / 4, b / 4, (4 - a - b) / 4]);
/** From this many examples on, three folds instead of up to five keep the cost of selection bounded. */
const LARGE = 4000;
/** Temperatures are fitted on at most this many out-of-fold rows: the fit is one scalar and needs few. */
const TEMPERATURE_ROWS = 2000;

export interface SelectionInput {
  keys: readonly Int32Array[];
  targets: readonly Int32Array[];
  exampleWeights: Float32Array;
  /** First label of each example, for stratification. */
  strata: readonly string[];
  numClasses: number;
  features: FeatureConfig;
  /** Whether the character weight is the caller's to keep (given explicitly) rather than ours to choose. */
  charWeightFixed: boolean;
  lr: { epochs: number; l2: number; learningRate: number };
  seed: number;
  onProgress?: (fraction: number, message: string) => void;
}

/** What cross-validation chose, and what it measured. */
export interface Selection {
  charWeight: number;
  svmC: number;
  /** Blend weight of each member (summing to 1) and the temperature fitted on its out-of-fold scores. */
  blend: Record<Member, number>;
  temperatures: Record<Member, number>;
  folds: number;
  /** Out-of-fold accuracy of the chosen blend. */
  accuracy: number;
}

/** Logit coefficients of a selection: blend weight / temperature per member. */
export function coefficientsOf(selection: Pick<Selection, 'blend' | 'temperatures'>): MemberCoefficients {
  return {
    lr: selection.blend.lr / selection.temperatures.lr,
    svm: selection.blend.svm / selection.temperatures.svm,
    prototype: selection.blend.prototype / selection.temperatures.prototype,
  };
}

/** How many folds the data allows: up to 5 (3 when large), at most the size of the smallest class. */
export function innerFolds(strata: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const label of strata) counts.set(label, (counts.get(label) ?? 0) + 1);
  const smallest = Math.min(...counts.values());
  return Math.max(2, Math.min(strata.length >= LARGE ? 3 : 5, smallest));
}

/** Runs the inner cross-validation; returns null when there are too few examples to hold any out. */
export function selectSettings(input: SelectionInput): Selection | null {
  const n = input.keys.length;
  const k = input.numClasses;
  const strataCounts = new Map<string, number>();
  for (const label of input.strata) strataCounts.set(label, (strataCounts.get(label) ?? 0) + 1);
  // A class needs two examples for one to be held out while another trains; with fewer, keep the defaults.
  if ([...strataCounts.values()].every((count) => count < 2) || n < 6) return null;
  const folds = innerFolds(input.strata);
  const foldOf = new Int32Array(n);
  stratifiedFolds(
    input.strata.map((label) => ({ labels: [label] })),
    folds,
    input.seed,
  ).forEach((fold, f) => {
    for (const index of fold) foldOf[index] = f;
  });
  const charWeights =
    input.charWeightFixed || input.features.charNgramMin === 0 ? [input.features.charWeight] : CHAR_WEIGHTS;
  // Out-of-fold scores: [charWeight][candidate] → n × k, where candidates are lr, prototype, then one SVM per C.
  const candidates = 2 + SVM_CS.length;
  const scores = charWeights.map(() => Array.from({ length: candidates }, () => new Float64Array(n * k)));
  const steps = folds * charWeights.length * candidates;
  let step = 0;
  const row = new Float64Array(k);
  for (let f = 0; f < folds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? testIdx : trainIdx).push(i);
    charWeights.forEach((charWeight, w) => {
      const config = { ...input.features, charWeight };
      const space = fitFeatureSpace(
        trainIdx.map((i) => input.keys[i]!),
        config,
      );
      const data = {
        vectors: trainIdx.map((i) => vectorizeKeys(space, input.keys[i]!)),
        targets: trainIdx.map((i) => input.targets[i]!),
        exampleWeights: Float32Array.from(trainIdx, (i) => input.exampleWeights[i]!),
        numFeatures: space.idf.length,
        numClasses: k,
      };
      const testVectors = testIdx.map((i) => vectorizeKeys(space, input.keys[i]!));
      const settings: [Member, number][] = [
        ['lr', 0],
        ['prototype', 0],
        ...SVM_CS.map((c): [Member, number] => ['svm', c]),
      ];
      settings.forEach(([member, c], s) => {
        input.onProgress?.(step / steps, `choosing settings: fold ${f + 1}/${folds}, ${member}${c ? ` C=${c}` : ''}`);
        const model = trainMember(member, data, { svmC: c, lr: input.lr, seed: input.seed });
        const out = scores[w]![s]!;
        testIdx.forEach((i, t) => {
          const vector = testVectors[t]!;
          computeScores(vector.indices, vector.values, model.weights, model.bias, k, row);
          out.set(row, i * k);
        });
        step++;
      });
    });
  }
  input.onProgress?.(1, 'choosing settings: blending');
  const temperatureRows = sampleRows(n, TEMPERATURE_ROWS);
  let best: (Selection & { loss: number }) | null = null;
  charWeights.forEach((charWeight, w) => {
    const [lrScores, prototypeScores, ...svmScores] = scores[w]!;
    let svmBest = 0;
    let svmBestRight = -1;
    svmScores.forEach((matrix, s) => {
      const right = countRight(matrix, input.targets, k);
      if (right > svmBestRight) {
        svmBestRight = right;
        svmBest = s;
      }
    });
    const members: Record<Member, Float64Array> = {
      lr: lrScores!,
      svm: svmScores[svmBest]!,
      prototype: prototypeScores!,
    };
    const temperatures = {} as Record<Member, number>;
    for (const member of MEMBERS) {
      temperatures[member] = fitTemperature(
        pickRows(members[member], temperatureRows, k),
        k,
        temperatureRows.map((i) => input.targets[i]!),
      );
    }
    const blended = new Float64Array(n * k);
    for (const [lr, svm, prototype] of BLEND_GRID) {
      const blend = { lr, svm, prototype };
      blended.fill(0);
      for (const member of MEMBERS) {
        const coefficient = blend[member] / temperatures[member];
        if (coefficient === 0) continue;
        const matrix = members[member];
        for (let j = 0; j < blended.length; j++) blended[j] = blended[j]! + coefficient * matrix[j]!;
      }
      const right = countRight(blended, input.targets, k);
      const accuracy = right / n;
      const loss = logLoss(blended, input.targets, k);
      if (!best || accuracy > best.accuracy || (accuracy === best.accuracy && loss < best.loss)) {
        best = { charWeight, svmC: SVM_CS[svmBest]!, blend, temperatures, folds, accuracy, loss };
      }
    }
  });
  const { loss: _loss, ...selection } = best!;
  return selection;
}

/** Rows whose top score is one of the row's targets. */
function countRight(scores: Float64Array, targets: readonly Int32Array[], k: number): number {
  let right = 0;
  for (let i = 0; i < targets.length; i++) {
    let top = 0;
    for (let c = 1; c < k; c++) if (scores[i * k + c]! > scores[i * k + top]!) top = c;
    if (targets[i]!.includes(top)) right++;
  }
  return right;
}

/** Mean negative log-likelihood of softmax(scores) for the first target of each row. */
function logLoss(scores: Float64Array, targets: readonly Int32Array[], k: number): number {
  let total = 0;
  for (let i = 0; i < targets.length; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) max = Math.max(max, scores[i * k + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(scores[i * k + c]! - max);
    total += max + Math.log(sum) - scores[i * k + targets[i]![0]!]!;
  }
  return total / targets.length;
}

/** Evenly spaced row indices (all rows when there are at most `limit`); deterministic, no random draw needed. */
function sampleRows(n: number, limit: number): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: limit }, (_, i) => Math.floor((i * n) / limit));
}

function pickRows(scores: Float64Array, rows: readonly number[], k: number): Float64Array {
  const out = new Float64Array(rows.length * k);
  rows.forEach((i, r) => {
    out.set(scores.subarray(i * k, i * k + k), r * k);
  });
  return out;
}
