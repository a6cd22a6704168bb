import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { LOCALE_CODE_PATTERN } from '../../shared/locales.js';
import { ZText } from '../../shared/text.js';

/**
 * A content locale code, checked for its form only (`fr`, `pt-BR`, `zh-Hant`, `es-419`). Whether it is configured
 * is a runtime question: writes ask the catalogue (`ctx.locales().assertConfigured`), pages answer 404.
 */
export const ZLocale = z
  .string()
  .max(LIMITS.localeCode)
  .regex(LOCALE_CODE_PATTERN, 'must be a locale code such as "fr", "pt-BR", "zh-Hant" or "es-419"');

export const ZLocaleDirection = z.enum(['ltr', 'rtl']);

const ZFallbackChain = z
  .array(ZLocale)
  .max(LIMITS.localeFallbacks)
  .refine((codes) => new Set(codes).size === codes.length, { message: 'must not name a locale twice' });

export const ZLocaleView = z.object({
  code: z.string(),
  name: z.string(),
  direction: ZLocaleDirection,
  fallback: z.array(z.string()),
  enabled: z.boolean(),
  /** The locale whose UI strings the site shows for this one (its own when shipped, else the nearest). */
  uiLanguage: z.string(),
  builtIn: z.boolean(),
  position: z.number().int(),
});
export type LocaleView = z.infer<typeof ZLocaleView>;

export const ZListLocalesResponse = z.object({ locales: z.array(ZLocaleView) });
export type ListLocalesResponse = z.infer<typeof ZListLocalesResponse>;

export const ZCreateLocaleRequest = z.object({
  code: ZLocale,
  name: ZText.trim().min(1).max(LIMITS.localeName),
  /** Default: the usual direction of the language (right to left for ar, he, fa, ur…). */
  direction: ZLocaleDirection.optional(),
  /** Default: the default locale (en). */
  fallback: ZFallbackChain.optional(),
  enabled: z.boolean().default(true),
  /** Default: after the last one. */
  position: z.number().int().min(0).max(1_000_000).optional(),
});
export type CreateLocaleRequest = z.input<typeof ZCreateLocaleRequest>;

export const ZUpdateLocaleRequest = z.object({
  name: ZText.trim().min(1).max(LIMITS.localeName).optional(),
  direction: ZLocaleDirection.optional(),
  fallback: ZFallbackChain.optional(),
  enabled: z.boolean().optional(),
  position: z.number().int().min(0).max(1_000_000).optional(),
});
export type UpdateLocaleRequest = z.input<typeof ZUpdateLocaleRequest>;

export const ZLocaleParams = z.object({ code: ZLocale });

export const ZLocaleResponse = z.object({ locale: ZLocaleView });
export type LocaleResponse = z.infer<typeof ZLocaleResponse>;
