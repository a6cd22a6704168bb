import { analyzerFor } from '../search/index.js';

/** A word or a two-word phrase: `key` is what counts (stems, so "invoices" and "invoice" meet), `display` shows it. */
export interface Term {
  key: string;
  display: string;
}

export interface ExtractedTerms {
  unigrams: Term[];
  /** Neighbouring content words, stop words skipped ("cancel my subscription" → "cancel subscription"). */
  bigrams: Term[];
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const HAS_LETTER = /\p{L}/u;
// What redaction left in a text: "[email]" is not a reader's word.
const PLACEHOLDERS = /\[(?:email|link|code|number|user|redacted)\]/g;

/**
 * The words of a reader's or an article's text as the search engine sees them (the locale's folding, stemming and
 * word segmentation: Japanese and Chinese have no spaces), without stop words, numbers, one-letter words (one
 * character is a word in CJK) and redaction placeholders.
 */
export function extractTerms(locale: string, text: string): ExtractedTerms {
  const analyzer = analyzerFor(locale);
  const words: { key: string; display: string; cjk: boolean }[] = [];
  for (const word of analyzer.analyze(text.replace(PLACEHOLDERS, ' '))) {
    if (word.stop || !HAS_LETTER.test(word.word)) continue;
    const cjk = CJK.test(word.word);
    if (!cjk && Array.from(word.word).length < 2) continue;
    words.push({ key: word.stem, display: word.display, cjk });
  }
  const unigrams = words.map(({ key, display }) => ({ key, display }));
  const bigrams: Term[] = [];
  for (let i = 1; i < words.length; i++) {
    const a = words[i - 1] as (typeof words)[number];
    const b = words[i] as (typeof words)[number];
    const joiner = a.cjk && b.cjk ? '' : ' ';
    bigrams.push({ key: `${a.key} ${b.key}`, display: `${a.display}${joiner}${b.display}` });
  }
  return { unigrams, bigrams };
}

/** Every form an article's text is findable under (stems and surface forms), to test whether a reader's word is in it. */
export function articleWordForms(locale: string, text: string): Set<string> {
  const forms = new Set<string>();
  for (const word of analyzerFor(locale).analyze(text)) {
    forms.add(word.stem);
    forms.add(word.word);
    for (const term of word.terms) forms.add(term);
  }
  return forms;
}
