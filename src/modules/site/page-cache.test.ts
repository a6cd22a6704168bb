import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildArticle, buildTopic } from '../content/content.factories.js';
import { saveRegions } from '../content/index.js';
import { chooseEncoding, matchesEtag, PageCache } from './page-cache.js';

const PAGE = '/en/articles/set-budget';
/** A returning reader: the locale cookie is already set, so no cookie goes out and the page is shareable. */
const RETURNING = 'al_locale=en';

/** The reader cookie a vote answer sets, as a Cookie header value. */
function readerCookie(res: LightMyRequestResponse): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.map((c) => c.split(';')[0]).join('; ');
}

describe('cached public pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await saveRegions(db, {
          defaultRegion: 'us',
          regions: [
            { code: 'us', name: 'US', currency: 'USD', countries: ['US'], theme: { brand: '#c8232c' } },
            { code: 'gb', name: 'UK', currency: 'GBP', countries: ['GB'], theme: { brand: '#2d3a8c' } },
          ],
          prices: { min_budget: { USD: 5, GBP: 4 } },
        });
        await buildTopic(db, { slug: 'ads', names: { en: 'Ads' } });
        await buildArticle(db, {
          slug: 'set-budget',
          topic: 'ads',
          title: 'Set a budget',
          body: `The minimum is {{price:min_budget}} a day.\n\n${'Budgets explained at length. '.repeat(80)}`,
        });
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('answers with a strong ETag, 304 on If-None-Match, and precompressed bodies that match the plain one', async () => {
    const plain = await get(PAGE, { cookie: RETURNING });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=0, s-maxage=60, stale-while-revalidate=600');
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    expect(plain.headers.vary).toMatch(/Cookie/);
    expect(plain.headers['content-security-policy']).toContain("default-src 'self'");
    const etag = String(plain.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);

    const gz = await get(PAGE, { cookie: RETURNING, 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);
    const br = await get(PAGE, { cookie: RETURNING, 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
    // Each encoding is its own representation, with its own strong tag over the same content.
    expect(br.headers.etag).toBe(etag.replace(/"$/, '-br"'));

    const again = await get(PAGE, {
      cookie: RETURNING,
      'accept-encoding': 'br',
      'if-none-match': String(gz.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers['content-security-policy']).toContain("default-src 'self'");
    expect(
      (await get(PAGE, { cookie: RETURNING, 'if-none-match': '"0123456789abcdef0123456789abcdef"' })).statusCode,
    ).toBe(200);
    const head = await t.app.inject({ method: 'HEAD', url: PAGE, headers: { cookie: RETURNING } });
    expect(head.statusCode).toBe(200);
    expect(head.headers.etag).toBe(etag);
  });

  it('shows every reader the same page, without their vote; the island asks for it', async () => {
    const voted = await t.app.inject({
      method: 'POST',
      url: '/api/feedback/votes',
      payload: { article: 'set-budget', locale: 'en', helpful: true },
      remoteAddress: '10.20.0.1',
    });
    expect(voted.statusCode).toBe(200);
    const voter = readerCookie(voted);
    expect(voter).toMatch(/al_rid=/);
    // The voter asks first, so the page cached (if any) is rendered for their request.
    const theirs = await get(PAGE, { cookie: `${RETURNING}; ${voter}` });
    const stranger = await get(PAGE, { cookie: RETURNING });
    const newcomer = await get(PAGE);
    expect(theirs.body).toBe(stranger.body);
    expect(newcomer.body).toBe(stranger.body);
    expect(theirs.body).toMatch(/data-state="ask"[^>]*data-vote-load/);
    // A first visit sets the locale cookie: that response must not be stored by a shared cache.
    expect(newcomer.headers['set-cookie']).toBeDefined();
    expect(newcomer.headers['cache-control']).toBe('private, no-cache');

    const state = await get('/api/articles/set-budget/vote?locale=en', { cookie: voter });
    expect(state.statusCode).toBe(200);
    expect(state.json()).toEqual({ state: 'yes', revision: 1 });
    expect(state.headers['cache-control']).toBe('private, no-store');
    expect((await get('/api/articles/set-budget/vote?locale=en')).json()).toEqual({ state: 'ask', revision: 1 });
    expect((await get('/api/articles/nothing-here/vote?locale=en')).statusCode).toBe(404);
    expect((await get('/api/articles/set-budget/vote?locale=xx-nope')).statusCode).toBe(400);
  });

  it('still works without JavaScript: the form post lands on an uncached page with the reader’s state', async () => {
    const posted = await t.app.inject({
      method: 'POST',
      url: `${PAGE}/vote`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'helpful=no&revision=1&articleLocale=en&website=',
      remoteAddress: '10.20.0.2',
    });
    expect(posted.statusCode).toBe(303);
    const back = await get(String(posted.headers.location).replace(/#.*$/, ''), {
      cookie: `${RETURNING}; ${readerCookie(posted)}`,
    });
    expect(back.body).toContain('data-state="no"');
    expect(back.body).not.toContain('data-vote-load');
    expect(back.headers['cache-control']).toBe('private, no-store');
    expect(back.headers.etag).toBeUndefined();
  });

  it('serves a new page after a publish and after a price change through the API', async () => {
    const before = await get(PAGE, { cookie: RETURNING });
    expect(before.body).toContain('>$5<');
    const { topic } = (await get('/api/articles/set-budget?locale=en')).json() as { topic: string };
    const published = await t.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: t.operator,
      payload: {
        slug: 'set-budget',
        topic,
        locale: 'en',
        title: 'Set a budget',
        body: 'Rewritten: the minimum is {{price:min_budget}} a day.',
        publish: true,
      },
    });
    expect(published.statusCode).toBeLessThan(300);
    const after = await get(PAGE, { cookie: RETURNING, 'if-none-match': String(before.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Rewritten: the minimum is');
    expect(after.headers.etag).not.toBe(before.headers.etag);

    const repriced = await t.app.inject({
      method: 'PUT',
      url: '/api/prices/min_budget',
      headers: t.operator,
      payload: { amounts: { USD: 7, GBP: 6 } },
    });
    expect(repriced.statusCode).toBe(200);
    const now = await get(PAGE, { cookie: RETURNING });
    expect(now.body).toContain('>$7<');
    // The region is part of the page: the UK reader gets pounds, the same bytes for every UK reader.
    const uk = await get(PAGE, { cookie: `${RETURNING}; al_region=gb` });
    expect(uk.body).toContain('>£6<');
    expect((await get(PAGE, { cookie: `${RETURNING}; al_region=gb; al_rid=x` })).body).toBe(uk.body);
  });

  it('follows a publish made by another app process (the change feed carries the event)', async () => {
    const other = await buildApp({ config: t.config, database: t.database });
    try {
      const before = await other.app.inject({ method: 'GET', url: PAGE, headers: { cookie: RETURNING } });
      expect(before.statusCode).toBe(200);
      const { topic } = (await get('/api/articles/set-budget?locale=en')).json() as { topic: string };
      const published = await t.app.inject({
        method: 'POST',
        url: '/api/articles',
        headers: t.operator,
        payload: {
          slug: 'set-budget',
          topic,
          locale: 'en',
          title: 'Set a budget',
          body: 'Told by process A.',
          publish: true,
        },
      });
      expect(published.statusCode).toBeLessThan(300);
      await t.ctx.changes.flush();
      await other.ctx.changes.caughtUp();
      const after = await other.app.inject({ method: 'GET', url: PAGE, headers: { cookie: RETURNING } });
      expect(after.body).toContain('Told by process A.');
      expect(after.headers.etag).not.toBe(before.headers.etag);
    } finally {
      await other.shutdown();
    }
  });

  it('keeps one shared "not found" page per locale, never validated', async () => {
    const missing = await get('/en/articles/no-such-article', { cookie: RETURNING });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['cache-control']).toBe('no-cache');
    expect(missing.headers.etag).toBeUndefined();
    const other = await get('/en/topics/no-such-topic', { cookie: RETURNING });
    expect(other.statusCode).toBe(404);
    expect(other.body).toBe(missing.body);
  });
});

describe('PageCache', () => {
  const page = (html: string) => async () => ({ status: 200, html, meta: null });

  it('renders a key once for concurrent readers, and never keeps a render that began before an invalidation', async () => {
    const cache = new PageCache<null>({ enabled: true, maxBytes: 1_000_000, maxAgeMs: 60_000 });
    let renders = 0;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = async () => {
      renders += 1;
      await gate;
      return { status: 200, html: 'old content', meta: null };
    };
    const first = cache.lookup('k', slow);
    const second = cache.lookup('k', slow);
    cache.invalidate();
    release();
    expect((await first)?.plain.toString()).toBe('old content');
    expect((await second)?.plain.toString()).toBe('old content');
    expect(renders).toBe(1);
    expect((await cache.lookup('k', page('new content')))?.plain.toString()).toBe('new content');
    expect((await cache.lookup('k', page('newer')))?.plain.toString()).toBe('new content');
    expect(await cache.lookup('absent', async () => null)).toBeNull();
    expect(cache.stats().entries).toBe(1);
  });

  it('stays within its byte budget', async () => {
    const cache = new PageCache<null>({ enabled: true, maxBytes: 20_000, maxAgeMs: 60_000 });
    for (let i = 0; i < 20; i++) {
      // Random-ish text compresses poorly, so each entry is several kilobytes in its three encodings.
      const html = Array.from({ length: 400 }, (_, j) => ((i * 7919 + j * 104729) % 1_000_003).toString(36)).join(' ');
      await cache.lookup(`page-${i}`, page(html));
    }
    const { entries, bytes } = cache.stats();
    expect(bytes).toBeLessThanOrEqual(20_000);
    expect(entries).toBeGreaterThan(0);
    expect(entries).toBeLessThan(20);
  });

  it('negotiates encodings and matches validators in any encoding', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('gzip;q=0.5, br;q=0.4')).toBe('gzip');
    expect(chooseEncoding('deflate')).toBe('identity');
    expect(chooseEncoding(undefined)).toBe('identity');
    const hash = 'a'.repeat(32);
    expect(matchesEtag(`"${hash}"`, hash)).toBe(true);
    expect(matchesEtag(`W/"${hash}-gz"`, hash)).toBe(true);
    expect(matchesEtag(`"${'b'.repeat(32)}", "${hash}-br"`, hash)).toBe(true);
    expect(matchesEtag('*', hash)).toBe(true);
    expect(matchesEtag(`"${'b'.repeat(32)}"`, hash)).toBe(false);
    expect(matchesEtag(undefined, hash)).toBe(false);
  });
});
