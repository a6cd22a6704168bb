import type { EvidencePolicy } from './click-evidence.js';
import type { EvidencedQuery, SuccessfulQuery } from './load-successful-queries.js';
import { type Blocklist, type SuggestionHazard, suggestionHazard } from './screen-suggestion.js';
import type { SuggestionRuleStatus } from './search.tables.js';

/** An operator's decision about one query of one locale (keyed by its folded words). */
export interface SuggestionRule {
  locale: string;
  normalized: string;
  text: string;
  status: SuggestionRuleStatus;
}

/** One query as the operator reviews it: its evidence, the rule on it, and whether readers are offered it. */
export interface SuggestionDecision {
  query: EvidencedQuery;
  status: 'learned' | SuggestionRuleStatus;
  /** Why it may never be shown without a pin (a link, contact details, personal data, the blocklist). */
  filtered: SuggestionHazard | null;
  /** True when the evidence meets the policy (distinct readers and networks). */
  enoughEvidence: boolean;
  offered: boolean;
}

/**
 * Decides what readers are offered: pinned queries always (an operator vouched for them, above every learned one),
 * banned ones never (nor their learned boosts), and otherwise queries whose evidence meets the policy and whose
 * text carries no link, contact details, personal data or blocked term. Pure: the service and the review API share it.
 */
export function decideSuggestions(
  candidates: readonly EvidencedQuery[],
  rules: readonly SuggestionRule[],
  policy: Pick<EvidencePolicy, 'minReaders' | 'minNetworks'>,
  blocklist: Blocklist,
): SuggestionDecision[] {
  const ruleOf = new Map(rules.map((r) => [`${r.locale}\u0000${r.normalized}`, r]));
  const decisions: SuggestionDecision[] = [];
  const seen = new Set<string>();
  for (const query of candidates) {
    const key = `${query.locale}\u0000${query.normalized}`;
    seen.add(key);
    const rule = ruleOf.get(key);
    const filtered = suggestionHazard(query.text, blocklist);
    const enoughEvidence = query.readers >= policy.minReaders && query.networks >= policy.minNetworks;
    const status = rule?.status ?? 'learned';
    const offered = status === 'pinned' || (status === 'learned' && enoughEvidence && filtered === null);
    decisions.push({ query: { ...query, clicks: [...query.clicks] }, status, filtered, enoughEvidence, offered });
  }
  for (const rule of rules) {
    const key = `${rule.locale}\u0000${rule.normalized}`;
    if (seen.has(key)) continue;
    const query: EvidencedQuery = {
      locale: rule.locale,
      normalized: rule.normalized,
      text: rule.text,
      searches: 0,
      readers: 0,
      networks: 0,
      weight: 0,
      clicks: [],
    };
    decisions.push({
      query,
      status: rule.status,
      filtered: suggestionHazard(rule.text, blocklist),
      enoughEvidence: false,
      offered: rule.status === 'pinned',
    });
  }
  // A pin ranks above every learned query of its locale; its own text is the one shown.
  const top = new Map<string, number>();
  for (const d of decisions) top.set(d.query.locale, Math.max(top.get(d.query.locale) ?? 0, d.query.weight));
  for (const d of decisions) {
    if (d.status !== 'pinned') continue;
    const rule = ruleOf.get(`${d.query.locale}\u0000${d.query.normalized}`);
    d.query.weight = Math.max(d.query.weight, (top.get(d.query.locale) ?? 0) + 1);
    if (rule) d.query.text = rule.text;
  }
  return decisions;
}

/** The queries readers are offered (and learn boosts from), from the decisions. */
export function offeredQueries(decisions: readonly SuggestionDecision[]): SuccessfulQuery[] {
  return decisions.filter((d) => d.offered).map((d) => d.query);
}
