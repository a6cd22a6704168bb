/**
 * Category roll-up: a parent's probability is the sum of its labels' probabilities. A label without a parent is
 * its own group, so that "billing" as a label and "billing › refunds" roll up together.
 */

/** The grouping of a model's classes under their parents. */
export interface ParentGroups {
  names: string[];
  /** Group index of each class. */
  groupOfClass: Int32Array;
}

/** Builds the groups for the given classes; returns null when no class has a parent (no taxonomy). */
export function buildParentGroups(
  labels: readonly string[],
  parentOf: Readonly<Record<string, string>>,
): ParentGroups | null {
  if (!labels.some((label) => Object.hasOwn(parentOf, label))) return null;
  const names: string[] = [];
  const indexOf = new Map<string, number>();
  const groupOfClass = new Int32Array(labels.length);
  labels.forEach((label, c) => {
    const parent = Object.hasOwn(parentOf, label) ? parentOf[label]! : label;
    let group = indexOf.get(parent);
    if (group === undefined) {
      group = names.length;
      names.push(parent);
      indexOf.set(parent, group);
    }
    groupOfClass[c] = group;
  });
  return { names, groupOfClass };
}

/** Sums class probabilities into their groups. */
export function rollUp(groups: ParentGroups, probabilities: ArrayLike<number>): Float64Array {
  const sums = new Float64Array(groups.names.length);
  for (let c = 0; c < groups.groupOfClass.length; c++) {
    const g = groups.groupOfClass[c]!;
    sums[g] = sums[g]! + probabilities[c]!;
  }
  return sums;
}

/** Index of the largest value (the first on ties). */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
