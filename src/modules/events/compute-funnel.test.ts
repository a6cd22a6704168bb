import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateFunnel, type FunnelEvent, funnelPersonDepth } from './compute-funnel.js';

const MIN = 60_000;
const ev = (minute: number, event: string, value: string | null = null): FunnelEvent => ({
  at: minute * MIN,
  event,
  value,
});
const STEPS = [['Search Performed'], ['Article Viewed'], ['Article Voted', 'Contact Form Viewed']];
const ALL = [0, Number.MAX_SAFE_INTEGER] as const;

describe('funnelPersonDepth', () => {
  it('counts steps done in order, with other events between them', () => {
    const events = [
      ev(0, 'Search Performed', 'en'),
      ev(1, 'Page Viewed'),
      ev(2, 'Article Viewed'),
      ev(5, 'Contact Form Viewed'),
    ];
    expect(funnelPersonDepth(events, STEPS, 60 * MIN, ...ALL)).toEqual({ depth: 3, value: 'en' });
  });

  it('does not count steps out of order', () => {
    const events = [ev(0, 'Article Viewed'), ev(1, 'Search Performed'), ev(2, 'Article Voted')];
    expect(funnelPersonDepth(events, STEPS, 60 * MIN, ...ALL).depth).toBe(1);
  });

  it('stops at the window, but a later start may still complete it', () => {
    const late = [ev(0, 'Search Performed'), ev(61, 'Article Viewed'), ev(62, 'Article Voted')];
    expect(funnelPersonDepth(late, STEPS, 60 * MIN, ...ALL).depth).toBe(1);
    const retried = [...late.slice(0, 1), ev(30, 'Search Performed'), ...late.slice(1)];
    expect(funnelPersonDepth(retried, STEPS, 60 * MIN, ...ALL).depth).toBe(3);
  });

  it('starts only within [from, to), and attributes the first step event that has a value', () => {
    const events = [ev(0, 'Search Performed'), ev(10, 'Search Performed'), ev(11, 'Article Viewed', 'reset-password')];
    expect(funnelPersonDepth(events, STEPS, 60 * MIN, 5 * MIN, 20 * MIN)).toEqual({
      depth: 2,
      value: 'reset-password',
    });
    expect(funnelPersonDepth(events, STEPS, 60 * MIN, 20 * MIN, 30 * MIN).depth).toBe(0);
  });

  it('never uses one event for two steps', () => {
    const same = [['Article Viewed'], ['Article Viewed']];
    expect(funnelPersonDepth([ev(0, 'Article Viewed')], same, 60 * MIN, ...ALL).depth).toBe(1);
    expect(funnelPersonDepth([ev(0, 'Article Viewed'), ev(1, 'Article Viewed')], same, 60 * MIN, ...ALL).depth).toBe(2);
  });

  const arbEvents = fc
    .array(fc.record({ minute: fc.integer({ min: 0, max: 300 }), step: fc.integer({ min: 0, max: 3 }) }), {
      maxLength: 30,
    })
    .map((list) =>
      list
        .sort((a, b) => a.minute - b.minute)
        .map((e) => ev(e.minute, ['Search Performed', 'Article Viewed', 'Article Voted', 'Page Viewed'][e.step]!)),
    );

  it('agrees with a brute-force search over every ordered choice of events (property)', () => {
    const brute = (events: FunnelEvent[], windowMs: number): number => {
      let best = 0;
      const walk = (from: number, depth: number, start: number) => {
        best = Math.max(best, depth);
        if (depth === STEPS.length) return;
        for (let j = from; j < events.length; j++) {
          const e = events[j]!;
          if (depth > 0 && e.at > start + windowMs) break;
          if (STEPS[depth]!.includes(e.event)) walk(j + 1, depth + 1, depth === 0 ? e.at : start);
        }
      };
      walk(0, 0, 0);
      return best;
    };
    fc.assert(
      fc.property(arbEvents, fc.integer({ min: 1, max: 120 }), (events, minutes) => {
        expect(funnelPersonDepth(events, STEPS, minutes * MIN, ...ALL).depth).toBe(brute(events, minutes * MIN));
      }),
    );
  });

  it('reaches no deeper with a shorter window (property)', () => {
    fc.assert(
      fc.property(arbEvents, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 60 }), (events, a, extra) => {
        const short = funnelPersonDepth(events, STEPS, a * MIN, ...ALL).depth;
        const long = funnelPersonDepth(events, STEPS, (a + extra) * MIN, ...ALL).depth;
        expect(short).toBeLessThanOrEqual(long);
      }),
    );
  });
});

describe('aggregateFunnel', () => {
  it('counts persons per step, with conversion from the first step, overall and per value', () => {
    const result = aggregateFunnel(
      [
        { depth: 3, value: 'en' },
        { depth: 1, value: 'en' },
        { depth: 2, value: 'es' },
        { depth: 0, value: null },
      ],
      3,
    );
    expect(result.total).toEqual({ value: null, counts: [3, 2, 1], conversion: [1, 0.6667, 0.3333] });
    expect(result.breakdown).toEqual([
      { value: 'en', counts: [2, 1, 1], conversion: [1, 0.5, 0.5] },
      { value: 'es', counts: [1, 1, 0], conversion: [1, 1, 0] },
    ]);
  });

  it('never has a later step larger than an earlier one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 })), (depths) => {
        const { total } = aggregateFunnel(
          depths.map((depth) => ({ depth, value: null })),
          4,
        );
        for (let k = 1; k < 4; k++) expect(total.counts[k]!).toBeLessThanOrEqual(total.counts[k - 1]!);
      }),
    );
  });
});
