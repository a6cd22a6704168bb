// No imports: the site's contact-form island bundles this with the server's rule, so both wait for the same text.

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * True when the typed text says enough to look articles up: 3 characters, or 2 when it has CJK characters (one
 * kanji or hangul syllable carries about as much as a short Latin word). Spaces don't count.
 */
export function longEnoughToSuggest(text: string): boolean {
  const characters = [...text.replace(/\s+/gu, '')].length;
  return characters >= 3 || (characters >= 2 && CJK.test(text));
}
