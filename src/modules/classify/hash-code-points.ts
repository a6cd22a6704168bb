/**
 * 32-bit hashing for feature keys. Written by hand because it sits in the innermost loop of feature extraction and
 * must hash code-point windows incrementally (a library would need a string per n-gram).
 */

export const FNV_PRIME = 16_777_619;

/** Murmur3's finaliser: spreads FNV's weak low bits so nearby n-grams land far apart. */
export function mix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

/** One FNV-1a step over a whole code point (not a byte), for incremental hashing of code-point windows. */
export function fnvStep(h: number, codePoint: number): number {
  return Math.imul(h ^ codePoint, FNV_PRIME);
}

/** Hashes a slice of code points with a seed that separates feature families (words, bigrams, n-grams). */
export function hashCodePoints(
  codePoints: ArrayLike<number>,
  seed: number,
  start = 0,
  end = codePoints.length,
): number {
  let h = seed | 0;
  for (let i = start; i < end; i++) h = fnvStep(h, codePoints[i]!);
  return mix32(h);
}

/** Combines two hashes order-sensitively (for word bigrams). */
export function combineHashes(a: number, b: number, seed: number): number {
  return mix32(Math.imul(a ^ seed, 0x9e3779b1) ^ mix32(b + 0x7f4a7c15));
}
