import { LRUCache } from 'lru-cache';
import type { DB } from '../../db/client.js';
import { hashWriteKey } from './create-write-key.js';

export interface Source {
  /** 'wk:<id>' for a write key. */
  id: string;
  name: string;
}

const VALID_TTL_MS = 30_000;
const INVALID_TTL_MS = 5_000;

/**
 * Looks write keys up with a short-lived cache, so a request costs no query. The events service clears it on
 * 'events.write-keys.changed', which every process hears (the change feed): a revoked key stops everywhere within
 * a second. The TTLs are a safety net for a lost notification.
 */
export class WriteKeyCache {
  private readonly cache = new LRUCache<string, { source: Source | null }>({ max: 10_000 });

  constructor(private readonly db: DB) {}

  /** The source a write key belongs to, or null when it is unknown or revoked. */
  async authenticate(key: string): Promise<Source | null> {
    const hash = hashWriteKey(key);
    const cached = this.cache.get(hash);
    if (cached) return cached.source;
    const row = await this.db
      .selectFrom('event_write_keys')
      .select(['id', 'name'])
      .where('key_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const source = row ? { id: `wk:${row.id}`, name: row.name } : null;
    this.cache.set(hash, { source }, { ttl: source ? VALID_TTL_MS : INVALID_TTL_MS });
    return source;
  }

  /** Forgets every cached answer (after a key is created or revoked). */
  clear(): void {
    this.cache.clear();
  }
}
