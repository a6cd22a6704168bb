import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Boot } from './boot.js';

/** The languages the admin app speaks; ar and he are right-to-left. */
export const UI_LANGUAGES = ['en', 'es', 'ru', 'ar', 'he', 'ja'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** Each language's own name, for the switcher. */
export const UI_LANGUAGE_NAMES: Record<UiLanguage, string> = {
  en: 'English',
  es: 'Español',
  ru: 'Русский',
  ar: 'العربية',
  he: 'עברית',
  ja: '日本語',
};

const RTL = new Set(['ar', 'he']);

export function isUiLanguage(value: string): value is UiLanguage {
  return (UI_LANGUAGES as readonly string[]).includes(value);
}

/** Text direction of a UI language. */
export function directionOf(lng: string): 'ltr' | 'rtl' {
  return RTL.has(lng) ? 'rtl' : 'ltr';
}

/** The first of the browser's languages we speak, else English: what the sign-in screen shows. */
export function browserLanguage(): UiLanguage {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (isUiLanguage(base)) return base;
  }
  return 'en';
}

let boot: Boot;
const loaded = new Set<string>();

async function ensureLoaded(lng: UiLanguage): Promise<void> {
  if (loaded.has(lng)) return;
  const url = boot.messages[lng];
  if (!url) throw new Error(`no UI strings for ${lng}`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`loading the ${lng} UI strings failed (${response.status})`);
  const namespaces = (await response.json()) as Record<string, Record<string, unknown>>;
  for (const [ns, strings] of Object.entries(namespaces)) i18next.addResourceBundle(lng, ns, strings, true, true);
  loaded.add(lng);
}

/**
 * Switches the UI language: loads its strings, then flips <html lang dir> in the same step, which Mantine's
 * DirectionProvider observes, so layout and text change direction together.
 */
export async function setUiLanguage(lng: UiLanguage): Promise<void> {
  await ensureLoaded(lng);
  await i18next.changeLanguage(lng);
  document.documentElement.lang = lng;
  document.documentElement.dir = directionOf(lng);
}

/** Starts i18next with English (the fallback) and the browser's language loaded. */
export async function initI18n(bootData: Boot): Promise<void> {
  boot = bootData;
  await i18next.use(initReactI18next).init({
    lng: 'en',
    fallbackLng: 'en',
    defaultNS: 'common',
    ns: ['common'],
    resources: {},
    interpolation: { escapeValue: false }, // React escapes what it renders
    returnNull: false,
  });
  await ensureLoaded('en');
  await setUiLanguage(browserLanguage());
}

/** Date, number and relative-time formatting through Intl in the current UI language. */
export const format = {
  date(value: string | Date | null | undefined, style: 'short' | 'long' = 'short'): string {
    if (!value) return '—';
    const date = typeof value === 'string' ? new Date(value) : value;
    return new Intl.DateTimeFormat(i18next.language, {
      dateStyle: style === 'long' ? 'long' : 'medium',
      timeStyle: 'short',
    }).format(date);
  },
  number(value: number): string {
    return new Intl.NumberFormat(i18next.language).format(value);
  },
};
