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

// Links in any form, for texts shown to other readers (suggestions). Kept apart from the redaction patterns above:
// they are stricter than what we would cut out of a reader's own stored words.
// Top-level domains spammers use. Right after a dot ("x.io") or with the dot spelled out ("x dot com", "x(dot)com")
// any of these; after a space or a spaced dot ("scamsite io", "x . io") only those that are not also words in our
// languages ("su", "es", "me", "in", "it", "net", "info"...), so "cambiar su contraseña", "log in" or a sentence's
// full stop never look like links.
const DOTTED_TLDS =
  'com|net|org|io|co|info|biz|xyz|ru|me|app|dev|ly|gg|link|site|online|shop|store|click|live|us|uk|de|cn|tk|ml|ga|' +
  'cf|gq|cc|tv|ai|pw|su|ws|to|eu|fr|es|it|nl|pl|br|jp|in|ca|au|ch|se|ua|kz|ir|tr|mx|id|vn|kr|tw|hk|sg|top|win|bid|' +
  'loan|work|fun|space|website|tech|pro|mobi|icu|cyou|buzz|help|support|email|page|zip|sa|il|рф';
const SPACED_TLDS = 'com|io|ru|xyz|biz|tk|gg|pw';
const DOTS = '.\u3002\uff0e\u00b7\u2022\u2219';
const SPELLED_DOT = String.raw`\s*[([{]\s*(?:dot|\.)\s*[)\]}]\s*|\s+(?:dot|punto|точка|نقطة)\s+`;
// A label: letters or digits of any script (look-alike letters count), hyphens inside, at least one letter.
const LABEL = String.raw`(?=[\p{N}-]*\p{L})[\p{L}\p{N}][\p{L}\p{N}-]*`;
const END = String.raw`(?![\p{L}\p{N}])`;
const LINK_PATTERNS: RegExp[] = [
  /(?:https?|hxxps?|ftp)\s*:|:\s*\/\/|(?<![\p{L}])www(?![\p{L}])/iu,
  new RegExp(`${LABEL}(?:[${DOTS}]|${SPELLED_DOT})(?:${DOTTED_TLDS})${END}`, 'iu'),
  new RegExp(String.raw`(?<![\p{L}\p{N}])${LABEL}(?:\s*[${DOTS},]\s*|\s+)(?:${SPACED_TLDS})${END}`, 'iu'),
  /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/u,
];
// Ways to reach a person outside the help center: messengers and "call me" phrases (emails, phone numbers and
// @handles are the personal-data patterns above).
const CONTACT_PATTERNS: RegExp[] = [
  /(?<![\p{L}])(?:whats\s?app|telegram|viber|wechat|skype|kik|snapchat|discord|signal\s+me)(?![\p{L}])/iu,
  /(?<![\p{L}])(?:call|text|dm|message|contact|reach|email|e-mail|ring|ping|write)\s+(?:me|us)(?![\p{L}])/iu,
  /(?<![\p{L}])(?:ll[aá]ma(?:me|nos)|escr[ií]be(?:me|nos)|(?:позвони|напиши|пиши|звони)(?:те)?\s+(?:мне|нам))(?![\p{L}])/iu,
];

/** True when the text holds a link in any form: a URL, a bare or spelled-out domain ("scamsite io"), an address. */
export function containsLink(text: string): boolean {
  const prepared = prepare(text);
  return LINK_PATTERNS.some((pattern) => pattern.test(prepared));
}

/** True when the text holds a way to contact someone: an email, a phone number, a handle or a messenger. */
export function containsContactDetails(text: string): boolean {
  const prepared = prepare(text);
  if (CONTACT_PATTERNS.some((pattern) => pattern.test(prepared))) return true;
  return [EMAIL, LONG_NUMBER, HANDLE].some((pattern) => {
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
