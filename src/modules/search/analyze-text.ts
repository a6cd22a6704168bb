import { stemmer as stemArabic } from '@orama/stemmers/arabic';
import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemRussian } from '@orama/stemmers/russian';
import { stemmer as stemSpanish } from '@orama/stemmers/spanish';
import { baseLanguageOf } from '../../shared/locales.js';
import { stopWordsFor } from '../../shared/stop-words.js';

/**
 * Per-locale text analysis shared by indexing and querying, so that a reader's spelling and the article's meet:
 * Unicode NFKC and case folding, Latin diacritics, Arabic and Hebrew marks, ё → е, word segmentation with
 * Intl.Segmenter (Japanese and Chinese have no spaces), stemming (Snowball stemmers for en, es, ru, ar), a light
 * Hebrew prefix stripper, and stop words.
 */

export interface AnalyzedWord {
  /** The folded surface form, as typed (no stemming): matched by prefix and by typo tolerance. */
  word: string;
  /** The word in lower case with its accents, as written (for "did you mean"). */
  display: string;
  /** The primary index term (the stem where the locale has a stemmer, else the word). */
  stem: string;
  /** Every term this word is indexed under: the stem first, then the surface form and other variants. */
  terms: string[];
  /** Edit distance a reader may get wrong in this word (Algolia-like: 1 from 4 letters, 2 from 8; 0 for CJK). */
  typos: number;
  stop: boolean;
}

export interface Analyzer {
  readonly locale: string;
  /** Folds a text (or word) without segmenting it. */
  fold(text: string): string;
  /** Every word-like segment of a text, folded, in order, with stop words flagged. */
  analyze(text: string): AnalyzedWord[];
  /** Words of a text with their UTF-16 offsets in it (for snippets); no NFKC on the whole text. */
  tokenize(text: string): { start: number; end: number; word: AnalyzedWord }[];
  /** The analysis of one already-folded word (`original`: its lowercase form before folding, where known). */
  analyzeWord(word: string, original?: string): AnalyzedWord;
}

const LATIN_WITH_MARKS = /(\p{Script=Latin})[\u0300-\u036f]+/gu;
const HAS_NON_ASCII = /[^\x20-\x7e\t\n\r]/;
const LATIN_LETTER_FOLDS: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
};
const LATIN_LETTER_FOLD_PATTERN = /[ßøłđæœı]/g;
// Tashkeel (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks) and tatweel.
const ARABIC_MARKS = /[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]/g;
const ARABIC_ALEF_FORMS = /[\u0622\u0623\u0625\u0671]/g;
const ARABIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;
// Niqqud and cantillation marks; maqaf and geresh are punctuation and stay.
const HEBREW_POINTS = /[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]/g;
const APOSTROPHES = /['’ʼ]/g;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
// Scripts written without spaces between words, where only a dictionary segmenter finds the words.
const NEEDS_SEGMENTER =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const SPACED_WORD = /[\p{L}\p{M}\p{N}_]+(?:['’.][\p{L}\p{M}\p{N}_]+)*/gu;

/** Folds case and the marks readers leave out, keeping those that change a letter (Japanese dakuten, й). */
export function foldText(text: string): string {
  if (!HAS_NON_ASCII.test(text)) return text.toLowerCase().replace(APOSTROPHES, '');
  let out = text.normalize('NFKC').toLowerCase();
  out = out
    .normalize('NFD')
    .replace(LATIN_WITH_MARKS, '$1')
    .normalize('NFC')
    .replace(LATIN_LETTER_FOLD_PATTERN, (c) => LATIN_LETTER_FOLDS[c] ?? c);
  out = out
    .replace(ARABIC_MARKS, '')
    .replace(ARABIC_ALEF_FORMS, '\u0627')
    .replace(/\u0649/g, '\u064a') // ى → ي
    .replace(/\u0629/g, '\u0647') // ة → ه
    .replace(/\u0624/g, '\u0648') // ؤ → و
    .replace(/\u0626/g, '\u064a') // ئ → ي
    .replace(ARABIC_DIGITS, (d) => String((d.charCodeAt(0) - (d.charCodeAt(0) >= 0x06f0 ? 0x06f0 : 0x0660)) % 10))
    .replace(HEBREW_POINTS, '');
  return out.replace(/ё/g, 'е').replace(APOSTROPHES, '');
}

/** Typo budget of a word by its length in code points: 0 below 4, 1 from 4, 2 from 8; never in CJK words. */
export function typoBudget(word: string): number {
  if (CJK.test(word)) return 0;
  const length = Array.from(word).length;
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

const HEBREW_PREFIXES = new Set(['ו', 'ה', 'ב', 'כ', 'ל', 'מ', 'ש']);

/**
 * Hebrew attaches conjunctions, prepositions and the article to the word ("והסיסמה" = "and the password"). There is
 * no Hebrew stemmer in the library we use, so we also index the word without up to two such letters, keeping at
 * least three letters; over-stripping a real first letter only adds a rare extra term.
 */
function hebrewVariants(word: string): string[] {
  const out: string[] = [];
  let rest = word;
  for (let i = 0; i < 2; i++) {
    const first = rest[0];
    if (!first || !HEBREW_PREFIXES.has(first) || Array.from(rest).length <= 3) break;
    rest = rest.slice(1);
    out.push(rest);
  }
  return out;
}

const HEBREW_FINALS: Record<string, string> = { ך: 'כ', ם: 'מ', ן: 'נ', ף: 'פ', ץ: 'צ' };

/**
 * A light Hebrew "skeleton" (no Hebrew stemmer exists in the library we use): without the common plural and
 * construct endings, without the vowel letters ו and י after the first letter, and with final letter forms made
 * regular, inflections of one root tend to meet: "לפתוח" (to open) and "פתיחת" (opening of) both give "פתח",
 * "להזמין" and "הזמנת" give "הזמנ". Indexed as an extra term, weighted below the word itself.
 */
export function hebrewSkeleton(word: string): string | undefined {
  let base = word;
  if (base.length >= 5 && /(?:ים|ות|ית)$/.test(base)) base = base.slice(0, -2);
  else if (base.length >= 4 && /[הת]$/.test(base)) base = base.slice(0, -1);
  const skeleton = (base[0] ?? '') + base.slice(1).replace(/[וי]/g, '');
  const regular = skeleton.replace(/[ךםןףץ]/g, (c) => HEBREW_FINALS[c] ?? c);
  return regular.length >= 3 && regular !== word ? regular : undefined;
}

type Stemmer = (word: string) => string;

const STEMMERS: Record<string, Stemmer> = {
  en: stemEnglish,
  es: stemSpanish,
  ru: stemRussian,
  ar: stemArabic,
};

const cache = new Map<string, Analyzer>();

/**
 * The analyser of a locale (cached). A regional variant gets its language's rules (`es-MX` as `es`); languages
 * without rules of ours (a newly configured `fr`, `pt-BR`) get folding, segmentation and no stemming or stop words.
 */
export function analyzerFor(locale: string): Analyzer {
  let analyzer = cache.get(locale);
  if (!analyzer) {
    analyzer = createAnalyzer(locale);
    cache.set(locale, analyzer);
  }
  return analyzer;
}

function createAnalyzer(locale: string): Analyzer {
  const segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
  const language = baseLanguageOf(locale);
  const stopWords = stopWordsFor(language, foldText);
  const stem = STEMMERS[language];
  const memo = new Map<string, AnalyzedWord>();

  // Spanish Snowball rules are written with accents ("-ación"), so we stem the accented form too and fold the stem:
  // "eliminación" is then indexed under "elimin" (as "eliminar") and under "eliminacion" (as typed without accent).
  const accentAware = language === 'es';

  function analyzeWord(word: string, original?: string): AnalyzedWord {
    const key = original ?? word;
    const accented = accentAware ? original : undefined;
    const known = memo.get(key);
    if (known) return known;
    const terms: string[] = [];
    let primary = word;
    if (stem && !/^\d+$/.test(word)) {
      primary = (accentAware && accented && accented !== word ? foldText(stem(accented)) : stem(word)) || word;
      terms.push(primary);
      if (accentAware && accented && accented !== word) {
        const plain = stem(word);
        if (plain && !terms.includes(plain)) terms.push(plain);
      }
      if (!terms.includes(word)) terms.push(word);
    } else {
      terms.push(word);
    }
    if (language === 'he') {
      for (const base of [word, ...hebrewVariants(word)]) {
        if (!terms.includes(base)) terms.push(base);
        const skeleton = hebrewSkeleton(base);
        if (skeleton && !terms.includes(skeleton)) terms.push(skeleton);
      }
    }
    const analyzed: AnalyzedWord = {
      word,
      display: original ?? word,
      stem: primary,
      terms,
      typos: typoBudget(word),
      stop: stopWords.has(word),
    };
    // Bounded: a corpus has a few hundred thousand distinct words at most; the memo saves re-stemming them.
    if (memo.size < 500_000) memo.set(key, analyzed);
    return analyzed;
  }

  // Raw segment → analysis: a corpus repeats the same few thousand words, and folding is the costly part.
  const bySegment = new Map<string, AnalyzedWord | null>();
  function analyzeSegment(segment: string): AnalyzedWord | null {
    let analyzed = bySegment.get(segment);
    if (analyzed === undefined) {
      const word = foldText(segment);
      analyzed = word.length === 0 ? null : analyzeWord(word, segment.toLowerCase().replace(APOSTROPHES, ''));
      if (bySegment.size < 500_000) bySegment.set(segment, analyzed);
    }
    return analyzed;
  }

  function tokenize(text: string): { start: number; end: number; word: AnalyzedWord }[] {
    const out: { start: number; end: number; word: AnalyzedWord }[] = [];
    if (NEEDS_SEGMENTER.test(text)) {
      for (const part of segmenter.segment(text)) {
        if (!part.isWordLike) continue;
        const word = analyzeSegment(part.segment);
        if (word) out.push({ start: part.index, end: part.index + part.segment.length, word });
      }
    } else {
      // Text in spaced scripts only: the same word boundaries as Intl.Segmenter for what we index (letters,
      // digits, inner apostrophes and dots), several times faster on a large corpus (bench/search.ts).
      for (const match of text.matchAll(SPACED_WORD)) {
        const word = analyzeSegment(match[0]);
        if (word) out.push({ start: match.index, end: match.index + match[0].length, word });
      }
    }
    return out;
  }

  return {
    locale,
    fold: foldText,
    analyzeWord,
    analyze(text) {
      return tokenize(text.normalize('NFKC')).map((t) => t.word);
    },
    tokenize,
  };
}
