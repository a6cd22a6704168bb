import { describe, expect, it } from 'vitest';
import type { LabeledExample } from './classify.schema.js';
import { createRandom, type RandomSource } from './seeded-random.js';
import { trainClassifier } from './train-classifier.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const COMMON = [
  'please',
  'help',
  'with',
  'this',
  'today',
  'again',
  'thanks',
  'order',
  'account',
  'issue',
  'now',
  'here',
];

function pick<T>(items: readonly T[], random: RandomSource): T {
  return items[Math.floor(random() * items.length)]!;
}

function nonsense(random: RandomSource, length: number): string {
  return Array.from({ length }, () => pick([...LETTERS], random)).join('');
}

/**
 * Only character n-grams carry the class: each text is common words shared by every class plus one word never seen
 * twice whose middle holds the class's marker (so no word feature generalises).
 */
function charSignal(perClass: number, seed: number): LabeledExample[] {
  const random = createRandom(seed);
  const markers = ['qzv', 'kxw', 'jyb', 'fhp'];
  return markers.flatMap((marker, c) =>
    Array.from({ length: perClass }, () => {
      const noise = Array.from({ length: 6 }, () => pick(COMMON, random));
      const word = `${nonsense(random, 3)}${marker}${nonsense(random, 3)}`;
      return { text: [...noise, word].join(' '), labels: [`class-${c}`] };
    }),
  );
}

/** Only one whole word carries the class; the rest are random strings whose character n-grams are noise. */
function wordSignal(perClass: number, seed: number): LabeledExample[] {
  const random = createRandom(seed);
  const words = ['refund', 'password', 'delivery', 'invoice'];
  return words.flatMap((word, c) =>
    Array.from({ length: perClass }, () => {
      const noise = Array.from({ length: 5 }, () => nonsense(random, 6));
      return { text: [...noise.slice(0, 2), word, ...noise.slice(2)].join(' '), labels: [`class-${c}`] };
    }),
  );
}

describe('settings chosen by inner cross-validation', () => {
  it('weights character n-grams up where only they carry the signal, and down where only words do', () => {
    const chars = trainClassifier(charSignal(30, 1), { seed: 1 }).hyperparameters.selection!;
    const words = trainClassifier(wordSignal(30, 2), { seed: 1 }).hyperparameters.selection!;
    expect(chars.charWeight).toBeGreaterThan(words.charWeight);
  });
});
