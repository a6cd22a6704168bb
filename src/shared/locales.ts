/**
 * Locales the help center ships with: seeded as content locales by migration 0013 and the languages that have UI
 * strings (the public site's and the admin app's). Content locales themselves are configuration (the
 * `content_locales` table, read through `ctx.locales()`); this list is only what the code ships translated.
 */
export const SUPPORTED_LOCALES = ['en', 'es', 'ru', 'ar', 'he', 'ja'] as const;
/** One of the built-in locales (an admin-UI language, a locale with shipped UI strings). */
export type Locale = (typeof SUPPORTED_LOCALES)[number];
/** The default content locale: the source language of the demo and the end of every fallback chain. */
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * What a content locale code may look like (BCP 47, narrowed): a language (`fr`), optionally with a region
 * (`pt-BR`), a script (`zh-Hant`) or a UN M.49 area (`es-419`). Shared with the admin app's form.
 */
export const LOCALE_CODE_PATTERN = /^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3}|-[0-9]{3})?$/;

/** True when the locale is one of the built-in ones (content locales: ask the catalogue, `ctx.locales()`). */
export function isLocale(value: string): value is Locale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** The language subtag of a locale code: `pt-BR` → `pt`. */
export function baseLanguageOf(code: string): string {
  return code.split('-')[0] ?? code;
}

// Languages written right to left, by language subtag (for code that has no catalogue at hand).
const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);

/**
 * The usual text direction of a locale's language. Pages use the catalogue's configured direction
 * (`ctx.locales().direction(code)`); this is for code without one, such as price formatting.
 */
export function directionOf(locale: string): 'rtl' | 'ltr' {
  return RTL_LANGUAGES.has(baseLanguageOf(locale)) ? 'rtl' : 'ltr';
}

/** Each built-in locale's own name for itself (the seed of `content_locales`, and the admin app's language menu). */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  ru: 'Русский',
  ar: 'العربية',
  he: 'עברית',
  ja: '日本語',
};
