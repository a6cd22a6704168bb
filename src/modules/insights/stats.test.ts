import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../shared/random.js';
import {
  benjaminiHochberg,
  differenceOfRates,
  diffInDiff,
  fitBetaPrior,
  normalCdf,
  probabilityBetter,
  shrunkRate,
  wilsonInterval,
} from './stats.js';

const counts = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([trials, share]) => ({ trials, successes: Math.round(trials * share) }));

describe('normalCdf', () => {
  it('matches the standard normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
    expect(normalCdf(2.575829)).toBeCloseTo(0.995, 6);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('is symmetric and non-decreasing', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }), (z, d) => {
        expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 6);
        expect(normalCdf(z + d)).toBeGreaterThanOrEqual(normalCdf(z) - 1e-9);
      }),
    );
  });
});

describe('wilsonInterval', () => {
  it('gives the published intervals (Newcombe 1998, Table I; z = 1.96)', () => {
    expect(wilsonInterval(0, 0)).toEqual({ rate: null, low: 0, high: 1 });
    const half = wilsonInterval(5, 10);
    expect(half.rate).toBe(0.5);
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(half.high).toBeCloseTo(0.7634, 4);
    const hundred = wilsonInterval(50, 100);
    expect(hundred.low).toBeCloseTo(0.4038, 4);
    expect(hundred.high).toBeCloseTo(0.5962, 4);
    // Newcombe's examples 81/263 → 0.2553–0.3662 and 0/10 → 0–0.2775.
    const n81 = wilsonInterval(81, 263);
    expect(n81.low).toBeCloseTo(0.2553, 4);
    expect(n81.high).toBeCloseTo(0.3662, 4);
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 4);
  });

  it('contains the observed rate and narrows as the sample grows', () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: 2, max: 20 }), ({ successes, trials }, k) => {
        const one = wilsonInterval(successes, trials);
        expect(one.low).toBeLessThanOrEqual(one.rate as number);
        expect(one.high).toBeGreaterThanOrEqual(one.rate as number);
        const more = wilsonInterval(successes * k, trials * k);
        expect(more.high - more.low).toBeLessThan(one.high - one.low);
      }),
    );
  });

  it('covers the true rate in at least 93 % of simulated samples across a grid of rates and sizes', () => {
    const random = mulberry32(20260310);
    const rates = [0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95];
    const sizes = [20, 50, 100, 400];
    const runs = 1000;
    let covered = 0;
    let total = 0;
    for (const p of rates) {
      for (const n of sizes) {
        let cell = 0;
        for (let r = 0; r < runs; r++) {
          let s = 0;
          for (let i = 0; i < n; i++) if (random() < p) s += 1;
          const { low, high } = wilsonInterval(s, n);
          if (low <= p && p <= high) cell += 1;
        }
        // No single cell of the grid falls far below the nominal 95 %.
        expect(cell / runs, `p = ${p}, n = ${n}`).toBeGreaterThan(0.9);
        covered += cell;
        total += runs;
      }
    }
    expect(covered / total).toBeGreaterThanOrEqual(0.93);
  });
});

describe('empirical Bayes', () => {
  it('fits a prior whose mean is the pooled rate, and pulls each rate towards it', () => {
    fc.assert(
      fc.property(fc.array(counts, { minLength: 1, maxLength: 40 }), (groups) => {
        const prior = fitBetaPrior(groups);
        const s = groups.reduce((sum, g) => sum + g.successes, 0);
        const n = groups.reduce((sum, g) => sum + g.trials, 0);
        const mean = prior.alpha / (prior.alpha + prior.beta);
        expect(mean).toBeCloseTo(Math.min(0.999, Math.max(0.001, s / n)), 9);
        for (const g of groups) {
          const raw = g.successes / g.trials;
          const shrunk = shrunkRate(g.successes, g.trials, prior);
          expect(shrunk).toBeGreaterThanOrEqual(Math.min(raw, mean) - 1e-12);
          expect(shrunk).toBeLessThanOrEqual(Math.max(raw, mean) + 1e-12);
        }
      }),
    );
  });

  it('moves a 3-vote article further than a 300-vote article with the same rate', () => {
    const prior = { alpha: 80, beta: 20 };
    expect(Math.abs(shrunkRate(0, 3, prior) - 0.8)).toBeLessThan(Math.abs(shrunkRate(0, 300, prior) - 0.8));
    expect(shrunkRate(0, 3, prior)).toBeCloseTo(80 / 103, 12);
  });

  it('estimates a wide spread when articles truly differ and a narrow one when they do not', () => {
    const differ = fitBetaPrior([
      { successes: 90, trials: 100 },
      { successes: 20, trials: 100 },
      { successes: 60, trials: 100 },
      { successes: 40, trials: 100 },
    ]);
    const alike = fitBetaPrior([
      { successes: 50, trials: 100 },
      { successes: 52, trials: 100 },
      { successes: 49, trials: 100 },
      { successes: 51, trials: 100 },
    ]);
    expect(differ.alpha + differ.beta).toBeLessThan(alike.alpha + alike.beta);
  });
});

describe('comparisons', () => {
  it('differenceOfRates is antisymmetric and its p-value matches the pooled z-test', () => {
    const d = differenceOfRates({ successes: 40, trials: 100 }, { successes: 55, trials: 100 });
    expect(d.difference).toBeCloseTo(0.15, 12);
    // pooled 0.475, se = sqrt(0.475 × 0.525 × 0.02) = 0.070623, z = 2.1239, p = 0.03368
    expect(d.pValue).toBeCloseTo(0.0337, 3);
    fc.assert(
      fc.property(counts, counts, (a, b) => {
        const ab = differenceOfRates(a, b);
        const ba = differenceOfRates(b, a);
        expect(ab.difference).toBeCloseTo(-(ba.difference as number), 12);
        expect(ab.pValue).toBeCloseTo(ba.pValue, 12);
        expect(ab.low).toBeLessThanOrEqual(ab.high);
      }),
    );
  });

  it('probabilityBetter is ½ for equal samples and complements itself', () => {
    expect(probabilityBetter({ successes: 7, trials: 10 }, { successes: 7, trials: 10 })).toBeCloseTo(0.5, 8);
    expect(probabilityBetter({ successes: 10, trials: 100 }, { successes: 90, trials: 100 })).toBeGreaterThan(0.999);
    fc.assert(
      fc.property(counts, counts, (a, b) => {
        expect(probabilityBetter(a, b) + probabilityBetter(b, a)).toBeCloseTo(1, 6);
      }),
    );
  });

  it('diffInDiff is 0 when both groups move alike, and the treated change beyond the control otherwise', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 2000 }),
        fc.integer({ min: 10, max: 2000 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: -0.04, max: 0.04, noNaN: true }),
        (n, m, p, shift) => {
          // Rates chosen exactly representable at both sizes: k / 100 with trials multiples of 100.
          const before = Math.round(p * 100);
          const after = Math.round((p + shift) * 100);
          const side = (k: number, size: number) => ({ successes: k * size, trials: 100 * size });
          const result = diffInDiff(
            { before: side(before, n), after: side(after, n) },
            { before: side(before, m), after: side(after, m) },
          );
          expect(result.estimate).toBeCloseTo(0, 12);
          expect(result.low).toBeLessThan(0);
          expect(result.high).toBeGreaterThan(0);
        },
      ),
    );
    const planted = diffInDiff(
      { before: { successes: 80, trials: 100 }, after: { successes: 50, trials: 100 } },
      { before: { successes: 800, trials: 1000 }, after: { successes: 750, trials: 1000 } },
    );
    expect(planted.estimate).toBeCloseTo(-0.25, 12);
    expect(planted.high).toBeLessThan(0);
  });
});

describe('benjaminiHochberg', () => {
  it('adjusts the worked example of Benjamini & Hochberg (1995) as R’s p.adjust(method = "BH") does', () => {
    const p = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1,
    ];
    const expected = [
      0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571, 0.0638571, 0.0645, 0.0765, 0.486, 0.5811818, 0.714875,
      0.7532308, 0.8132143, 1,
    ];
    const q = benjaminiHochberg(p);
    for (const [i, value] of q.entries()) expect(value).toBeCloseTo(expected[i] as number, 6);
    // At α = 0.05 the paper rejects exactly the four smallest.
    expect(q.filter((value) => value <= 0.05)).toHaveLength(4);
    // Input order is kept.
    expect(benjaminiHochberg([0.04, 0.01])).toEqual([0.04, 0.02]);
  });

  it('never lowers a p-value, keeps the order of the p-values and stays within [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (ps) => {
        const q = benjaminiHochberg(ps);
        expect(q).toHaveLength(ps.length);
        ps.forEach((p, i) => {
          expect(q[i]).toBeGreaterThanOrEqual(p);
          expect(q[i]).toBeLessThanOrEqual(1);
          ps.forEach((other, j) => {
            if (p < other) expect(q[i]).toBeLessThanOrEqual(q[j] as number);
          });
        });
      }),
    );
  });
});
