import type { DB } from '../../db/client.js';
import type { EvidencePolicy } from './click-evidence.js';
import { decideSuggestions, type SuggestionDecision } from './decide-suggestions.js';
import { type LoadSuccessfulOptions, loadSuccessfulQueries } from './load-successful-queries.js';
import type { Blocklist } from './screen-suggestion.js';
import { listSuggestionRules } from './search.queries.js';

/** Queries listed for review per locale, most popular first. */
const REVIEW_LIMIT = 500;

/**
 * What an operator reviews: every query with any counted evidence (even below the thresholds, so what is about to
 * appear can be banned first) and every pinned or banned one, each with its evidence and whether readers see it.
 */
export async function reviewSuggestions(
  db: DB,
  options: { locale?: string | undefined; load: LoadSuccessfulOptions; policy: EvidencePolicy; blocklist: Blocklist },
): Promise<SuggestionDecision[]> {
  const [candidates, rules] = await Promise.all([
    loadSuccessfulQueries(db, {
      ...options.load,
      minReaders: 1,
      minNetworks: 1,
      perLocale: REVIEW_LIMIT,
      locale: options.locale,
    }),
    listSuggestionRules(db, options.locale),
  ]);
  const decisions = decideSuggestions(candidates, rules, options.policy, options.blocklist);
  return decisions.sort(
    (a, b) =>
      a.query.locale.localeCompare(b.query.locale) ||
      Number(b.offered) - Number(a.offered) ||
      b.query.weight - a.query.weight ||
      a.query.normalized.localeCompare(b.query.normalized),
  );
}
