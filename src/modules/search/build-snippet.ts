import { escapeHtml } from '../../shared/escape-html.js';
import type { Analyzer } from './analyze-text.js';

const WINDOW_WORDS = 28;
const PLACEHOLDER = /\{\{[^{}\n]{1,120}\}\}/g;

/**
 * A short passage of `text` around the densest cluster of matched words, as HTML: the text is escaped and only the
 * words whose analysed terms are in `matchedTerms` are wrapped in <mark> (so "passwords" is marked for "password",
 * a Hebrew word with its prefix letters, and Japanese words without spaces).
 */
export function buildSnippet(
  analyzer: Analyzer,
  text: string,
  matchedTerms: ReadonlySet<string>,
  maxChars = 220,
): string {
  const words = analyzer.tokenize(text).map((t) => ({
    index: t.start,
    end: t.end,
    hit: t.word.terms.some((term) => matchedTerms.has(term)),
  }));
  if (words.length === 0) return escapeHtml(text.slice(0, maxChars));
  // Slide a window of words and keep the one with the most hits (earliest on ties).
  let best = 0;
  let bestHits = -1;
  let hits = 0;
  for (let i = 0; i < words.length; i++) {
    if (words[i]!.hit) hits += 1;
    if (i >= WINDOW_WORDS && words[i - WINDOW_WORDS]!.hit) hits -= 1;
    const start = Math.max(0, i - WINDOW_WORDS + 1);
    if (hits > bestHits) {
      bestHits = hits;
      best = start;
    }
  }
  // Start a few words before the first hit of the window, for context.
  let first = best;
  while (first < words.length - 1 && first < best + WINDOW_WORDS && !words[first]!.hit) first += 1;
  const startWord = words[Math.max(best, first - 4)]!;
  let from = startWord.index;
  let to = Math.min(text.length, from + maxChars);
  // Do not cut a word in half at the end.
  const lastWhole = words.filter((w) => w.end <= to).pop();
  if (lastWhole && lastWhole.end > from) to = lastWhole.end;
  // Nor a placeholder ({{price:plus_monthly}}): half of one can't be resolved and would show to readers as code.
  for (const placeholder of text.matchAll(PLACEHOLDER)) {
    const start = placeholder.index;
    const end = start + placeholder[0].length;
    if (from > start && from < end) from = start;
    if (to > start && to < end) to = end;
  }
  let html = '';
  let cursor = from;
  for (const word of words) {
    if (word.index < from || word.end > to) continue;
    if (!word.hit) continue;
    html += escapeHtml(text.slice(cursor, word.index));
    html += `<mark>${escapeHtml(text.slice(word.index, word.end))}</mark>`;
    cursor = word.end;
  }
  html += escapeHtml(text.slice(cursor, to));
  html = html.replace(/\s+/g, ' ').trim();
  return `${from > 0 ? '…' : ''}${html}${to < text.length ? '…' : ''}`;
}
