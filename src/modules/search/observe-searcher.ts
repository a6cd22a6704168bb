import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { networkOf } from '../../shared/client-network.js';
import type { InstanceKeys } from '../../shared/instance-keys.js';
import type { ReaderIdentities, ReaderIdentity } from '../../shared/reader-identity.js';

/** Who ran a search or clicked a result, as the server itself saw it. */
export interface Searcher extends ReaderIdentity {
  /** Keyed hash of the client's network (/24, /64): distinct networks can be counted, addresses are not kept. */
  networkKey: string;
}

/**
 * The network key of a client address: HMAC with the installation's network key, so the stored value can't be
 * turned back into an address by trying all 2^24 IPv4 networks without the database's secret.
 */
export function networkKeyOf(key: Buffer, ip: string): string {
  return createHmac('sha256', key)
    .update(`search:${networkOf(ip)}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** The reader (issuing cookies when missing or forged) and network of a request. */
export function observeSearcher(
  deps: { readers: ReaderIdentities; keys: InstanceKeys },
  request: FastifyRequest,
  reply: FastifyReply,
): Searcher {
  return { ...deps.readers.identify(request, reply), networkKey: networkKeyOf(deps.keys.network, request.ip) };
}
