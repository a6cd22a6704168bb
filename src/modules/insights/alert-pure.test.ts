import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNonPublicAddress } from './alert-webhook-address.js';
import {
  DELIVERY_BASE_DELAY_MS,
  DELIVERY_MAX_ATTEMPTS,
  DELIVERY_MAX_DELAY_MS,
  retryDelayMs,
  signWebhookBody,
} from './deliver-alerts.js';

describe('the webhook signature', () => {
  it('is the hex HMAC-SHA256 of the raw body (known value)', () => {
    // The widely published HMAC-SHA256 example (key "key").
    expect(signWebhookBody('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });
  it('changes with any byte of the body or the secret', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string({ minLength: 16 }), (body, extra, secret) => {
        const signature = signWebhookBody(body, secret);
        expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
        expect(signWebhookBody(body + extra, secret)).not.toBe(signature);
        expect(signWebhookBody(body, `${secret}${extra}`)).not.toBe(signature);
      }),
    );
  });
});

describe('the retry backoff', () => {
  it('doubles from 30 s up to 1 h, between half and all of each step (known values)', () => {
    expect([1, 2, 3, 4, 8].map((n) => retryDelayMs(n, () => 1))).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000]);
    expect([1, 2, 3].map((n) => retryDelayMs(n, () => 0))).toEqual([15_000, 30_000, 60_000]);
    // The whole schedule before a delivery is dead: under 4 hours even with the longest waits.
    let total = 0;
    for (let n = 1; n < DELIVERY_MAX_ATTEMPTS; n++) total += retryDelayMs(n, () => 1);
    expect(total).toBe(30_000 + 60_000 + 120_000 + 240_000 + 480_000 + 960_000 + 1_920_000);
  });
  it('stays within [ceiling/2, ceiling], never above 1 h, and its bounds never shrink with more failures', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (failed, r) => {
        const ceiling = Math.min(DELIVERY_MAX_DELAY_MS, DELIVERY_BASE_DELAY_MS * 2 ** (failed - 1));
        const delay = retryDelayMs(failed, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(DELIVERY_MAX_DELAY_MS);
        expect(retryDelayMs(failed + 1, () => r)).toBeGreaterThanOrEqual(delay);
      }),
    );
  });
});

describe('non-public addresses', () => {
  it('are refused: loopback, private, link-local, CGNAT, unspecified, multicast, v4-mapped', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a00:1',
      'not an address',
    ]) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
  });
  it('are not public internet addresses', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '93.184.216.34',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
    ]) {
      expect(isNonPublicAddress(address), address).toBe(false);
    }
  });
  it('covers every address of 10/8 and 127/8, and no address of 11/8', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(octet, octet, octet, (b, c, d) => {
        expect(isNonPublicAddress(`10.${b}.${c}.${d}`)).toBe(true);
        expect(isNonPublicAddress(`127.${b}.${c}.${d}`)).toBe(true);
        expect(isNonPublicAddress(`11.${b}.${c}.${d}`)).toBe(false);
      }),
    );
  });
});
