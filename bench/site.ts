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
/** The context figures (304, cache off) are shorter: they are not the ratio. */
const CONTEXT_DURATION_S = 4;
const CONNECTIONS = 20;

async function measure(
  url: string,
  headers: Record<string, string>,
  duration = DURATION_S,
): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration, headers });
}

function figures(result: autocannon.Result): string {
  return `${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`;
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

  // Warm both, then measure the baseline first and the product second.
  await autocannon({ url: `http://127.0.0.1:${appPort}${path}`, connections: 4, amount: 200, headers });
  const baseline = await measure(`http://127.0.0.1:${barePort}${path}`, headers);
  const product = await measure(`http://127.0.0.1:${appPort}${path}`, headers);
  // A browser or CDN revalidating its copy: the ETag it holds comes back as a 304 without a body.
  const etag = String(raw.headers.etag ?? '');
  const revalidated = await measure(
    `http://127.0.0.1:${appPort}${path}`,
    { ...headers, 'if-none-match': etag },
    CONTEXT_DURATION_S,
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

  const ratio = product.requests.average / baseline.requests.average;
  console.log(
    `article page: ${raw.body.length} bytes (${raw.headers['content-encoding'] ?? 'identity'}), etag ${etag}`,
  );
  console.log(`answerloop: ${figures(product)}, errors ${product.errors + product.non2xx}`);
  console.log(`bare node:http (same bytes): ${figures(baseline)}`);
  console.log(
    `answerloop 304 (If-None-Match): ${figures(revalidated)}, ratio ${(revalidated.requests.average / baseline.requests.average).toFixed(3)}, non-304 ${revalidated.errors + revalidated['2xx']}`,
  );
  console.log(
    `answerloop, page cache off: ${figures(uncached)}, ratio ${(uncached.requests.average / baseline.requests.average).toFixed(3)}`,
  );
  const line = `site: article_rps=${product.requests.average.toFixed(0)} baseline_rps=${baseline.requests.average.toFixed(0)} ratio=${ratio.toFixed(3)} rps_304=${revalidated.requests.average.toFixed(0)} cache_off_rps=${uncached.requests.average.toFixed(0)}`;
  console.log(line);
  return line;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
