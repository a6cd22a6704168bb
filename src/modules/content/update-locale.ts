import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import { DEFAULT_LOCALE } from '../../shared/locales.js';
import { recordAudit } from '../accounts/index.js';
import { auditedLocale, type LocaleWriteOptions, lockLocaleConfigs } from './create-locale.js';
import { assertValidFallbacks, type LocaleConfig } from './locale-catalog.js';
import { type UpdateLocaleRequest, ZUpdateLocaleRequest } from './locales.schema.js';

/**
 * Changes a content locale's name, direction, fallback chain, menu position or whether the site serves it. The
 * default locale stays enabled: it ends every chain.
 */
export async function updateLocale(
  db: DB,
  code: string,
  input: UpdateLocaleRequest,
  options: LocaleWriteOptions,
): Promise<LocaleConfig> {
  const changes = ZUpdateLocaleRequest.parse(input);
  const { updated, all, changed } = await db.transaction().execute(async (trx) => {
    const existing = await lockLocaleConfigs(trx);
    const before = existing.find((l) => l.code === code);
    if (!before) throw notFound(`the locale "${code}"`);
    if (code === DEFAULT_LOCALE && changes.enabled === false) {
      throw new AppError('LOCALE_IS_DEFAULT', `"${code}" is the default locale and cannot be disabled`);
    }
    const after: LocaleConfig = {
      ...before,
      ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    };
    const all = existing.map((l) => (l.code === code ? after : l));
    if (changes.fallback !== undefined) assertValidFallbacks(all, code);
    const changed = JSON.stringify(before) !== JSON.stringify(after);
    if (changed) {
      await trx
        .updateTable('content_locales')
        .set({
          name: after.name,
          direction: after.direction,
          fallback: sql<string[]>`${sql.val(after.fallback)}::text[]`,
          enabled: after.enabled,
          position: after.position,
        })
        .where('code', '=', code)
        .execute();
      await recordAudit(trx, {
        actor: options.actor,
        action: 'locale.update',
        object: { type: 'locale', id: code },
        before: auditedLocale(before),
        after: auditedLocale(after),
      });
    }
    return { updated: after, all, changed };
  });
  if (changed) options.bus.emit('locales.changed', { code, locales: all });
  return updated;
}
