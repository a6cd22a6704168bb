import { describe, expect, it } from 'vitest';
import { formatPrice, placeholderKeys, resolvePlaceholders, resolvePlaceholdersText } from './resolve-placeholders.js';

const prices = { ads_min_daily_budget: { USD: 1, JPY: 150, EUR: 1, GBP: 1 }, plus_monthly: { USD: 4.99, EUR: 4.99 } };

describe('region placeholders', () => {
  it('formats the amount in the region currency for the page locale', () => {
    expect(resolvePlaceholdersText('min {{price:ads_min_daily_budget}}', prices, 'USD', 'en')).toBe('min $1');
    expect(resolvePlaceholdersText('{{price:ads_min_daily_budget}}', prices, 'JPY', 'ja')).toBe('￥150');
    expect(resolvePlaceholdersText('{{price:plus_monthly}}', prices, 'EUR', 'es')).toBe('4,99\u00a0€');
  });

  it('keeps decimals only where the amount has them', () => {
    expect(formatPrice(5, 'USD', 'en')).toBe('$5');
    expect(formatPrice(4.5, 'USD', 'en')).toBe('$4.50');
  });

  it('shows a visible marker, not a wrong amount, for a missing price', () => {
    const html = resolvePlaceholders('<p>{{price:plus_monthly}}</p>', prices, 'JPY', 'ja');
    expect(html).toContain('price-missing');
    expect(html).not.toContain('{{');
    expect(resolvePlaceholdersText('{{price:nope}}', prices, 'USD', 'en')).toBe('—');
  });

  it('wraps resolved prices in a span the page can style and tests can find', () => {
    const html = resolvePlaceholders('<p>{{ price:ads_min_daily_budget }}</p>', prices, 'GBP', 'en');
    expect(html).toBe('<p><span class="price" data-price="ads_min_daily_budget">£1</span></p>');
  });

  it('lists the keys a text uses', () => {
    expect(placeholderKeys('{{price:a}} {{price:b}} {{price:a}}')).toEqual(['a', 'b']);
  });
});

describe('prices in right-to-left locales', () => {
  it('isolates the price and keeps a Latin currency symbol in one left-to-right run', () => {
    expect(formatPrice(4.99, 'USD', 'ar')).toBe('\u2068\u200f4.99\u00a0\u2066US$\u2069\u2069');
    expect(formatPrice(4.99, 'BRL', 'he')).toBe('\u2068\u200f4.99\u00a0\u200f\u2066R$\u2069\u2069');
    expect(resolvePlaceholdersText('{{price:plus_monthly}}', prices, 'USD', 'ar')).toContain('\u2066US$\u2069');
  });
});
