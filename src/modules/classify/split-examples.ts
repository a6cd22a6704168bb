/**
 * Stratified splits: every class keeps its share in each part, so a rare category is not left out of the held-out
 * set (or, worse, out of training) by chance. Examples with several labels are stratified by their first label.
 */
import { createRandom, shuffleInPlace } from './seeded-random.js';

interface HasLabels {
  labels: readonly string[];
}

function indicesByClass(examples: readonly HasLabels[]): number[][] {
  const groups = new Map<string, number[]>();
  examples.forEach((example, index) => {
    const key = example.labels[0] ?? '';
    const group = groups.get(key);
    if (group) group.push(index);
    else groups.set(key, [index]);
  });
  // Sorted class order keeps the split independent of the order classes first appear in.
  return [...groups.keys()].sort().map((key) => groups.get(key)!);
}

/** Indices of a stratified held-out part (each class keeps at least one example on the training side). */
export function stratifiedHoldout(examples: readonly HasLabels[], fraction: number, seed: number): number[] {
  const random = createRandom(seed);
  const held: number[] = [];
  for (const group of indicesByClass(examples)) {
    shuffleInPlace(group, random);
    const count = Math.min(group.length - 1, Math.round(group.length * fraction));
    for (let i = 0; i < count; i++) held.push(group[i]!);
  }
  return held.sort((a, b) => a - b);
}

/** Splits examples into stratified train and test parts, each in the original order. */
export function stratifiedSplit<T extends HasLabels>(
  examples: readonly T[],
  options: { testFraction: number; seed: number },
): { train: T[]; test: T[] } {
  const held = new Set(stratifiedHoldout(examples, options.testFraction, options.seed));
  const train: T[] = [];
  const test: T[] = [];
  examples.forEach((example, index) => {
    (held.has(index) ? test : train).push(example);
  });
  return { train, test };
}

/** Assigns each example to one of k stratified folds; returns the example indices of each fold. */
export function stratifiedFolds(examples: readonly HasLabels[], folds: number, seed: number): number[][] {
  const random = createRandom(seed);
  const result: number[][] = Array.from({ length: folds }, () => []);
  let offset = 0;
  for (const group of indicesByClass(examples)) {
    shuffleInPlace(group, random);
    // Rotating the starting fold spreads classes smaller than k over different folds.
    group.forEach((index, position) => {
      result[(offset + position) % folds]!.push(index);
    });
    offset = (offset + group.length) % folds;
  }
  return result.map((fold) => fold.sort((a, b) => a - b));
}
