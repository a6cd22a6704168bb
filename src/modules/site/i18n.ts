import fs from 'node:fs';
import i18next, { type i18n, type TFunction } from 'i18next';
import type { ComponentChild } from 'preact';
import { DEFAULT_LOCALE, LOCALE_CODE_PATTERN } from '../../shared/locales.js';

const STRINGS_DIR = new URL('./locales/', import.meta.url);

let shipped: ReadonlySet<string> | undefined;

/**
 * The locales with UI strings of their own: every `locales/<code>.json`. Adding a file is how a configured content
 * locale gets its own strings; until then it shows those of its nearest language (`LocaleCatalog.uiLanguageOf`).
 */
export function uiLanguages(): ReadonlySet<string> {
  shipped ??= new Set(
    fs
      .readdirSync(STRINGS_DIR)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((code) => LOCALE_CODE_PATTERN.test(code)),
  );
  return shipped;
}

function loadResources() {
  const resources: Record<string, { translation: Record<string, unknown> }> = {};
  for (const locale of uiLanguages()) {
    const file = new URL(`${locale}.json`, STRINGS_DIR);
    resources[locale] = { translation: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> };
  }
  return resources;
}

let instance: i18n | undefined;

/** The shared i18next instance with every locale's UI strings loaded (synchronously, once). */
export function getI18n(): i18n {
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      resources: loadResources(),
      lng: DEFAULT_LOCALE,
      fallbackLng: DEFAULT_LOCALE,
      supportedLngs: [...uiLanguages()],
      initAsync: false,
      // Preact escapes on render; escaping here would double-escape.
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }
  return instance;
}

const fixed = new Map<string, TFunction>();

/** A translate function bound to one UI language (made once per language; see `uiLanguages`). */
export function translator(locale: string): TFunction {
  let t = fixed.get(locale);
  if (!t) {
    t = getI18n().getFixedT(locale);
    fixed.set(locale, t);
  }
  return t;
}

/** A language's name in the reader's language, e.g. languageName('ja', 'es') === 'japonés'. */
export function languageName(code: string, inLocale: string): string {
  try {
    return new Intl.DisplayNames([inLocale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

// Private-use characters never appear in our strings, so they can mark where an element goes.
const MARK = '\uE000';

/**
 * A translated string with some values as elements, e.g. a `<bdi>` around a Latin name inside Arabic text.
 * `options` take plain values (use them for `count`, which picks the plural form).
 */
export function translateWithElements(
  t: TFunction,
  key: string,
  elements: Record<string, ComponentChild>,
  options: Record<string, unknown> = {},
): ComponentChild[] {
  const marked = Object.fromEntries(Object.keys(elements).map((name) => [name, `${MARK}${name}${MARK}`]));
  const text = String(t(key, { ...options, ...marked }));
  return text.split(MARK).map((piece, i) => (i % 2 === 1 && piece in elements ? elements[piece] : piece));
}
