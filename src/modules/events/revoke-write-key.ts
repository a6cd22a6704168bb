import type { DB } from '../../db/client.js';
import type { Bus } from '../../shared/bus.js';
import { hashWriteKey, toWriteKeyInfo, type WriteKeyInfo } from './create-write-key.js';

/**
 * Revokes a write key given by its value or its id; returns it, or undefined when no active key matched. After
 * commit, 'events.write-keys.changed' makes every process refuse it at once (and renew the site key if it was that).
 */
export async function revokeWriteKey(
  db: DB,
  which: { key: string } | { id: number },
  options: { bus?: Bus | undefined } = {},
): Promise<WriteKeyInfo | undefined> {
  const row = await db
    .updateTable('event_write_keys')
    .set({ revoked_at: new Date() })
    .where((eb) => ('key' in which ? eb('key_hash', '=', hashWriteKey(which.key)) : eb('id', '=', which.id)))
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  options.bus?.emit('events.write-keys.changed', { keyId: row.id, revoked: true });
  return toWriteKeyInfo(row);
}
