import { stopwords as arabic } from '@orama/stopwords/arabic';
import { stopwords as english } from '@orama/stopwords/english';
import { stopwords as japanese } from '@orama/stopwords/japanese';
import { stopwords as russian } from '@orama/stopwords/russian';
import { stopwords as spanish } from '@orama/stopwords/spanish';

// The library has no Hebrew list: function words and prepositions a reader adds around the words that matter.
const HEBREW = [
  'את',
  'של',
  'על',
  'עם',
  'אל',
  'מה',
  'איך',
  'למה',
  'מתי',
  'איפה',
  'אני',
  'אתה',
  'את',
  'הוא',
  'היא',
  'אנחנו',
  'הם',
  'הן',
  'זה',
  'זאת',
  'זו',
  'יש',
  'אין',
  'לא',
  'כן',
  'גם',
  'רק',
  'או',
  'אם',
  'כי',
  'אבל',
  'כל',
  'עוד',
  'כבר',
  'שלי',
  'שלך',
  'שלו',
  'שלה',
  'לי',
  'לך',
  'לו',
  'לה',
  'אותי',
  'אותו',
  'אותה',
  'מן',
  'בין',
  'אחרי',
  'לפני',
  'כמו',
  'היה',
  'הייתה',
  'להיות',
  'אפשר',
  'צריך',
  'רוצה',
  'ב',
  'ל',
  'ה',
  'ו',
  'ש',
  'מ',
  'כ',
];

// Words the generic lists drop that carry the meaning of a help-center query ("cuenta" is "account").
const KEEP: Record<string, string[]> = {
  es: ['cuenta', 'cuentas', 'nuevo', 'nueva', 'contra'],
  en: ['off', 'out', 'down', 'up', 'no', 'not'],
  ru: ['нет', 'не'],
};

const LISTS: Record<string, readonly string[]> = {
  en: english,
  es: spanish,
  ru: russian,
  ar: arabic,
  he: HEBREW,
  ja: japanese,
};

/** The stop words of a locale, folded with `fold` so they compare with analysed words; empty for unknown ones. */
export function stopWordsFor(locale: string, fold: (word: string) => string): ReadonlySet<string> {
  const keep = new Set(KEEP[locale] ?? []);
  return new Set((LISTS[locale] ?? []).filter((w) => !keep.has(w)).map(fold));
}
