/**
 * Insights at scale, on PostgreSQL: 1,000 articles (2,267 translations in six locales, some with two or three
 * published revisions and their publication history), 1,000,000 votes and 10,000,000 events over 180 days,
 * 300,000 searches and 50,000 tickets, all generated inside the server (INSERT … SELECT generate_series). Then:
 *   1. the rollup: a full rebuild of the 180 days (rollUpInsights) and one scheduled run (runInsightsRollup);
 *   2. every insights dashboard endpoint the app has (GET through app.inject, as the signed-in bootstrap admin):
 *      p50/p95 over 30 requests after one warm-up, against `SELECT count(*) FROM article_votes` on the same
 *      database in the same run (the baseline), with the ratios. Aim: p95 ≤ 250 ms.
 *
 *   node --import tsx bench/insights.ts [--scale 0.1] [--keep] [--reuse]
 *
 * Needs PostgreSQL: ANSWERLOOP_BENCH_DATABASE_URL or DATABASE_URL (a server URL; the bench creates and drops its own
 * database, answerloop_bench_insights). Skipped without one. --scale shrinks every volume (a quick try);
 * --keep leaves the database in place afterwards. BENCH_EXPLAIN=<step label> (e.g. votes, events) prints that
 * loading step's plan with EXPLAIN ANALYZE.
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config/env.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { partitionName } from '../src/modules/events/ensure-partitions.js';
import { rollUpInsights, runInsightsRollup } from '../src/modules/insights/index.js';
import { buildApp } from '../src/server/app.js';

const DATABASE = 'answerloop_bench_insights';
const TOKEN = 'bench-insights-admin-token-0123456789';
const DAYS = 180;
const RUNS = 30;
/** Slots of the popularity table: a random slot picks a translation with probability ∝ its readership. */
const SLOTS = 100_000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Volumes {
  articles: number;
  votes: number;
  events: number;
  searches: number;
  tickets: number;
}

/** Words readers use, so searches, comments and tickets have a vocabulary to mine. */
const PHRASES = [
  'reset my password',
  'refund not received',
  'cancel subscription',
  'download invoice',
  'two factor code not arriving',
  'change email address',
  'delete my account',
  'order shipping delay',
  'promo code not working',
  'app crashes on login',
  'update payment card',
  'export my data',
  'invite team member',
  'api rate limit',
  'dark mode',
  'sync stuck',
  'charged twice',
  'locked out of account',
  'verify phone number',
  'change billing plan',
];
const PHRASES_SQL = `ARRAY[${PHRASES.map((p) => `'${p}'`).join(',')}]`;

/**
 * The data set, generated server-side. Statements are plain SQL run through one client session (so the session's
 * work_mem/maintenance_work_mem apply); returns the milliseconds each step took.
 */
async function seed(client: pg.Client, v: Volumes, log: (line: string) => void): Promise<void> {
  const step = async (label: string, text: string) => {
    const t0 = performance.now();
    const explain = process.env.BENCH_EXPLAIN === label;
    const result = await client.query(explain ? `EXPLAIN (ANALYZE, BUFFERS) ${text}` : text);
    if (explain) log(result.rows.map((r) => r['QUERY PLAN']).join('\n'));
    log(`  ${label.padEnd(44)} ${seconds(performance.now() - t0).padStart(8)}  (${fmt(result.rowCount ?? 0)} rows)`);
  };
  await client.query(`SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off`);
  // Bulk load: the rows are valid by construction, so foreign-key triggers are skipped (set back before the end).

  await step(
    'topics',
    `INSERT INTO topics (slug, position) SELECT 'bench-topic-' || g, g FROM generate_series(1, 20) g`,
  );
  await client.query(`INSERT INTO topic_translations (topic_id, locale, name)
    SELECT t.id, l.code, 'Topic ' || t.position || ' (' || l.code || ')' FROM topics t CROSS JOIN content_locales l`);
  await step(
    'articles',
    `INSERT INTO articles (slug, topic_id, source_locale, position, created_at)
     SELECT 'bench-article-' || g, (SELECT id FROM topics WHERE slug = 'bench-topic-' || (1 + g % 20)), 'en', g,
            now() - interval '400 days'
     FROM generate_series(1, ${v.articles}) g`,
  );
  // en for every article; es for one in 2, ar one in 3, ru one in 5, he one in 7, ja one in 11.
  await step(
    'translations (6 locales)',
    `INSERT INTO article_translations (article_id, locale, status, created_at, updated_at)
     SELECT a.id, l.code, 'draft', now() - interval '400 days', now() - interval '400 days'
     FROM articles a CROSS JOIN (VALUES ('en', 1), ('es', 2), ('ar', 3), ('ru', 5), ('he', 7), ('ja', 11)) l(code, m)
     WHERE a.position % l.m = 0`,
  );
  // en: two revisions for 2 articles in 10, three for 1 in 10; translations one each, translated from en's first.
  await step(
    'revisions',
    `INSERT INTO article_revisions (translation_id, number, title, body_md, keywords, author, created_at)
     SELECT t.id, n, 'Article ' || a.position || ' (' || t.locale || ') revision ' || n,
            repeat('How to ' || (${PHRASES_SQL})[1 + (a.position + n) % ${PHRASES.length}] || ' and '
                   || (${PHRASES_SQL})[1 + (a.position * 7) % ${PHRASES.length}] || ' in a few steps. ', 12),
            ARRAY['bench'], 'bench',
            CASE n WHEN 1 THEN now() - interval '400 days'
                   WHEN 2 THEN now() - make_interval(days => 60 + a.position % 60)
                   ELSE now() - make_interval(days => 10 + a.position % 20) END
     FROM article_translations t JOIN articles a ON a.id = t.article_id
     CROSS JOIN LATERAL generate_series(1, CASE WHEN t.locale <> 'en' THEN 1 WHEN a.position % 10 IN (0, 1) THEN 2
                                                 WHEN a.position % 10 = 2 THEN 3 ELSE 1 END) n`,
  );
  await client.query(`UPDATE article_revisions r SET source_revision_id = s.id
    FROM article_translations t, article_translations st, article_revisions s
    WHERE t.id = r.translation_id AND t.locale <> 'en' AND st.article_id = t.article_id AND st.locale = 'en'
      AND s.translation_id = st.id AND s.number = 1`);
  // Publishing the last revision fires the publication trigger (the live row); the older ones are history,
  // inserted backdated as an import with history does.
  await step(
    'publish (trigger) + publication history',
    `UPDATE article_translations t SET status = 'published', published_revision_id = r.id, published_at = r.created_at
     FROM (SELECT DISTINCT ON (translation_id) id, translation_id, created_at FROM article_revisions
           ORDER BY translation_id, number DESC) r
     WHERE r.translation_id = t.id`,
  );
  await client.query(`INSERT INTO revision_publications (translation_id, revision_id, started_at, ended_at)
    SELECT r.translation_id, r.id, r.created_at, n.created_at
    FROM article_revisions r JOIN article_revisions n ON n.translation_id = r.translation_id AND n.number = r.number + 1`);

  // Helper tables (dropped at the end): publications with their article, and the popularity slots.
  await client.query(`CREATE UNLOGGED TABLE bench_pubs AS
    SELECT p.translation_id, t.article_id, a.slug, a.position, t.locale, p.revision_id, r.number,
           p.started_at, coalesce(p.ended_at, 'infinity') AS ended_at
    FROM revision_publications p JOIN article_translations t ON t.id = p.translation_id
    JOIN articles a ON a.id = t.article_id JOIN article_revisions r ON r.id = p.revision_id`);
  await client.query('CREATE INDEX ON bench_pubs (translation_id, started_at)');
  // Readership: Zipf (exponent 0.8) over articles, a translation read 0.3 times as much as the source.
  await client.query(`CREATE UNLOGGED TABLE bench_weights AS
    SELECT t.id AS translation_id, t.article_id, t.locale, a.slug, a.position,
           power(a.position, -0.8) * CASE WHEN t.locale = 'en' THEN 1 ELSE 0.3 END AS w
    FROM article_translations t JOIN articles a ON a.id = t.article_id`);
  await client.query(`CREATE UNLOGGED TABLE bench_slots AS
    WITH c AS (
      SELECT translation_id, article_id, locale, slug,
             sum(w) OVER (ORDER BY translation_id) / sum(w) OVER () AS hi,
             (sum(w) OVER (ORDER BY translation_id) - w) / sum(w) OVER () AS lo
      FROM bench_weights)
    SELECT s AS slot, c.translation_id, c.article_id, c.locale, c.slug
    FROM generate_series(0, ${SLOTS - 1}) s JOIN c ON (s + 0.5) / ${SLOTS} >= c.lo AND (s + 0.5) / ${SLOTS} < c.hi`);
  await client.query('CREATE UNIQUE INDEX ON bench_slots (slot)');
  await client.query('ANALYZE bench_pubs; ANALYZE bench_slots');

  await client.query('SET session_replication_role = replica');
  // Votes: pinned to the revision live when cast. Each article has its own helpful rate; a later revision is a
  // little better; one article in 17 declined over the last 28 days. 1 % are suspect (left out of every figure).
  await step(
    'votes',
    `INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful, reason,
       comment, source, created_at, updated_at, suspect)
     SELECT p.article_id, p.revision_id, p.number, p.locale, p.locale, 'reader-' || g.g, g.u < rr.rate,
            CASE WHEN g.u >= rr.rate AND g.r < 0.7 THEN
              (ARRAY['inaccurate', 'hard_to_understand', 'missing_information', 'did_not_solve', 'other'])[1 + floor(g.r * 7.14)::int % 5] END,
            CASE WHEN g.u >= rr.rate AND g.c < 0.25 THEN
              'I tried to ' || (${PHRASES_SQL})[1 + floor(g.c * 80)::int % ${PHRASES.length}] || ' but it still fails' END,
            'site', g.at, g.at, CASE WHEN g.s < 0.01 THEN 'address_budget' END
     FROM (SELECT g, floor(random() * ${SLOTS})::int AS slot, now() - random() * interval '${DAYS} days' AS at,
                  random() AS u, random() AS r, random() AS c, random() AS s
           FROM generate_series(1, ${v.votes}) g OFFSET 0) g
     JOIN bench_slots sl ON sl.slot = g.slot
     JOIN bench_pubs p ON p.translation_id = sl.translation_id AND g.at >= p.started_at AND g.at < p.ended_at
     CROSS JOIN LATERAL (SELECT 0.45 + 0.4 * ((p.position * 0.6180339) - floor(p.position * 0.6180339))
                                + 0.04 * (p.number - 1)
                                - CASE WHEN p.position % 17 = 0 AND g.at > now() - interval '28 days' THEN 0.2 ELSE 0 END
                                AS rate) rr`,
  );

  // Events: sessions of five events each, by people from a pool (several sessions per person), one month's
  // partition at a time, loaded before it is attached (ATTACH builds its indexes in one pass).
  const sessions = Math.floor(v.events / 5);
  const people = Math.max(1, Math.floor(sessions * 0.6));
  const now = Date.now();
  const from = now - DAYS * 86_400_000;
  const months: { name: string; start: Date; end: Date }[] = [];
  for (
    let m = new Date(Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), 1));
    m.getTime() < now;
  ) {
    const next = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
    months.push({ name: partitionName(m), start: m, end: next });
    m = next;
  }
  const t0 = performance.now();
  let loaded = 0;
  for (const month of months) {
    const lo = Math.max(from, month.start.getTime());
    const hi = Math.min(now, month.end.getTime()) - 3_600_000; // sessions last under an hour: stay in the month
    const count = Math.round((sessions * (hi - lo)) / (now - from));
    if (count <= 0) continue;
    const table = month.name;
    await client.query(`CREATE TABLE ${table} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    const explainEvents = process.env.BENCH_EXPLAIN === 'events' && months.indexOf(month) === months.length - 1;
    const result = await client.query(`${explainEvents ? 'EXPLAIN (ANALYZE, BUFFERS) ' : ''}
      INSERT INTO ${table} (message_id, type, event, anonymous_id, properties, locale, article, device, "timestamp",
        received_at, source)
      SELECT 'bench-${table}-' || x.s || '-' || x.k,
             CASE WHEN e.event = 'Page Viewed' THEN 'page' ELSE 'track' END, e.event, x.person,
             CASE e.event
               WHEN 'Article Viewed' THEN jsonb_build_object('article_slug', p.slug, 'article_locale', p.locale,
                 'revision', p.number, 'locale', p.locale)
               WHEN 'Search Performed' THEN jsonb_build_object('query', (${PHRASES_SQL})[1 + (x.s + x.k) % ${PHRASES.length}],
                 'locale', sl.locale, 'results_count', (x.s + x.k) % 7)
               WHEN 'Contact Form Viewed' THEN jsonb_build_object('locale', sl.locale, 'article_slug', sl.slug)
               WHEN 'Ticket Created' THEN jsonb_build_object('locale', sl.locale)
               ELSE jsonb_build_object('path', '/' || sl.locale || '/articles/' || sl.slug) END,
             sl.locale, CASE WHEN e.event = 'Article Viewed' THEN p.slug END, 'desktop', e.at, e.at,
             CASE WHEN e.event IN ('Search Performed', 'Ticket Created') THEN 'server' ELSE 'seed' END
      FROM (
        -- OFFSET 0 keeps each random value computed once (a flattened subquery would re-draw it per reference).
        SELECT s.s, k.k, s.person, x.u, x.slot, s.start + make_interval(mins => (k.k - 1) * 8) + x.jitter AS at
        FROM (SELECT s, 'anon-' || floor(random() * ${people})::int AS person,
                     to_timestamp(${lo / 1000} + random() * ${(hi - lo) / 1000}) AS start,
                     floor(random() * ${SLOTS})::int AS slot
              FROM generate_series(1, ${count}) s OFFSET 0) s
        CROSS JOIN generate_series(1, 5) k
        CROSS JOIN LATERAL (SELECT random() AS u, random() * interval '5 minutes' AS jitter,
          CASE WHEN k.k = 2 THEN s.slot ELSE floor(random() * ${SLOTS})::int END AS slot OFFSET 0) x
        OFFSET 0) x
      CROSS JOIN LATERAL (SELECT x.at,
        CASE x.k
          WHEN 1 THEN CASE WHEN x.u < 0.5 THEN 'Search Performed' ELSE 'Page Viewed' END
          WHEN 2 THEN 'Article Viewed'
          WHEN 3 THEN CASE WHEN x.u < 0.45 THEN 'Article Viewed' WHEN x.u < 0.75 THEN 'Search Performed' ELSE 'Page Viewed' END
          WHEN 4 THEN CASE WHEN x.u < 0.3 THEN 'Article Viewed' WHEN x.u < 0.45 THEN 'Contact Form Viewed'
                           WHEN x.u < 0.65 THEN 'Search Performed' ELSE 'Page Viewed' END
          ELSE CASE WHEN x.u < 0.08 THEN 'Ticket Created' WHEN x.u < 0.15 THEN 'Contact Form Viewed' ELSE 'Page Viewed' END
        END AS event) e
      JOIN bench_slots sl ON sl.slot = x.slot
      LEFT JOIN bench_pubs p ON e.event = 'Article Viewed' AND p.translation_id = sl.translation_id
        AND e.at >= p.started_at AND e.at < p.ended_at`);
    if (explainEvents) log(result.rows.map((r) => r['QUERY PLAN']).join('\n'));
    loaded += result.rowCount ?? 0;
    await client.query(
      `ALTER TABLE events ATTACH PARTITION ${table} FOR VALUES FROM ('${month.start.toISOString()}') TO ('${month.end.toISOString()}')`,
    );
  }
  log(
    `  ${`events (${months.length} monthly partitions)`.padEnd(44)} ${seconds(performance.now() - t0).padStart(8)}  (${fmt(loaded)} rows)`,
  );

  await step(
    'article_daily_views',
    `INSERT INTO article_daily_views (article_id, locale, day, views)
     SELECT w.article_id, w.locale, d::date, greatest(0, round(w.w / sum(w.w) OVER (PARTITION BY d) * ${Math.round(
       v.events / DAYS / 4,
     )} * (0.7 + 0.6 * random())))::int
     FROM bench_weights w CROSS JOIN generate_series(current_date - ${DAYS - 1}, current_date, interval '1 day') d`,
  );
  await step(
    'search_queries',
    `INSERT INTO search_queries (locale, query, normalized, results, source, session_id, weak, created_at)
     SELECT sl.locale, qq.q, qq.q, CASE WHEN g % 7 = 0 THEN 0 ELSE 1 + g % 9 END, 'page',
            'anon-' || floor(random() * ${people})::int, g % 11 = 0, now() - random() * interval '${DAYS} days'
     FROM generate_series(1, ${v.searches}) g
     CROSS JOIN LATERAL (SELECT (${PHRASES_SQL})[1 + g % ${PHRASES.length}] || CASE WHEN g % 3 = 0 THEN ' ' || (g % 50) ELSE '' END AS q) qq
     JOIN bench_slots sl ON sl.slot = g % ${SLOTS}`,
  );
  await step(
    'search_clicks',
    `INSERT INTO search_clicks (search_id, locale, slug, position, kind, session_id, created_at)
     SELECT q.id, q.locale, sl.slug, 1 + q.id % 5, 'result', q.session_id, q.created_at + interval '5 seconds'
     FROM search_queries q JOIN bench_slots sl ON sl.slot = (q.id * 7919) % ${SLOTS}
     WHERE q.results > 0 AND q.id % 3 = 0`,
  );
  await step(
    'search_contacts',
    `INSERT INTO search_contacts (session_id, locale, created_at)
     SELECT session_id, locale, created_at + interval '2 minutes' FROM search_queries WHERE id % 15 = 0`,
  );
  await step(
    'tickets',
    `INSERT INTO tickets (subject, body, channel, locale, requester, status, source_article_id, source, created_at,
       updated_at)
     SELECT initcap((${PHRASES_SQL})[1 + g % ${PHRASES.length}]),
            'Hello, I need help: ' || (${PHRASES_SQL})[1 + (g * 3) % ${PHRASES.length}] || '. Order ' || g || '.',
            'email', sl.locale, 'sha256:' || md5(g::text), 'solved',
            CASE WHEN g % 5 < 2 THEN sl.article_id END, CASE WHEN g % 5 < 2 THEN 'contact_form' ELSE 'api' END,
            at, at
     FROM generate_series(1, ${v.tickets}) g
     CROSS JOIN LATERAL (SELECT now() - random() * interval '${DAYS} days' AS at) t
     JOIN bench_slots sl ON sl.slot = (g::bigint * 104729) % ${SLOTS}`,
  );
  await step(
    'feedback_items (comments, tickets)',
    `INSERT INTO feedback_items (kind, source_id, locale, text, created_at)
     SELECT 'vote', id, locale, comment, created_at FROM article_votes WHERE comment IS NOT NULL
     UNION ALL
     SELECT 'ticket', id, locale, subject || E'\\n\\n' || body, created_at FROM tickets`,
  );
  await client.query('SET session_replication_role = DEFAULT');
  await client.query('DROP TABLE bench_pubs, bench_weights, bench_slots');
  // Statistics for the planner everywhere; the votes table vacuumed too (its visibility map lets the baseline
  // count from the index alone, as autovacuum would have arranged on a live server).
  const t1 = performance.now();
  await client.query('VACUUM (ANALYZE) article_votes');
  await client.query('ANALYZE');
  log(`  ${'ANALYZE (+ VACUUM article_votes)'.padEnd(44)} ${seconds(performance.now() - t1).padStart(8)}`);
}

interface Timing {
  label: string;
  status: number;
  bytes: number;
  p50: number;
  p95: number;
  /** The first request (cold: nothing cached in the process yet). */
  first: number;
}

/** --reuse: measure again on the database a previous `--keep` run left (no load, no full rollup). */
const REUSE = process.argv.includes('--reuse');

async function timeIt(label: string, run: () => Promise<{ status: number; bytes: number }>): Promise<Timing> {
  const t = performance.now();
  const first = await run(); // cold, and the warm-up
  const firstMs = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    label,
    status: first.status,
    bytes: first.bytes,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    first: firstMs,
  };
}

/** Runs the benchmark (also called by bench/run.ts) and returns its summary line. */
export async function main(): Promise<string> {
  const serverUrl = process.env.ANSWERLOOP_BENCH_DATABASE_URL || loadConfig().databaseUrl;
  if (!serverUrl) {
    const line =
      'insights: skipped (needs PostgreSQL: set DATABASE_URL or ANSWERLOOP_BENCH_DATABASE_URL to a server URL)';
    console.log(line);
    return line;
  }
  const scale = Number(arg('scale') ?? 1);
  const v: Volumes = {
    articles: Math.max(20, Math.round(1_000 * Math.min(1, scale * 4))),
    votes: Math.round(1_000_000 * scale),
    events: Math.round(10_000_000 * scale),
    searches: Math.round(300_000 * scale),
    tickets: Math.round(50_000 * scale),
  };
  const adminUrl = new URL(serverUrl);
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE}`;
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  let reused = false;
  try {
    await admin.connect();
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])).rowCount === 1;
    reused = REUSE && exists;
    if (!reused) {
      await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    }
  } catch (error) {
    const line = `insights: skipped (PostgreSQL at ${adminUrl.host}: ${(error as Error).message})`;
    console.log(line);
    await admin.end().catch(() => undefined);
    return line;
  }
  const version = (await admin.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v.split(' on ')[0];
  console.log(
    `insights bench on ${version}: ${fmt(v.articles)} articles, ${fmt(v.votes)} votes, ${fmt(v.events)} events, ` +
      `${fmt(v.searches)} searches, ${fmt(v.tickets)} tickets over ${DAYS} days`,
  );

  let handle: DatabaseHandle | undefined;
  const summary: string[] = [];
  try {
    handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
    await migrate(handle);
    const loadStart = performance.now();
    if (!reused) {
      const loader = new pg.Client({ connectionString: url.toString() });
      await loader.connect();
      try {
        await seed(loader, v, (line) => console.log(line));
      } finally {
        await loader.end();
      }
    } else console.log(`reusing the kept database ${DATABASE} (--reuse): no load, no full rollup`);
    const loadMs = performance.now() - loadStart;
    const size = (
      await sql<{ size: string }>`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`.execute(
        handle.db,
      )
    ).rows[0]!.size;
    console.log(`load: ${seconds(loadMs)} (database ${size})`);

    // 1. The rollup.
    const { db } = handle;
    const today = new Date().toISOString().slice(0, 10);
    const first = new Date(Date.now() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    let t0 = performance.now();
    if (!reused) await rollUpInsights(db, { from: first, to: today });
    const fullMs = performance.now() - t0;
    t0 = performance.now();
    const scheduled = await runInsightsRollup(db);
    const scheduledMs = performance.now() - t0;
    const recentFrom = new Date(Date.now() - (scheduled.days - 1) * 86_400_000).toISOString().slice(0, 10);
    const counts = (
      await sql<{ rows: string; recent: string; readers: string; votes: string }>`
        SELECT (SELECT count(*) FROM insight_article_daily) AS rows,
               (SELECT count(*) FROM events WHERE "timestamp" >= ${recentFrom}::date) AS recent,
               (SELECT sum(readers) FROM insight_article_daily) AS readers,
               (SELECT sum(votes) FROM insight_article_daily) AS votes`.execute(db)
    ).rows[0]!;
    console.log(
      `rollup, full rebuild of ${DAYS} days: ${seconds(fullMs)} (${fmt(v.events / (fullMs / 1000))} events/s; ` +
        `${fmt(Number(counts.rows))} rows, ${fmt(Number(counts.readers))} reading sessions, ${fmt(Number(counts.votes))} counted votes)`,
    );
    console.log(
      `rollup, one scheduled run (${scheduled.days} days): ${seconds(scheduledMs)} ` +
        `(${fmt(Number(counts.recent) / (scheduledMs / 1000))} events/s over ${fmt(Number(counts.recent))} events)`,
    );
    summary.push(`rollup ${seconds(fullMs)} for ${DAYS} days, ${seconds(scheduledMs)} per scheduled run`);

    // 2. The endpoints, on an app built over this database (jobs off: nothing else runs meanwhile).
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: url.toString(),
      ANSWERLOOP_ADMIN_TOKEN: TOKEN,
      ANSWERLOOP_JOBS: 'false',
      LOG_LEVEL: 'silent',
    });
    const built = await buildApp({ config, database: handle });
    try {
      await built.app.ready();
      const busiest = (
        await sql<{ slug: string }>`
          SELECT a.slug FROM articles a JOIN article_translations t ON t.article_id = a.id AND t.locale = 'en'
          WHERE (SELECT count(*) FROM article_revisions r WHERE r.translation_id = t.id) = 3
          ORDER BY a.position LIMIT 1`.execute(db)
      ).rows[0]!.slug;
      const endpoints: { route: string; url: string }[] = [
        { route: '/api/insights/overview', url: '/api/insights/overview' },
        { route: '/api/insights/articles', url: '/api/insights/articles' },
        { route: '/api/insights/articles', url: '/api/insights/articles?locale=es' },
        { route: '/api/insights/declining', url: '/api/insights/declining' },
        { route: '/api/insights/articles/:slug', url: `/api/insights/articles/${busiest}` },
        { route: '/api/insights/articles/:slug/revisions', url: `/api/insights/articles/${busiest}/revisions` },
        { route: '/api/insights/translations', url: '/api/insights/translations' },
        { route: '/api/insights/vocabulary', url: '/api/insights/vocabulary?locale=en' },
        { route: '/api/insights/gaps', url: '/api/insights/gaps' },
        { route: '/api/insights/alerts', url: '/api/insights/alerts' },
      ];
      const headers = { authorization: `Bearer ${TOKEN}` };
      const baseline = await timeIt('SELECT count(*) FROM article_votes', async () => {
        const r = await sql<{ n: string }>`SELECT count(*) AS n FROM article_votes`.execute(db);
        return { status: 200, bytes: r.rows[0]!.n.length };
      });
      const rows: Timing[] = [];
      const missing: string[] = [];
      for (const e of endpoints) {
        if (!built.app.hasRoute({ method: 'GET', url: e.route })) {
          missing.push(e.url);
          continue;
        }
        rows.push(
          await timeIt(`GET ${e.url}`, async () => {
            const res = await built.app.inject({ method: 'GET', url: e.url, headers });
            return { status: res.statusCode, bytes: res.rawPayload.length };
          }),
        );
      }
      const width = Math.max(40, ...rows.map((r) => r.label.length + 2));
      console.log(
        `\n${'request'.padEnd(width)}${'status'.padStart(7)}${'bytes'.padStart(10)}${'p50'.padStart(10)}${'p95'.padStart(10)}` +
          `${'p50 ratio'.padStart(11)}${'p95 ratio'.padStart(11)}${'first'.padStart(11)}`,
      );
      for (const r of [baseline, ...rows]) {
        console.log(
          `${r.label.padEnd(width)}${String(r.status).padStart(7)}${fmt(r.bytes).padStart(10)}` +
            `${`${r.p50.toFixed(1)} ms`.padStart(10)}${`${r.p95.toFixed(1)} ms`.padStart(10)}` +
            `${(r.p50 / baseline.p50).toFixed(2).padStart(11)}${(r.p95 / baseline.p95).toFixed(2).padStart(11)}` +
            `${`${r.first.toFixed(0)} ms`.padStart(11)}`,
        );
      }
      console.log(
        `(${RUNS} requests each after one warm-up, app.inject as the bootstrap admin; ratio = request / baseline; ` +
          'first = the cold first request, before any in-process cache)',
      );
      if (missing.length > 0) console.log(`not measured (the app has no such route yet): ${missing.join(', ')}`);
      const slow = rows.filter((r) => r.p95 > 250 || r.status !== 200);
      const worst = rows.reduce<Timing | undefined>((w, r) => (!w || r.p95 > w.p95 ? r : w), undefined);
      summary.push(
        worst
          ? `${rows.length} endpoints, worst p95 ${worst.p95.toFixed(0)} ms (${worst.label}); baseline count(*) p95 ${baseline.p95.toFixed(0)} ms` +
              (slow.length > 0 ? `; over 250 ms or failing: ${slow.map((r) => r.label).join(', ')}` : '; all ≤ 250 ms')
          : `no insights endpoints yet; baseline count(*) p95 ${baseline.p95.toFixed(0)} ms`,
      );
    } finally {
      await built.shutdown();
    }
  } finally {
    await handle?.close();
    if (process.argv.includes('--keep') || REUSE) console.log(`kept database ${DATABASE}`);
    else {
      // The pool's connections close asynchronously: forcing them while they still listen crashes the process.
      for (let i = 0; i < 50; i++) {
        const open = await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [DATABASE]);
        if (open.rowCount === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    }
    await admin.end();
  }
  const line = `insights: ${summary.join('; ')}`;
  console.log(line);
  return line;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
