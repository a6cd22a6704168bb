import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildHashedVocabulary, lookupFeature } from './hashed-vocabulary.js';

describe('hashed vocabulary', () => {
  it('finds every key it was built with and no other', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), fc.integer(), (keys, probe) => {
        const vocabulary = buildHashedVocabulary(Int32Array.from(keys));
        keys.forEach((key, id) => {
          expect(lookupFeature(vocabulary, key)).toBe(id);
        });
        expect(lookupFeature(vocabulary, probe | 0)).toBe(keys.indexOf(probe | 0));
      }),
    );
  });
});
