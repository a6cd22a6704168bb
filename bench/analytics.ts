/**
 * Analytics at 10 million events, on PostgreSQL: 2,000,000 help-center sessions of five events each (searches,
 * results pages, articles, votes, contact views, tickets) by ~1,200,000 readers (50,000 of them stitched to users)
 * in six locales over 180 days, generated inside the server (INSERT … SELECT generate_series, one monthly partition
 * at a time, attached after loading). Then:
 *   1. the KPI rollup from scratch (runKpiRollup: every final day), and one scheduled run after it;
 *   2. over HTTP (a listening app, fetch): GET /api/events/kpis for 30 and 180 days, POST /api/events/funnels
 *      (the help-center funnel, 30 days, 60-minute window): p50/p95 over 10 requests after one warm-up, against
 *      `SELECT count(*) FROM events` on the same database in the same run (the baseline), with the ratios;
 *   3. the raw scans they replace (scanKpis, scanFunnel: the code before the rollup) on the same ranges, once each.
 *
 *   node --import tsx bench/analytics.ts [--scale 0.1] [--drop]
 *
 * Needs PostgreSQL: ANSWERLOOP_BENCH_DATABASE_URL or DATABASE_URL (a server URL), else the local server. The database
 * (answerloop_bench_analytics) is kept and reused while it holds the expected number of events (a rerun takes
 * minutes: no load, only the rollup's new days); --drop removes it at the end.
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config/env.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { partitionName } from '../src/modules/events/ensure-partitions.js';
import { HELP_CENTER_FUNNEL } from '../src/modules/events/query-funnel.js';
import { runKpiRollup } from '../src/modules/events/roll-up-kpis.js';
import { scanFunnel } from '../src/modules/events/scan-funnel.js';
import { scanKpis } from '../src/modules/events/scan-kpis.js';
import { buildApp } from '../src/server/app.js';

const DATABASE = 'answerloop_bench_analytics';
const TOKEN = 'bench-analytics-admin-token-0123456789';
const DAYS = 180;
const RUNS = 10;
const DAY_MS = 86_400_000;

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

/** Loads `events` sessions × 5 events, one monthly partition at a time; returns the rows loaded. */
async function load(client: pg.Client, events: number, log: (line: string) => void): Promise<number> {
  await client.query(`SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off`);
  const sessions = Math.floor(events / 5);
  const people = Math.max(1, Math.floor(sessions * 0.6));
  const now = Date.now();
  const from = now - DAYS * DAY_MS;
  let loaded = 0;
  for (
    let m = new Date(Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), 1));
    m.getTime() < now;
  ) {
    const next = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
    const lo = Math.max(from, m.getTime());
    const hi = Math.min(now, next.getTime()) - 3_600_000; // sessions last under an hour: stay in the month
    const count = Math.round((sessions * Math.max(0, hi - lo)) / (now - from));
    const table = partitionName(m);
    const t0 = performance.now();
    await client.query(`CREATE TABLE ${table} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    const result = await client.query(`
      INSERT INTO ${table} (message_id, type, event, anonymous_id, properties, locale, article, device, "timestamp",
        received_at, source)
      SELECT 'bench-${table}-' || x.s || '-' || x.k, CASE WHEN e.event = 'Page Viewed' THEN 'page' ELSE 'track' END,
             e.event, x.person,
             CASE e.event
               WHEN 'Article Viewed' THEN jsonb_build_object('article_slug', x.article, 'locale', x.locale)
               WHEN 'Article Voted' THEN jsonb_build_object('article_slug', x.article, 'helpful', x.u < 0.36)
               WHEN 'Search Performed' THEN jsonb_build_object('query', 'q' || (x.s % 500), 'locale', x.locale)
               WHEN 'Page Viewed' THEN jsonb_build_object('path', CASE WHEN x.u < 0.5 THEN '/' || x.locale || '/search?q=x'
                 ELSE '/' || x.locale || '/articles/' || x.article END)
               ELSE jsonb_build_object('locale', x.locale) END,
             x.locale, CASE WHEN e.event IN ('Article Viewed', 'Article Voted') THEN x.article END, 'desktop',
             e.at, e.at,
             CASE WHEN e.event IN ('Search Performed', 'Ticket Created', 'Article Voted') THEN 'server' ELSE 'seed' END
      FROM (
        -- OFFSET 0 keeps each random value computed once (a flattened subquery would re-draw it per reference).
        SELECT s.s, k.k, s.person, s.locale, x.u,
               'article-' || (1 + floor(power(x.a, 3) * 1000)::int) AS article,
               s.start + make_interval(mins => (k.k - 1) * 8) + x.jitter AS at
        FROM (SELECT s, 'anon-' || floor(random() * ${people})::int AS person,
                     to_timestamp(${lo / 1000} + random() * ${(hi - lo) / 1000}) AS start,
                     (ARRAY['en','en','en','en','en','es','es','ar','ru','he','ja'])[1 + floor(random() * 11)::int] AS locale
              FROM generate_series(1, ${count}) s OFFSET 0) s
        CROSS JOIN generate_series(1, 5) k
        CROSS JOIN LATERAL (SELECT random() AS u, random() AS a, random() * interval '5 minutes' AS jitter OFFSET 0) x
        OFFSET 0) x
      CROSS JOIN LATERAL (SELECT x.at,
        CASE x.k
          WHEN 1 THEN CASE WHEN x.u < 0.5 THEN 'Search Performed' ELSE 'Page Viewed' END
          WHEN 2 THEN 'Article Viewed'
          WHEN 3 THEN CASE WHEN x.u < 0.45 THEN 'Article Viewed' WHEN x.u < 0.75 THEN 'Search Performed' ELSE 'Page Viewed' END
          WHEN 4 THEN CASE WHEN x.u < 0.25 THEN 'Article Viewed' WHEN x.u < 0.4 THEN 'Article Voted'
                           WHEN x.u < 0.5 THEN 'Contact Form Viewed' WHEN x.u < 0.65 THEN 'Search Performed' ELSE 'Page Viewed' END
          ELSE CASE WHEN x.u < 0.08 THEN 'Ticket Created' WHEN x.u < 0.15 THEN 'Contact Form Viewed' ELSE 'Page Viewed' END
        END AS event) e`);
    await client.query(
      `ALTER TABLE events ATTACH PARTITION ${table} FOR VALUES FROM ('${m.toISOString()}') TO ('${next.toISOString()}')`,
    );
    loaded += result.rowCount ?? 0;
    log(`  ${table}: ${fmt(result.rowCount ?? 0)} events in ${seconds(performance.now() - t0)}`);
    m = next;
  }
  // Readers who signed in later: 50,000 anonymous ids stitched to users (two devices each).
  await client.query(`INSERT INTO event_identities (alias_id, user_id, linked_at)
    SELECT 'anon-' || g, 'user-' || (g / 2), now() FROM generate_series(0, ${Math.min(50_000, people) - 1}) g`);
  await client.query('ANALYZE');
  return loaded;
}

interface Timing {
  label: string;
  p50: number;
  p95: number;
}

async function timeIt(label: string, runs: number, run: () => Promise<void>): Promise<Timing> {
  await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** Runs the benchmark (also called by bench/run.ts) and returns its summary line. */
export async function main(): Promise<string> {
  // Like the other benches: the local server when no URL is given, skipped when it is unreachable.
  const serverUrl =
    process.env.ANSWERLOOP_BENCH_DATABASE_URL ||
    loadConfig().databaseUrl ||
    'postgres://postgres:postgres@127.0.0.1:5432/postgres';
  try {
    const probe = new pg.Client({ connectionString: serverUrl });
    await probe.connect();
    await probe.end();
  } catch (error) {
    const line = `analytics: skipped (needs PostgreSQL: ${(error as Error).message}; set DATABASE_URL or ANSWERLOOP_BENCH_DATABASE_URL)`;
    console.log(line);
    return line;
  }
  const events = Math.round(10_000_000 * Number(arg('scale') ?? 1));
  const expected = Math.floor(events / 5) * 5;
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  let handle: DatabaseHandle | undefined;
  const summary: string[] = [];
  try {
    let reuse = false;
    if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])).rowCount === 1) {
      const probe = new pg.Client({ connectionString: url.toString() });
      await probe.connect();
      const n = await probe
        .query<{ n: string }>('SELECT count(*) AS n FROM events')
        .then((r) => Number(r.rows[0]!.n))
        .catch(() => -1);
      await probe.end();
      // Within 1 %: the sessions per month are rounded.
      reuse = Math.abs(n - expected) <= expected * 0.01;
      if (!reuse) await admin.query(`DROP DATABASE ${DATABASE} WITH (FORCE)`);
    }
    if (!reuse) await admin.query(`CREATE DATABASE ${DATABASE}`);
    const version = (await admin.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v.split(' on ')[0];
    console.log(`analytics bench on ${version}: ${fmt(expected)} events over ${DAYS} days`);
    handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
    await migrate(handle);
    if (reuse) console.log(`reusing ${DATABASE} (it holds the expected events): no load`);
    else {
      const loader = new pg.Client({ connectionString: url.toString() });
      await loader.connect();
      const t0 = performance.now();
      try {
        const loaded = await load(loader, events, (line) => console.log(line));
        console.log(`load: ${fmt(loaded)} events in ${seconds(performance.now() - t0)}`);
      } finally {
        await loader.end();
      }
    }
    const { db } = handle;

    // 1. The rollup.
    let t0 = performance.now();
    const full = await runKpiRollup(db);
    const fullMs = performance.now() - t0;
    t0 = performance.now();
    const scheduled = await runKpiRollup(db);
    const scheduledMs = performance.now() - t0;
    const size = (
      await sql<{ rows: string; bytes: string }>`
        SELECT (SELECT count(*) FROM event_kpi_person_days) AS rows,
               pg_size_pretty(pg_total_relation_size('event_kpi_person_days')) AS bytes`.execute(db)
    ).rows[0]!;
    console.log(
      `rollup: ${full.days} days in ${seconds(fullMs)} (${fmt(Number(size.rows))} person-day rows, ${size.bytes}); ` +
        `a scheduled run after it: ${scheduled.days} days in ${seconds(scheduledMs)}`,
    );
    summary.push(`rollup ${full.days} days ${seconds(fullMs)}`);

    // 2. The endpoints over HTTP.
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
      await built.app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(built.app.server.address() as AddressInfo).port}`;
      const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      const now = Date.now();
      const range = (days: number) => ({ from: new Date(now - days * DAY_MS), to: new Date(now) });
      const call = async (path: string, body?: unknown) => {
        const res = await fetch(`${base}${path}`, {
          method: body ? 'POST' : 'GET',
          headers,
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      };
      const kpiPath = (days: number) =>
        `/api/events/kpis?from=${range(days).from.toISOString()}&to=${range(days).to.toISOString()}`;
      const baseline = await timeIt('SELECT count(*) FROM events', RUNS, async () => {
        await sql`SELECT count(*) FROM events`.execute(db);
      });
      const rows = [
        await timeIt('GET /api/events/kpis, 30 days', RUNS, () => call(kpiPath(30))),
        await timeIt('GET /api/events/kpis, 180 days', RUNS, () => call(kpiPath(180))),
        await timeIt('POST /api/events/funnels, 30 days', RUNS, () =>
          call('/api/events/funnels', {
            from: range(30).from.toISOString(),
            to: range(30).to.toISOString(),
            windowMinutes: 60,
          }),
        ),
      ];
      // 3. The raw scans (before this change), once each after no warm-up of their own.
      const once = async (label: string, run: () => Promise<unknown>): Promise<Timing> => {
        const t = performance.now();
        await run();
        const ms = performance.now() - t;
        return { label, p50: ms, p95: ms };
      };
      const before = [
        await once('before: scanKpis, 30 days', () => scanKpis(db, range(30))),
        await once('before: scanKpis, 180 days', () => scanKpis(db, range(180))),
        await once('before: scanFunnel, 30 days', () =>
          scanFunnel(db, { steps: HELP_CENTER_FUNNEL, ...range(30), windowMinutes: 60 }),
        ),
      ];
      const width = 42;
      console.log(`\n${'request'.padEnd(width)}${'p50'.padStart(11)}${'p95'.padStart(11)}${'p50 ratio'.padStart(11)}`);
      for (const r of [baseline, ...rows, ...before]) {
        console.log(
          `${r.label.padEnd(width)}${`${r.p50.toFixed(0)} ms`.padStart(11)}${`${r.p95.toFixed(0)} ms`.padStart(11)}` +
            `${(r.p50 / baseline.p50).toFixed(2).padStart(11)}`,
        );
      }
      console.log(
        `(${RUNS} requests each after one warm-up over HTTP as the bootstrap admin; "before" rows ran once, in process; ` +
          `ratio = time / count(*) p50; load average ${(await import('node:os'))
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')})`,
      );
      summary.push(
        `count(*) p50 ${baseline.p50.toFixed(0)} ms; ` +
          rows
            .map(
              (r) =>
                `${r.label.replace(/^(GET|POST) \/api\/events\//, '')} p50 ${r.p50.toFixed(0)} / p95 ${r.p95.toFixed(0)} ms (${(r.p50 / baseline.p50).toFixed(2)}×)`,
            )
            .join('; ') +
          `; before: ${before.map((r) => `${r.label.replace('before: ', '')} ${r.p50.toFixed(0)} ms`).join(', ')}`,
      );
    } finally {
      await built.shutdown();
    }
  } finally {
    await handle?.close();
    if (process.argv.includes('--drop')) await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.end();
  }
  const line = `analytics (${fmt(expected)} events): ${summary.join('; ')}`;
  console.log(line);
  return line;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
