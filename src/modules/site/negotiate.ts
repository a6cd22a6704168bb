import Negotiator from 'negotiator';
import { DEFAULT_LOCALE, isLocale, type Locale, SUPPORTED_LOCALES } from '../../shared/locales.js';
import type { Region, RegionCatalog } from '../content/index.js';

export const LOCALE_COOKIE = 'al_locale';
export const REGION_COOKIE = 'al_region';

/** The reader's locale for `/`: their saved choice, else the best match of Accept-Language, else English. */
export function negotiateLocale(cookieValue: string | undefined, acceptLanguage: string | undefined): Locale {
  if (cookieValue && isLocale(cookieValue)) return cookieValue;
  if (acceptLanguage) {
    const negotiator = new Negotiator({ headers: { 'accept-language': acceptLanguage } });
    // Match on the primary subtag too, so "es-MX" and "ja-JP" find "es" and "ja".
    for (const lang of negotiator.languages()) {
      const primary = lang.toLowerCase().split('-')[0] ?? '';
      if (isLocale(primary)) return primary;
    }
  }
  return DEFAULT_LOCALE;
}

export interface RegionChoice {
  region: Region;
  /** Where it came from, so the page can say so and tests can tell. */
  source: 'query' | 'cookie' | 'header' | 'default';
}

/** The reader's region: `?region=`, then the region cookie, then the trusted country header, then the default. */
export function negotiateRegion(
  catalog: RegionCatalog,
  input: { query?: string | undefined; cookie?: string | undefined; country?: string | undefined },
): RegionChoice {
  const fromQuery = input.query ? catalog.byCode(input.query) : undefined;
  if (fromQuery) return { region: fromQuery, source: 'query' };
  const fromCookie = input.cookie ? catalog.byCode(input.cookie) : undefined;
  if (fromCookie) return { region: fromCookie, source: 'cookie' };
  const country = input.country?.trim().toUpperCase();
  const fromHeader = country && /^[A-Z]{2}$/.test(country) ? catalog.byCountry(country) : undefined;
  if (fromHeader) return { region: fromHeader, source: 'header' };
  return { region: catalog.defaultRegion, source: 'default' };
}

export { SUPPORTED_LOCALES };
