import { describe, expect, it } from 'vitest';
import type { RegionCatalog } from '../content/index.js';
import { negotiateLocale, negotiateRegion } from './negotiate.js';

describe('negotiateLocale', () => {
  it('prefers a valid cookie, then the best Accept-Language match by primary subtag, then English', () => {
    expect(negotiateLocale('he', 'ja')).toBe('he');
    expect(negotiateLocale('xx', 'ja')).toBe('ja');
    expect(negotiateLocale(undefined, 'fr-FR,fr;q=0.9,es-MX;q=0.8,en;q=0.5')).toBe('es');
    expect(negotiateLocale(undefined, 'en;q=0.1,ar-EG;q=0.9')).toBe('ar');
    expect(negotiateLocale(undefined, 'de')).toBe('en');
    expect(negotiateLocale(undefined, undefined)).toBe('en');
    expect(negotiateLocale(undefined, ';;;garbage')).toBe('en');
  });
});

describe('negotiateRegion', () => {
  const us = { code: 'us', name: 'US', currency: 'USD', countries: ['US'], theme: {}, isDefault: true };
  const jp = { code: 'jp', name: 'JP', currency: 'JPY', countries: ['JP'], theme: {}, isDefault: false };
  const catalog: RegionCatalog = {
    regions: [us, jp],
    defaultRegion: us,
    prices: {},
    byCode: (code) => [us, jp].find((r) => r.code === code),
    byCountry: (country) => [us, jp].find((r) => r.countries.includes(country)),
  };

  it('takes ?region= over the cookie over the country header over the default', () => {
    expect(negotiateRegion(catalog, { query: 'jp', cookie: 'us', country: 'US' })).toMatchObject({
      source: 'query',
      region: jp,
    });
    expect(negotiateRegion(catalog, { cookie: 'jp', country: 'US' })).toMatchObject({ source: 'cookie', region: jp });
    expect(negotiateRegion(catalog, { country: 'jp' })).toMatchObject({ source: 'header', region: jp });
    expect(negotiateRegion(catalog, { country: 'FR' })).toMatchObject({ source: 'default', region: us });
  });

  it('ignores unknown or malformed values', () => {
    expect(negotiateRegion(catalog, { query: '<script>', cookie: 'nope', country: 'JPN' }).source).toBe('default');
  });
});
