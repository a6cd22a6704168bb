/**
 * The admin app's weight and speed: its JS and CSS (raw, gzip, brotli) and the time from navigation to the
 * articles screen showing rows with 5,000 articles in the database, in Chromium. The baseline, measured in the same
 * run: the public article page's own JS and CSS, and its load time.
 */
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { seedContent } from '../src/cli/seed/seed-content.js';
import { createTestUser, signIn, TEST_PASSWORD } from '../src/modules/accounts/accounts.test-support.js';
import { saveArticle } from '../src/modules/content/save-article.js';
import { createTestApp } from '../src/server/test-app.js';

const ARTICLES = 5_000;
const RUNS = 3;

interface Weight {
  raw: number;
  gzip: number;
  brotli: number;
}

function weigh(bodies: Buffer[]): Weight {
  const all = bodies.map((b) => ({
    raw: b.length,
    gzip: zlib.gzipSync(b, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(b).length,
  }));
  return all.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Same-origin JS and CSS a page links to (its own files, not the fonts). */
function ownAssets(html: string, prefix: string): string[] {
  return [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)]
    .map((m) => m[1]!)
    .filter((url) => url.startsWith(prefix));
}

/** Runs the admin benchmark and returns its summary line. */
export async function main(): Promise<string> {
  const started = Date.now();
  const t = await createTestApp({
    prepare: async ({ db }) => {
      await seedContent(db);
      for (let i = 1; i <= ARTICLES; i++) {
        await saveArticle(db, {
          slug: `bench-article-${i}`,
          topic: 'account',
          locale: 'en',
          title: `Bench article ${i}`,
          body: `Text of article ${i}.`,
          publish: i % 3 !== 0,
        });
      }
    },
  });
  console.log(`seeded ${ARTICLES} extra articles in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const editor = await createTestUser(t, { role: 'editor', email: 'bench-editor@example.com' });
  const session = await signIn(t, editor.email, TEST_PASSWORD);

  const fetchBody = async (url: string) => Buffer.from(await (await fetch(`${base}${url}`)).arrayBuffer());
  const shell = await (await fetch(`${base}/admin`)).text();
  const adminWeight = weigh(await Promise.all(ownAssets(shell, '/admin/assets/').map(fetchBody)));
  const articlePath = '/en/articles/set-ads-budget';
  const articleHtml = await (await fetch(`${base}${articlePath}`)).text();
  const siteWeight = weigh(await Promise.all(ownAssets(articleHtml, '/assets/').map(fetchBody)));

  // The articles screen's one data request against the public list of the same articles (both over HTTP).
  const timeGet = async (url: string, headers: Record<string, string>) => {
    const times: number[] = [];
    for (let i = 0; i <= 5; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}${url}`, { headers });
      await res.arrayBuffer();
      if (i > 0) times.push(Math.round(performance.now() - t0));
    }
    return median(times);
  };
  const adminList = await timeGet('/api/content/articles?limit=50', { cookie: session.cookie });
  const publicList = await timeGet('/api/articles?locale=en', {});
  console.log(
    `GET /api/content/articles?limit=50 (status in every locale, ${ARTICLES + 42} articles): ${adminList} ms; ` +
      `public GET /api/articles?locale=en (all published): ${publicList} ms (ratio ${(publicList / adminList).toFixed(2)})`,
  );

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const adminTimes: number[] = [];
  const siteTimes: number[] = [];
  try {
    for (let run = 0; run <= RUNS; run++) {
      // A fresh context each run: a cold browser cache, as for a first visit. Run 0 warms the server only.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const [name, value] = session.cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: base }]);
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${base}/admin/articles`, { waitUntil: 'commit' });
      await page.locator('table tbody tr a[href^="/admin/articles/"]').first().waitFor({ timeout: 60_000 });
      const admin = Date.now() - t0;
      const t1 = Date.now();
      await page.goto(`${base}${articlePath}`, { waitUntil: 'load' });
      const site = Date.now() - t1;
      if (run > 0) {
        adminTimes.push(admin);
        siteTimes.push(site);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await t.close();
  }

  const rows = [
    ['', 'JS+CSS raw', 'gzip', 'brotli', `ready (median of ${RUNS})`],
    [
      'admin articles screen',
      kb(adminWeight.raw),
      kb(adminWeight.gzip),
      kb(adminWeight.brotli),
      `${median(adminTimes)} ms`,
    ],
    ['public article page', kb(siteWeight.raw), kb(siteWeight.gzip), kb(siteWeight.brotli), `${median(siteTimes)} ms`],
  ];
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(24) : c.padStart(14))).join(''));
  console.log(`admin ready times: ${adminTimes.join(', ')} ms; site load times: ${siteTimes.join(', ')} ms`);
  return (
    `admin: JS+CSS ${kb(adminWeight.brotli)} brotli (${kb(adminWeight.gzip)} gzip), articles screen with ` +
    `${ARTICLES} articles ready in ${median(adminTimes)} ms; public article page: ${kb(siteWeight.brotli)} ` +
    `brotli, loaded in ${median(siteTimes)} ms`
  );
}
