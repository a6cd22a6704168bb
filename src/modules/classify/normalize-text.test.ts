import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize-text.js';

describe('normalizeText', () => {
  it.each([
    ['Café CRÈME brûlée', 'cafe creme brulee'],
    ['Ñandú São Paulo Øresund Łódź', 'nandu sao paulo oresund lodz'],
    ['Straße', 'strasse'],
    ['ＦＵＬＬ－ｗｉｄｔｈ １２３', 'full-width 123'],
    ['ﾊﾟｽﾜｰﾄﾞ', 'パスワード'],
    ['Ёлка ЁЖИК', 'елка ежик'],
    ['أَحْمَد إِبْرَاهِيم آمِنَة', 'احمد ابراهيم امنه'],
    ['مستشفى جــــميل', 'مستشفي جميل'],
    ['رقم ٣٤٥', 'رقم 345'],
    ['שָׁלוֹם עוֹלָם', 'שלום עולם'],
    ['ΟΔΟΣ', 'οδοσ'],
  ])('normalises %s', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('keeps marks that change a letter outside Latin script', () => {
    expect(normalizeText('が')).toBe('が'); // dakuten stays: か and が are different words
    expect(normalizeText('Йогурт')).toBe('йогурт'); // й is not и
  });

  it('leaves no Latin diacritic, tashkeel, tatweel, niqqud or ё behind, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const out = normalizeText(text);
        expect(out).not.toMatch(/[\u064b-\u065f\u0640\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7ё]/u);
        expect(out.normalize('NFD')).not.toMatch(/\p{Script=Latin}[\u0300-\u036f]/u);
      }),
    );
  });

  it('is idempotent on text from the supported scripts', () => {
    const alphabet = 'aZéÉñßёЁжأإآىةتَـשָׁ中カｶＡ1١ '.split('');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet)), (chars) => {
        const once = normalizeText(chars.join(''));
        expect(normalizeText(once)).toBe(once);
      }),
    );
  });
});
