/**
 * Contact-form submissions/s over HTTP (autocannon) into PostgreSQL, against GET /api/health measured in the same
 * run on the same app: each submission is validated, then filed in one transaction (ticket, feedback item, form
 * answers, outbox row). Then the same with a help desk stand-in receiving: submissions/s while the forwarding job
 * runs beside them, and tickets delivered/s until the outbox is empty. Challenge and rate limits off (a bench is
 * one client address); at most 10 s of load per case.
 *
 *   node --import tsx bench/forms.ts [--seconds 10] [--connections 16]
 *
 * PostgreSQL: ANSWERLOOP_BENCH_DATABASE_URL or DATABASE_URL (a server URL; the bench creates and drops its own
 * database, bench_forms); skipped with a message when neither is set or the server is unreachable.
 */
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { seedForms } from '../src/cli/seed/seed-forms.js';
import { loadConfig } from '../src/config/env.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { HelpdeskStandin } from '../src/modules/forms/testing/helpdesk-standin.js';
import { buildApp } from '../src/server/app.js';

const DATABASE = 'bench_forms';
const SECRET = 'bench-helpdesk-secret-0123456789';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A billing submission a reader would send: "Charged twice" with its date and amount (conditional fields). */
const SUBMISSION = JSON.stringify({
  locale: 'en',
  answers: {
    problem: 'charged_twice',
    charge_date: '2026-11-20',
    amount: 9.99,
    subject: 'Charged twice for Pinwheel Plus',
    description: 'I was charged twice for my Pinwheel Plus subscription this month. Please refund one of them.',
    email: 'reader@example.com',
  },
  context: { article: 'cancel-pinwheel-plus', region: 'us' },
});

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
}

async function load(
  url: string,
  options: { method: 'GET' | 'POST'; body?: string; seconds: number; connections: number },
) {
  const result = await autocannon({
    url,
    method: options.method,
    connections: options.connections,
    duration: options.seconds,
    ...(options.body ? { body: options.body, headers: { 'content-type': 'application/json' } } : {}),
  });
  const ok = result['2xx'];
  return {
    rps: ok / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    errors: result.errors + result.non2xx + result.timeouts,
  } satisfies Measured;
}

function show(label: string, m: Measured): string {
  return `${label}: ${m.rps.toFixed(0)}/s, p50 ${m.p50} ms, p99 ${m.p99} ms (${m.ok} ok, ${m.errors} errors)`;
}

async function count(db: DatabaseHandle['db'], what: 'tickets' | 'delivered' | 'pending') {
  const query =
    what === 'tickets'
      ? sql<{ n: string }>`SELECT count(*) AS n FROM form_submissions`
      : sql<{ n: string }>`SELECT count(*) AS n FROM helpdesk_deliveries WHERE status = ${what}`;
  return Number((await query.execute(db)).rows[0]!.n);
}

/** Waits until the outbox has nothing pending (or the deadline passes). */
async function drain(db: DatabaseHandle['db'], deadline: number): Promise<void> {
  while (Date.now() < deadline && (await count(db, 'pending')) > 0)
    await new Promise((resolve) => setTimeout(resolve, 100));
}

/** One case: an app over the bench database (with or without a help desk), /api/health then the submissions. */
async function runCase(
  url: string,
  handle: DatabaseHandle,
  options: { seconds: number; connections: number; helpdesk?: HelpdeskStandin },
) {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: url,
    ANSWERLOOP_FORMS_CHALLENGE: 'off',
    ANSWERLOOP_FORMS_RATE_LIMIT: 'off',
    ANSWERLOOP_FORMS_FORM_RATE_LIMIT: 'off',
    ANSWERLOOP_JOBS: options.helpdesk ? 'true' : 'false',
    ANSWERLOOP_HELPDESK_URL: options.helpdesk?.url ?? '',
    ANSWERLOOP_HELPDESK_SECRET: options.helpdesk ? SECRET : '',
    LOG_LEVEL: 'silent',
  });
  const built = await buildApp({ config, database: handle });
  try {
    await built.app.listen({ port: 0, host: '127.0.0.1' });
    const address = built.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const submit = `${base}/api/forms/billing/submissions`;
    const sample = await fetch(submit, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: SUBMISSION,
    });
    if (sample.status !== 201) throw new Error(`a submission answered ${sample.status}: ${await sample.text()}`);
    // Warm both, then the baseline first and the product second.
    await autocannon({ url: `${base}/api/health`, connections: 4, amount: 200 });
    await autocannon({
      url: submit,
      method: 'POST',
      connections: 4,
      amount: 100,
      body: SUBMISSION,
      headers: { 'content-type': 'application/json' },
    });
    // The warm-up's tickets are forwarded before the measurement, so the delivered count is the load's own.
    await drain(handle.db, Date.now() + 30_000);
    const health = await load(`${base}/api/health`, { method: 'GET', ...options });
    const before = await count(handle.db, 'tickets');
    const deliveredBefore = await count(handle.db, 'delivered');
    const started = performance.now();
    const forms = await load(submit, { method: 'POST', body: SUBMISSION, ...options });
    let forwarding: { delivered: number; seconds: number; duplicates: number; badSignatures: number } | undefined;
    if (options.helpdesk) {
      // Until the outbox is empty (bounded): tickets delivered/s from the start of the load.
      await drain(handle.db, Date.now() + 60_000);
      const seconds = (performance.now() - started) / 1000;
      const delivered = (await count(handle.db, 'delivered')) - deliveredBefore;
      const requests = options.helpdesk.requests;
      forwarding = {
        delivered,
        seconds,
        duplicates: requests.filter((r) => r.duplicate).length,
        badSignatures: requests.filter((r) => r.signatureValid === false).length,
      };
    }
    // Requests still in flight when the load stopped finish now: count the stored tickets after them.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stored = (await count(handle.db, 'tickets')) - before;
    return { health, forms, stored, forwarding };
  } finally {
    await built.shutdown();
  }
}

/** Runs the benchmark (also called by bench/run.ts) and returns its summary line. */
export async function main(): Promise<string> {
  const serverUrl = process.env.ANSWERLOOP_BENCH_DATABASE_URL || loadConfig().databaseUrl;
  if (!serverUrl) {
    const line = 'forms: skipped (needs PostgreSQL: set DATABASE_URL or ANSWERLOOP_BENCH_DATABASE_URL to a server URL)';
    console.log(line);
    return line;
  }
  const seconds = Math.min(10, arg('seconds', 10));
  const connections = arg('connections', 16);
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  } catch (error) {
    const line = `forms: skipped (PostgreSQL at ${new URL(serverUrl).host}: ${(error as Error).message})`;
    console.log(line);
    await admin.end().catch(() => undefined);
    return line;
  }
  const version = (await admin.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v.split(' on ')[0];
  console.log(`forms bench on ${version}: ${connections} connections, ${seconds} s per measurement`);
  let handle: DatabaseHandle | undefined;
  let standin: HelpdeskStandin | undefined;
  let line = 'forms: failed';
  try {
    handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
    await migrate(handle);
    await seedForms(handle.db);

    const local = await runCase(url.toString(), handle, { seconds, connections });
    console.log('\n## tickets kept in Answerloop (no help desk)');
    console.log(show('GET /api/health', local.health));
    console.log(show('POST /api/forms/billing/submissions', local.forms));
    console.log(`stored ${local.stored} submissions (${local.forms.ok} answered 201)`);
    const ratio = local.forms.rps / local.health.rps;
    console.log(`ratio submissions/health: ${ratio.toFixed(3)}`);

    standin = await HelpdeskStandin.start({ secret: SECRET });
    const desk = await runCase(url.toString(), handle, { seconds, connections, helpdesk: standin });
    console.log('\n## with a help desk stand-in receiving (webhook, forwarding job running)');
    console.log(show('GET /api/health', desk.health));
    console.log(show('POST /api/forms/billing/submissions', desk.forms));
    const f = desk.forwarding!;
    console.log(
      `delivered ${f.delivered} of the ${desk.stored} tickets filed in ${f.seconds.toFixed(1)} s from the start of the load: ` +
        `${(f.delivered / f.seconds).toFixed(0)} tickets delivered/s; ${f.duplicates} duplicates, ${f.badSignatures} bad signatures`,
    );
    console.log(`\nload average at the end: ${os.loadavg()[0]!.toFixed(1)} (on ${os.cpus().length} cores)`);
    line =
      `forms: submissions_rps=${local.forms.rps.toFixed(0)} p50=${local.forms.p50}ms p99=${local.forms.p99}ms ` +
      `health_rps=${local.health.rps.toFixed(0)} ratio=${ratio.toFixed(3)}; with help desk: ` +
      `submissions_rps=${desk.forms.rps.toFixed(0)} delivered_per_s=${(f.delivered / f.seconds).toFixed(0)}`;
  } finally {
    await standin?.stop();
    await handle?.close();
    // The pool's connections close asynchronously: wait for them before dropping the database.
    for (let i = 0; i < 50; i++) {
      const open = await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [DATABASE]);
      if (open.rowCount === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.end();
  }
  console.log(line);
  return line;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
