/**
 * Latent semantic analysis for clustering: sparse TF-IDF rows → dense rows of their top singular directions (U·Σ of a
 * truncated SVD), each L2-normalised. Short texts share few exact n-grams; the singular directions join n-grams that
 * occur together, so two texts about the same thing in different words come closer, and k-means works in ~100
 * dimensions instead of tens of thousands.
 *
 * Written by hand (randomised range finder with one power iteration, Halko, Martinsson & Tropp 2011; then a Jacobi
 * eigensolver on the small projected matrix) because no npm linear-algebra package does a sparse truncated SVD, and
 * this is the product's own clustering.
 */
import type { SparseVector } from './extract-features.js';
import { createRandom } from './seeded-random.js';

/** Dense row-major matrix of `rows` × `cols`. */
export interface DenseRows {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** A · M for sparse rows A (n × features) and dense M (features × l, row-major) → n × l, column-major. */
function sparseTimesDense(rows: readonly SparseVector[], m: Float64Array | Float32Array, l: number): Float64Array {
  const n = rows.length;
  const out = new Float64Array(n * l);
  for (let i = 0; i < n; i++) {
    const { indices, values } = rows[i]!;
    for (let p = 0; p < indices.length; p++) {
      const base = indices[p]! * l;
      const v = values[p]!;
      for (let j = 0; j < l; j++) out[j * n + i]! += v * m[base + j]!;
    }
  }
  return out;
}

/** Aᵀ · Q for sparse rows A (n × features) and Q (n × l, column-major) → features × l, row-major. */
function sparseTransposeTimes(
  rows: readonly SparseVector[],
  features: number,
  q: Float64Array,
  l: number,
): Float64Array {
  const n = rows.length;
  const out = new Float64Array(features * l);
  for (let i = 0; i < n; i++) {
    const { indices, values } = rows[i]!;
    for (let p = 0; p < indices.length; p++) {
      const base = indices[p]! * l;
      const v = values[p]!;
      for (let j = 0; j < l; j++) out[base + j]! += v * q[j * n + i]!;
    }
  }
  return out;
}

/**
 * Orthonormalises the l columns (each of length n, column-major) in place by modified Gram–Schmidt, run twice
 * ("twice is enough") because power iterations make the columns nearly parallel. Returns how many columns stayed
 * independent; the rest are zeroed.
 */
function orthonormalizeColumns(a: Float64Array, n: number, l: number): number {
  let rank = 0;
  for (let j = 0; j < l; j++) {
    const col = j * n;
    let originalNorm = 0;
    for (let i = 0; i < n; i++) originalNorm += a[col + i]! * a[col + i]!;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const other = k * n;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += a[col + i]! * a[other + i]!;
        for (let i = 0; i < n; i++) a[col + i]! -= dot * a[other + i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += a[col + i]! * a[col + i]!;
    if (norm <= 1e-20 * Math.max(originalNorm, 1e-300) || norm === 0) {
      a.fill(0, col, col + n);
      continue;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < n; i++) a[col + i]! *= scale;
    rank++;
  }
  return rank;
}

/** Row-major features × l matrix → column-major (so the column routine applies), and back. */
function transposeInto(src: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c]!;
  return out;
}

/** Eigen-decomposition of a symmetric l × l matrix (row-major) by cyclic Jacobi rotations; eigenvalues descending. */
export function symmetricEigen(matrix: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! * a[p * l + q]!;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => a[y * l + y]! - a[x * l + x]!);
  const values = new Float64Array(l);
  const vectors = new Float64Array(l * l); // column j = eigenvector j
  order.forEach((from, to) => {
    values[to] = a[from * l + from]!;
    for (let k = 0; k < l; k++) vectors[k * l + to] = v[k * l + from]!;
  });
  return { values, vectors };
}

/**
 * Embeds sparse rows into `dimensions` LSA dimensions (fewer when the data has lower rank), each row L2-normalised
 * (a row with no features stays zero). Deterministic for a seed.
 */
export function reduceDimensions(
  rows: readonly SparseVector[],
  features: number,
  options: { dimensions: number; seed: number },
): DenseRows {
  const n = rows.length;
  const d = Math.max(1, Math.min(options.dimensions, n - 1, features));
  const l = Math.min(d + 10, n, features); // oversampling makes the top d directions accurate
  if (n === 0 || features === 0 || l <= 0) return { rows: n, cols: 0, data: new Float64Array(0) };
  const random = createRandom(options.seed);
  const omega = new Float32Array(features * l);
  for (let i = 0; i < omega.length; i++) omega[i] = random() < 0.5 ? -1 : 1;
  // Range finder: Q spans A·Ω; one power iteration (A·Aᵀ·Q) sharpens it on text, whose spectrum decays slowly.
  const q = sparseTimesDense(rows, omega, l);
  orthonormalizeColumns(q, n, l);
  const z = transposeInto(sparseTransposeTimes(rows, features, q, l), features, l);
  orthonormalizeColumns(z, features, l);
  const q2 = sparseTimesDense(rows, transposeInto(z, l, features), l);
  orthonormalizeColumns(q2, n, l);
  // B = Qᵀ·A; its Gram matrix B·Bᵀ = Qᵀ·(A·(Aᵀ·Q)) is l × l, computed without forming B.
  const bt = sparseTransposeTimes(rows, features, q2, l);
  const abt = sparseTimesDense(rows, bt, l);
  const gram = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q2[a * n + i]! * abt[b * n + i]!;
      gram[a * l + b] = dot;
      gram[b * l + a] = dot;
    }
  }
  const { values, vectors } = symmetricEigen(gram, l);
  let cols = 0;
  while (cols < d && values[cols]! > 1e-9 * Math.max(values[0]!, 1e-300)) cols++;
  cols = Math.max(cols, 1);
  // U·Σ = Q·W·Σ, and Σ·Σ = eigenvalues; normalising rows afterwards makes the Σ scale matter only between columns.
  const data = new Float64Array(n * cols);
  for (let c = 0; c < cols; c++) {
    const sigma = Math.sqrt(Math.max(values[c]!, 0));
    for (let a = 0; a < l; a++) {
      const w = vectors[a * l + c]! * sigma;
      if (w === 0) continue;
      const base = a * n;
      for (let i = 0; i < n; i++) data[i * cols + c]! += w * q2[base + i]!;
    }
  }
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += data[i * cols + c]! * data[i * cols + c]!;
    if (norm === 0) continue;
    const scale = 1 / Math.sqrt(norm);
    for (let c = 0; c < cols; c++) data[i * cols + c]! *= scale;
  }
  return { rows: n, cols, data };
}
