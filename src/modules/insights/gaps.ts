import { sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import { LIMITS } from '../../shared/limits.js';
import { redactPersonalData } from '../search/index.js';
import { clusterPhrases, type PhraseItem } from './cluster-phrases.js';
import { extractTerms } from './extract-terms.js';
import type { ZGap, ZGapsResponse } from './insights.schema.js';
import { PeriodCache, periodBounds } from './words.queries.js';

export type GapsResponse = z.infer<typeof ZGapsResponse>;
type Gap = z.infer<typeof ZGap>;

/** The search a ticket is run through: the engine's ranked hits, each weak when it does not answer the text. */
export type FindArticles = (locale: string, text: string) => { hits: readonly { weak: boolean }[] };

export interface GapsOptions {
  locale?: string | undefined;
  from: string;
  to: string;
  /** Failed searches plus tickets a gap needs (default 3). */
  minVolume?: number | undefined;
  /** Gaps returned, largest first (default 200). */
  limit?: number | undefined;
  /** Skip the five-minute cache. */
  fresh?: boolean;
}

/** Distinct failing queries and newest tickets one computation considers (the rest are the long tail). */
export const GAP_SAMPLE = { queries: 5_000, tickets: 2_000 } as const;
/** A search "was followed by contact" when its session reached the contact page within this many minutes. */
export const GAP_CONTACT_MINUTES = 60;
const EXAMPLES = 3;
const DAY_MS = 86_400_000;
const CACHE_MS = 5 * 60 * 1000; // 5 minutes

interface Candidate extends PhraseItem {
  searches: number;
  noResults: number;
  weakResults: number;
  contactAfter: number;
  tickets: number;
  early: number;
  late: number;
}

/**
 * Content gaps: what readers look for and the help center does not answer. Candidates are queries whose searches
 * mostly failed (no results, only weak results, or the session went to the contact page within an hour), grouped by
 * their folded words, and tickets for which neither the subject nor the subject with the start of the body finds an
 * answering article (`findArticles`: no hit, or the top hit under the engine's relevance floor). Candidates are
 * clustered per locale (clusterPhrases); a gap's volume is its failed searches (once per session) plus its tickets.
 */
export function findContentGaps(db: DB, options: GapsOptions, findArticles: FindArticles): Promise<GapsResponse> {
  const compute = () => computeGaps(db, options, findArticles);
  if (options.fresh) return compute();
  const key = `${options.locale ?? '*'}|${options.from}|${options.to}|${options.minVolume ?? ''}|${options.limit ?? ''}`;
  return cache.get(db, key, compute);
}

const cache = new PeriodCache<GapsResponse>(CACHE_MS);

function tokensOf(locale: string, text: string): string[] {
  return [...new Set(extractTerms(locale, text).unigrams.map((t) => t.key))];
}

async function computeGaps(db: DB, options: GapsOptions, findArticles: FindArticles): Promise<GapsResponse> {
  const minVolume = options.minVolume ?? 3;
  const limit = options.limit ?? 200;
  const { start, end } = periodBounds(options);
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  // Trend: the last half of the period against the first half of the same length (the middle day of an odd period
  // is in neither).
  const half = Math.floor(days / 2);
  const firstHalfEnd = new Date(start.getTime() + half * DAY_MS);
  const secondHalfStart = new Date(end.getTime() - half * DAY_MS);
  const localeFilter = (column: string) =>
    options.locale === undefined ? sql`` : sql`AND ${sql.ref(column)} = ${options.locale}`;

  const [searches, tickets] = await Promise.all([
    sql<{
      locale: string;
      normalized: string;
      query: string;
      searches: number;
      no_results: number;
      weak_results: number;
      contact_after: number;
      failed: number;
      early: number;
      late: number;
    }>`
      WITH s AS (
        SELECT q.locale, q.normalized, q.query, q.results, q.weak, q.created_at,
               coalesce(q.session_id, q.id::text) AS who,
               (q.session_id IS NOT NULL AND EXISTS (
                  SELECT 1 FROM search_contacts k
                   WHERE k.session_id = q.session_id AND k.created_at >= q.created_at
                     AND k.created_at < q.created_at + make_interval(mins => ${GAP_CONTACT_MINUTES}::int))) AS contacted
          FROM search_queries q
         WHERE q.created_at >= ${start} AND q.created_at < ${end} AND q.normalized <> '' ${localeFilter('q.locale')}
      ), f AS (
        SELECT s.*, (s.results = 0 OR s.weak OR s.contacted) AS failed FROM s
      )
      SELECT locale, normalized, mode() WITHIN GROUP (ORDER BY query) AS query,
             count(DISTINCT who)::int AS searches,
             count(DISTINCT who) FILTER (WHERE results = 0)::int AS no_results,
             count(DISTINCT who) FILTER (WHERE results > 0 AND weak)::int AS weak_results,
             count(DISTINCT who) FILTER (WHERE contacted)::int AS contact_after,
             count(DISTINCT who) FILTER (WHERE failed)::int AS failed,
             count(DISTINCT who) FILTER (WHERE failed AND created_at < ${firstHalfEnd})::int AS early,
             count(DISTINCT who) FILTER (WHERE failed AND created_at >= ${secondHalfStart})::int AS late
        FROM f
       GROUP BY locale, normalized
      -- Mostly failing: a popular query that a few readers left for the contact page is an article's problem.
      HAVING 2 * count(DISTINCT who) FILTER (WHERE failed) >= count(DISTINCT who)
       ORDER BY failed DESC, locale, normalized
       LIMIT ${GAP_SAMPLE.queries}`.execute(db),
    sql<{ locale: string; subject: string; body: string; created_at: Date }>`
      SELECT locale, subject, left(body, ${LIMITS.searchQuery}) AS body, created_at
        FROM tickets
       WHERE created_at >= ${start} AND created_at < ${end} AND locale IS NOT NULL ${localeFilter('locale')}
       ORDER BY created_at DESC
       LIMIT ${GAP_SAMPLE.tickets}`.execute(db),
  ]);

  const candidates: Candidate[] = searches.rows.map((r) => ({
    text: redactPersonalData(r.query),
    tokens: tokensOf(r.locale, r.normalized),
    weight: Number(r.failed),
    locale: r.locale,
    searches: Number(r.searches),
    noResults: Number(r.no_results),
    weakResults: Number(r.weak_results),
    contactAfter: Number(r.contact_after),
    tickets: 0,
    early: Number(r.early),
    late: Number(r.late),
  }));
  const answers = (locale: string, text: string) => {
    const top = findArticles(locale, text.slice(0, LIMITS.searchQuery)).hits[0];
    return top !== undefined && !top.weak;
  };
  for (const ticket of tickets.rows) {
    const subject = ticket.subject.trim();
    if (!subject) continue;
    if (answers(ticket.locale, subject) || answers(ticket.locale, `${subject} ${ticket.body}`)) continue;
    const at = new Date(ticket.created_at).getTime();
    candidates.push({
      text: redactPersonalData(subject),
      tokens: tokensOf(ticket.locale, subject),
      weight: 1,
      locale: ticket.locale,
      searches: 0,
      noResults: 0,
      weakResults: 0,
      contactAfter: 0,
      tickets: 1,
      early: at < firstHalfEnd.getTime() ? 1 : 0,
      late: at >= secondHalfStart.getTime() ? 1 : 0,
    });
  }

  const gaps: Gap[] = [];
  for (const cluster of clusterPhrases(candidates)) {
    if (cluster.volume < minVolume) continue;
    const sum = (field: 'searches' | 'noResults' | 'weakResults' | 'contactAfter' | 'tickets' | 'early' | 'late') =>
      cluster.members.reduce((s, m) => s + m[field], 0);
    const early = sum('early');
    const examples: string[] = [];
    for (const member of cluster.members) {
      if (examples.length >= EXAMPLES) break;
      if (!examples.includes(member.text)) examples.push(member.text);
    }
    gaps.push({
      phrase: cluster.representative.text,
      volume: cluster.volume,
      trend: early > 0 ? Math.round(((sum('late') - early) / early) * 1000) / 1000 : null,
      locales: [cluster.locale],
      searches: sum('searches'),
      noResults: sum('noResults'),
      weakResults: sum('weakResults'),
      contactAfter: sum('contactAfter'),
      tickets: sum('tickets'),
      examples,
    });
    if (gaps.length >= limit) break;
  }
  return { from: options.from, to: options.to, gaps };
}
