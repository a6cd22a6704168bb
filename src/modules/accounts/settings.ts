import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import type { Settings, UpdateSettingsRequest } from './accounts.schema.js';
import { type AuditActor, recordAudit } from './record-audit.js';

/** The settings row as the API names its fields. */
export async function getSettings(db: DB): Promise<Settings> {
  const row = await db.selectFrom('settings').selectAll().executeTakeFirst();
  if (!row) throw new AppError('INTERNAL', 'the settings row is missing');
  return {
    helpCenterName: row.help_center_name,
    supportEmail: row.support_email,
    sessionIdleHours: row.session_idle_hours,
    sessionMaxDays: row.session_max_days,
  };
}

/** Changes some settings, audited in the same transaction; announces 'settings.changed' after commit. */
export async function updateSettings(
  db: DB,
  patch: UpdateSettingsRequest,
  options: { actor: AuditActor; bus?: Bus },
): Promise<Settings> {
  const after = await db.transaction().execute(async (trx) => {
    const before = await getSettings(trx);
    const next: Settings = { ...before, ...definedOnly(patch) };
    await trx
      .updateTable('settings')
      .set({
        help_center_name: next.helpCenterName,
        support_email: next.supportEmail,
        session_idle_hours: next.sessionIdleHours,
        session_max_days: next.sessionMaxDays,
        updated_at: new Date(),
      })
      .execute();
    await recordAudit(trx, {
      actor: options.actor,
      action: 'settings.update',
      object: { type: 'settings', id: 'settings' },
      before,
      after: next,
    });
    return next;
  });
  options.bus?.emit('settings.changed', {});
  return after;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** How long another process's settings change may go unseen here. */
const SETTINGS_TTL_MS = 30_000;

/**
 * The settings, cached in process: cleared on 'settings.changed' (from any process, through the change feed) and on
 * 'cluster.resync'; re-read after 30 s as a safety net.
 */
export class SettingsCache {
  private value: Settings | undefined;
  private loadedAt = 0;
  constructor(
    private readonly db: DB,
    bus?: Bus,
  ) {
    bus?.on('settings.changed', () => this.clear());
    bus?.on('cluster.resync', () => this.clear());
  }

  async get(): Promise<Settings> {
    if (this.value && Date.now() - this.loadedAt < SETTINGS_TTL_MS) return this.value;
    this.value = await getSettings(this.db);
    this.loadedAt = Date.now();
    return this.value;
  }

  clear(): void {
    this.value = undefined;
  }
}
