// Event ingestion benchmark: events/s through POST /v1/batch over HTTP into PGlite and into PostgreSQL, the
// acknowledgement latency (p50/p99) with queued and with durable acknowledgement at full load and at half the
// measured rate (open loop), the server's memory during a bounded overload, and, measured in the same run, the
// same rows written by one plain COPY straight into the same table (the baseline), with the ratio.
//
//   node --import tsx bench/events.ts [--events 120000] [--connections 16] [--only pglite|postgres]
//
// PostgreSQL: DATABASE_URL, or postgres://postgres:postgres@127.0.0.1:5432/postgres; skipped when unreachable.
// The server runs in a child process (this file with --serve), so client and server do not share an event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/config/env.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { EVENT_COLUMNS, eventsCopyText } from '../src/modules/events/copy-event-batch.js';
import { type EventRow, ensureMonthPartitions } from '../src/modules/events/index.js';
import { buildApp } from '../src/server/app.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..');
const TOKEN = 'bench-operator-token-0123456789';
const BATCH = 100;
const EVENTS_PER_READER = 10;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

// ---------------------------------------------------------------------------------------------------------------
// Child mode: the server.
// ---------------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------------
// The load: realistic help-center messages, ten per reader, a hundred per batch request.
// ---------------------------------------------------------------------------------------------------------------
const EVENTS = ['Search Performed', 'Article Viewed', 'Search Result Clicked', 'Contact Form Viewed'] as const;

function message(i: number, reader: string, at: number): Record<string, unknown> {
  const kind = i % 5;
  const base = {
    messageId: randomUUID(),
    anonymousId: reader,
    timestamp: new Date(at).toISOString(),
    context: {
      locale: 'en-US',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
      page: { path: '/en/articles/reset-your-password', title: 'Reset your password' },
      library: { name: 'answerloop.js', version: '1' },
    },
  };
  if (kind === 4)
    return {
      ...base,
      type: 'page',
      properties: { path: '/en/articles/reset-your-password', title: 'Reset', locale: 'en' },
    };
  const event = EVENTS[kind]!;
  const properties =
    event === 'Search Performed'
      ? { query: 'reset my password', locale: 'en', results_count: 4 }
      : event === 'Article Viewed'
        ? { article_slug: 'reset-your-password', article_locale: 'en', revision: 3, locale: 'en' }
        : event === 'Search Result Clicked'
          ? { query: 'reset my password', article_slug: 'reset-your-password', position: 1, locale: 'en' }
          : { locale: 'en', article_slug: 'reset-your-password' };
  return { ...base, type: 'track', event, properties };
}

function makeMessages(count: number): Record<string, unknown>[] {
  const now = Date.now();
  const out: Record<string, unknown>[] = [];
  let reader = '';
  for (let i = 0; i < count; i++) {
    if (i % EVENTS_PER_READER === 0) reader = `reader-${randomBytes(6).toString('hex')}`;
    out.push(message(i, reader, now - (count - i)));
  }
  return out;
}

function bodies(messages: Record<string, unknown>[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < messages.length; i += BATCH) {
    out.push(JSON.stringify({ sentAt: new Date().toISOString(), batch: messages.slice(i, i + BATCH) }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Running a server child and driving it.
// ---------------------------------------------------------------------------------------------------------------
interface Server {
  child: ChildProcess;
  url: string;
  key: string;
}

function startServer(env: Record<string, string>): Promise<Server> {
  return new Promise((resolve, reject) => {
    // --profile DIR writes a V8 CPU profile of each server run there.
    const profile = process.argv.includes('--profile')
      ? ['--cpu-prof', '--cpu-prof-dir', process.argv[process.argv.indexOf('--profile') + 1]!]
      : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', SELF, '--serve'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\d+) (\S+)/.exec(out);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}`, key: match[2]! });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => {
      if (!/READY/.test(out)) reject(new Error(`bench server exited (${code}): ${err.slice(-2000)}`));
    });
  });
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

async function stats(server: Server): Promise<Record<string, number>> {
  const res = await fetch(`${server.url}/api/events/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await res.json()) as Record<string, number>;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU milliseconds (user + system) a process has used, from /proc; with its reaped children's when asked. */
function processCpuMs(pid: number, children = false): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
    return ticks * TICK_MS;
  } catch {
    return 0; // the process ended
  }
}

/** CPU milliseconds of the local PostgreSQL server's processes, ended backends included (the postmaster's children). */
function postgresCpuMs(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let comm: string;
    let ppid: string;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]!;
    } catch {
      continue;
    }
    if (comm !== 'postgres') continue;
    // The postmaster (its parent is not postgres) carries the time of the backends that have ended.
    const parent = (() => {
      try {
        const s = fs.readFileSync(`/proc/${ppid}/stat`, 'utf8');
        return s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
      } catch {
        return '';
      }
    })();
    total += processCpuMs(Number(entry), parent !== 'postgres');
  }
  return total;
}

function clientCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

interface LoadResult {
  seconds: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  status503: number;
  /** CPU time per written event, in microseconds: the server, PostgreSQL's processes, this load generator. */
  cpuUs: { server: number; postgres: number; client: number };
  peakRssMb: number;
}

/** Sends every body once through /v1/batch and waits until the server has written them all. */
async function load(
  server: Server,
  payloads: string[],
  events: number,
  connections: number,
  options: {
    /** Requests per second for an open-loop load at a fixed rate; unset: as fast as the server answers. */
    rate?: number;
    /** Send the requests answered 503 again, as Segment's clients do, until every event is written. */
    resend?: boolean;
  } = {},
): Promise<LoadResult> {
  const before = await stats(server);
  let peak = rssMb(server.child.pid!);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(server.child.pid!));
  }, 50);
  const trace = process.env.BENCH_TRACE
    ? setInterval(async () => {
        const s = await stats(server);
        console.log(
          `trace ${Math.round(performance.now())} q=${s.queuedEvents} b=${s.writtenBatches} w=${s.writtenEvents} last=${s.lastBatchMs} drain=${s.drainRate} lim=${s.backlogLimit} ref=${s.refusedOffers}`,
        );
      }, 200)
    : undefined;
  let status503 = 0;
  let latency: { p50: number; p99: number } | undefined;
  let non2xx = 0;
  let pending = payloads.map((_, i) => i);
  const cpuBefore = { server: processCpuMs(server.child.pid!), postgres: postgresCpuMs(), client: clientCpuMs() };
  const started = performance.now();
  // Round one is the measured load (its latencies are reported); later rounds resend what was refused.
  for (let round = 0; pending.length > 0 && round < 50; round++) {
    const sending = pending;
    const refused: number[] = [];
    let next = 0;
    const result = await autocannon({
      url: server.url,
      connections: Math.min(connections, sending.length),
      amount: sending.length,
      timeout: 60,
      ...(options.rate ? { overallRate: options.rate } : {}),
      requests: [
        {
          method: 'POST',
          path: '/v1/batch',
          headers: {
            'content-type': 'application/json',
            authorization: `Basic ${Buffer.from(`${server.key}:`).toString('base64')}`,
          },
          setupRequest: (request, context) => {
            const index = sending[next++ % sending.length]!;
            (context as { index?: number }).index = index;
            return { ...request, body: payloads[index] };
          },
          onResponse: (status, _body, context) => {
            if (status !== 503) return;
            status503 += 1;
            refused.push((context as { index?: number }).index!);
          },
        },
      ],
    });
    latency ??= { p50: result.latency.p50, p99: result.latency.p99 };
    non2xx += result.non2xx;
    pending = options.resend ? refused : [];
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 100));
  }
  // Throughput counts events written, not merely acknowledged: wait for the queue to drain.
  for (;;) {
    const s = await stats(server);
    if (s.queuedEvents === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (trace) clearInterval(trace);
  const after = await stats(server);
  const written = (after.writtenEvents ?? 0) - (before.writtenEvents ?? 0);
  if (events > 0 && (options.resend || status503 === 0) && written !== events)
    throw new Error(`expected ${events} events written, got ${written}`);
  return {
    seconds,
    eventsPerSecond: written / seconds,
    p50: latency?.p50 ?? 0,
    p99: latency?.p99 ?? 0,
    non2xx,
    status503,
    peakRssMb: peak,
    cpuUs: {
      server: ((processCpuMs(server.child.pid!) - cpuBefore.server) * 1000) / Math.max(written, 1),
      postgres: ((postgresCpuMs() - cpuBefore.postgres) * 1000) / Math.max(written, 1),
      client: ((clientCpuMs() - cpuBefore.client) * 1000) / Math.max(written, 1),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Baseline: the same rows by one plain COPY straight into the same table.
// ---------------------------------------------------------------------------------------------------------------
/** The rows the server stores for these messages (same columns and values), as COPY text. */
function copyText(messages: Record<string, unknown>[]): string {
  const now = new Date();
  const rows: EventRow[] = messages.map((m) => {
    const ts = new Date(String(m.timestamp));
    return {
      messageId: `base-${String(m.messageId)}`,
      type: m.type as 'track' | 'page',
      event: (m.event as string | undefined) ?? 'Page Viewed',
      name: null,
      anonymousId: String(m.anonymousId),
      userId: null,
      groupId: null,
      previousId: null,
      propertiesJson: JSON.stringify(m.properties),
      contextJson: JSON.stringify(m.context),
      locale: 'en',
      article: 'reset-your-password',
      device: 'desktop',
      ipHash: 'Yp3v0d2Q1xk',
      timestamp: ts,
      originalTimestamp: ts,
      sentAt: now,
      receivedAt: now,
      source: 'wk:1',
      planVersion: 1,
      flagged: false,
      traits: null,
    };
  });
  return eventsCopyText(rows);
}

// ---------------------------------------------------------------------------------------------------------------
// The run.
// ---------------------------------------------------------------------------------------------------------------
interface Engine {
  name: 'PGlite' | 'PostgreSQL';
  env: Record<string, string>;
  /** Creates the schema and this month's partitions (the server would), so the baseline can run first. */
  prepare(): Promise<void>;
  /** Rows/s of one plain COPY of `text` into events; then empties the table for the server. */
  copy(text: string, rows: number): Promise<number>;
  cleanup(): Promise<void>;
}

async function prepare(open: () => Promise<DatabaseHandle>): Promise<void> {
  const handle = await open();
  try {
    await migrate(handle);
    const now = new Date();
    await ensureMonthPartitions(handle.db, new Date(now.getTime() - 86_400_000), now);
  } finally {
    await handle.close();
  }
}

const TRUNCATE = 'TRUNCATE events, event_message_ids, event_profiles';

async function pgliteEngine(): Promise<Engine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-bench-'));
  return {
    name: 'PGlite',
    env: { DATABASE_URL: '', ANSWERLOOP_DATA_DIR: dir },
    prepare: () => prepare(() => openDatabase({ dataDir: dir })),
    async copy(text, rows) {
      // PGlite's COPY reads from a blob through its virtual file /dev/blob.
      const db = new PGlite(path.join(dir, 'pglite'));
      try {
        const blob = new Blob([text]);
        const started = performance.now();
        await db.query(`COPY events (${EVENT_COLUMNS}) FROM '/dev/blob'`, [], { blob });
        const perSecond = rows / ((performance.now() - started) / 1000);
        await db.exec(TRUNCATE);
        return perSecond;
      } finally {
        await db.close();
      }
    },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresEngine(): Promise<Engine | undefined> {
  const admin = loadConfig().databaseUrl ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
  const name = `answerloop_bench_${randomBytes(4).toString('hex')}`;
  try {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
  } catch (error) {
    console.log(`PostgreSQL: skipped (${(error as Error).message}); set DATABASE_URL to a reachable server`);
    return undefined;
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    name: 'PostgreSQL',
    env: { DATABASE_URL: url.toString() },
    prepare: () => prepare(() => openDatabase({ databaseUrl: url.toString(), poolSize: 2 })),
    async copy(text, rows) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const body = Buffer.from(text);
        const started = performance.now();
        await pipeline(Readable.from([body]), client.query(copyFrom(`COPY events (${EVENT_COLUMNS}) FROM STDIN`)));
        const perSecond = rows / ((performance.now() - started) / 1000);
        await client.query(TRUNCATE);
        await client.query('CHECKPOINT');
        return perSecond;
      } finally {
        await client.end();
      }
    },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface EngineFigures {
  copy: number;
  queued: LoadResult;
  queuedHalf: LoadResult;
  durable: LoadResult;
  durableHalf: LoadResult;
}

/** What the collector's admission did during a load: why requests were refused, and the writer's batches. */
function admission(before: Record<string, number>, after: Record<string, number>): string {
  const d = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  const batches = d('writtenBatches');
  return (
    `writer: ${fmt(batches)} batches of ${fmt(batches ? d('writtenEvents') / batches : 0)} events on average, ` +
    `drain ${fmt(after.drainRate ?? 0)} events/s per writer, queue bound ${fmt(after.backlogLimit ?? 0)} events; ` +
    `refused ${fmt(d('shedRequests'))} requests before reading them, ${fmt(d('refusedOffers'))} offers (queue full), ` +
    `${fmt(d('refusedLate'))} late requests`
  );
}

/**
 * Where the CPU went, per written event: the server, PostgreSQL (its processes on this machine, copied rows
 * included), and the load generator, which shares the machine; and what the machine's cores allow at that cost.
 */
function cpuLine(result: LoadResult, engine: Engine): string {
  const { server, postgres, client } = result.cpuUs;
  const pgPart = engine.name === 'PostgreSQL' ? `, PostgreSQL ${fmt(postgres, 1)} µs` : '';
  const total = server + client + (engine.name === 'PostgreSQL' ? postgres : 0);
  const cores = os.availableParallelism();
  return (
    `CPU per event: server ${fmt(server, 1)} µs${pgPart}, load generator ${fmt(client, 1)} µs; at that cost ` +
    `${cores} cores allow at most ${fmt((cores * 1e6) / Math.max(total, 0.001))} events/s`
  );
}

/** Events at half the measured rate, for about three seconds, as an open-loop load of requests per second. */
async function halfLoad(server: Server, perSecond: number, connections: number): Promise<LoadResult> {
  const rate = Math.max(1, Math.round(perSecond / 2 / BATCH));
  const requests = Math.max(20, rate * 3);
  return load(server, bodies(makeMessages(requests * BATCH)), requests * BATCH, connections, { rate });
}

async function benchEngine(engine: Engine, total: number, connections: number): Promise<EngineFigures> {
  console.log(`\n== ${engine.name} ==`);
  const messages = makeMessages(total);
  const payloads = bodies(messages);

  // 0. Baseline first, into the empty table (emptied again afterwards): one plain COPY of the same rows.
  await engine.prepare();
  const pgBefore = postgresCpuMs();
  const copy = await engine.copy(copyText(messages), messages.length);
  // The COPY's backend has ended: its CPU joins the postmaster's children's time once it is reaped.
  await new Promise((r) => setTimeout(r, 500));
  const copyCpu =
    engine.name === 'PostgreSQL'
      ? `, ${fmt(((postgresCpuMs() - pgBefore) * 1000) / total, 1)} µs of PostgreSQL CPU per row`
      : '';
  console.log(
    `baseline:    ${fmt(copy)} rows/s by one plain COPY of the same ${fmt(total)} rows into the same table${copyCpu}`,
  );

  // 1. Throughput and latency with queued acknowledgement (the default), then latency at half that rate.
  let server = await startServer({ ...engine.env, ANSWERLOOP_EVENTS_ACK: 'queued' });
  await load(server, bodies(makeMessages(5_000)), 5_000, 4); // warm-up: JIT, partitions, caches
  const beforeQueued = await stats(server);
  const queued = await load(server, payloads, total, connections, { resend: true });
  console.log(`             ${admission(beforeQueued, await stats(server))}`);
  const queuedHalf = await halfLoad(server, queued.eventsPerSecond, connections);
  console.log(
    `queued ack:  ${fmt(queued.eventsPerSecond)} events/s written (${fmt(total)} events in ${fmt(queued.seconds, 1)} s), ` +
      `ratio ${fmt(queued.eventsPerSecond / copy, 2)} against COPY; ack p50 ${queued.p50} ms, p99 ${queued.p99} ms per ` +
      `${BATCH}-event request at full load; ${fmt(queued.status503)} requests answered 503 (and sent again)`,
  );
  console.log(`             ${cpuLine(queued, engine)}`);
  console.log(
    `             at half that rate (${fmt(queuedHalf.eventsPerSecond)} events/s, open loop): ack p50 ${queuedHalf.p50} ms, ` +
      `p99 ${queuedHalf.p99} ms`,
  );
  await stopServer(server);

  // 2. Durable acknowledgement: 200 only after commit.
  server = await startServer({ ...engine.env, ANSWERLOOP_EVENTS_ACK: 'durable' });
  const durableTotal = Math.min(total, 60_000);
  await load(server, bodies(makeMessages(5_000)), 5_000, 4);
  const durable = await load(server, bodies(makeMessages(durableTotal)), durableTotal, connections, {
    resend: true,
  });
  const durableHalf = await halfLoad(server, durable.eventsPerSecond, connections);
  console.log(
    `durable ack: ${fmt(durable.eventsPerSecond)} events/s, ratio ${fmt(durable.eventsPerSecond / copy, 2)} against COPY; ` +
      `ack p50 ${durable.p50} ms, p99 ${durable.p99} ms at full load; at half that rate p50 ${durableHalf.p50} ms, ` +
      `p99 ${durableHalf.p99} ms`,
  );
  console.log(`             ${cpuLine(durable, engine)}`);
  await stopServer(server);

  // 3. Bounded overload: a small queue and many connections; memory must stay flat while 503s absorb the excess.
  server = await startServer({
    ...engine.env,
    ANSWERLOOP_EVENTS_ACK: 'queued',
    ANSWERLOOP_EVENTS_QUEUE_MAX_EVENTS: '5000',
  });
  const idle = rssMb(server.child.pid!);
  const floodEvents = Math.min(total, 100_000);
  const flood = await load(server, bodies(makeMessages(floodEvents)), 0, connections * 8);
  console.log(
    `overload:    ${fmt(flood.status503)} of ${fmt(Math.ceil(floodEvents / BATCH))} requests answered 503 ` +
      `(queue bound 5,000 events); server RSS ${fmt(idle)} MB idle, peak ${fmt(flood.peakRssMb)} MB`,
  );
  if (flood.status503 === 0) {
    console.log(
      '             (no 503: the embedded database runs on the server’s own thread, so while a batch is written the ' +
        'server reads no requests; the excess waits in TCP buffers and the queue never fills)',
    );
  }
  await stopServer(server);
  return { copy, queued, queuedHalf, durable, durableHalf };
}

/** Runs the benchmark (also called by bench/run.ts). */
export async function main(): Promise<string> {
  const total = arg('events', 120_000);
  const connections = arg('connections', 16);
  console.log(
    `events bench: ${fmt(total)} events in /v1/batch requests of ${BATCH}, ${connections} connections, ` +
      `${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const engines = [pgliteEngine, postgresEngine].filter(
    (_, i) => !only || only.toLowerCase() === ['pglite', 'postgres'][i],
  );
  const figures = new Map<Engine['name'], EngineFigures>();
  for (const make of engines) {
    const engine = await make();
    if (!engine) continue;
    try {
      figures.set(
        engine.name,
        await benchEngine(engine, engine.name === 'PGlite' ? Math.min(total, 60_000) : total, connections),
      );
    } finally {
      await engine.cleanup();
    }
  }
  // Other work on the machine takes cores from the bench: the load average says how much.
  const loadAverage = `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;
  console.log(`\n${loadAverage} at the end`);
  const parts = [...figures].map(
    ([name, f]) =>
      `${name} queued ${fmt(f.queued.eventsPerSecond)}/s (${fmt(f.queued.eventsPerSecond / f.copy, 2)}× COPY ` +
      `${fmt(f.copy)}/s), durable ${fmt(f.durable.eventsPerSecond)}/s, ack p99 at half load ${f.queuedHalf.p99}/` +
      `${f.durableHalf.p99} ms (queued/durable)`,
  );
  return `events: ${parts.join('; ')}; ${loadAverage}`;
}

async function serve(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', ANSWERLOOP_ADMIN_TOKEN: TOKEN });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(database);
  const built = await buildApp({ config, database });
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const address = built.app.server.address();
  process.stdout.write(
    `READY ${typeof address === 'object' && address ? address.port : 0} ${built.ctx.events.siteWriteKey()}\n`,
  );
  process.once('SIGTERM', () => {
    built
      .shutdown()
      .then(() => database.close())
      .then(() => process.exit(0));
  });
}

// Run directly: the benchmark, or the child process it spawns; imported by bench/run.ts: nothing until main().
if (process.argv.includes('--serve')) await serve();
else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
