import type { DB } from '../../db/client.js';
import { createWriteKey } from './create-write-key.js';

/** The built-in purpose of the help center's own browser key. */
export const SITE_KEY_PURPOSE = 'help-center';

/**
 * Returns the help center's public write key, creating it when no active one exists (first start, or after an
 * operator revoked it). Public by nature, like a Segment browser key: it is printed in every page.
 *
 * Race-safe: every process renews the key when it hears of the revocation, at the same moment. The partial unique
 * index on (builtin) among active keys (migration 0003) lets one insert win; the others fail with a unique
 * violation and read the winner's key, so all processes print the same one.
 */
export async function ensureSiteWriteKey(db: DB): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await db
      .selectFrom('event_write_keys')
      .select(['public_key'])
      .where('builtin', '=', SITE_KEY_PURPOSE)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (existing?.public_key) return existing.public_key;
    try {
      const created = await createWriteKey(db, { name: SITE_KEY_PURPOSE, public: true, builtin: SITE_KEY_PURPOSE });
      return created.key;
    } catch (error) {
      // Another process created it at the same moment: read theirs. Anything else (the database is away) is real.
      if ((error as { code?: unknown } | null)?.code !== '23505') throw error;
    }
  }
  throw new Error('could not create the help center write key');
}
