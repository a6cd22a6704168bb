/**
 * How well a clustering agrees with known classes (labels hidden while clustering): normalised mutual information
 * (arithmetic-mean normalisation, scikit-learn's default) and purity. For benchmarks and tests, not for the product.
 */

function contingency(classes: readonly string[], clusters: ArrayLike<number>): Map<string, Map<number, number>> {
  const table = new Map<string, Map<number, number>>();
  for (let i = 0; i < classes.length; i++) {
    const row = table.get(classes[i]!) ?? new Map<number, number>();
    row.set(clusters[i]!, (row.get(clusters[i]!) ?? 0) + 1);
    table.set(classes[i]!, row);
  }
  return table;
}

function entropy(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

/** NMI = I(classes; clusters) / mean(H(classes), H(clusters)); 1 when they coincide, near 0 when independent. */
export function normalizedMutualInformation(classes: readonly string[], clusters: ArrayLike<number>): number {
  const n = classes.length;
  if (n === 0) return 0;
  const table = contingency(classes, clusters);
  const clusterTotals = new Map<number, number>();
  for (let i = 0; i < n; i++) clusterTotals.set(clusters[i]!, (clusterTotals.get(clusters[i]!) ?? 0) + 1);
  let mutual = 0;
  for (const row of table.values()) {
    const classTotal = [...row.values()].reduce((a, b) => a + b, 0);
    for (const [cluster, count] of row) {
      mutual += (count / n) * Math.log((n * count) / (classTotal * clusterTotals.get(cluster)!));
    }
  }
  const hClasses = entropy(
    [...table.values()].map((row) => [...row.values()].reduce((a, b) => a + b, 0)),
    n,
  );
  const hClusters = entropy(clusterTotals.values(), n);
  const mean = (hClasses + hClusters) / 2;
  return mean === 0 ? 1 : Math.max(0, mutual / mean);
}

/** Purity: the share of texts in their cluster's most common class (rises with k; read it beside NMI). */
export function purity(classes: readonly string[], clusters: ArrayLike<number>): number {
  const byCluster = new Map<number, Map<string, number>>();
  for (let i = 0; i < classes.length; i++) {
    const row = byCluster.get(clusters[i]!) ?? new Map<string, number>();
    row.set(classes[i]!, (row.get(classes[i]!) ?? 0) + 1);
    byCluster.set(clusters[i]!, row);
  }
  let majority = 0;
  for (const row of byCluster.values()) majority += Math.max(...row.values());
  return classes.length === 0 ? 0 : majority / classes.length;
}
