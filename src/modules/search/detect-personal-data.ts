/**
 * Personal data a reader may paste into a search box: we never show such a query to other readers as a suggestion,
 * and we store it with the personal parts replaced.
 */

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]{2,}/gu;
const URL_LIKE = /\b(?:https?:\/\/|www\.)\S+/giu;
// Six or more digits, possibly grouped with spaces, dots or dashes: phone, card, order and account numbers.
const LONG_NUMBER = /\+?\d(?:[\s.-]?\d){5,}/gu;
// Long random-looking tokens (API keys, reset codes): letters and at least two digits, 12+ characters.
const SECRET_LIKE = /\b(?=[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{12,}\b/g;
const HANDLE = /(?:^|\s)@[\p{L}\p{N}_.]{2,}/gu;

const PATTERNS: [RegExp, string][] = [
  [EMAIL, '[email]'],
  [URL_LIKE, '[link]'],
  [SECRET_LIKE, '[code]'],
  [LONG_NUMBER, '[number]'],
  [HANDLE, ' [user]'],
];

function prepare(text: string): string {
  // Full-width and Arabic-Indic digits are digits too.
  return text
    .normalize('NFKC')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/** True when the text contains an email address, a long number, a link, a handle or a code. */
export function containsPersonalData(text: string): boolean {
  const prepared = prepare(text);
  return PATTERNS.some(([pattern]) => {
    pattern.lastIndex = 0;
    const found = pattern.test(prepared);
    pattern.lastIndex = 0;
    return found;
  });
}

/** The text with personal parts replaced by placeholders such as "[email]" and "[number]". */
export function redactPersonalData(text: string): string {
  let out = prepare(text);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, ' ').trim();
}
