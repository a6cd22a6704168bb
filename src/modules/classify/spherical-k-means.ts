/**
 * Spherical k-means on L2-normalised dense rows: similarity is the cosine, centroids are renormalised means. k-means++
 * seeding (Arthur & Vassilvitskii 2007) with distance 1 − cosine, and several restarts, keeping the one with the
 * highest total similarity. Deterministic for a seed. Hand-written: it is the product's own clustering, and it works
 * on the LSA rows of reduce-dimensions.ts without copying them.
 */
import type { DenseRows } from './reduce-dimensions.js';
import { createRandom, type RandomSource } from './seeded-random.js';

export interface Clustering {
  k: number;
  /** Cluster of each row, 0 … k − 1. */
  assignments: Int32Array;
  /** k × cols, row-major, each unit length (zero for a cluster that ended empty). */
  centroids: Float64Array;
  /** Cosine of each row to its own centroid. */
  similarity: Float64Array;
  /** Sum of the rows' similarities to their centroids: higher is tighter. */
  objective: number;
}

function dot(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, cols: number): number {
  let sum = 0;
  for (let c = 0; c < cols; c++) sum += a[aOffset + c]! * b[bOffset + c]!;
  return sum;
}

function seedCentroids(x: DenseRows, k: number, random: RandomSource): Float64Array {
  const { rows: n, cols, data } = x;
  const centroids = new Float64Array(k * cols);
  const first = Math.floor(random() * n);
  centroids.set(data.subarray(first * cols, first * cols + cols), 0);
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const distance = Math.max(0, 1 - dot(data, i * cols, centroids, (c - 1) * cols, cols));
      const squared = distance * distance;
      if (squared < nearest[i]!) nearest[i] = squared;
      total += nearest[i]!;
    }
    let pick = 0;
    if (total > 0) {
      let target = random() * total;
      for (pick = 0; pick < n - 1; pick++) {
        target -= nearest[pick]!;
        if (target <= 0) break;
      }
    } else {
      pick = Math.floor(random() * n); // every row coincides with a centroid already
    }
    centroids.set(data.subarray(pick * cols, pick * cols + cols), c * cols);
  }
  return centroids;
}

function runOnce(x: DenseRows, k: number, random: RandomSource, maxIterations: number): Clustering {
  const { rows: n, cols, data } = x;
  const centroids = seedCentroids(x, k, random);
  const assignments = new Int32Array(n).fill(-1);
  const similarity = new Float64Array(n);
  const sums = new Float64Array(k * cols);
  const sizes = new Int32Array(k);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestSim = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const s = dot(data, i * cols, centroids, c * cols, cols);
        if (s > bestSim) {
          bestSim = s;
          best = c;
        }
      }
      similarity[i] = bestSim;
      if (assignments[i] !== best) {
        assignments[i] = best;
        changed++;
      }
    }
    if (changed === 0 && iteration > 0) break;
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignments[i]!;
      sizes[c]!++;
      for (let j = 0; j < cols; j++) sums[c * cols + j]! += data[i * cols + j]!;
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) {
        // An empty cluster takes the row least like its centroid, so k clusters stay in play.
        let worst = 0;
        for (let i = 1; i < n; i++) if (similarity[i]! < similarity[worst]!) worst = i;
        similarity[worst] = Number.POSITIVE_INFINITY;
        centroids.set(data.subarray(worst * cols, worst * cols + cols), c * cols);
        continue;
      }
      let norm = 0;
      for (let j = 0; j < cols; j++) norm += sums[c * cols + j]! * sums[c * cols + j]!;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let j = 0; j < cols; j++) centroids[c * cols + j] = sums[c * cols + j]! * scale;
    }
  }
  let objective = 0;
  for (let i = 0; i < n; i++) {
    similarity[i] = dot(data, i * cols, centroids, assignments[i]! * cols, cols);
    objective += similarity[i]!;
  }
  return { k, assignments, centroids, similarity, objective };
}

/** Clusters the rows into k groups; the best of `restarts` k-means++ runs by total similarity. */
export function sphericalKMeans(
  x: DenseRows,
  k: number,
  options: { seed: number; restarts?: number; maxIterations?: number },
): Clustering {
  const clusters = Math.max(1, Math.min(k, x.rows));
  const random = createRandom(options.seed);
  let best: Clustering | null = null;
  for (let r = 0; r < Math.max(1, options.restarts ?? 4); r++) {
    const run = runOnce(x, clusters, random, options.maxIterations ?? 50);
    if (!best || run.objective > best.objective) best = run;
  }
  return best!;
}

/**
 * Simplified (centroid) silhouette in cosine distance: for each row, a = 1 − cos to its own centroid, b = 1 − cos
 * to the nearest other; s = (b − a) / max(a, b), averaged. O(n·k) rather than the full silhouette's O(n²), so k can
 * be chosen over a range on thousands of texts.
 */
export function centroidSilhouette(x: DenseRows, clustering: Clustering): number {
  const { rows: n, cols, data } = x;
  const { k, assignments, centroids } = clustering;
  if (k < 2 || n === 0) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = assignments[i]!;
    const a = 1 - dot(data, i * cols, centroids, own * cols, cols);
    let nearestOther = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (c === own) continue;
      const s = dot(data, i * cols, centroids, c * cols, cols);
      if (s > nearestOther) nearestOther = s;
    }
    const b = 1 - nearestOther;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}

/** Pairwise cosine similarities of the rows (n × n, row-major): computed once, reused by silhouette for every k. */
export function pairwiseSimilarity(x: DenseRows): Float64Array {
  const { rows: n, cols, data } = x;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = dot(data, i * cols, data, i * cols, cols);
    for (let j = i + 1; j < n; j++) {
      const s = dot(data, i * cols, data, j * cols, cols);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/**
 * The silhouette (Rousseeuw 1987) in cosine distance from precomputed similarities: a = mean distance to the rest of
 * its own cluster, b = the lowest mean distance to another cluster, s = (b − a) / max(a, b); 0 for singletons and
 * for rows of clusters smaller than `minSize`.
 * Unlike the centroid shortcut it does not grow as k nears n, so it can choose k.
 */
export function silhouette(similarity: Float64Array, assignments: Int32Array, k: number, minSize = 2): number {
  const n = assignments.length;
  if (k < 2 || n === 0) return 0;
  const sizes = new Int32Array(k);
  for (const a of assignments) sizes[a]!++;
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) sums[assignments[j]!]! += 1 - similarity[i * n + j]!;
    const own = assignments[i]!;
    if (sizes[own]! < Math.max(2, minSize)) continue;
    const a = (sums[own]! - (1 - similarity[i * n + i]!)) / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (!Number.isFinite(b)) continue;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}
