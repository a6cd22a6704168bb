import type { DB } from '../../db/client.js';
import { toWriteKeyInfo, type WriteKeyInfo } from './create-write-key.js';

/** Every write key, active ones first, newest first. */
export async function listWriteKeys(db: DB): Promise<WriteKeyInfo[]> {
  const rows = await db
    .selectFrom('event_write_keys')
    .selectAll()
    .orderBy((eb) => eb('revoked_at', 'is not', null))
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toWriteKeyInfo);
}
