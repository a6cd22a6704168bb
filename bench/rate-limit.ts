/**
 * What the shared rate limits cost: form suggestions/s over HTTP (autocannon) with the limiters' counters in
 * PostgreSQL (`ANSWERLOOP_RATE_LIMIT_STORE=database`, one upsert per limiter per request, shared by every process)
 * against the same app with the counters in this process's memory, measured in the same run. Every request comes
 * from its own reader address (X-Forwarded-For from a trusted loopback proxy), so no limit is reached and every
 * check creates or bumps a counter, as a crowd of readers would. At most 10 s of load per case.
 *
 *   node --import tsx bench/rate-limit.ts [--seconds 5] [--connections 8]
 *
 * PostgreSQL: ANSWERLOOP_BENCH_DATABASE_URL or DATABASE_URL (a server URL; the bench creates and drops its own
 * database, bench_rate_limit); skipped with a message when neither is set or the server is unreachable.
 */
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config/env.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { buildArticle, buildTopic } from '../src/modules/content/content.factories.js';
import { buildForm } from '../src/modules/forms/forms.factories.js';
import { buildApp } from '../src/server/app.js';

const DATABASE = 'bench_rate_limit';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
}

/** Suggestions for a typed sentence, each request from the next of 16 million reader addresses. */
async function load(base: string, seconds: number, connections: number): Promise<Measured> {
  let next = 0;
  const result = await autocannon({
    url: `${base}/api/forms/billing/suggestions?locale=en&q=charged%20twice`,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          next += 1;
          const address = `10.${(next >> 16) & 255}.${(next >> 8) & 255}.${next & 255}`;
          return { ...request, headers: { ...request.headers, 'x-forwarded-for': address } };
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

function show(label: string, m: Measured): string {
  return `${label}: ${m.rps.toFixed(0)}/s, p50 ${m.p50} ms, p99 ${m.p99} ms (${m.ok} ok, ${m.errors} errors)`;
}

async function runCase(
  url: string,
  handle: DatabaseHandle,
  store: 'database' | 'memory',
  options: { seconds: number; connections: number },
): Promise<Measured> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: url,
    ANSWERLOOP_RATE_LIMIT_STORE: store,
    ANSWERLOOP_TRUST_PROXY: 'loopback',
    ANSWERLOOP_JOBS: 'false',
    LOG_LEVEL: 'silent',
  });
  const built = await buildApp({ config, database: handle });
  try {
    await built.app.listen({ port: 0, host: '127.0.0.1' });
    const address = built.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const sample = await fetch(`${base}/api/forms/billing/suggestions?locale=en&q=charged%20twice`);
    const body = (await sample.json()) as { suggestions?: unknown[] };
    if (sample.status !== 200 || !body.suggestions?.length) {
      throw new Error(`a suggestion request answered ${sample.status}: ${JSON.stringify(body)}`);
    }
    await load(base, 1, options.connections); // warm-up
    return await load(base, options.seconds, options.connections);
  } finally {
    await built.shutdown();
  }
}

/** Runs the benchmark (also called by bench/run.ts) and returns its summary line. */
export async function main(): Promise<string> {
  const serverUrl = process.env.ANSWERLOOP_BENCH_DATABASE_URL || loadConfig().databaseUrl;
  if (!serverUrl) {
    const line =
      'rate-limit: skipped (needs PostgreSQL: set DATABASE_URL or ANSWERLOOP_BENCH_DATABASE_URL to a server URL)';
    console.log(line);
    return line;
  }
  const seconds = Math.min(10, arg('seconds', 5));
  const connections = arg('connections', 8);
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  } catch (error) {
    const line = `rate-limit: skipped (PostgreSQL at ${new URL(serverUrl).host}: ${(error as Error).message})`;
    console.log(line);
    await admin.end().catch(() => undefined);
    return line;
  }
  console.log(`rate-limit bench: ${connections} connections, ${seconds} s per case`);
  let handle: DatabaseHandle | undefined;
  let line = 'rate-limit: failed';
  try {
    handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
    await migrate(handle);
    const topic = (await buildTopic(handle.db, { slug: 'payments' })).slug;
    await buildArticle(handle.db, {
      slug: 'charged-twice',
      topic,
      title: 'Charged twice for one subscription',
      body: 'If your card was charged twice, the second charge is a hold that disappears in 3 days.',
    });
    await buildForm(handle.db);
    // The baseline first, then the shared store.
    const memory = await runCase(url.toString(), handle, 'memory', { seconds, connections });
    const shared = await runCase(url.toString(), handle, 'database', { seconds, connections });
    console.log(show('suggestions, memory store', memory));
    console.log(show('suggestions, database store', shared));
    // Proof the shared case really counted in the database: two counters (address, network) per reader address.
    const counters = await sql<{ n: string }>`SELECT count(*) AS n FROM rate_limit_buckets`.execute(handle.db);
    console.log(`counters in rate_limit_buckets after the database case: ${counters.rows[0]?.n}`);
    const load = os.loadavg().map((n) => n.toFixed(2));
    line =
      `rate-limit: suggestions ${shared.rps.toFixed(0)}/s with the shared database store vs ` +
      `${memory.rps.toFixed(0)}/s with the memory store (ratio ${(shared.rps / memory.rps).toFixed(2)}; ` +
      `p99 ${shared.p99} vs ${memory.p99} ms; load ${load.join(' ')})`;
  } finally {
    await handle?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
  console.log(line);
  return line;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
