import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './article-reasons.js';
import { effectWindow, MAX_EFFECT_WINDOW_DAYS, type RevisionTotals, revisionEffect } from './revision-insights.js';

const DAY_MS = 86_400_000;
const totals = (votes: number, helpful: number, readers = 0, contacted = 0, searchedAgain = 0): RevisionTotals => ({
  views: 0,
  readers,
  contacted,
  searchedAgain,
  votes,
  helpful,
});

describe('effectWindow', () => {
  const at = (iso: string) => new Date(iso);

  it('takes 28 days a side when both revisions lived longer', () => {
    const w = effectWindow(
      { startedAt: at('2026-01-01T00:00:00Z'), endedAt: at('2026-03-01T12:00:00Z') },
      { startedAt: at('2026-03-01T12:00:00Z'), endedAt: null },
      at('2026-06-01T00:00:00Z'),
    );
    expect(w).toEqual({
      days: 28,
      before: { from: '2026-02-01', to: '2026-02-28' },
      after: { from: '2026-03-01', to: '2026-03-28' },
    });
  });

  it('shrinks to the shorter life, and gives up under a day', () => {
    const previous = { startedAt: at('2026-03-01T00:00:00Z'), endedAt: at('2026-03-11T00:00:00Z') };
    const current = { startedAt: at('2026-03-11T00:00:00Z'), endedAt: null };
    expect(effectWindow(previous, current, at('2026-05-01T00:00:00Z'))?.days).toBe(10);
    expect(effectWindow(previous, current, at('2026-03-14T06:00:00Z'))?.days).toBe(3);
    expect(effectWindow(previous, current, at('2026-03-11T20:00:00Z'))).toBeNull();
  });

  it('always gives equal, adjacent windows no longer than either life or 28 days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * 24 }),
        fc.integer({ min: 0, max: 400 * 24 }),
        fc.integer({ min: 0, max: 400 * 24 }),
        (previousHours, currentHours, extraHours) => {
          const start = Date.parse('2026-01-01T00:00:00Z');
          const published = start + previousHours * 3_600_000;
          const now = new Date(published + currentHours * 3_600_000 + extraHours * 3_600_000);
          const ended = new Date(published + currentHours * 3_600_000);
          const w = effectWindow(
            { startedAt: new Date(start), endedAt: new Date(published) },
            { startedAt: new Date(published), endedAt: ended },
            now,
          );
          const limit = Math.min(MAX_EFFECT_WINDOW_DAYS, Math.floor(previousHours / 24), Math.floor(currentHours / 24));
          if (limit < 1) return w === null;
          if (!w) return false;
          return (
            w.days === limit &&
            addDays(w.before.from, w.days - 1) === w.before.to &&
            addDays(w.before.to, 1) === w.after.from &&
            addDays(w.after.from, w.days - 1) === w.after.to &&
            w.after.from === new Date(published).toISOString().slice(0, 10)
          );
        },
      ),
    );
  });
});

describe('revisionEffect', () => {
  it('is null without votes on either side', () => {
    expect(revisionEffect({ previous: totals(0, 0), current: totals(10, 5), windows: null })).toBeNull();
    expect(revisionEffect({ previous: totals(10, 5), current: totals(0, 0), windows: null })).toBeNull();
  });

  it('states the raw difference, its interval and the difference beyond the controls (known values)', () => {
    const effect = revisionEffect({
      previous: totals(200, 100, 10, 5, 2),
      current: totals(200, 160, 10, 1, 2),
      windows: {
        treated: { before: { successes: 100, trials: 200 }, after: { successes: 160, trials: 200 } },
        control: { before: { successes: 800, trials: 1000 }, after: { successes: 700, trials: 1000 } },
      },
    });
    expect(effect?.difference).toBeCloseTo(0.3, 12);
    // Agresti-Caffo: (161/202 − 101/202) ± 1.96 √(p(1−p)/202 + q(1−q)/202).
    const p = 101 / 202;
    const q = 161 / 202;
    const half = 1.959963984540054 * Math.sqrt((p * (1 - p)) / 202 + (q * (1 - q)) / 202);
    expect(effect?.low).toBeCloseTo(q - p - half, 9);
    expect(effect?.high).toBeCloseTo(q - p + half, 9);
    expect(effect?.probabilityBetter).toBeGreaterThan(0.999);
    expect(effect?.didDifference).toBeCloseTo(0.4, 12);
    expect(effect?.didLow).toBeLessThan(0.4);
    expect(effect?.didHigh).toBeGreaterThan(0.4);
    expect(effect?.contactRate).toMatchObject({ before: 0.5, after: 0.1 });
    expect(effect?.contactRate?.difference).toBeCloseTo(-0.4, 12);
    expect(effect?.searchExitRate).toMatchObject({ before: 0.2, after: 0.2, difference: 0 });
  });

  it('has no DiD without windows or without control votes, and no contact change without readers', () => {
    const effect = revisionEffect({
      previous: totals(50, 20),
      current: totals(50, 30),
      windows: {
        treated: { before: { successes: 20, trials: 50 }, after: { successes: 30, trials: 50 } },
        control: { before: { successes: 0, trials: 0 }, after: { successes: 0, trials: 0 } },
      },
    });
    expect(effect).toMatchObject({ didDifference: null, didLow: null, didHigh: null, contactRate: null });
    expect(
      revisionEffect({ previous: totals(50, 20), current: totals(50, 30), windows: null })?.didDifference,
    ).toBeNull();
  });

  it('equals the treated change when the controls did not move, and its intervals hold the estimates', () => {
    const side = fc
      .tuple(fc.integer({ min: 1, max: 3000 }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([trials, share]) => ({ trials, successes: Math.round(trials * share) }));
    fc.assert(
      fc.property(side, side, side, (before, after, control) => {
        const effect = revisionEffect({
          previous: totals(before.trials, before.successes),
          current: totals(after.trials, after.successes),
          windows: { treated: { before, after }, control: { before: control, after: control } },
        });
        if (!effect || effect.didDifference === null || effect.didLow === null || effect.didHigh === null) return false;
        return (
          Math.abs(effect.didDifference - effect.difference) < 1e-12 &&
          effect.didLow <= effect.didDifference &&
          effect.didDifference <= effect.didHigh &&
          effect.low <= effect.high &&
          effect.probabilityBetter >= 0 &&
          effect.probabilityBetter <= 1 &&
          (before.trials !== after.trials ||
            before.successes !== after.successes ||
            Math.abs(effect.probabilityBetter - 0.5) < 1e-6)
        );
      }),
    );
  });
});

describe('window arithmetic', () => {
  it('counts whole UTC days across month ends and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(Date.parse(`${addDays('2026-01-01', 365)}T00:00:00Z`) - Date.parse('2026-01-01T00:00:00Z')).toBe(
      365 * DAY_MS,
    );
  });
});
