import { escapeHtml } from '../../shared/escape-html.js';
import { directionOf } from '../../shared/locales.js';

/** Amounts per price key and currency, e.g. `{ads_min_daily_budget: {USD: 1, JPY: 150}}`. */
export type PriceBook = Record<string, Record<string, number>>;

const PLACEHOLDER = /\{\{\s*price:([a-z0-9_]{1,60})\s*\}\}/g;

const formatters = new Map<string, Intl.NumberFormat>();

// Unicode directional isolates: invisible, and kept by sanitisers, plain-text snippets and the API alike.
const FSI = '\u2068';
const LRI = '\u2066';
const PDI = '\u2069';

/**
 * Formats an amount for a locale and currency with Intl; whole amounts drop the decimals. In right-to-left
 * locales the price is isolated from the text around it and a Latin currency symbol (`US$`, `R$`, `UK£`) is
 * isolated left-to-right; otherwise the bidi algorithm splits it and Arabic shows `$US 4.99`.
 */
export function formatPrice(amount: number, currency: string, locale: string): string {
  const whole = Number.isInteger(amount);
  const key = `${locale}|${currency}|${whole}`;
  // Building an Intl.NumberFormat costs far more than using one; a page formats several prices.
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: whole ? 0 : undefined,
      maximumFractionDigits: whole ? 0 : undefined,
    });
    formatters.set(key, format);
  }
  if (directionOf(locale) === 'ltr') return format.format(amount);
  const parts = format.formatToParts(amount).map((p) => (p.type === 'currency' ? `${LRI}${p.value}${PDI}` : p.value));
  return `${FSI}${parts.join('')}${PDI}`;
}

/** The price keys a text refers to. */
export function placeholderKeys(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1]!))];
}

// A tag of sanitised HTML: sanitize-html quotes every attribute value and escapes "<" and ">" inside it.
const TAG = /<[^>]*>/g;

function priceMarkup(key: string, prices: PriceBook, currency: string, locale: string): string {
  const amount = prices[key]?.[currency];
  if (amount === undefined)
    return `<span class="price-missing" title="no price for ${escapeHtml(key)} in ${escapeHtml(currency)}">—</span>`;
  return `<span class="price" data-price="${escapeHtml(key)}">${escapeHtml(formatPrice(amount, currency, locale))}</span>`;
}

/**
 * Replaces `{{price:key}}` in rendered, sanitised HTML with the amount in the region's currency. Between tags the
 * amount gets a `<span class="price">`; inside a tag (a link's title, an image's alt) only the escaped amount, as
 * markup there would break the tag. A key or currency with no price is shown as a visible marker rather than a
 * wrong amount, so editors notice.
 */
export function resolvePlaceholders(html: string, prices: PriceBook, currency: string, locale: string): string {
  if (!html.includes('{{')) return html;
  let out = '';
  let last = 0;
  const inText = (text: string) =>
    text.replace(PLACEHOLDER, (_whole, key: string) => priceMarkup(key, prices, currency, locale));
  for (const tag of html.matchAll(TAG)) {
    out += inText(html.slice(last, tag.index));
    out += tag[0].includes('{{') ? escapeInTag(tag[0], prices, currency, locale) : tag[0];
    last = tag.index + tag[0].length;
  }
  return out + inText(html.slice(last));
}

function escapeInTag(tag: string, prices: PriceBook, currency: string, locale: string): string {
  return tag.replace(PLACEHOLDER, (whole) => escapeHtml(resolvePlaceholdersText(whole, prices, currency, locale)));
}

/** Same as resolvePlaceholders, for plain text (snippets, API). */
export function resolvePlaceholdersText(text: string, prices: PriceBook, currency: string, locale: string): string {
  return text.replace(PLACEHOLDER, (_whole, key: string) => {
    const amount = prices[key]?.[currency];
    return amount === undefined ? '—' : formatPrice(amount, currency, locale);
  });
}
