import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, earlierDay, presentTexts, shareTrend, TREND_DAYS, trendWindows } from './article-reasons.js';
import { weekOf, weeksOf } from './article-series.js';

describe('trend windows', () => {
  it('compares the last 28 days of the period with the 28 before', () => {
    expect(trendWindows('2026-04-25')).toEqual({
      recent: { from: '2026-03-29', to: '2026-04-25' },
      previous: { from: '2026-03-01', to: '2026-03-28' },
    });
  });

  it('are adjacent and TREND_DAYS long whatever the day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), (offset) => {
        const to = addDays('2020-01-01', offset);
        const w = trendWindows(to);
        return (
          addDays(w.recent.from, TREND_DAYS - 1) === w.recent.to &&
          addDays(w.previous.to, 1) === w.recent.from &&
          addDays(w.previous.from, TREND_DAYS - 1) === w.previous.to &&
          earlierDay(w.previous.from, to) === w.previous.from
        );
      }),
    );
  });

  it('has no trend without "no" votes on either side', () => {
    expect(shareTrend({ part: 3, whole: 4 }, { part: 1, whole: 4 })).toBe(0.5);
    expect(shareTrend({ part: 0, whole: 0 }, { part: 1, whole: 4 })).toBeNull();
    expect(shareTrend({ part: 1, whole: 4 }, { part: 0, whole: 0 })).toBeNull();
  });
});

describe('presentTexts', () => {
  it('redacts personal data, drops repeats (after redaction) and keeps the order up to the limit', () => {
    const rows = [
      { text: 'Mail me: ann@example.com' },
      { text: 'Mail me: bob@example.org' },
      { text: '  Too   many steps ' },
      { text: 'too many steps' },
      { text: 'Call +44 20 7946 0958' },
      { text: 'Fourth' },
    ];
    expect(presentTexts(rows, 3).map((r) => r.text)).toEqual(['Mail me: [email]', 'Too many steps', 'Call [number]']);
  });

  it('cuts long texts', () => {
    const [row] = presentTexts([{ text: 'word '.repeat(400) }], 1);
    expect(row?.text.length).toBe(500);
    expect(row?.text.endsWith('…')).toBe(true);
  });
});

describe('weeks', () => {
  it('start on Monday', () => {
    expect(weekOf('2026-02-01')).toBe('2026-01-26'); // a Sunday
    expect(weekOf('2026-02-02')).toBe('2026-02-02'); // a Monday
    expect(weeksOf('2026-02-01', '2026-02-16')).toEqual(['2026-01-26', '2026-02-02', '2026-02-09', '2026-02-16']);
  });

  it('cover the period once, each a Monday 7 days after the last', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: 0, max: 400 }), (offset, length) => {
        const from = addDays('2020-01-01', offset);
        const to = addDays(from, length);
        const weeks = weeksOf(from, to);
        return (
          weeks.every((w) => new Date(`${w}T00:00:00Z`).getUTCDay() === 1) &&
          weeks.every((w, i) => i === 0 || addDays(weeks[i - 1] as string, 7) === w) &&
          (weeks[0] as string) <= from &&
          addDays(weeks[0] as string, 7) > from &&
          (weeks.at(-1) as string) <= to &&
          addDays(weeks.at(-1) as string, 7) > to
        );
      }),
    );
  });
});
