import { createHmac } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor, RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Rate } from '../config/env.js';
import type { DB } from '../db/client.js';

/**
 * Rate limits and abuse budgets shared by every process on one database: fixed-window counters in
 * `rate_limit_buckets` (migration 0022), one atomic upsert per take, so N processes behind a load balancer grant a
 * client one budget, not N.
 */

export interface RateBudget {
  /** True when this take was within the budget. */
  allowed: boolean;
  /** Takes counted in the current window, this one included. */
  count: number;
  /** Whole seconds until the current window ends (for Retry-After). */
  retryAfterSeconds: number;
}

interface WindowCount {
  count: number;
  /** Milliseconds until the current window ends. */
  ttlMs: number;
}

/** One in this many takes also deletes the scope's ended windows, so the table stays small without a job. */
const CLEANUP_EVERY = 50;

/**
 * Counts one take in the current window of `windowMs` (aligned to the epoch, so every process picks the same row)
 * and returns the window's count, this take included. One round trip: INSERT … ON CONFLICT DO UPDATE … RETURNING,
 * atomic on PostgreSQL and PGlite alike, so concurrent takes never both get the last unit.
 */
async function countTake(db: DB, scope: string, key: string, windowMs: number, now: Date): Promise<WindowCount> {
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  const { rows } = await sql<{ count: number }>`
    INSERT INTO rate_limit_buckets (scope, key, window_start, count)
    VALUES (${scope}, ${key}, ${new Date(windowStart)}, 1)
    ON CONFLICT (scope, key, window_start) DO UPDATE SET count = rate_limit_buckets.count + 1
    RETURNING count`.execute(db);
  return { count: Number(rows[0]?.count ?? 1), ttlMs: windowStart + windowMs - now.getTime() };
}

/**
 * Takes one unit of a fixed-window budget shared by every process on the database: `rate.count` per
 * `rate.windowMs` for this scope and key. A take over the budget is still counted (it keeps the window closed).
 */
export async function takeRateBudget(
  db: DB,
  scope: string,
  key: string,
  rate: Rate,
  now: Date = new Date(),
): Promise<RateBudget> {
  const { count, ttlMs } = await countTake(db, scope, key, rate.windowMs, now);
  if (Math.random() < 1 / CLEANUP_EVERY) await deleteEndedWindows(db, scope, rate, now);
  return { allowed: count <= rate.count, count, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
}

/** Deletes a scope's counters whose window has ended (a scope is always taken with one window length). */
export async function deleteEndedWindows(
  db: DB,
  scope: string,
  rate: Pick<Rate, 'windowMs'>,
  now: Date = new Date(),
): Promise<number> {
  const { numAffectedRows } = await sql`
    DELETE FROM rate_limit_buckets
     WHERE scope = ${scope} AND window_start <= ${new Date(now.getTime() - rate.windowMs)}`.execute(db);
  return Number(numAffectedRows ?? 0);
}

export interface DatabaseRateLimitStoreOptions {
  db: DB;
  /** HMAC key for the counters' keys: the table must not reveal the client addresses the limiters key on. */
  hashKey: Buffer;
  log: FastifyBaseLogger;
}

/** At most one warning per this interval while the counters fail, so a broken database doesn't flood the log. */
const WARN_EVERY_MS = 60_000; // 1 min

/**
 * A store for @fastify/rate-limit on `rate_limit_buckets`. Each window length is its own scope (`http.<ms>`), so
 * pruning a scope's ended windows never deletes a longer window's live counter. The store keeps no state of its
 * own, so every limiter (`child`) shares it; `continueExceeding` and `exponentialBackoff` are not supported (none
 * of our limiters uses them): a window simply ends.
 *
 * A database error is logged (at most once a minute) and handed to the plugin, which `rateLimitOptions` sets to
 * skip the limit (fail open): every limiter on it guards a read or a write that has its own budget in the database
 * (votes per article, deflections per network per day), and a reader must not see a 500 because a counter failed.
 */
export function databaseRateLimitStore(options: DatabaseRateLimitStoreOptions): FastifyRateLimitStoreCtor {
  const { db, hashKey, log } = options;
  let lastWarning = 0;
  const hash = (key: string) =>
    createHmac('sha256', hashKey).update(`rate-limit:${key}`).digest().subarray(0, 18).toString('base64url');

  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const scope = `http.${timeWindow}`;
      const now = new Date();
      countTake(db, scope, hash(key), timeWindow, now).then(
        ({ count, ttlMs }) => {
          callback(null, { current: count, ttl: ttlMs });
          if (Math.random() < 1 / CLEANUP_EVERY) {
            // Off the request's path: the reader doesn't wait for housekeeping.
            deleteEndedWindows(db, scope, { windowMs: timeWindow }, now).catch((error: unknown) =>
              log.debug({ err: error }, 'rate limit: pruning ended windows failed'),
            );
          }
        },
        (error: unknown) => {
          if (Date.now() - lastWarning >= WARN_EVERY_MS) {
            lastWarning = Date.now();
            log.warn({ err: error }, 'rate limit: the shared counters failed; requests pass unlimited meanwhile');
          }
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

/**
 * The options every @fastify/rate-limit registration uses: limits applied by the routes (`global: false`), with
 * the counters in the database (shared by every process) or in this process's memory, per `rateLimitStore`.
 */
export function rateLimitOptions(options: {
  store: 'database' | 'memory';
  db: DB;
  hashKey: Buffer;
  log: FastifyBaseLogger;
}): RateLimitPluginOptions {
  if (options.store === 'memory') return { global: false };
  return { global: false, store: databaseRateLimitStore(options), skipOnError: true };
}
