import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { countedEventSql } from '../events/index.js';
import { rollUpSiteDaily } from './site-rollup.js';

/** A reader who opens the contact form or files a ticket this long after reading counts as "contacted". */
export const CONTACT_WINDOW_HOURS = 24;
/** A reader who searches again this soon after reading counts as a search exit: the article did not answer. */
export const SEARCH_AGAIN_MINUTES = 30;
/** Days before today that every scheduled run rebuilds, because contacts up to 24 h later still change them. */
export const ROLLING_DAYS = 2;

const DAY_MS = 86_400_000;

/** A UTC day as `YYYY-MM-DD`. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC days from `from` to `to` inclusive, as `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Marks days whose rollup must be rebuilt (a backdated import, late events). Pass the writing transaction so the
 * mark exists if and only if the write commits; the next 'insights.rollup' run rebuilds them.
 */
export async function markInsightDaysDirty(db: DB, days: Iterable<string>): Promise<void> {
  const unique = [...new Set(days)];
  if (unique.length === 0) return;
  await sql`INSERT INTO insight_dirty_days (day) SELECT unnest(${unique}::date[]) ON CONFLICT (day) DO UPDATE SET marked_at = now()`.execute(
    db,
  );
}

/**
 * Rebuilds the daily rollup for the UTC days `from`..`to` (inclusive) in one transaction: the day's rows are
 * replaced, so a rebuild is idempotent and a reader never sees a half-built day.
 *
 * - views: `article_daily_views` (counted by the site per page locale), attributed to the translation in that
 *   locale (else the source language's) and to the revision live at the end of that day;
 * - votes: counted votes only (`suspect IS NULL`), pinned to the revision the reader saw;
 * - readers, contacted, searched_again: "Article Viewed" events that count (see countedEventSql), one per person,
 *   article, locale and revision a day, followed within 24 h by "Contact Form Viewed"/"Ticket Created" or within
 *   30 minutes by "Search Performed" from the same person;
 * - tickets: tickets tied to the article (form, API, agent), attributed like views.
 */
export async function rollUpInsights(db: DB, range: { from: string; to: string }): Promise<{ days: number }> {
  const days = daysBetween(range.from, range.to);
  if (days.length === 0) return { days: 0 };
  const start = `${range.from}T00:00:00Z`;
  const end = new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS).toISOString();
  await db.transaction().execute(async (trx) => {
    await sql`DELETE FROM insight_article_daily WHERE day BETWEEN ${range.from}::date AND ${range.to}::date`.execute(
      trx,
    );
    await sql`
      WITH
      live AS (
        -- The revision live at the end of each (translation, day): the latest publication started before the day
        -- ended, else (content older than its history) the translation's first revision.
        SELECT t.id AS translation_id, t.article_id, t.locale, d.day,
               coalesce(
                 (SELECT p.revision_id FROM revision_publications p
                   WHERE p.translation_id = t.id AND p.started_at < d.day + 1
                   ORDER BY p.started_at DESC, p.id DESC LIMIT 1),
                 (SELECT r.id FROM article_revisions r WHERE r.translation_id = t.id ORDER BY r.number LIMIT 1)
               ) AS revision_id
        FROM article_translations t CROSS JOIN unnest(${days}::date[]) AS d(day)
      ),
      views AS (
        SELECT v.day, v.article_id, coalesce(t.locale, a.source_locale) AS locale, sum(v.views)::int AS views
        FROM article_daily_views v
        JOIN articles a ON a.id = v.article_id
        LEFT JOIN article_translations t ON t.article_id = v.article_id AND t.locale = v.locale
        WHERE v.day BETWEEN ${range.from}::date AND ${range.to}::date
        GROUP BY 1, 2, 3
      ),
      votes AS (
        SELECT (v.created_at AT TIME ZONE 'UTC')::date AS day, v.article_id, v.locale, v.revision_id,
               count(*)::int AS votes,
               (count(*) FILTER (WHERE v.helpful))::int AS helpful,
               (count(*) FILTER (WHERE v.reason = 'inaccurate'))::int AS reason_inaccurate,
               (count(*) FILTER (WHERE v.reason = 'hard_to_understand'))::int AS reason_hard_to_understand,
               (count(*) FILTER (WHERE v.reason = 'missing_information'))::int AS reason_missing_information,
               (count(*) FILTER (WHERE v.reason = 'did_not_solve'))::int AS reason_did_not_solve,
               (count(*) FILTER (WHERE v.reason = 'other'))::int AS reason_other
        FROM article_votes v
        WHERE v.suspect IS NULL AND v.created_at >= ${start}::timestamptz AND v.created_at < ${end}::timestamptz
        GROUP BY 1, 2, 3, 4
      ),
      reads AS (
        SELECT (e."timestamp" AT TIME ZONE 'UTC')::date AS day, a.id AS article_id,
               e.properties->>'article_locale' AS locale, (e.properties->>'revision')::int AS number,
               e.anonymous_id AS person, min(e."timestamp") AS at
        FROM events e JOIN articles a ON a.slug = e.properties->>'article_slug'
        WHERE e.event = 'Article Viewed' AND e."timestamp" >= ${start}::timestamptz AND e."timestamp" < ${end}::timestamptz
          AND e.anonymous_id IS NOT NULL AND (e.properties->>'revision') ~ '^[0-9]{1,9}$'
          AND ${countedEventSql('e')}
        GROUP BY 1, 2, 3, 4, 5
      ),
      reading AS (
        SELECT rd.day, rd.article_id, rd.locale, r.id AS revision_id,
               count(*)::int AS readers,
               (count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM events n
                 WHERE n.anonymous_id = rd.person AND n.event IN ('Contact Form Viewed', 'Ticket Created')
                   AND n."timestamp" > rd.at
                   AND n."timestamp" <= rd.at + make_interval(hours => ${CONTACT_WINDOW_HOURS})
                   AND ${countedEventSql('n')})))::int AS contacted,
               (count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM events n
                 WHERE n.anonymous_id = rd.person AND n.event = 'Search Performed'
                   AND n."timestamp" > rd.at
                   AND n."timestamp" <= rd.at + make_interval(mins => ${SEARCH_AGAIN_MINUTES})
                   AND ${countedEventSql('n')})))::int AS searched_again
        FROM reads rd
        JOIN article_translations t ON t.article_id = rd.article_id AND t.locale = rd.locale
        JOIN article_revisions r ON r.translation_id = t.id AND r.number = rd.number
        GROUP BY 1, 2, 3, 4
      ),
      ticket_counts AS (
        SELECT (k.created_at AT TIME ZONE 'UTC')::date AS day, k.source_article_id AS article_id,
               coalesce(t.locale, a.source_locale) AS locale, count(*)::int AS tickets
        FROM tickets k
        JOIN articles a ON a.id = k.source_article_id
        LEFT JOIN article_translations t ON t.article_id = k.source_article_id AND t.locale = k.locale
        WHERE k.source_article_id IS NOT NULL
          AND k.created_at >= ${start}::timestamptz AND k.created_at < ${end}::timestamptz
        GROUP BY 1, 2, 3
      ),
      parts AS (
        SELECT v.day, v.article_id, v.locale, l.revision_id, v.views, 0 AS readers, 0 AS contacted,
               0 AS searched_again, 0 AS tickets, 0 AS votes, 0 AS helpful, 0 AS r1, 0 AS r2, 0 AS r3, 0 AS r4, 0 AS r5
        FROM views v
        JOIN article_translations t ON t.article_id = v.article_id AND t.locale = v.locale
        JOIN live l ON l.translation_id = t.id AND l.day = v.day
        WHERE l.revision_id IS NOT NULL
        UNION ALL
        SELECT day, article_id, locale, revision_id, 0, 0, 0, 0, 0, votes, helpful, reason_inaccurate,
               reason_hard_to_understand, reason_missing_information, reason_did_not_solve, reason_other
        FROM votes
        UNION ALL
        SELECT day, article_id, locale, revision_id, 0, readers, contacted, searched_again, 0, 0, 0, 0, 0, 0, 0, 0
        FROM reading
        UNION ALL
        SELECT c.day, c.article_id, c.locale, l.revision_id, 0, 0, 0, 0, c.tickets, 0, 0, 0, 0, 0, 0, 0
        FROM ticket_counts c
        JOIN article_translations t ON t.article_id = c.article_id AND t.locale = c.locale
        JOIN live l ON l.translation_id = t.id AND l.day = c.day
        WHERE l.revision_id IS NOT NULL
      )
      INSERT INTO insight_article_daily (day, article_id, locale, revision_id, views, readers, contacted,
        searched_again, tickets, votes, helpful, reason_inaccurate, reason_hard_to_understand,
        reason_missing_information, reason_did_not_solve, reason_other)
      SELECT day, article_id, locale, revision_id, sum(views), sum(readers), sum(contacted), sum(searched_again),
             sum(tickets), sum(votes), sum(helpful), sum(r1), sum(r2), sum(r3), sum(r4), sum(r5)
      FROM parts
      GROUP BY day, article_id, locale, revision_id`.execute(trx);
    await rollUpSiteDaily(trx, range);
  });
  return { days: days.length };
}

export interface RollupRunResult {
  days: number;
}

/**
 * One scheduled run: rebuilds the last ROLLING_DAYS days and today, every day marked dirty, and the days of votes
 * changed since the previous run (a reader who changed their answer). Safe to run in several processes at once:
 * each rebuild replaces whole days in one transaction.
 */
export async function runInsightsRollup(db: DB, now: Date = new Date()): Promise<RollupRunResult> {
  const today = dayOf(now);
  const first = dayOf(new Date(now.getTime() - ROLLING_DAYS * DAY_MS));
  const started = new Date();
  const dirty = await sql<{ day: string }>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day FROM insight_dirty_days`.execute(db);
  const changed = await sql<{ day: string }>`
    SELECT DISTINCT to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day
    FROM article_votes
    WHERE updated_at > now() - interval '15 minutes' AND created_at < ${`${first}T00:00:00Z`}::timestamptz`.execute(db);
  const extra = [...new Set([...dirty.rows, ...changed.rows].map((r) => r.day))].filter((d) => d < first).sort();
  let total = (await rollUpInsights(db, { from: first, to: today })).days;
  // Contiguous runs of dirty days are rebuilt together (one pass over their events rather than one per day).
  let runStart: string | null = null;
  let previous: string | null = null;
  for (const day of [...extra, null]) {
    const next: string | null = previous ? dayOf(new Date(Date.parse(`${previous}T00:00:00Z`) + DAY_MS)) : null;
    if (day !== null && runStart !== null && day === next) {
      previous = day;
      continue;
    }
    if (runStart !== null && previous !== null)
      total += (await rollUpInsights(db, { from: runStart, to: previous })).days;
    runStart = day;
    previous = day;
  }
  // Only now, and only the marks this run saw: a day marked while it ran is rebuilt by the next.
  if (dirty.rows.length > 0) {
    await sql`DELETE FROM insight_dirty_days
      WHERE day = ANY(${dirty.rows.map((r) => r.day)}::date[]) AND marked_at <= ${started}`.execute(db);
  }
  return { days: total };
}
