import { createHmac, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { DB } from '../../db/client.js';

export type IpMode = 'hash' | 'truncate' | 'none';

/** Zeroes the host part of an address: the last octet of IPv4 (/24), everything after the first 48 bits of IPv6. */
export function truncateIp(ip: string): string | null {
  const address = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0`;
  if (!isIPv6(address)) return null;
  const [head = ''] = address.split('::');
  const groups = head.split(':').filter((g) => g.length > 0);
  return `${groups.slice(0, 3).join(':')}::`;
}

/**
 * Turns reader IP addresses into something that is not an IP address: a keyed hash whose salt rotates every
 * period and is then deleted (so hashes group one reader within a period but cannot be reversed or linked
 * across periods, once the salt is gone), a truncated address, or nothing. The raw address is never stored.
 */
export class IpAnonymizer {
  private period = -1;
  private salt = '';
  private pending: Promise<void> | undefined;

  constructor(
    private readonly db: DB,
    readonly mode: IpMode,
    private readonly rotationHours: number,
  ) {}

  private periodOf(now: number): number {
    return Math.floor(now / (this.rotationHours * 3_600_000));
  }

  /** Makes sure the current period's salt is loaded; cheap when it is. Call before `anonymize()`. */
  async prepare(now = Date.now()): Promise<void> {
    if (this.mode !== 'hash' || this.periodOf(now) === this.period) return;
    this.pending ??= this.loadSalt(this.periodOf(now)).finally(() => {
      this.pending = undefined;
    });
    await this.pending;
  }

  private async loadSalt(period: number): Promise<void> {
    // Every process of a deployment must hash alike, so the salt lives in the database, created by the first.
    await this.db
      .insertInto('event_ip_salts')
      .values({ period, salt: randomBytes(32).toString('base64') })
      .onConflict((oc) => oc.column('period').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('event_ip_salts')
      .select('salt')
      .where('period', '=', String(period))
      .executeTakeFirstOrThrow();
    await this.db.deleteFrom('event_ip_salts').where('period', '<', String(period)).execute();
    this.salt = row.salt;
    this.period = period;
  }

  /** The stored form of an address; `prepare()` must have run in this period. */
  anonymize(ip: string | undefined): string | null {
    if (!ip || this.mode === 'none') return null;
    if (this.mode === 'truncate') return truncateIp(ip);
    if (this.period < 0) throw new Error('IpAnonymizer.prepare() was not called');
    return createHmac('sha256', this.salt).update(ip).digest('base64url').slice(0, 22);
  }
}
