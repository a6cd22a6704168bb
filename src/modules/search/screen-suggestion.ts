import { foldText } from './analyze-text.js';
import { containsContactDetails, containsLink, containsPersonalData } from './detect-personal-data.js';

/** Why a query may not be shown to other readers, whatever the evidence behind it. */
export type SuggestionHazard = 'personal-data' | 'link' | 'contact' | 'blocklist';

/** Folded words of a text: case, accents and punctuation gone, so "ScAm-Site" and "scam site" compare alike. */
function foldedWords(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * A blocklist prepared once: each term matches as a run of whole words ("free money" in "get free money now"),
 * and terms of 5+ letters also inside the text with spaces and punctuation squeezed out, so "s.c.a.m.m.e.r" or
 * "scam mer" can't slip past "scammer". Short terms match only as words ("ass" must not hide "password").
 */
export class Blocklist {
  private readonly terms: { words: string[]; squeezed: string }[];

  constructor(terms: readonly string[]) {
    this.terms = terms
      .map((term) => foldedWords(term))
      .filter((words) => words.length > 0)
      .map((words) => ({ words, squeezed: words.join('') }));
  }

  get size(): number {
    return this.terms.length;
  }

  /** True when the text contains a blocked term. */
  matches(text: string): boolean {
    if (this.terms.length === 0) return false;
    const words = foldedWords(text);
    const joined = ` ${words.join(' ')} `;
    const squeezed = words.join('');
    return this.terms.some(
      (term) =>
        joined.includes(` ${term.words.join(' ')} `) || (term.squeezed.length >= 5 && squeezed.includes(term.squeezed)),
    );
  }
}

/** The first reason a query must never be suggested, or null when it may be (evidence permitting). */
export function suggestionHazard(text: string, blocklist: Blocklist): SuggestionHazard | null {
  if (containsLink(text)) return 'link';
  if (containsContactDetails(text)) return 'contact';
  if (containsPersonalData(text) || text.includes('[')) return 'personal-data';
  if (blocklist.matches(text)) return 'blocklist';
  return null;
}
