import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { canonicalAddress, networkOf } from '../../shared/client-network.js';

/**
 * Login throttling, per account and per client address. From the `threshold`th consecutive failure on, each failure
 * locks further attempts for a delay that doubles (1 s, 2 s, 4 s … capped at 15 min). Failures are forgotten after a
 * day without one; a successful sign-in clears the account's count (not the address's, so one known password does
 * not reopen an address that guesses at others).
 */
export const THROTTLE = {
  accountThreshold: 5,
  addressThreshold: 20,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60 * 1000, // 15 minutes
  forgetAfterMs: 24 * 60 * 60 * 1000, // 1 day
} as const;

/** The lock after the `failures`th consecutive failure: 0 below the threshold, then doubling up to the cap. */
export function lockDelayMs(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  const doublings = Math.min(failures - threshold, 30);
  return Math.min(THROTTLE.firstDelayMs * 2 ** doublings, THROTTLE.maxDelayMs);
}

export interface ThrottleKeys {
  account: string;
  address: string;
}

/**
 * The throttle rows' keys: keyed hashes (the installation's network key), so the table reveals neither the emails
 * tried nor the addresses. An IPv6 client is keyed by its /64, which it could otherwise rotate through freely.
 */
export function throttleKeysOf(networkKey: Buffer, email: string, ip: string): ThrottleKeys {
  const hash = (text: string) =>
    createHmac('sha256', networkKey).update(text).digest().subarray(0, 18).toString('base64url');
  const address = canonicalAddress(ip);
  const client = address.includes(':') ? networkOf(ip) : address;
  return { account: `account:${hash(`login:${email.trim().toLowerCase()}`)}`, address: `address:${hash(`login:${client}`)}` };
}

/** Milliseconds until either key may try again (0 when neither is locked). */
export async function lockedForMs(db: DB, keys: ThrottleKeys): Promise<number> {
  const rows = await db
    .selectFrom('login_throttle')
    .select(['locked_until'])
    .where('key', 'in', [keys.account, keys.address])
    .execute();
  const now = Date.now();
  return Math.max(0, ...rows.map((row) => (row.locked_until ? row.locked_until.getTime() - now : 0)));
}

/** Counts a failed sign-in for both keys and sets their locks; returns the longer lock in milliseconds. */
export async function recordLoginFailure(db: DB, keys: ThrottleKeys): Promise<number> {
  const forget = new Date(Date.now() - THROTTLE.forgetAfterMs);
  let longest = 0;
  for (const [key, threshold] of [
    [keys.account, THROTTLE.accountThreshold],
    [keys.address, THROTTLE.addressThreshold],
  ] as const) {
    const row = await db
      .insertInto('login_throttle')
      .values({ key, failures: 1, updated_at: new Date() })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`CASE WHEN login_throttle.updated_at < ${forget} THEN 1 ELSE login_throttle.failures + 1 END`,
          updated_at: new Date(),
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    const delay = lockDelayMs(row.failures, threshold);
    if (delay > 0) {
      await db
        .updateTable('login_throttle')
        .set({ locked_until: new Date(Date.now() + delay) })
        .where('key', '=', key)
        .execute();
      longest = Math.max(longest, delay);
    }
  }
  return longest;
}

/** A successful sign-in: the account's failures are forgotten. */
export async function clearAccountFailures(db: DB, keys: ThrottleKeys): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', keys.account).execute();
}
