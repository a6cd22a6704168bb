import type { DB } from '../../db/client.js';
import { hashWriteKey, toWriteKeyInfo, type WriteKeyInfo } from './create-write-key.js';

/** Revokes a write key given by its value or its id; returns it, or undefined when no active key matched. */
export async function revokeWriteKey(
  db: DB,
  which: { key: string } | { id: number },
): Promise<WriteKeyInfo | undefined> {
  const row = await db
    .updateTable('event_write_keys')
    .set({ revoked_at: new Date() })
    .where((eb) => ('key' in which ? eb('key_hash', '=', hashWriteKey(which.key)) : eb('id', '=', which.id)))
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ? toWriteKeyInfo(row) : undefined;
}
