// One app process against two on the same PostgreSQL database and the same machine: article pages/s, reader
// searches/s (GET /api/search, tracked: each writes its search row), typeahead requests/s (GET /api/search/suggest)
// and events/s (POST /v1/batch, 100 events a request, counted once written), plus a bare node:http server sending
// the article page's exact bytes as the ceiling (one bare process and two).
//
//   node --import tsx bench/cluster.ts [--seconds 8] [--events 60000] [--connections 8]
//
// The servers are two real `answerloop serve` processes (bin/answerloop.js) on a fresh database seeded with the demo
// content. The load comes from two autocannon child processes in every case, started together: for "1 process" both
// aim at the first server (the second idles), for "2 processes" each aims at its own, and the figures are summed,
// so only the server side changes between the columns; the two columns of each case run one after the other.
// PostgreSQL: DATABASE_URL, or postgres://postgres:postgres@127.0.0.1:5432/postgres; skipped with a message when
// unreachable. All of it shares the machine's cores: see the load average printed.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type autocannon from 'autocannon';
import pg from 'pg';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..');
const TOKEN = 'bench-cluster-operator-token-0123456789';
const PAGE = '/en/articles/set-ads-budget';
// Accept gzip like a browser does, so the servers and the bare baseline send the same compressed bytes.
const PAGE_HEADERS = { 'accept-encoding': 'gzip', cookie: 'al_locale=en' };
const BATCH = 100;
const LOAD_CHILDREN = 2;
/** Load generators running now, stopped with the servers when the bench is interrupted. */
const loadChildren = new Set<ChildProcess>();

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes: the load generator and the bare server.
// ---------------------------------------------------------------------------------------------------------------

/** What one load-generator child does: GETs cycling through `paths` for `seconds`, or `batches` of events. */
interface LoadSpec {
  url: string;
  connections: number;
  headers: Record<string, string>;
  paths?: string[];
  seconds?: number;
  batches?: { writeKey: string; requests: number };
}

interface LoadOutcome {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

const EVENT_NAMES = ['Search Performed', 'Article Viewed', 'Search Result Clicked', 'Contact Form Viewed'] as const;

/** A help-center reader's batch: ten events per reader, realistic properties and context, unique messageIds. */
function batchBody(): string {
  const now = Date.now();
  const batch: Record<string, unknown>[] = [];
  let reader = '';
  for (let i = 0; i < BATCH; i++) {
    if (i % 10 === 0) reader = `reader-${randomBytes(6).toString('hex')}`;
    batch.push({
      type: 'track',
      messageId: randomUUID(),
      anonymousId: reader,
      timestamp: new Date(now - (BATCH - i)).toISOString(),
      event: EVENT_NAMES[i % EVENT_NAMES.length],
      properties: { locale: 'en', article_slug: 'set-ads-budget', query: 'set a budget', position: 1 },
      context: {
        locale: 'en-US',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
        page: { path: PAGE, title: 'Set your ads budget' },
      },
    });
  }
  return JSON.stringify({ sentAt: new Date(now).toISOString(), batch });
}

/** Child: prepares its requests, says READY, starts on "GO" from stdin, prints its outcome as JSON. */
async function runLoadChild(specFile: string): Promise<void> {
  const { default: autocannon } = await import('autocannon');
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as LoadSpec;
  const bodies = spec.batches ? Array.from({ length: spec.batches.requests }, batchBody) : [];
  process.stdout.write('READY\n');
  const input = readline.createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => input.once('line', () => resolve()));
  // An open stdin would keep this process alive after the outcome is printed.
  input.close();
  let next = 0;
  const requests: autocannon.Request[] = spec.batches
    ? [
        {
          method: 'POST',
          path: '/v1/batch',
          headers: {
            ...spec.headers,
            'content-type': 'application/json',
            authorization: `Basic ${Buffer.from(`${spec.batches.writeKey}:`).toString('base64')}`,
          },
          setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
        },
      ]
    : (spec.paths ?? ['/']).map((p) => ({ method: 'GET', path: p, headers: spec.headers }));
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    timeout: 30,
    ...(spec.batches ? { amount: spec.batches.requests } : { duration: spec.seconds ?? 8 }),
    requests,
  });
  const outcome: LoadOutcome = {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad: result.errors + result.timeouts + result.non2xx,
  };
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

/** Child: a bare node:http server answering every request with the given bytes. */
function runBareChild(bodyFile: string, encoding: string): void {
  const body = fs.readFileSync(bodyFile);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-encoding': encoding,
      'content-length': body.length,
    });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------------------------
// The parent: servers, load, figures.
// ---------------------------------------------------------------------------------------------------------------

interface Server {
  child: ChildProcess;
  url: string;
}

/** Spawns a process and resolves with its URL once it prints "listening on http://host:port". */
function spawnServer(args: string[], env: Record<string, string>): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let ready = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      if (ready) return;
      out += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        ready = true;
        resolve({ child, url: match[1]! });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => {
      if (!ready) reject(new Error(`server exited (${code}): ${(err || out).slice(-2000)}`));
    });
  });
}

/** `answerloop serve` on the bench database: jobs on, request logs off (as in the other benches). */
function startAnswerloop(databaseUrl: string): Promise<Server> {
  return spawnServer([path.join(ROOT, 'bin/answerloop.js'), 'serve', '--no-seed'], {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    ANSWERLOOP_ADMIN_TOKEN: TOKEN,
    ANSWERLOOP_ADMIN_PASSWORD: 'bench-cluster-password-0123',
    ANSWERLOOP_JOBS: 'true',
  });
}

async function stop(servers: Server[]): Promise<void> {
  await Promise.all(
    servers.map((s) => {
      if (s.child.exitCode !== null) return Promise.resolve();
      const exited = new Promise((r) => s.child.once('exit', r));
      s.child.kill('SIGTERM');
      return exited;
    }),
  );
}

/** Runs one load child per target (LOAD_CHILDREN in all, started together) and sums what they measured. */
async function drive(targets: string[], spec: Omit<LoadSpec, 'url'>): Promise<LoadOutcome & { seconds: number }> {
  const files = Array.from({ length: LOAD_CHILDREN }, (_, i) => {
    const file = path.join(os.tmpdir(), `answerloop-cluster-${process.pid}-${i}.json`);
    fs.writeFileSync(file, JSON.stringify({ ...spec, url: targets[i % targets.length] }));
    return file;
  });
  const children = files.map((file) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--load-child', file], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    loadChildren.add(child);
    let text = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('READY\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`load generator exited with ${code} before it was ready`)));
    });
    const done = new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => {
        loadChildren.delete(child);
        if (code === 0) resolve(text);
        else reject(new Error(`load generator exited with ${code}`));
      });
    });
    return { child, ready, done };
  });
  // Started together once all are ready, so their loads overlap for the whole measurement.
  await Promise.all(children.map((c) => c.ready));
  const started = performance.now();
  for (const { child } of children) child.stdin!.end('GO\n');
  const texts = await Promise.all(children.map((c) => c.done));
  const seconds = (performance.now() - started) / 1000;
  for (const file of files) fs.rmSync(file, { force: true });
  const outcomes = texts.map((t) => JSON.parse(t.trim().split('\n').pop()!) as LoadOutcome);
  return {
    seconds,
    requests: outcomes.reduce((s, o) => s + o.requests, 0),
    rps: outcomes.reduce((s, o) => s + o.rps, 0),
    p50: Math.max(...outcomes.map((o) => o.p50)),
    p99: Math.max(...outcomes.map((o) => o.p99)),
    bad: outcomes.reduce((s, o) => s + o.bad, 0),
  };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function eventStats(url: string): Promise<{ written: number; queued: number }> {
  const res = await fetch(`${url}/api/events/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const s = (await res.json()) as Record<string, number>;
  return { written: s.writtenEvents ?? 0, queued: s.queuedEvents ?? 0 };
}

/** Warms each server's JIT and caches with a few of every request the measurement sends. */
async function warm(urls: string[], searchPaths: string[], suggestPaths: string[], writeKey: string): Promise<void> {
  for (const url of urls) {
    for (let i = 0; i < 100; i++) await (await fetch(`${url}${PAGE}`, { headers: PAGE_HEADERS })).arrayBuffer();
    for (const p of searchPaths.slice(0, 100)) await (await fetch(`${url}${p}`)).arrayBuffer();
    for (const p of suggestPaths.slice(0, 200)) await (await fetch(`${url}${p}`)).arrayBuffer();
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        },
        body: batchBody(),
      });
      if (res.status !== 200) throw new Error(`/v1/batch answered ${res.status} while warming up`);
    }
  }
}

interface EventsOutcome {
  perSecond: number;
  p50: number;
  p99: number;
  bad: number;
}

/** Events through these servers, counted once written: from "GO" until every server's queue is empty. */
async function sendEvents(servers: Server[], writeKey: string, events: number, connections: number) {
  const urls = servers.map((s) => s.url);
  const before = await Promise.all(urls.map(eventStats));
  const sent = await drive(urls, {
    connections,
    headers: {},
    batches: { writeKey, requests: Math.ceil(events / BATCH / LOAD_CHILDREN) },
  });
  const drainStarted = performance.now();
  let after = await Promise.all(urls.map(eventStats));
  while (after.some((s) => s.queued > 0)) {
    await new Promise((r) => setTimeout(r, 20));
    after = await Promise.all(urls.map(eventStats));
  }
  // drive() times from "GO", so the load generators' start-up is not counted; the drain after the last answer is.
  const seconds = sent.seconds + (performance.now() - drainStarted) / 1000;
  const written = after.reduce((s, a, i) => s + a.written - before[i]!.written, 0);
  // A refused request (503: the collector sheds load when it is behind) is not resent: its events are not written.
  console.log(
    `  events, ${servers.length} process(es): ${(written / seconds).toFixed(0)} events/s written (${written} of ` +
      `${sent.requests * BATCH} sent, in ${seconds.toFixed(1)} s; ${sent.bad} requests refused or failed), ` +
      `ack p50 ${sent.p50} ms, p99 ${sent.p99} ms`,
  );
  return { perSecond: written / seconds, p50: sent.p50, p99: sent.p99, bad: sent.bad } satisfies EventsOutcome;
}

interface Case<T> {
  one: T;
  two: T;
}

interface Figures {
  pages: Case<LoadOutcome>;
  search: Case<LoadOutcome>;
  suggest: Case<LoadOutcome>;
  events: Case<EventsOutcome>;
}

/**
 * Every measurement, each case against one process (both load generators on the first server, the second idle)
 * and then against both: interleaved on the same servers, so a change in the machine's other load during the run
 * shifts both columns alike.
 */
async function measure(
  servers: [Server, Server],
  work: { searchPaths: string[]; suggestPaths: string[]; writeKey: string; seconds: number; events: number },
  connections: number,
): Promise<Figures> {
  const urls = servers.map((s) => s.url);
  await warm(urls, work.searchPaths, work.suggestPaths, work.writeKey);
  const base = { connections, seconds: work.seconds };
  const both = async (what: string, spec: Omit<LoadSpec, 'url'>): Promise<Case<LoadOutcome>> => ({
    one: shown(`${what}, 1 process`, await drive([urls[0]!], spec)),
    two: shown(`${what}, 2 processes`, await drive(urls, spec)),
  });
  const pages = await both('article page', { ...base, headers: PAGE_HEADERS, paths: [PAGE] });
  const search = await both('search', { ...base, headers: {}, paths: work.searchPaths });
  const suggest = await both('suggest', { ...base, headers: {}, paths: work.suggestPaths });
  const events = {
    one: await sendEvents([servers[0]], work.writeKey, work.events, connections),
    two: await sendEvents(servers, work.writeKey, work.events, connections),
  };
  console.log(
    `  server memory after the runs: ${servers.map((s) => `${rssMb(s.child.pid!).toFixed(0)} MB`).join(', ')} RSS`,
  );
  return { pages, search, suggest, events };
}

/** Prints one measurement as it completes (a slow or stuck run still shows what it got). */
function shown<T extends LoadOutcome>(what: string, outcome: T): T {
  console.log(
    `  ${what}: ${outcome.rps.toFixed(0)} req/s, p50 ${outcome.p50} ms, p99 ${outcome.p99} ms, failed ${outcome.bad}`,
  );
  return outcome;
}

// ---------------------------------------------------------------------------------------------------------------

async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> } | { skipped: string }> {
  const { loadConfig } = await import('../src/config/env.js');
  const admin = loadConfig().databaseUrl ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
  const name = `answerloop_cluster_${randomBytes(4).toString('hex')}`;
  try {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Runs the benchmark and returns its summary line (also called by bench/run.ts). */
export async function main(): Promise<string> {
  const seconds = arg('seconds', 8);
  const events = arg('events', 60_000);
  const connections = arg('connections', 8);
  const database = await createDatabase();
  if ('skipped' in database) {
    const line = `cluster: skipped (PostgreSQL: ${database.skipped}; set DATABASE_URL to a server this bench may create databases on)`;
    console.log(line);
    return line;
  }
  const loadStart = os.loadavg()[0]!;
  console.log(
    `cluster bench: ${os.cpus().length} cores, node ${process.version}, load average ${loadStart.toFixed(2)}; ` +
      `${LOAD_CHILDREN} autocannon processes × ${connections} connections, ${seconds} s per case`,
  );
  const running: Server[] = [];
  // Interrupted (Ctrl-C, a timeout): stop the servers and drop the database rather than leave them behind.
  const interrupted = () => {
    for (const s of running) s.child.kill('SIGTERM');
    for (const child of loadChildren) child.kill('SIGTERM');
    void database.drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const bodyFile = path.join(os.tmpdir(), `answerloop-cluster-page-${process.pid}.bin`);
  try {
    // Imported here, not at the top: the load-generator children run this file too and need none of the app.
    const { openDatabase } = await import('../src/db/client.js');
    const { migrate } = await import('../src/db/migrate.js');
    const { seedContent } = await import('../src/cli/seed/seed-content.js');
    const handle = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
    try {
      await migrate(handle);
      await seedContent(handle.db);
    } finally {
      await handle.close();
    }

    // Reader work: the relevance file's queries (typos, synonyms, six locales) as searches and as keystrokes.
    const queries = fs
      .readFileSync(path.join(ROOT, 'relevance/demo.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { query: string; locale?: string });
    const searchPaths = queries.map((q) => `/api/search?locale=${q.locale ?? 'en'}&q=${encodeURIComponent(q.query)}`);
    const suggestPaths = queries.flatMap((q) =>
      Array.from(q.query, (_, i) =>
        Array.from(q.query)
          .slice(0, i + 1)
          .join(''),
      )
        .filter((prefix, i, all) => all.indexOf(prefix) === i)
        .map((prefix) => `/api/search/suggest?locale=${q.locale ?? 'en'}&q=${encodeURIComponent(prefix)}`),
    );

    // Two processes on the same database; the one-process cases use the first alone.
    const servers = await Promise.all([startAnswerloop(database.url), startAnswerloop(database.url)]);
    running.push(...servers);
    const [first] = servers;
    const sample = await fetch(`${first.url}${PAGE}`, { headers: PAGE_HEADERS });
    const html = await sample.text();
    const writeKey = /data-al-key="([^"]+)"/.exec(html)?.[1];
    if (sample.status !== 200 || !writeKey)
      throw new Error(`article page answered ${sample.status} without a write key`);
    const raw = await new Promise<{ body: Buffer; encoding: string }>((resolve, reject) => {
      http
        .get(`${first.url}${PAGE}`, { headers: PAGE_HEADERS }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ body: Buffer.concat(chunks), encoding: String(res.headers['content-encoding'] ?? 'identity') }),
          );
        })
        .on('error', reject);
    });
    fs.writeFileSync(bodyFile, raw.body);
    const f = await measure(servers, { searchPaths, suggestPaths, writeKey, seconds, events }, connections);
    await stop(running.splice(0));

    // The ceiling: bare node:http sending the same page bytes, one process and two.
    const bareArgs = ['--import', 'tsx', SELF, '--bare', bodyFile, raw.encoding];
    const bare = await Promise.all([spawnServer(bareArgs, {}), spawnServer(bareArgs, {})]);
    running.push(...bare);
    const pageSpec = { connections, seconds, headers: PAGE_HEADERS, paths: [PAGE] };
    const bareOne = shown('bare node:http, 1 process', await drive([bare[0].url], pageSpec));
    const bareTwo = shown('bare node:http, 2 processes', await drive([bare[0].url, bare[1].url], pageSpec));
    await stop(running.splice(0));

    const loadEnd = os.loadavg()[0]!;
    const row = (name: string, a: number, b: number, unit: string) =>
      console.log(
        `${name.padEnd(34)} ${a.toFixed(0).padStart(9)} ${b.toFixed(0).padStart(11)} ${(b / a).toFixed(2).padStart(7)}  ${unit}`,
      );
    const failed = (c: 'one' | 'two') => f.pages[c].bad + f.search[c].bad + f.suggest[c].bad + f.events[c].bad;
    console.log(`\narticle page ${PAGE}: ${raw.body.length} bytes (${raw.encoding})`);
    console.log(`${'case'.padEnd(34)} ${'1 process'.padStart(9)} ${'2 processes'.padStart(11)} ${'ratio'.padStart(7)}`);
    row('article page', f.pages.one.rps, f.pages.two.rps, 'req/s');
    row('search (GET /api/search, tracked)', f.search.one.rps, f.search.two.rps, 'req/s');
    row('suggest (GET /api/search/suggest)', f.suggest.one.rps, f.suggest.two.rps, 'req/s');
    row(`events (POST /v1/batch × ${BATCH})`, f.events.one.perSecond, f.events.two.perSecond, 'events/s written');
    row('bare node:http, same page bytes', bareOne.rps, bareTwo.rps, 'req/s (the ceiling)');
    console.log(
      `p99 latency, 1 → 2 processes: page ${f.pages.one.p99} → ${f.pages.two.p99} ms, search ${f.search.one.p99} → ` +
        `${f.search.two.p99} ms, suggest ${f.suggest.one.p99} → ${f.suggest.two.p99} ms, events ack ` +
        `${f.events.one.p99} → ${f.events.two.p99} ms; failed or non-2xx responses ${failed('one')} / ${failed('two')}`,
    );
    console.log(
      `article page vs bare node:http (same bytes): ${(f.pages.one.rps / bareOne.rps).toFixed(3)} with 1 process, ` +
        `${(f.pages.two.rps / bareTwo.rps).toFixed(3)} with 2`,
    );
    console.log(
      `load average ${loadStart.toFixed(2)} at the start, ${loadEnd.toFixed(2)} at the end, on ${os.cpus().length} cores ` +
        '(servers, load generators and PostgreSQL share them)',
    );
    const pair2 = (a: number, b: number) => `${a.toFixed(0)}/${b.toFixed(0)}`;
    const line =
      `cluster (1/2 processes): pages_rps=${pair2(f.pages.one.rps, f.pages.two.rps)} ` +
      `search_rps=${pair2(f.search.one.rps, f.search.two.rps)} suggest_rps=${pair2(f.suggest.one.rps, f.suggest.two.rps)} ` +
      `events_per_s=${pair2(f.events.one.perSecond, f.events.two.perSecond)} bare_rps=${pair2(bareOne.rps, bareTwo.rps)} ` +
      `events_refused=${f.events.one.bad}/${f.events.two.bad} load=${loadEnd.toFixed(1)}`;
    console.log(line);
    return line;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await stop(running);
    fs.rmSync(bodyFile, { force: true });
    await database.drop();
  }
}

// Run directly: the benchmark, or one of the child processes it spawns; imported by bench/run.ts: nothing until main().
if (process.argv.includes('--load-child')) await runLoadChild(process.argv[process.argv.indexOf('--load-child') + 1]!);
else if (process.argv.includes('--bare'))
  runBareChild(process.argv[process.argv.indexOf('--bare') + 1]!, process.argv[process.argv.indexOf('--bare') + 2]!);
else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
