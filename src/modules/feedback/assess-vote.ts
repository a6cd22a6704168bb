import { createHmac } from 'node:crypto';
import { canonicalAddress, networkOf } from '../../shared/client-network.js';
import { LIMITS } from '../../shared/limits.js';
import type { SuspectReason } from './feedback.tables.js';

/** Who sent a vote, as far as budgets are concerned. */
export interface VoteClient {
  /** The client address (`request.ip`: X-Forwarded-For counts only from configured proxies). */
  ip: string;
  /** When the server issued the reader identity the vote came with. */
  identityIssuedAt: Date;
  /** True when the identity was minted by this very request (no valid reader cookie came with it). */
  identityIsNew: boolean;
}

/** Pseudonymous keys of a client's address and network. */
export interface ClientKeys {
  address: string;
  network: string;
}

/**
 * Keyed hashes (HMAC-SHA256, truncated to 128 bits) of a client's address and of its network: budgets can compare
 * them, but nobody holding the table can read an address back or confirm a guess without the installation key.
 */
export function clientKeys(key: Buffer, ip: string): ClientKeys {
  const mac = (value: string) => createHmac('sha256', key).update(value).digest().subarray(0, 16).toString('base64url');
  return { address: mac(`address:${canonicalAddress(ip)}`), network: mac(`network:${networkOf(ip)}`) };
}

/** Counted (non-suspect) votes on one article within the budget window, by the vote's address and network. */
export interface BudgetUsage {
  addressVotes: number;
  networkVotes: number;
}

/**
 * Whether a vote counts, and if not why. Budgets are per article, so one address (an office behind a NAT) voting on
 * many articles is never flagged; a fresh identity counts only while its network has barely voted on the article,
 * because a client can mint identities as fast as it can drop cookies. Pure: the numbers come from the database.
 */
export function assessVote(
  usage: BudgetUsage,
  identity: { isNew: boolean; ageMs: number },
  limits: Pick<
    typeof LIMITS,
    'voteAddressBudget' | 'voteNetworkBudget' | 'voteNewIdentityBudget' | 'voteIdentityMatureMs'
  > = LIMITS,
): SuspectReason | null {
  if (usage.addressVotes >= limits.voteAddressBudget) return 'address_budget';
  if (usage.networkVotes >= limits.voteNetworkBudget) return 'network_budget';
  const fresh = identity.isNew || identity.ageMs < limits.voteIdentityMatureMs;
  if (fresh && usage.networkVotes >= limits.voteNewIdentityBudget) return 'new_identity';
  return null;
}
