import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { DB } from '../../db/client.js';
import { LIMITS } from '../../shared/limits.js';

/** Counted votes on one revision: how many said it helped, out of how many. */
export interface HelpfulCount {
  helpful: number;
  total: number;
}

/**
 * Counted (non-suspect) votes on one revision. Over the revision rather than the whole translation: the page says
 * "found this helpful" about the text it shows, and votes on an earlier text (perhaps rewritten because of them)
 * would describe something the reader can no longer see. The count starts again at each publish.
 */
export async function countHelpfulVotes(db: DB, revisionId: number): Promise<HelpfulCount> {
  const { rows } = await sql<HelpfulCount>`
    SELECT (count(*) FILTER (WHERE helpful))::int AS helpful, count(*)::int AS total
      FROM article_votes
     WHERE revision_id = ${revisionId} AND suspect IS NULL`.execute(db);
  return rows[0] ?? { helpful: 0, total: 0 };
}

/** The "X of Y found this helpful" line of article pages, the same for every reader. */
export interface HelpfulSummaries {
  /** The revision's counts once it has `LIMITS.helpfulSummaryMinVotes` counted votes, else null. */
  of(revisionId: number): Promise<HelpfulCount | null>;
}

/**
 * Cached per revision for `ttlMs` (default 60 s): every reader of a page sees the same numbers, so the page can be
 * cached whole, and a burst of page views costs one query. The line lags new votes by up to `ttlMs`.
 */
export function createHelpfulSummaries(db: DB, options: { ttlMs?: number; minVotes?: number } = {}): HelpfulSummaries {
  const minVotes = options.minVotes ?? LIMITS.helpfulSummaryMinVotes;
  const cache = new LRUCache<number, { value: HelpfulCount | null }>({ max: 10_000, ttl: options.ttlMs ?? 60_000 });
  return {
    async of(revisionId) {
      const hit = cache.get(revisionId);
      if (hit) return hit.value;
      const count = await countHelpfulVotes(db, revisionId);
      const value = count.total >= minVotes ? count : null;
      cache.set(revisionId, { value });
      return value;
    },
  };
}
