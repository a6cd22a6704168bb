import { createHash, randomBytes } from 'node:crypto';
import type { DB } from '../../db/client.js';
import type { Bus } from '../../shared/bus.js';

export interface WriteKeyInfo {
  id: number;
  name: string;
  /** The first characters, to recognise a key without revealing it. */
  hint: string;
  /** Only for public (browser) keys, which the site prints in its pages anyway. */
  publicKey: string | null;
  builtin: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** SHA-256 of a write key: only the hash is stored, so a database dump does not leak usable keys. */
export function hashWriteKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new random write key: 32 URL-safe characters after a recognisable prefix. */
export function generateWriteKey(): string {
  return `alwk_${randomBytes(24).toString('base64url')}`;
}

/**
 * Creates a write key and returns it; the plain key is shown once (public keys excepted). After commit,
 * 'events.write-keys.changed' clears every process's cache of keys (a refused key may have been cached).
 */
export async function createWriteKey(
  db: DB,
  options: { name: string; public?: boolean; builtin?: string; bus?: Bus | undefined },
): Promise<{ key: string; info: WriteKeyInfo }> {
  const key = generateWriteKey();
  const row = await db
    .insertInto('event_write_keys')
    .values({
      name: options.name,
      key_hash: hashWriteKey(key),
      key_hint: key.slice(0, 9),
      public_key: options.public ? key : null,
      builtin: options.builtin ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  options.bus?.emit('events.write-keys.changed', { keyId: row.id, revoked: false });
  return { key, info: toWriteKeyInfo(row) };
}

/** Maps a row to the API shape. */
export function toWriteKeyInfo(row: {
  id: number;
  name: string;
  key_hint: string;
  public_key: string | null;
  builtin: string | null;
  created_at: Date;
  revoked_at: Date | null;
}): WriteKeyInfo {
  return {
    id: row.id,
    name: row.name,
    hint: row.key_hint,
    publicKey: row.public_key,
    builtin: row.builtin,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
