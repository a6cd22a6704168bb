import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, retryDelayMs } from './backoff.js';

describe('the forwarding backoff', () => {
  const policy = { baseMs: 1000, maxMs: 15 * 60_000 };

  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 10, 11, 12, 100].map((n) => backoffCeilingMs(n, policy))).toEqual([
      1000, 2000, 4000, 8000, 512_000, 900_000, 900_000, 900_000,
    ]);
  });

  it('draws every wait in [0, ceiling] (full jitter), whatever the attempt and the random source', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const delay = retryDelayMs(attempt, policy, () => r);
        return Number.isFinite(delay) && delay >= 0 && delay <= backoffCeilingMs(attempt, policy);
      }),
    );
    expect(retryDelayMs(3, policy, () => 0)).toBe(0);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(2000);
    expect(retryDelayMs(3, policy, () => 1)).toBe(4000);
  });
});
