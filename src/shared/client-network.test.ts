import { describe, expect, it } from 'vitest';
import { canonicalAddress, networkOf } from './client-network.js';

describe('networkOf', () => {
  it('groups IPv4 by /24 and IPv4-mapped IPv6 with it', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:203.0.113.5')).toBe('203.0.113.0/24');
    expect(networkOf('203.0.114.1')).not.toBe(networkOf('203.0.113.1'));
  });

  it('groups IPv6 by /64 whatever the spelling', () => {
    expect(networkOf('2001:db8:1:2::1')).toBe('2001:0db8:0001:0002::/64');
    expect(networkOf('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(networkOf('2001:0db8:0001:0002:0:0:0:9'));
    expect(networkOf('2001:db8:1:3::1')).not.toBe(networkOf('2001:db8:1:2::1'));
    expect(networkOf('::1')).toBe('0000:0000:0000:0000::/64');
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0000:0000:0000::/64');
  });

  it('canonicalises addresses', () => {
    expect(canonicalAddress('2001:db8::1')).toBe('2001:0db8:0000:0000:0000:0000:0000:0001');
    expect(canonicalAddress('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalAddress('::ffff:1.2.3.4')).toBe(canonicalAddress('1.2.3.4'));
    expect(canonicalAddress('64:ff9b::1.2.3.4')).toBe('0064:ff9b:0000:0000:0000:0000:0102:0304');
    expect(networkOf('not an address')).toBe('unknown');
  });
});
