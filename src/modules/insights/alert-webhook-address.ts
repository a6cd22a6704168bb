import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { AppError } from '../../server/errors.js';

/**
 * Addresses a webhook must not reach unless the operator allows it: loopback, private networks, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, unspecified, documentation/benchmark, multicast and reserved.
 * Without this, anyone allowed to set the webhook could make the server probe its own network (SSRF).
 */
const NON_PUBLIC = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** True when an IP address (v4 or v6, v4-mapped v6 included) is not a public internet address. */
export function isNonPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return NON_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return NON_PUBLIC.check(mapped[1], 'ipv4');
  // ::ffff:7f00:1 is 127.0.0.1 written in hex.
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hexMapped?.[1] && hexMapped[2]) {
    const high = Number.parseInt(hexMapped[1], 16);
    const low = Number.parseInt(hexMapped[2], 16);
    return NON_PUBLIC.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  return NON_PUBLIC.check(address, 'ipv6');
}

function refuse(message: string): AppError {
  return new AppError('WEBHOOK_URL_REFUSED', message, [{ path: 'webhookUrl', message }]);
}

/** The URL's host without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Checks a webhook URL before it is saved: http(s), no credentials in it, and (unless `allowPrivate`) a host that is
 * a public address or a name all of whose addresses are public. A name that does not resolve now is accepted (the
 * receiver may not exist yet); every delivery checks the address it actually connects to again.
 */
export async function assertWebhookUrlAllowed(text: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('the webhook URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('the webhook URL must start with http(s)://');
  if (url.username !== '' || url.password !== '') {
    throw refuse('the webhook URL must not hold a user name or password; use the webhook secret');
  }
  if (allowPrivate) return url;
  const host = hostOf(url);
  const privateMessage = `the webhook URL points to a loopback or private address (${host}); set ANSWERLOOP_ALERT_WEBHOOK_ALLOW_PRIVATE=true to allow it`;
  if (net.isIP(host) !== 0) {
    if (isNonPublicAddress(host)) throw refuse(privateMessage);
    return url;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) throw refuse(privateMessage);
  let addresses: { address: string }[] = [];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return url;
  }
  if (addresses.some((a) => isNonPublicAddress(a.address))) throw refuse(privateMessage);
  return url;
}
