/**
 * A seeded pseudo-random generator (mulberry32). Training must be reproducible for a given seed, in-process and in a
 * worker alike, so nothing here may touch Math.random.
 */
export type RandomSource = () => number;

/** Returns a generator of floats in [0, 1) that yields the same sequence for the same 32-bit seed. */
export function createRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Shuffles an array in place (Fisher–Yates) with the given generator and returns it. */
export function shuffleInPlace<T extends { length: number; [index: number]: unknown }>(
  items: T,
  random: RandomSource,
): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const held = items[i];
    items[i] = items[j];
    items[j] = held;
  }
  return items;
}
