import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { normalizeQuery } from './record-search.js';
import type { SuggestionRuleStatus } from './search.tables.js';

export type SuggestionAction = 'pin' | 'ban' | 'unpin' | 'unban';

export interface SetSuggestionRuleInput {
  locale: string;
  text: string;
  action: SuggestionAction;
}

export interface SuggestionRuleResult {
  locale: string;
  normalized: string;
  text: string;
  /** The rule now in force (null: none, the query is judged on its evidence again). */
  status: SuggestionRuleStatus | null;
}

/**
 * Pins, bans, or lifts a pin or ban on a suggested query of one locale, then tells the running search service
 * (bus 'search.suggestion-rule.changed'), which applies it before the next keystroke is answered. Unpin lifts only a
 * pin and unban only a ban, so a stale click can't undo the other decision.
 */
export async function setSuggestionRule(
  db: DB,
  bus: Bus | undefined,
  input: SetSuggestionRuleInput,
): Promise<SuggestionRuleResult> {
  const text = input.text.trim();
  const normalized = normalizeQuery(input.locale, text);
  if (normalized.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'text must contain at least one word', [
      { path: 'text', message: 'must contain at least one word' },
    ]);
  }
  let status: SuggestionRuleStatus | null;
  if (input.action === 'pin' || input.action === 'ban') {
    const wanted: SuggestionRuleStatus = input.action === 'pin' ? 'pinned' : 'banned';
    await db
      .insertInto('search_suggestion_rules')
      .values({ locale: input.locale, normalized, text, status: wanted })
      .onConflict((oc) =>
        oc.columns(['locale', 'normalized']).doUpdateSet({ text, status: wanted, updated_at: new Date() }),
      )
      .execute();
    status = wanted;
  } else {
    await db
      .deleteFrom('search_suggestion_rules')
      .where('locale', '=', input.locale)
      .where('normalized', '=', normalized)
      .where('status', '=', input.action === 'unpin' ? 'pinned' : 'banned')
      .execute();
    const left = await db
      .selectFrom('search_suggestion_rules')
      .select('status')
      .where('locale', '=', input.locale)
      .where('normalized', '=', normalized)
      .executeTakeFirst();
    status = left?.status ?? null;
  }
  bus?.emit('search.suggestion-rule.changed', { locale: input.locale, normalized, text, status });
  return { locale: input.locale, normalized, text, status };
}
