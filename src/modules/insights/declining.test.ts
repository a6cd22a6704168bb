import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../shared/random.js';
import { type Counts, testDeclines, type WindowCounts } from './declining.js';

const OPTIONS = { metric: 'helpful' as const, minTrials: 30, fdr: 0.1 };

function counts(rate: number, trials: number): Counts {
  return { successes: Math.round(rate * trials), trials };
}

function total(rows: readonly WindowCounts[]): WindowCounts {
  const sum = (pick: (r: WindowCounts) => Counts) => ({
    successes: rows.reduce((s, r) => s + pick(r).successes, 0),
    trials: rows.reduce((s, r) => s + pick(r).trials, 0),
  });
  return { baseline: sum((r) => r.baseline), recent: sum((r) => r.recent) };
}

/** 50 articles at `rate` that all move by `season`; the first also drops by `drop`. */
function helpCenter(rate: number, season: number, drop: number, baseline: number, recent: number) {
  return Array.from({ length: 50 }, (_, i) => ({
    id: i,
    baseline: counts(rate, baseline),
    recent: counts(rate + season - (i === 0 ? drop : 0), recent),
  }));
}

const scenario = fc.record({
  rate: fc.double({ min: 0.45, max: 0.9, noNaN: true }),
  season: fc.double({ min: -0.25, max: 0.05, noNaN: true }),
  baseline: fc.integer({ min: 300, max: 3000 }),
  recent: fc.integer({ min: 300, max: 1000 }),
});

describe('testDeclines', () => {
  it('flags nothing when the whole help center dips alike (seasonality)', () => {
    fc.assert(
      fc.property(scenario, ({ rate, season, baseline, recent }) => {
        const rows = helpCenter(rate, season, 0, baseline, recent);
        const { tested } = testDeclines(rows, total(rows), OPTIONS);
        expect(tested).toHaveLength(50);
        expect(tested.filter((t) => t.flagged)).toEqual([]);
      }),
    );
  });

  it('finds a drop planted in 1 of 50 articles, and only that one', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 0.2, max: 0.4, noNaN: true }), (s, drop) => {
        fc.pre(s.rate + s.season - drop >= 0.02);
        const rows = helpCenter(s.rate, s.season, drop, s.baseline, s.recent);
        const { tested } = testDeclines(rows, total(rows), OPTIONS);
        const flagged = tested.filter((t) => t.flagged);
        expect(flagged.map((t) => t.row.id)).toEqual([0]);
        expect(flagged[0]?.adjustedDifference).toBeCloseTo(-drop, 1);
        expect(flagged[0]?.high).toBeLessThan(0);
      }),
    );
  });

  it('tests a rise in contact rate as the decline', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({
      baseline: counts(0.1, 1000),
      recent: counts(i === 3 ? 0.3 : 0.12, 800),
    }));
    const { tested } = testDeclines(rows, total(rows), { ...OPTIONS, metric: 'contact' });
    expect(tested.filter((t) => t.flagged).map((t) => t.row)).toEqual([rows[3]]);
    // The same data read as a helpful rate is a rise: nothing declines.
    expect(testDeclines(rows, total(rows), OPTIONS).tested.filter((t) => t.flagged)).toEqual([]);
  });

  it('leaves out articles below the minimum volume in either window', () => {
    const rows = [
      { baseline: counts(0.9, 500), recent: counts(0.1, 29) },
      { baseline: counts(0.8, 500), recent: counts(0.8, 500) },
      { baseline: counts(0.8, 500), recent: counts(0.8, 500) },
    ];
    const { tested } = testDeclines(rows, total(rows), OPTIONS);
    expect(tested.map((t) => t.row)).toEqual([rows[1], rows[2]]);
  });

  it('gives q-values no smaller than the p-values on noisy data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const random = mulberry32(seed);
        const draw = (p: number, n: number) => {
          let s = 0;
          for (let i = 0; i < n; i++) if (random() < p) s += 1;
          return { successes: s, trials: n };
        };
        const rows = Array.from({ length: 30 }, () => ({
          baseline: draw(0.7, 40 + Math.floor(random() * 200)),
          recent: draw(0.5 + random() * 0.3, 40 + Math.floor(random() * 100)),
        }));
        const { tested } = testDeclines(rows, total(rows), OPTIONS);
        for (const t of tested) {
          expect(t.qValue).toBeGreaterThanOrEqual(t.pValue);
          expect(t.pValue).toBeGreaterThanOrEqual(0);
          expect(t.qValue).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('is monotone in the size of the drop: a bigger drop never gets a larger p-value', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 60 }),
        ({ rate, season, baseline, recent }, smaller, extra) => {
          fc.pre(smaller + extra <= Math.round((rate + season) * recent));
          const at = (lost: number) => {
            const rows = helpCenter(rate, season, 0, baseline, recent);
            const first = rows[0] as (typeof rows)[number];
            first.recent = { ...first.recent, successes: first.recent.successes - lost };
            return testDeclines(rows, total(rows), OPTIONS).tested[0];
          };
          const a = at(smaller);
          const b = at(smaller + extra);
          expect(b?.pValue).toBeLessThanOrEqual((a?.pValue ?? 0) + 1e-12);
          expect(b?.adjustedDifference).toBeLessThan(a?.adjustedDifference ?? 0);
        },
      ),
    );
  });
});
