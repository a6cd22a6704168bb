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

/**
 * Three folds (two when the smallest class has fewer than three examples): more folds would train each candidate on
 * more data but cost proportionally more, and training must stay within seconds for a small team's data.
 */
export function innerFolds(strata: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const label of strata) counts.set(label, (counts.get(label) ?? 0) + 1);
  return Math.max(2, Math.min(3, ...counts.values()));
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
  const foldIndices = Array.from({ length: folds }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? test : train).push(i);
    return { train, test };
  });
  // Two stages keep the cost near three trainings per fold and weight: first the character weight, judged by the
  // cheap members (SVM at C = 1, prototypes), then at that weight the costlier candidates (logistic regression, the
  // other values of C). Out-of-fold scores are n × k matrices, one per candidate.
  const stageOne: [Member, number][] = [
    ['svm', 1],
    ['prototype', 0],
  ];
  const stageTwo: [Member, number][] = [
    ['lr', 0],
    ...SVM_CS.filter((c) => c !== 1).map((c): [Member, number] => ['svm', c]),
  ];
  const steps = folds * (charWeights.length * stageOne.length + stageTwo.length);
  let step = 0;
  const outOfFold = (charWeight: number, candidates: [Member, number][]) => {
    const matrices = candidates.map(() => new Float64Array(n * k));
    const row = new Float64Array(k);
    foldIndices.forEach(({ train, test }, f) => {
      const space = fitFeatureSpace(
        train.map((i) => input.keys[i]!),
        { ...input.features, charWeight },
      );
      const data = {
        vectors: train.map((i) => vectorizeKeys(space, input.keys[i]!)),
        targets: train.map((i) => input.targets[i]!),
        exampleWeights: Float32Array.from(train, (i) => input.exampleWeights[i]!),
        numFeatures: space.idf.length,
        numClasses: k,
      };
      const testVectors = test.map((i) => vectorizeKeys(space, input.keys[i]!));
      candidates.forEach(([member, c], s) => {
        input.onProgress?.(
          step / steps,
          `choosing settings: fold ${f + 1}/${folds}, char weight ${charWeight}, ${member}${c ? ` C=${c}` : ''}`,
        );
        const model = trainMember(member, data, { svmC: c, lr: input.lr, seed: input.seed });
        test.forEach((i, t) => {
          const vector = testVectors[t]!;
          computeScores(vector.indices, vector.values, model.weights, model.bias, k, row);
          matrices[s]!.set(row, i * k);
        });
        step++;
      });
    });
    return matrices;
  };
  let chosen = 0;
  let chosenRight = -1;
  let chosenMatrices: Float64Array[] = [];
  charWeights.forEach((charWeight, w) => {
    const matrices = outOfFold(charWeight, stageOne);
    const right = Math.max(...matrices.map((matrix) => countRight(matrix, input.targets, k)));
    if (right > chosenRight) {
      chosen = w;
      chosenRight = right;
      chosenMatrices = matrices;
    }
  });
  const charWeight = charWeights[chosen]!;
  const [svmOne, prototypeScores] = chosenMatrices;
  const [lrScores, ...otherSvms] = outOfFold(charWeight, stageTwo);
  const svmByC = new Map<number, Float64Array>([[1, svmOne!]]);
  SVM_CS.filter((c) => c !== 1).forEach((c, s) => {
    svmByC.set(c, otherSvms[s]!);
  });
  input.onProgress?.(1, 'choosing settings: blending');
  const temperatureRows = sampleRows(n, TEMPERATURE_ROWS);
  let svmC = 1;
  let svmRight = -1;
  for (const c of SVM_CS) {
    const right = countRight(svmByC.get(c)!, input.targets, k);
    if (right > svmRight) {
      svmRight = right;
      svmC = c;
    }
  }
  const members: Record<Member, Float64Array> = { lr: lrScores!, svm: svmByC.get(svmC)!, prototype: prototypeScores! };
  const temperatures = {} as Record<Member, number>;
  for (const member of MEMBERS) {
    temperatures[member] = fitTemperature(
      pickRows(members[member], temperatureRows, k),
      k,
      temperatureRows.map((i) => input.targets[i]!),
    );
  }
  let best: (Selection & { loss: number }) | null = null;
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
    const accuracy = countRight(blended, input.targets, k) / n;
    const loss = logLoss(blended, input.targets, k);
    if (!best || accuracy > best.accuracy || (accuracy === best.accuracy && loss < best.loss)) {
      best = { charWeight, svmC, blend, temperatures, folds, accuracy, loss };
    }
  }
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
