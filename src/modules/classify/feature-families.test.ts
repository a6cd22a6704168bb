import { describe, expect, it } from 'vitest';
import { createRandom } from './seeded-random.js';
import { trainClassifier } from './train-classifier.js';

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
    return { text: `${word()}${first} ${second}${word()}`, labels: [label] };
  });
}

describe('the featurisation chosen by inner cross-validation', () => {
  it("takes the baseline's character n-grams across the text where only they carry the class, and learns it", () => {
    const model = trainClassifier(junctionData(200, 5), { seed: 1 });
    expect(model.hyperparameters.features.charScope).toBe('text');
    expect(model.hyperparameters.selection!.accuracy).toBeGreaterThan(0.85);
  });

  it('keeps our own featurisation when the caller fixes the features', () => {
    const model = trainClassifier(junctionData(200, 5), { seed: 1, features: { charNgramMin: 3 } });
    expect(model.hyperparameters.features.charScope).toBeUndefined();
  });
});
