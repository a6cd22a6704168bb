/**
 * Requests/s of an article page over HTTP (autocannon), against a bare node:http server answering the same
 * bytes in the same run: the ratio is what the product's rendering, database reads and middleware cost. With the
 * page cache on, a page is rendered and compressed once, so what remains is Fastify's routing and hooks (helmet,
 * cookies, guards). For context it also measures the revalidation path (If-None-Match → 304) and the page cache
 * off (every request renders and compresses: the figure before the cache).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { seedContent } from '../src/cli/seed/seed-content.js';
import { loadConfig } from '../src/config/env.js';
import { buildApp } from '../src/server/app.js';
import { createTestApp } from '../src/server/test-app.js';

const DURATION_S = 8;
/**
 * The baseline and the product take turns in slices of DURATION_S / ROUNDS (baseline first each time): on a machine
 * shared with other work, a load change during one long run would otherwise land on one side of the ratio only.
 */
const ROUNDS = 4;
/** The context figures (304, cache off) are shorter: they are not the ratio. */
const CONTEXT_DURATION_S = 4;
const CONNECTIONS = 20;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Errors and answers other than the expected status. */
  unexpected: number;
}

async function measure(
  url: string,
  headers: Record<string, string>,
  duration = DURATION_S,
  expect: '2xx' | '3xx' = '2xx',
): Promise<Figures> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration, headers });
  const expected = expect === '2xx' ? r['2xx'] : r['3xx'];
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    unexpected: r.errors + r.requests.total - expected,
  };
}

/** Slices measured in turn, summed: requests/s over all slices, the median p50 and the worst p99. */
function combine(slices: Figures[]): Figures {
  const p50s = slices.map((f) => f.p50).sort((a, b) => a - b);
  return {
    rps: slices.reduce((sum, f) => sum + f.rps, 0) / slices.length,
    p50: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99: Math.max(...slices.map((f) => f.p99)),
    unexpected: slices.reduce((sum, f) => sum + f.unexpected, 0),
  };
}

function figures(f: Figures): string {
  return `${f.rps.toFixed(0)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms`;
}

/** Runs the site benchmark and returns its summary line. */
export async function main(): Promise<string> {
  const t = await createTestApp({ adminToken: null, prepare: async ({ db }) => void (await seedContent(db)) });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const appPort = (t.app.server.address() as AddressInfo).port;
  const path = '/en/articles/set-ads-budget';
  // Accept gzip like a browser does, so both servers send the same compressed bytes.
  const headers = { 'accept-encoding': 'gzip', cookie: 'al_locale=en' };
  const sample = await fetch(`http://127.0.0.1:${appPort}${path}`, { headers });
  if (sample.status !== 200) throw new Error(`article page answered ${sample.status}`);
  const raw = await new Promise<{ body: Buffer; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${appPort}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ body: Buffer.concat(chunks), headers: res.headers }));
      })
      .on('error', reject);
  });

  const bare = http.createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-encoding': String(raw.headers['content-encoding'] ?? 'identity'),
      'content-length': raw.body.length,
    });
    res.end(raw.body);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const barePort = (bare.address() as AddressInfo).port;

  // Warm both, then measure the baseline and the product in turns, the baseline first.
  await autocannon({ url: `http://127.0.0.1:${appPort}${path}`, connections: 4, amount: 200, headers });
  const baselineSlices: Figures[] = [];
  const productSlices: Figures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baselineSlices.push(await measure(`http://127.0.0.1:${barePort}${path}`, headers, DURATION_S / ROUNDS));
    productSlices.push(await measure(`http://127.0.0.1:${appPort}${path}`, headers, DURATION_S / ROUNDS));
  }
  const baseline = combine(baselineSlices);
  const product = combine(productSlices);
  // A browser or CDN revalidating its copy: the ETag it holds comes back as a 304 without a body.
  const etag = String(raw.headers.etag ?? '');
  const revalidated = await measure(
    `http://127.0.0.1:${appPort}${path}`,
    { ...headers, 'if-none-match': etag },
    CONTEXT_DURATION_S,
    '3xx',
  );
  bare.close();
  // The same database and page with the cache off: what every request cost before.
  const cold = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', ANSWERLOOP_PAGE_CACHE: 'false' }),
    database: t.database,
  });
  await cold.app.listen({ port: 0, host: '127.0.0.1' });
  const coldPort = (cold.app.server.address() as AddressInfo).port;
  await autocannon({ url: `http://127.0.0.1:${coldPort}${path}`, connections: 4, amount: 50, headers });
  const uncached = await measure(`http://127.0.0.1:${coldPort}${path}`, headers, CONTEXT_DURATION_S);
  await cold.shutdown();
  await t.close();

  const ratio = product.rps / baseline.rps;
  console.log(
    `article page: ${raw.body.length} bytes (${raw.headers['content-encoding'] ?? 'identity'}), etag ${etag}`,
  );
  console.log(`answerloop: ${figures(product)}, errors ${product.unexpected}`);
  console.log(`bare node:http (same bytes): ${figures(baseline)}`);
  console.log(
    `answerloop 304 (If-None-Match): ${figures(revalidated)}, ratio ${(revalidated.rps / baseline.rps).toFixed(3)}, non-304 ${revalidated.unexpected}`,
  );
  console.log(`answerloop, page cache off: ${figures(uncached)}, ratio ${(uncached.rps / baseline.rps).toFixed(3)}`);
  const line = `site: article_rps=${product.rps.toFixed(0)} baseline_rps=${baseline.rps.toFixed(0)} ratio=${ratio.toFixed(3)} rps_304=${revalidated.rps.toFixed(0)} cache_off_rps=${uncached.rps.toFixed(0)}`;
  console.log(line);
  return line;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
