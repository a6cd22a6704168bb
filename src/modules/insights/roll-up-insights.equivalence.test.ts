import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle, DB } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { countedEventSql } from '../events/index.js';
import { CONTACT_WINDOW_HOURS, daysBetween, rollUpInsights, SEARCH_AGAIN_MINUTES } from './roll-up-insights.js';

const DAY_MS = 86_400_000;

/**
 * The rollup's first SQL (correlated subqueries per translation × day and two EXISTS probes per reader), kept
 * verbatim as the reference the set-based rewrite must match row for row.
 */
async function rollUpReference(db: DB, range: { from: string; to: string }): Promise<void> {
  const days = daysBetween(range.from, range.to);
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
  });
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FROM = '2025-03-01';
const TO = '2025-03-10';
const t0 = Date.parse(`${FROM}T00:00:00Z`);

async function rows(db: DB) {
  const result = await sql<Record<string, unknown>>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, article_id, locale, revision_id, views, readers, contacted,
           searched_again, tickets, votes, helpful, reason_inaccurate, reason_hard_to_understand,
           reason_missing_information, reason_did_not_solve, reason_other
    FROM insight_article_daily ORDER BY day, article_id, locale, revision_id`.execute(db);
  return result.rows;
}

/**
 * Articles with one to three revisions in two locales, publication histories (including two publications at the
 * same instant, and a translation with no history at all), and people whose events land exactly on the windows'
 * edges (the same instant as the read, exactly 24 hours or 30 minutes later, one millisecond more), flagged events,
 * server-observed events sent with the site's public key (never counted), a read of an unknown revision or slug.
 */
async function generate(db: DB, seed: number): Promise<void> {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const at = (ms: number) => new Date(ms).toISOString();
  await sql`INSERT INTO topics (slug) VALUES (${`topic-${seed}`})`.execute(db);
  const key = await sql<{ id: number }>`INSERT INTO event_write_keys (name, key_hash, key_hint, public_key)
    VALUES ('site', ${`hash-${seed}`}, 'hint', ${`pk-${seed}`}) RETURNING id`.execute(db);
  const publicSource = `wk:${key.rows[0]!.id}`;
  const revisions: { slug: string; locale: string; number: number }[] = [];
  for (let i = 0; i < 4; i++) {
    const slug = `art-${seed}-${i}`;
    const article = await sql<{ id: number }>`INSERT INTO articles (slug, topic_id)
      SELECT ${slug}, id FROM topics WHERE slug = ${`topic-${seed}`} RETURNING id`.execute(db);
    for (const locale of i === 3 ? ['en'] : ['en', 'es']) {
      const translation = await sql<{ id: number }>`INSERT INTO article_translations (article_id, locale)
        VALUES (${article.rows[0]!.id}, ${locale}) RETURNING id`.execute(db);
      const tid = translation.rows[0]!.id;
      const count = 1 + Math.floor(next() * 3);
      const ids: number[] = [];
      for (let n = 1; n <= count; n++) {
        const r = await sql<{
          id: number;
        }>`INSERT INTO article_revisions (translation_id, number, title, body_md, author)
          VALUES (${tid}, ${n}, 'T', 'B', 'a') RETURNING id`.execute(db);
        ids.push(r.rows[0]!.id);
        revisions.push({ slug, locale, number: n });
      }
      if (i === 2 && locale === 'es') continue; // no publication history: the first revision counts
      // Publications on day boundaries, mid-day, before the range, and two at the same instant.
      let started = t0 - DAY_MS * 2 + Math.floor(next() * 3) * DAY_MS;
      for (const [n, id] of ids.entries()) {
        const ended = n + 1 < ids.length ? started + pick([0, DAY_MS, DAY_MS * 2.5, DAY_MS * 4]) : null;
        await sql`INSERT INTO revision_publications (translation_id, revision_id, started_at, ended_at)
          VALUES (${tid}, ${id}, ${at(started)}::timestamptz, ${ended === null ? null : at(ended)}::timestamptz)`.execute(
          db,
        );
        if (ended !== null) started = ended;
      }
    }
  }
  let seq = 0;
  const event = async (
    name: string,
    person: string | null,
    ms: number,
    properties: object,
    flags?: { flagged?: boolean; source?: string },
  ) => {
    seq += 1;
    await sql`INSERT INTO events (message_id, type, event, anonymous_id, properties, "timestamp", received_at, source, flagged)
      VALUES (${`m-${seed}-${seq}`}, 'track', ${name}, ${person}, ${JSON.stringify(properties)}::jsonb, ${at(ms)}::timestamptz,
              ${at(ms)}::timestamptz, ${flags?.source ?? 'seed'}, ${flags?.flagged ?? false})`.execute(db);
  };
  const offsets = [-1, 0, 1, 60_000, 30 * 60_000, 30 * 60_000 + 1, 24 * 3_600_000, 24 * 3_600_000 + 1, 3 * 3_600_000];
  for (let p = 0; p < 40; p++) {
    const person = `p-${seed}-${p % 25}`;
    const r = pick(revisions);
    const read = t0 - DAY_MS + Math.floor(next() * 12 * DAY_MS);
    const unknown = next() < 0.1;
    await event(
      'Article Viewed',
      person,
      read,
      {
        article_slug: unknown ? 'no-such-article' : r.slug,
        article_locale: r.locale,
        revision: next() < 0.05 ? 'x' : r.number,
      },
      { flagged: next() < 0.05 },
    );
    if (next() < 0.3)
      await event('Article Viewed', person, read + pick(offsets), {
        article_slug: r.slug,
        article_locale: r.locale,
        revision: r.number,
      });
    for (let k = 0; k < 3; k++) {
      const name = pick(['Contact Form Viewed', 'Ticket Created', 'Search Performed', 'Page Viewed']);
      const flags = next() < 0.1 ? { flagged: true } : next() < 0.15 ? { source: publicSource } : {};
      await event(name, person, read + pick(offsets), {}, flags);
    }
  }
  for (let v = 0; v < 60; v++) {
    const r = pick(revisions);
    const helpful = next() < 0.5;
    const ms = t0 - DAY_MS + Math.floor(next() * 12 * DAY_MS);
    await sql`INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful, reason, created_at, updated_at, source, suspect)
      SELECT a.id, rv.id, rv.number, t.locale, t.locale, ${`v-${seed}-${v}`}, ${helpful},
             ${helpful ? null : pick(['inaccurate', 'hard_to_understand', 'missing_information', 'did_not_solve', 'other', null])},
             ${at(ms)}::timestamptz, ${at(ms)}::timestamptz, 'demo', ${next() < 0.1 ? 'address_budget' : null}
      FROM articles a JOIN article_translations t ON t.article_id = a.id AND t.locale = ${r.locale}
      JOIN article_revisions rv ON rv.translation_id = t.id AND rv.number = ${r.number}
      WHERE a.slug = ${r.slug}`.execute(db);
  }
  for (let d = 0; d < 30; d++) {
    const r = pick(revisions);
    const day = new Date(t0 - DAY_MS + Math.floor(next() * 12) * DAY_MS).toISOString().slice(0, 10);
    await sql`INSERT INTO article_daily_views (article_id, locale, day, views)
      SELECT id, ${pick([r.locale, 'ja'])}, ${day}::date, ${1 + Math.floor(next() * 50)} FROM articles WHERE slug = ${r.slug}
      ON CONFLICT DO NOTHING`.execute(db);
    const ms = t0 - DAY_MS + Math.floor(next() * 12 * DAY_MS);
    await sql`INSERT INTO tickets (subject, body, channel, locale, source_article_id, source, created_at, updated_at)
      SELECT 'S', 'B', 'email', ${pick([r.locale, 'ja', null])}, id, 'api', ${at(ms)}::timestamptz, ${at(ms)}::timestamptz
      FROM articles WHERE slug = ${r.slug}`.execute(db);
  }
}

describe('the set-based rollup', () => {
  let t: DatabaseHandle;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.close();
  });

  it('produces exactly the rows of the reference SQL on generated data with edge cases', async () => {
    const { db } = t;
    for (const seed of [1, 2, 3]) await generate(db, seed);
    await rollUpReference(db, { from: FROM, to: TO });
    const expected = await rows(db);
    await sql`DELETE FROM insight_article_daily`.execute(db);
    await rollUpInsights(db, { from: FROM, to: TO });
    const actual = await rows(db);
    // The data exercise every column, so an empty or all-zero result cannot pass.
    for (const column of ['views', 'readers', 'contacted', 'searched_again', 'tickets', 'votes', 'helpful']) {
      expect(
        expected.some((r) => Number(r[column]) > 0),
        column,
      ).toBe(true);
    }
    expect(actual).toEqual(expected);
    // A part of the range rebuilt alone matches the reference too (the windows reach past the range's end).
    await rollUpReference(db, { from: '2025-03-04', to: '2025-03-05' });
    const partExpected = await rows(db);
    await rollUpInsights(db, { from: '2025-03-04', to: '2025-03-05' });
    expect(await rows(db)).toEqual(partExpected);
  });
});
