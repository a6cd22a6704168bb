import { describe, expect, it } from 'vitest';
import type { RegionCatalog } from '../content/index.js';
import { negotiateLocale, negotiateRegion } from './negotiate.js';

describe('negotiateLocale', () => {
  const builtIn = ['en', 'es', 'ru', 'ar', 'he', 'ja'];
  it('prefers a valid cookie, then the best Accept-Language match by primary subtag, then English', () => {
    expect(negotiateLocale('he', 'ja', builtIn)).toBe('he');
    expect(negotiateLocale('xx', 'ja', builtIn)).toBe('ja');
    expect(negotiateLocale(undefined, 'fr-FR,fr;q=0.9,es-MX;q=0.8,en;q=0.5', builtIn)).toBe('es');
    expect(negotiateLocale(undefined, 'en;q=0.1,ar-EG;q=0.9', builtIn)).toBe('ar');
    expect(negotiateLocale(undefined, 'de', builtIn)).toBe('en');
    expect(negotiateLocale(undefined, undefined, builtIn)).toBe('en');
    expect(negotiateLocale(undefined, ';;;garbage', builtIn)).toBe('en');
  });

  it('negotiates over the configured locales only, exact region first, then by language', () => {
    const configured = [...builtIn, 'fr', 'pt-BR'];
    expect(negotiateLocale(undefined, 'fr-CA,en;q=0.5', configured)).toBe('fr');
    expect(negotiateLocale(undefined, 'pt-br', configured)).toBe('pt-BR');
    expect(negotiateLocale(undefined, 'pt-PT,es;q=0.5', configured)).toBe('pt-BR');
    expect(negotiateLocale('pt-BR', 'ja', configured)).toBe('pt-BR');
    // A disabled (unlisted) locale is never chosen, not even from the cookie.
    expect(negotiateLocale('fr', 'fr,ja;q=0.5', builtIn)).toBe('ja');
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
