import Negotiator from 'negotiator';
import { baseLanguageOf, DEFAULT_LOCALE } from '../../shared/locales.js';
import type { Region, RegionCatalog } from '../content/index.js';

export const LOCALE_COOKIE = 'al_locale';
export const REGION_COOKIE = 'al_region';

/**
 * The reader's locale for `/` among the `enabled` ones (in menu order): their saved choice, else the best match of
 * Accept-Language (exactly, "pt-BR"; else by language, so "es-MX" finds "es" and "pt" finds "pt-BR"), else the
 * default.
 */
export function negotiateLocale(
  cookieValue: string | undefined,
  acceptLanguage: string | undefined,
  enabled: readonly string[],
): string {
  if (cookieValue && enabled.includes(cookieValue)) return cookieValue;
  if (acceptLanguage) {
    const byLower = new Map(enabled.map((code) => [code.toLowerCase(), code]));
    const negotiator = new Negotiator({ headers: { 'accept-language': acceptLanguage } });
    for (const lang of negotiator.languages()) {
      const wanted = lang.toLowerCase();
      const primary = baseLanguageOf(wanted);
      const match =
        byLower.get(wanted) ?? byLower.get(primary) ?? enabled.find((code) => baseLanguageOf(code) === primary);
      if (match) return match;
    }
  }
  return enabled.includes(DEFAULT_LOCALE) ? DEFAULT_LOCALE : (enabled[0] ?? DEFAULT_LOCALE);
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
