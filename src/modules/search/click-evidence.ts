import type { SearchConfig } from '../../config/env.js';
import { LIMITS } from '../../shared/limits.js';
import type { ClickSuspicion } from './search.tables.js';

/** What readers' behaviour must show before it changes what other readers see (suggestions, learned boosts). */
export interface EvidencePolicy {
  /** Distinct readers, and distinct client networks, whose counted clicks a query needs. */
  minReaders: number;
  minNetworks: number;
  /** A reader identity younger than this is not evidence: fresh cookies cost an attacker nothing. */
  minReaderAgeMs: number;
  /** Counted clicks per reader, and per network, in 24 hours; more are stored but flagged. */
  perReaderPerDay: number;
  perNetworkPerDay: number;
  /** A click must come this soon after its search. */
  clickWithinMs: number;
  /** Words or phrases a suggestion must never contain. */
  blocklist: readonly string[];
}

/** The defaults: 3 readers on 3 networks, identities at least an hour old. */
export const DEFAULT_EVIDENCE: EvidencePolicy = {
  minReaders: 3,
  minNetworks: 3,
  minReaderAgeMs: 60 * 60_000, // 1 hour
  perReaderPerDay: LIMITS.searchEvidencePerReaderPerDay,
  perNetworkPerDay: LIMITS.searchEvidencePerNetworkPerDay,
  clickWithinMs: 2 * 60 * 60_000, // 2 hours
  blocklist: [],
};

/** The evidence policy of the configured installation. */
export function evidencePolicyFrom(config: SearchConfig): EvidencePolicy {
  return {
    ...DEFAULT_EVIDENCE,
    minReaders: config.minReaders,
    minNetworks: config.minNetworks,
    minReaderAgeMs: config.minReaderAgeMinutes * 60_000,
    blocklist: config.blocklist,
  };
}

/**
 * Why a click must not count as evidence, or null when it counts. Budgets come first and count every click within
 * budget, young readers' too: a young reader's click is honest enough for the team's insights (only not for what
 * other readers see), but a network sending hundreds of fresh cookies is stuffing, and insights leave it out.
 */
export function clickSuspicion(
  click: { readerAgeMs: number; readerCountedToday: number; networkCountedToday: number },
  policy: EvidencePolicy,
): ClickSuspicion | null {
  if (click.readerCountedToday >= policy.perReaderPerDay) return 'reader-budget';
  if (click.networkCountedToday >= policy.perNetworkPerDay) return 'network-budget';
  if (click.readerAgeMs < policy.minReaderAgeMs) return 'young-reader';
  return null;
}
