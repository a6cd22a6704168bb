import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterPhrases, type PhraseItem } from './cluster-phrases.js';

const item = (text: string, weight = 1, locale = 'en'): PhraseItem => ({
  text,
  tokens: text.split(' ').filter((w) => !['how', 'to', 'my', 'the', 'a'].includes(w)),
  weight,
  locale,
});

/** A cluster as plain data that does not depend on object identity: representative, volume, sorted members. */
const shape = (clusters: ReturnType<typeof clusterPhrases>) =>
  clusters.map((c) => ({
    representative: c.representative.text,
    volume: c.volume,
    members: c.members.map((m) => `${m.text}/${m.weight}/${m.locale}`).sort(),
  }));

const WORDS = ['cancel', 'subscription', 'refund', 'invoice', 'password', 'reset', 'export', 'data', 'login', 'card'];
const arbItem = fc
  .record({
    words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }),
    weight: fc.integer({ min: 1, max: 50 }),
    locale: fc.constantFrom('en', 'es'),
  })
  .map(({ words, weight, locale }) => ({ text: words.join(' '), tokens: words, weight, locale }));

describe('clusterPhrases', () => {
  it('puts spellings of one question together, with the medoid as its phrase and the weights summed', () => {
    const clusters = clusterPhrases([
      item('cancel subscription', 5),
      { text: 'cancelling my subscription', tokens: ['cancel', 'subscription'], weight: 3, locale: 'en' },
      item('how to cancel subscription', 2),
      item('reset password', 4),
      item('export data to excel', 1),
    ]);
    expect(shape(clusters)).toEqual([
      {
        representative: 'cancel subscription',
        volume: 10,
        members: ['cancel subscription/5/en', 'cancelling my subscription/3/en', 'how to cancel subscription/2/en'],
      },
      { representative: 'reset password', volume: 4, members: ['reset password/4/en'] },
      { representative: 'export data to excel', volume: 1, members: ['export data to excel/1/en'] },
    ]);
  });

  it('picks the member most similar to the rest, not the heaviest, as the representative', () => {
    // "refund card" is the heaviest, but "refund card payment" shares more with the other members.
    const clusters = clusterPhrases(
      [item('refund card', 5), item('refund card payment', 3), item('refund payment card fee', 3)],
      { threshold: 0.5 },
    );
    expect(clusters).toHaveLength(1);
    expect(clusters[0]?.representative.text).toBe('refund card payment');
  });

  it('never joins phrases that share one word of two, nor across locales', () => {
    const clusters = clusterPhrases([
      item('cancel subscription'),
      item('cancel order'),
      item('cancel subscription', 1, 'es'),
    ]);
    expect(clusters).toHaveLength(3);
  });

  it('clusters identical phrases together', () => {
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 30 }), arbItem, (others, twin) => {
        const clusters = clusterPhrases([...others, twin, { ...twin }]);
        const holding = clusters.filter((c) => c.members.some((m) => m.text === twin.text && m.locale === twin.locale));
        expect(holding).toHaveLength(1);
      }),
    );
  });

  it('keeps phrases without a shared word apart', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 2, maxLength: 10 }),
        fc.integer({ min: 1, max: 20 }),
        (words, weight) => {
          // Each phrase is one distinct word: nothing in common.
          const clusters = clusterPhrases(words.map((w) => ({ text: w, tokens: [w], weight, locale: 'en' })));
          expect(clusters).toHaveLength(words.length);
        },
      ),
    );
  });

  it('gives the same clusters whatever the input order, and volume = the sum of the weights', () => {
    fc.assert(
      fc.property(
        fc
          .array(arbItem, { maxLength: 40 })
          .chain((items) =>
            fc.tuple(
              fc.constant(items),
              fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }),
            ),
          ),
        ([items, shuffled]) => {
          const a = clusterPhrases(items);
          const b = clusterPhrases(shuffled);
          expect(shape(b)).toEqual(shape(a));
          for (const cluster of a) expect(cluster.volume).toBe(cluster.members.reduce((s, m) => s + m.weight, 0));
          expect(a.reduce((s, c) => s + c.volume, 0)).toBe(items.reduce((s, i) => s + i.weight, 0));
        },
      ),
    );
  });
});
