import { sql } from 'kysely';
import type { Rate } from '../../config/env.js';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';

export interface RateBudget {
  /** True when this take was within the budget. */
  allowed: boolean;
  /** Takes counted in the current window, this one included. */
  count: number;
  /** Whole seconds until the current window ends (for Retry-After). */
  retryAfterSeconds: number;
}

/** One in this many takes also deletes the scope's ended windows, so the table stays small without a job. */
const CLEANUP_EVERY = 50;

/**
 * Takes one unit of a fixed-window budget shared by every process on the database: `rate.count` per
 * `rate.windowMs` for this scope and key. The increment is one atomic upsert, so concurrent takes from several
 * processes never both get the last unit. A take over the budget is still counted (it keeps the window closed).
 */
export async function takeRateBudget(
  db: DB,
  scope: string,
  key: string,
  rate: Rate,
  now: Date = new Date(),
): Promise<RateBudget> {
  const windowStart = Math.floor(now.getTime() / rate.windowMs) * rate.windowMs;
  const { rows } = await sql<{ count: number }>`
    INSERT INTO rate_limit_buckets (scope, key, window_start, count)
    VALUES (${scope}, ${key}, ${new Date(windowStart)}, 1)
    ON CONFLICT (scope, key, window_start) DO UPDATE SET count = rate_limit_buckets.count + 1
    RETURNING count`.execute(db);
  const count = Number(rows[0]?.count ?? 1);
  if (Math.random() < 1 / CLEANUP_EVERY) await deleteEndedWindows(db, scope, rate, now);
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + rate.windowMs - now.getTime()) / 1000));
  return { allowed: count <= rate.count, count, retryAfterSeconds };
}

/** Deletes a scope's counters whose window has ended (a scope is always taken with one rate). */
export async function deleteEndedWindows(db: DB, scope: string, rate: Rate, now: Date = new Date()): Promise<number> {
  const { numAffectedRows } = await sql`
    DELETE FROM rate_limit_buckets
     WHERE scope = ${scope} AND window_start <= ${new Date(now.getTime() - rate.windowMs)}`.execute(db);
  return Number(numAffectedRows ?? 0);
}

/** 429 RATE_LIMITED with the seconds to wait: the route sends them as Retry-After, the page shows them. */
export class RateLimitExceeded extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}
