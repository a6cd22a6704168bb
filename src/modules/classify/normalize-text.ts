/**
 * Language-independent text normalisation for classification features. The aim is that spellings a reader would
 * consider the same word hash to the same feature: "Café" and "cafe", "أحمد" and "احمد", "שָׁלוֹם" and "שלום",
 * "ёлка" and "елка", full-width "ＡＢＣ" and "abc".
 */

// Printable ASCII plus common whitespace needs nothing but lowercasing; anything else takes the full path.
const NEEDS_FULL_PATH = /[^\t\n\r -~]/;
// Latin letters followed by combining diacritics (after NFD). Restricted to Latin so that Japanese dakuten
// (が = か + U+3099) and Cyrillic й (и + U+0306) keep the marks that change the letter.
const LATIN_WITH_MARKS = /(\p{Script=Latin})[\u0300-\u036f]+/gu;
const HAS_LATIN_EXTENDED = /[\u00c0-\u024f\u1e00-\u1eff]|[\u0300-\u036f]/;
const LATIN_LETTER_FOLDS: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ħ: 'h',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
  þ: 'th',
};
const LATIN_LETTER_FOLD_PATTERN = /[ßøłđħæœıþ]/g;

const HAS_ARABIC = /[\u0600-\u06ff]/;
// Tashkeel (harakat, tanwin, shadda, sukun, superscript alef) and tatweel carry no lexical meaning for matching.
const ARABIC_MARKS = /[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]/g;
const ARABIC_ALEF_FORMS = /[\u0622\u0623\u0625\u0671]/g; // آ أ إ ٱ → ا
const ARABIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;

const HAS_HEBREW = /[\u0590-\u05ff]/;
// Niqqud and cantillation; keeps maqaf, paseq, sof pasuq and nun hafukha, which are punctuation.
const HEBREW_POINTS = /[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]/g;

/** Normalises text for feature extraction: NFKC, case folding, Latin/Arabic/Hebrew mark folding and ё → е. */
export function normalizeText(text: string): string {
  if (!NEEDS_FULL_PATH.test(text)) return text.toLowerCase();
  let out = text.normalize('NFKC').toLowerCase();
  // Arabic and Hebrew marks go first: removing a tatweel can bring a Latin letter and a combining mark together,
  // which the Latin step must then see.
  if (HAS_ARABIC.test(out)) {
    out = out
      .replace(ARABIC_MARKS, '')
      .replace(ARABIC_ALEF_FORMS, '\u0627')
      .replace(/\u0649/g, '\u064a') // ى → ي
      .replace(/\u0629/g, '\u0647') // ة → ه
      .replace(ARABIC_DIGITS, (d) => String((d.charCodeAt(0) - (d.charCodeAt(0) >= 0x06f0 ? 0x06f0 : 0x0660)) % 10));
  }
  if (HAS_HEBREW.test(out)) out = out.replace(HEBREW_POINTS, '');
  if (HAS_LATIN_EXTENDED.test(out)) {
    out = out
      .normalize('NFD')
      .replace(LATIN_WITH_MARKS, '$1')
      .normalize('NFC')
      .replace(LATIN_LETTER_FOLD_PATTERN, (c) => LATIN_LETTER_FOLDS[c] ?? c);
  }
  // Greek final sigma folds like full case folding does; ё is written as е in most Russian text.
  return out.replace(/ё/g, 'е').replace(/ς/g, 'σ');
}
