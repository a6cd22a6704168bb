import { escapeHtml } from '../../shared/escape-html.js';

/** Amounts per price key and currency, e.g. `{ads_min_daily_budget: {USD: 1, JPY: 150}}`. */
export type PriceBook = Record<string, Record<string, number>>;

const PLACEHOLDER = /\{\{\s*price:([a-z0-9_]{1,60})\s*\}\}/g;

const formatters = new Map<string, Intl.NumberFormat>();

/** Formats an amount for a locale and currency with Intl; whole amounts drop the decimals. */
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
  return format.format(amount);
}

/** The price keys a text refers to. */
export function placeholderKeys(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1]!))];
}

/**
 * Replaces `{{price:key}}` in rendered HTML with the amount in the region's currency. A key or currency with no
 * price is shown as a visible marker rather than a wrong amount, so editors notice.
 */
export function resolvePlaceholders(html: string, prices: PriceBook, currency: string, locale: string): string {
  return html.replace(PLACEHOLDER, (_whole, key: string) => {
    const amount = prices[key]?.[currency];
    if (amount === undefined)
      return `<span class="price-missing" title="no price for ${escapeHtml(key)} in ${escapeHtml(currency)}">—</span>`;
    return `<span class="price" data-price="${escapeHtml(key)}">${escapeHtml(formatPrice(amount, currency, locale))}</span>`;
  });
}

/** Same as resolvePlaceholders, for plain text (snippets, API). */
export function resolvePlaceholdersText(text: string, prices: PriceBook, currency: string, locale: string): string {
  return text.replace(PLACEHOLDER, (_whole, key: string) => {
    const amount = prices[key]?.[currency];
    return amount === undefined ? '—' : formatPrice(amount, currency, locale);
  });
}
