import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchStream, minimalWindow, rankScore } from './rank-candidates.js';

describe('minimalWindow', () => {
  it('finds the shortest span holding every token', () => {
    const hits = [
      { pos: 0, token: 0 },
      { pos: 10, token: 1 },
      { pos: 12, token: 0 },
      { pos: 13, token: 2 },
      { pos: 14, token: 1 },
    ];
    expect(minimalWindow(hits, 3)).toBe(3);
  });

  it('is never shorter than the number of tokens (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3), { minLength: 1, maxLength: 40 }), (tokens) => {
        const hits = tokens.map((token, pos) => ({ pos, token }));
        const k = new Set(tokens).size;
        const w = minimalWindow(hits, k);
        expect(w).toBeGreaterThanOrEqual(k);
        expect(w).toBeLessThanOrEqual(tokens.length);
      }),
    );
  });
});

describe('matchStream', () => {
  const tokensOf = new Map([
    [7, [0]],
    [8, [1]],
  ]);

  it('sees a phrase in order and counts title matches', () => {
    const m = matchStream([7, 8, 0, 5, 6], 3, tokensOf, 2);
    expect(m).toMatchObject({ matchedTokens: 2, titleTokens: 2, window: 2, phrase: true });
  });

  it('does not call reversed words a phrase', () => {
    const m = matchStream([0, 8, 7, 0], 1, tokensOf, 2);
    expect(m.phrase).toBe(false);
    expect(m.titleTokens).toBe(0);
    expect(m.window).toBe(2);
  });
});

describe('rankScore', () => {
  const base = { bm25: 10, tokenCount: 2, learned: 0 };
  const match = { matchedTokens: 2, titleTokens: 0, window: 10, phrase: false };

  it('rewards coverage, title, proximity, phrase and what readers chose', () => {
    const plain = rankScore({ ...base, match });
    expect(rankScore({ ...base, match: { ...match, matchedTokens: 1, window: Infinity } })).toBeLessThan(plain);
    expect(rankScore({ ...base, match: { ...match, titleTokens: 2 } })).toBeGreaterThan(plain);
    expect(rankScore({ ...base, match: { ...match, window: 2 } })).toBeGreaterThan(plain);
    expect(rankScore({ ...base, match: { ...match, phrase: true } })).toBeGreaterThan(plain);
    expect(rankScore({ ...base, match, learned: 0.5 })).toBeGreaterThan(plain);
  });

  it('never returns NaN, even for the slightly negative BM25 MiniSearch gives before vacuuming', () => {
    expect(rankScore({ ...base, bm25: -0.3, match })).toBe(0);
  });

  it('grows with BM25 (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(rankScore({ ...base, bm25: lo, match })).toBeLessThanOrEqual(rankScore({ ...base, bm25: hi, match }));
        },
      ),
    );
  });
});
