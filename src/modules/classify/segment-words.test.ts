import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segmentWithIcu, segmentWords } from './segment-words.js';

describe('segmentWords', () => {
  it('splits Japanese and Chinese, which have no spaces, into several words', () => {
    expect(segmentWords('パスワードを忘れました').length).toBeGreaterThan(2);
    expect(segmentWords('パスワードを忘れました')).toContain('パスワード');
    expect(segmentWords('我的卡还没到').length).toBeGreaterThan(2);
  });

  it('drops punctuation and spaces and keeps contractions and numbers whole', () => {
    expect(segmentWords("i don't have 1,000.50 — why?")).toEqual(['i', "don't", 'have', '1,000.50', 'why']);
    expect(segmentWords('¿dónde está mi tarjeta?')).toEqual(['dónde', 'está', 'mi', 'tarjeta']);
    expect(segmentWords('نسيت كلمة المرور!')).toEqual(['نسيت', 'كلمة', 'المرور']);
  });

  it('segments plain ASCII exactly as ICU does (the fast path is only a shortcut)', () => {
    const ascii = fc.mapToConstant(
      { num: 95, build: (v) => String.fromCharCode(0x20 + v) }, // printable ASCII
      { num: 6, build: (v) => "aZ9.,'".charAt(v) }, // joiners more often, to reach the tricky rules
    );
    fc.assert(
      fc.property(fc.string({ unit: ascii, maxLength: 24 }), (text) => {
        expect(segmentWords(text)).toEqual(segmentWithIcu(text));
      }),
      { numRuns: 2000 },
    );
  });
});
