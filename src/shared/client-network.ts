import net from 'node:net';

/**
 * The network a client address belongs to, for budgets that a client rotating addresses within its own allocation
 * can't escape: IPv4 /24, IPv6 /64 (an end site's usual prefix). IPv4-mapped IPv6 counts as IPv4.
 */
export function networkOf(ip: string): string {
  const address = ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (net.isIPv4(address)) {
    const parts = address.split('.');
    return `${parts[0]}.${parts[1]}.${parts[2]}.0/24`;
  }
  if (net.isIPv6(address)) {
    const groups = expandIpv6(address);
    return `${groups.slice(0, 4).join(':')}::/64`;
  }
  return 'unknown';
}

/** The address itself in a canonical form (IPv4-mapped IPv6 as IPv4, IPv6 fully expanded). */
export function canonicalAddress(ip: string): string {
  const address = ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (net.isIPv6(address)) return expandIpv6(address).join(':');
  return address;
}

function expandIpv6(address: string): string[] {
  // Zone ids ("fe80::1%eth0") don't identify a network.
  const bare = address.split('%')[0] ?? address;
  let tail: string[] = [];
  let head = bare;
  // An embedded IPv4 tail ("::1.2.3.4") is two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (v4?.[1]) {
    const [a, b, c, d] = v4[1].split('.').map(Number) as [number, number, number, number];
    tail = [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    head = bare.slice(0, -v4[1].length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right !== undefined && right !== '' ? right.split(':') : [];
  const fill = 8 - tail.length - leftGroups.length - rightGroups.length;
  const groups = [
    ...leftGroups,
    ...(right !== undefined ? Array(Math.max(0, fill)).fill('0') : []),
    ...rightGroups,
    ...tail,
  ];
  return groups.map((g) => (Number.parseInt(g || '0', 16) || 0).toString(16).padStart(4, '0'));
}
