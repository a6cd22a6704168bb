/**
 * An open-addressing hash table from 32-bit feature keys to dense feature ids. A JavaScript Map would box most
 * keys (only 31-bit integers are small integers in V8) and costs several times more per lookup on the prediction path.
 */
export interface HashedVocabulary {
  /** Feature key of each feature id. */
  readonly keys: Int32Array;
  /**
   * Slot s holds the key at 2s and feature id + 1 at 2s + 1 (0 marks an empty slot): key and id share a cache line,
   * so a lookup usually costs one memory access.
   */
  readonly table: Int32Array;
  readonly mask: number;
}

function slotOf(key: number, mask: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> 7) & mask;
}

/** Builds the lookup table for the given keys (which must be distinct); ids are positions in `keys`. */
export function buildHashedVocabulary(keys: Int32Array): HashedVocabulary {
  let capacity = 16;
  while (capacity < keys.length * 2) capacity *= 2; // load factor ≤ 0.5 keeps probe chains short
  const mask = capacity - 1;
  const table = new Int32Array(capacity * 2);
  for (let id = 0; id < keys.length; id++) {
    let slot = slotOf(keys[id]!, mask);
    while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    table[2 * slot] = keys[id]!;
    table[2 * slot + 1] = id + 1;
  }
  return { keys, table, mask };
}

/** Returns the feature id of a key, or -1 when the key is not in the vocabulary. */
export function lookupFeature(vocabulary: HashedVocabulary, key: number): number {
  const { table, mask } = vocabulary;
  let slot = slotOf(key, mask);
  for (;;) {
    const entry = table[2 * slot + 1]!;
    if (entry === 0) return -1;
    if (table[2 * slot] === key) return entry - 1;
    slot = (slot + 1) & mask;
  }
}
