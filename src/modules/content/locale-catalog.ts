import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { baseLanguageOf, DEFAULT_LOCALE, SUPPORTED_LOCALES } from '../../shared/locales.js';

/** One configured content locale, as stored (migration 0013). */
export interface LocaleConfig {
  code: string;
  /** Its own name for itself ("Français"), shown in the language menu. */
  name: string;
  direction: 'ltr' | 'rtl';
  /** Where to read a text missing in this locale, in order (the source language comes after all of them). */
  fallback: string[];
  enabled: boolean;
  position: number;
}

export interface ContentLocale extends LocaleConfig {
  /** The locale whose UI strings this one shows: its own when shipped, else the nearest (see `nearestUiLanguage`). */
  uiLanguage: string;
  /** One of the locales the product ships (seeded by the migration). */
  builtIn: boolean;
}

/** The content locales of this process, reloaded on the bus event `locales.changed`. */
export interface LocaleCatalog {
  /** Every configured locale, enabled or not, in menu order. */
  locales: ContentLocale[];
  /** The enabled ones: what the public site serves. */
  enabled: ContentLocale[];
  byCode(code: string): ContentLocale | undefined;
  isEnabled(code: string): boolean;
  /** The configured direction (for an unknown code: left to right). */
  direction(code: string): 'ltr' | 'rtl';
  /** The locale's own name (for an unknown code: the code). */
  nameOf(code: string): string;
  /** The enabled locales to read from, in order, when a text is missing in `code` (never `code` itself). */
  fallbackChain(code: string): string[];
  /** The locale whose shipped UI strings `code` shows. */
  uiLanguageOf(code: string): string;
  /** Throws 400 UNKNOWN_LOCALE (listing the configured codes) unless `code` is configured (enabled or not). */
  assertConfigured(code: string, path?: string): void;
}

/**
 * The nearest locale with shipped UI strings: its own when present, else the first along its fallback chain, else
 * its base language (`pt-BR` → `pt`), else the default. So `pt-BR` falling back to `es` reads Spanish buttons.
 */
export function nearestUiLanguage(code: string, fallback: readonly string[], uiLanguages: ReadonlySet<string>): string {
  if (uiLanguages.has(code)) return code;
  for (const next of fallback) if (uiLanguages.has(next)) return next;
  const base = baseLanguageOf(code);
  if (uiLanguages.has(base)) return base;
  return DEFAULT_LOCALE;
}

/**
 * The first fallback cycle among the locales (as the codes along it, the first repeated at the end), or null.
 * Chains are followed edge by edge, so `a → b → a` is found even though each chain on its own looks fine.
 */
export function findFallbackCycle(locales: readonly Pick<LocaleConfig, 'code' | 'fallback'>[]): string[] | null {
  const edges = new Map(locales.map((l) => [l.code, l.fallback]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (code: string): string[] | null => {
    if (state.get(code) === 'done') return null;
    if (state.get(code) === 'visiting') return [...path.slice(path.indexOf(code)), code];
    state.set(code, 'visiting');
    path.push(code);
    for (const next of edges.get(code) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(code, 'done');
    return null;
  };
  for (const { code } of locales) {
    const cycle = visit(code);
    if (cycle) return cycle;
  }
  return null;
}

/** Builds the in-memory catalogue from configured rows; `uiLanguages` are the locales with shipped UI strings. */
export function createLocaleCatalog(
  rows: readonly LocaleConfig[],
  uiLanguages: ReadonlySet<string> = new Set(SUPPORTED_LOCALES),
): LocaleCatalog {
  const builtIn = new Set<string>(SUPPORTED_LOCALES);
  const locales: ContentLocale[] = [...rows]
    .sort((a, b) => a.position - b.position || a.code.localeCompare(b.code))
    .map((row) => ({
      ...row,
      fallback: [...row.fallback],
      uiLanguage: nearestUiLanguage(row.code, row.fallback, uiLanguages),
      builtIn: builtIn.has(row.code),
    }));
  const byCode = new Map(locales.map((l) => [l.code, l]));
  const enabled = locales.filter((l) => l.enabled);
  const chains = new Map(
    locales.map((l) => [
      l.code,
      [...new Set(l.fallback)].filter((next) => next !== l.code && byCode.get(next)?.enabled === true),
    ]),
  );
  return {
    locales,
    enabled,
    byCode: (code) => byCode.get(code),
    isEnabled: (code) => byCode.get(code)?.enabled === true,
    direction: (code) => byCode.get(code)?.direction ?? 'ltr',
    nameOf: (code) => byCode.get(code)?.name ?? code,
    fallbackChain: (code) => chains.get(code) ?? [],
    uiLanguageOf: (code) => byCode.get(code)?.uiLanguage ?? nearestUiLanguage(code, [], uiLanguages),
    assertConfigured(code, path = 'locale') {
      if (byCode.has(code)) return;
      const known = locales.map((l) => l.code).join(', ');
      throw new AppError('UNKNOWN_LOCALE', `"${code}" is not a configured content locale (configured: ${known})`, [
        { path, message: `must be one of ${known}` },
      ]);
    },
  };
}

/** Reads the configured content locales. */
export async function readLocaleConfigs(db: DB): Promise<LocaleConfig[]> {
  const rows = await db
    .selectFrom('content_locales')
    .select(['code', 'name', 'direction', 'fallback', 'enabled', 'position'])
    .orderBy('position')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ ...r, fallback: [...r.fallback] }));
}

/** Loads the catalogue from the database. */
export async function loadLocaleCatalog(db: DB, uiLanguages?: ReadonlySet<string>): Promise<LocaleCatalog> {
  return createLocaleCatalog(await readLocaleConfigs(db), uiLanguages);
}

/**
 * Refuses a configuration where `code`'s chain names an unconfigured locale or itself, or where the chains close a
 * cycle (LOCALE_FALLBACK_INVALID, with the offending entries in `details`).
 */
export function assertValidFallbacks(all: readonly LocaleConfig[], code: string): void {
  const known = new Set(all.map((l) => l.code));
  const own = all.find((l) => l.code === code)?.fallback ?? [];
  const details = own.flatMap((next, i) => {
    if (next === code) return [{ path: `fallback.${i}`, message: 'a locale cannot fall back to itself' }];
    if (!known.has(next)) return [{ path: `fallback.${i}`, message: `"${next}" is not a configured locale` }];
    return [];
  });
  if (details.length > 0) {
    throw new AppError('LOCALE_FALLBACK_INVALID', `the fallback chain of "${code}" is not valid`, details);
  }
  const cycle = findFallbackCycle(all);
  if (cycle) {
    throw new AppError('LOCALE_FALLBACK_INVALID', `the fallback chains would loop: ${cycle.join(' → ')}`, [
      { path: 'fallback', message: `closes a cycle: ${cycle.join(' → ')}` },
    ]);
  }
}
