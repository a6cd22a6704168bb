import { stopwords as arabic } from '@orama/stopwords/arabic';
import { stopwords as english } from '@orama/stopwords/english';
import { stopwords as japanese } from '@orama/stopwords/japanese';
import { stopwords as russian } from '@orama/stopwords/russian';
import { stopwords as spanish } from '@orama/stopwords/spanish';

/*
 * Stop words per language, shared by search (query analysis) and the classifier's theme naming: @orama/stopwords for
 * the languages it has, a short hand-kept list for Hebrew, which it lacks.
 */

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
};
// Negations and particles a search query needs ("log out" is not "log in") but that name no theme.
const KEEP_IN_QUERIES: Record<string, string[]> = {
  en: ['off', 'out', 'down', 'up', 'no', 'not'],
  ru: ['нет', 'не'],
};
// Function words the library's lists lack.
const EXTRA: Record<string, string[]> = {
  ru: ['это', 'этот', 'эта', 'эти', 'ещё', 'еще', 'всё'],
};

const LISTS: Record<string, readonly string[]> = {
  en: english,
  es: spanish,
  ru: russian,
  ar: arabic,
  he: HEBREW,
  ja: japanese,
};

/**
 * The stop words of a locale, folded with `fold` so they compare with analysed words; empty for unknown ones. For
 * 'query' (search) negations and particles stay words; for 'naming' (theme names) they are stop words too.
 */
export function stopWordsFor(
  locale: string,
  fold: (word: string) => string,
  purpose: 'query' | 'naming' = 'query',
): ReadonlySet<string> {
  const keep = new Set([...(KEEP[locale] ?? []), ...(purpose === 'query' ? (KEEP_IN_QUERIES[locale] ?? []) : [])]);
  return new Set([...(LISTS[locale] ?? []), ...(EXTRA[locale] ?? [])].filter((w) => !keep.has(w)).map(fold));
}
