import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combinedPrior, logOddsDirichlet } from './log-odds.js';

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));

// Corpora over a small vocabulary, so words overlap; at least one word in each.
const arbCorpus = fc
  .dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), fc.integer({ min: 0, max: 500 }), { minKeys: 1 })
  .map((d) => new Map(Object.entries(d)))
  .filter((m) => [...m.values()].some((n) => n > 0));

describe('logOddsDirichlet', () => {
  it('matches a value worked by hand', () => {
    // n = 10 each, α = 1 for both words (α0 = 2): δ_a = log(11/1) − log(1/11) = 2 ln 11, σ² = 1/11 + 1/1.
    const result = logOddsDirichlet(counts({ a: 10 }), counts({ b: 10 }), counts({ a: 1, b: 1 }));
    const a = result.get('a');
    expect(a?.logOdds).toBeCloseTo(2 * Math.log(11), 10);
    expect(a?.zScore).toBeCloseTo((2 * Math.log(11)) / Math.sqrt(1 / 11 + 1), 10);
    expect(result.get('b')?.logOdds).toBeCloseTo(-2 * Math.log(11), 10);
  });

  it('is antisymmetric: swapping the corpora negates every log-odds and z-score', () => {
    fc.assert(
      fc.property(arbCorpus, arbCorpus, (x, y) => {
        const prior = combinedPrior(x, y);
        const forward = logOddsDirichlet(x, y, prior);
        const backward = logOddsDirichlet(y, x, prior);
        for (const [word, r] of forward) {
          expect(backward.get(word)?.logOdds).toBeCloseTo(-r.logOdds, 9);
          expect(backward.get(word)?.zScore).toBeCloseTo(-r.zScore, 9);
        }
      }),
    );
  });

  it('gives a word used at the same rate in both corpora a small |z|', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 20 }),
        (shared, rest, scale) => {
          // The reference is the target `scale` times over: every rate is equal.
          const target = counts({ shared, rest });
          const reference = counts({ shared: shared * scale, rest: rest * scale });
          const z = logOddsDirichlet(target, reference, combinedPrior(target, reference)).get('shared')?.zScore;
          expect(Math.abs(z ?? Number.NaN)).toBeLessThan(0.5);
        },
      ),
    );
  });

  it('gives a word only the target uses, often enough that the reference would show it, a large positive z', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 1000 }),
        fc.integer({ min: 100, max: 5000 }),
        fc.integer({ min: 100, max: 5000 }),
        (only, targetRest, referenceRest) => {
          // At the target's rate the reference would hold the word ≥ 10 times: its absence is evidence.
          fc.pre((only / (only + targetRest)) * referenceRest >= 10);
          const target = counts({ only, common: targetRest });
          const reference = counts({ common: referenceRest });
          const z = logOddsDirichlet(target, reference, combinedPrior(target, reference)).get('only')?.zScore ?? 0;
          expect(z).toBeGreaterThan(1.96);
        },
      ),
    );
  });

  it('grows |z| with evidence: the same rates from more data are more certain', () => {
    fc.assert(
      fc.property(arbCorpus, arbCorpus, fc.integer({ min: 2, max: 50 }), (x, y, k) => {
        const scaled = (m: Map<string, number>) => new Map([...m].map(([w, n]) => [w, n * k]));
        const small = logOddsDirichlet(x, y, combinedPrior(x, y));
        const large = logOddsDirichlet(scaled(x), scaled(y), combinedPrior(scaled(x), scaled(y)));
        for (const [word, r] of small) {
          expect(Math.abs(large.get(word)?.zScore ?? 0)).toBeGreaterThanOrEqual(Math.abs(r.zScore) - 1e-9);
        }
      }),
    );
  });

  it('keeps every figure finite when the prior does not know a word', () => {
    const result = logOddsDirichlet(counts({ a: 3 }), counts({ b: 2 }), new Map());
    for (const r of result.values()) {
      expect(Number.isFinite(r.logOdds)).toBe(true);
      expect(Number.isFinite(r.zScore)).toBe(true);
    }
  });

  it('gives a word that is the whole vocabulary no contrast (0), not NaN', () => {
    const x = counts({ only: 1 });
    const y = counts({ only: 4 });
    expect(logOddsDirichlet(x, y, combinedPrior(x, y)).get('only')).toEqual({ logOdds: 0, zScore: 0 });
  });
});

describe('combinedPrior', () => {
  it('averages the two corpora’s rates and sums to the smaller corpus’s size', () => {
    const prior = combinedPrior(counts({ a: 10, b: 30 }), counts({ a: 100, c: 100 }));
    // rates: a = (0.25 + 0.5) / 2, b = 0.75 / 2, c = 0.5 / 2; α0 = 40.
    expect(prior.get('a')).toBeCloseTo(15, 10);
    expect(prior.get('b')).toBeCloseTo(15, 10);
    expect(prior.get('c')).toBeCloseTo(10, 10);
  });
});
