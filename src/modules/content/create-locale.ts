import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/client.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { LIMITS } from '../../shared/limits.js';
import { DEFAULT_LOCALE, directionOf } from '../../shared/locales.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import { assertValidFallbacks, type LocaleConfig } from './locale-catalog.js';
import { type CreateLocaleRequest, ZCreateLocaleRequest } from './locales.schema.js';

export interface LocaleWriteOptions {
  bus: Bus;
  actor: AuditActor;
}

/**
 * Every configured locale, read after taking a lock that serialises locale writes: two writers checking chains at
 * once could otherwise each commit half of a cycle.
 */
export async function lockLocaleConfigs(trx: Transaction<Database>): Promise<LocaleConfig[]> {
  await sql`LOCK TABLE content_locales IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
  const rows = await trx
    .selectFrom('content_locales')
    .select(['code', 'name', 'direction', 'fallback', 'enabled', 'position'])
    .orderBy('position')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ ...r, fallback: [...r.fallback] }));
}

/** What the audit log keeps of a locale. */
export function auditedLocale(locale: LocaleConfig): Record<string, unknown> {
  return { ...locale };
}

/**
 * Adds a content locale. The public site serves it (when enabled) as soon as this returns: the catalogue is
 * rebuilt from `locales.changed`, published after the commit with every configured locale.
 */
export async function createLocale(
  db: DB,
  input: CreateLocaleRequest,
  options: LocaleWriteOptions,
): Promise<LocaleConfig> {
  const request = ZCreateLocaleRequest.parse(input);
  const { created, all } = await db.transaction().execute(async (trx) => {
    const existing = await lockLocaleConfigs(trx);
    if (existing.some((l) => l.code === request.code)) {
      throw new AppError('LOCALE_EXISTS', `the locale "${request.code}" is already configured`);
    }
    if (existing.length >= LIMITS.contentLocales) {
      throw new AppError('VALIDATION_FAILED', `at most ${LIMITS.contentLocales} content locales can be configured`);
    }
    const locale: LocaleConfig = {
      code: request.code,
      name: request.name,
      direction: request.direction ?? directionOf(request.code),
      fallback: request.fallback ?? [DEFAULT_LOCALE],
      enabled: request.enabled,
      position: request.position ?? Math.max(-1, ...existing.map((l) => l.position)) + 1,
    };
    const all = [...existing, locale];
    assertValidFallbacks(all, locale.code);
    await trx
      .insertInto('content_locales')
      .values({ ...locale, fallback: sql<string[]>`${sql.val(locale.fallback)}::text[]` })
      .execute();
    await recordAudit(trx, {
      actor: options.actor,
      action: 'locale.create',
      object: { type: 'locale', id: locale.code },
      after: auditedLocale(locale),
    });
    return { created: locale, all };
  });
  options.bus.emit('locales.changed', { code: created.code, locales: all });
  return created;
}
