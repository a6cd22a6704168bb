import { describe, expect, it } from 'vitest';
import { baselineFamily, chooseFeatureFamily } from './choose-feature-family.js';
import { DEFAULT_FEATURE_CONFIG, extractFeatureKeys, type FeatureConfig } from './extract-features.js';
import { createRandom } from './seeded-random.js';

// Each text is random syllables; its class is only in how two words meet: one word ends in x or q and the next
// starts with x or q, the same letter for class a ("…x x…", "…q q…"), different for class b ("…x q…"). Each word on
// its own says nothing (every end and start occurs in both classes), so n-grams inside words cannot see the class;
// n-grams across the text can.
function junctionData(n: number, seed: number) {
  const random = createRandom(seed);
  const syllable = () => 'bcdfghjklmnprstvw'[Math.floor(random() * 17)]! + 'aeiou'[Math.floor(random() * 5)]!;
  const word = () => syllable() + syllable() + syllable();
  return Array.from({ length: n }, (_, i) => {
    const label = i % 2 === 0 ? 'a' : 'b';
    const first = random() < 0.5 ? 'x' : 'q';
    const second = label === 'a' ? first : first === 'x' ? 'q' : 'x';
    return { text: `${word()}${first} ${second}${word()}`, label };
  });
}

describe('chooseFeatureFamily', () => {
  it('picks the family whose features carry the signal, judged out of fold on the training texts', () => {
    const data = junctionData(200, 5);
    const ours: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, minDf: 1, wordNgramMax: 1 };
    const families = [ours, baselineFamily(ours)];
    const result = chooseFeatureFamily({
      keys: families.map((family) => data.map((d) => extractFeatureKeys(d.text, family))),
      families,
      targets: data.map((d) => Int32Array.of(d.label === 'a' ? 0 : 1)),
      exampleWeights: new Float32Array(data.length).fill(1),
      strata: data.map((d) => d.label),
      numClasses: 2,
      seed: 1,
    });
    expect(result).not.toBeNull();
    expect(result!.chosen).toBe(1);
    expect(result!.accuracies[1]).toBeGreaterThan(0.9);
    expect(result!.accuracies[0]).toBeLessThan(0.75);
  });

  it('declines to choose when no class has two examples to split', () => {
    const ours = { ...DEFAULT_FEATURE_CONFIG, minDf: 1 };
    const texts = ['one', 'two', 'three'];
    expect(
      chooseFeatureFamily({
        keys: [texts.map((t) => extractFeatureKeys(t, ours))],
        families: [ours],
        targets: texts.map((_, i) => Int32Array.of(i)),
        exampleWeights: new Float32Array(3).fill(1),
        strata: texts,
        numClasses: 3,
        seed: 1,
      }),
    ).toBeNull();
  });
});
