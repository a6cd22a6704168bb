import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildArticle, buildRegions, buildTopic } from '../content/content.factories.js';
import { type SitemapUrl, sitemapDocument } from './sitemap.js';

/** The `content` of every `<meta property|name="key">` in a page, in order. */
function metas(html: string, key: string): string[] {
  const pattern = new RegExp(`<meta (?:property|name)="${key.replace(/:/g, ':')}" content="([^"]*)"`, 'g');
  return [...html.matchAll(pattern)].map((m) => m[1]!);
}

describe('site basics: icon, robots, sitemap, link previews, right-to-left text', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await buildRegions(db, {
          regions: [
            { code: 'us', name: 'United States', currency: 'USD', countries: ['US'], theme: {} },
            { code: 'br', name: 'Brasil', currency: 'BRL', countries: ['BR'], theme: {} },
          ],
          prices: { plus_monthly: { USD: 4.99, BRL: 24.9 } },
        });
        await buildTopic(db, { slug: 'billing', names: { en: 'Billing', ar: 'الفوترة' } });
        const body = 'Plus costs {{price:plus_monthly}} a month.\n\n| Plan | Price |\n| --- | --- |\n| Plus | x |';
        await buildArticle(db, { slug: 'plans', topic: 'billing', title: 'Plans & "prices" <compared>', body });
        await buildArticle(db, { slug: 'plans', topic: 'billing', locale: 'ar', title: 'الخطط', body });
        await buildArticle(db, { slug: 'english-only', topic: 'billing', title: 'Only in English' });
        await buildArticle(db, { slug: 'draft', topic: 'billing', title: 'Not yet', publish: false });
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  // No ANSWERLOOP_PUBLIC_URL here: absolute URLs come from the request's Host, exactly as canonical links do.
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { host: 'help.example.com', ...headers } });

  it('answers a cacheable same-origin SVG icon at /favicon.ico and links it from every page', async () => {
    const ico = await get('/favicon.ico');
    expect(ico.statusCode).toBe(200);
    expect(ico.headers['content-type']).toBe('image/svg+xml');
    expect(ico.headers['cache-control']).toMatch(/public, max-age=\d+/);
    expect(ico.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const page = await get('/es');
    const href = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml"\/>/.exec(page.body)?.[1];
    expect(href).toMatch(/^\/assets\/favicon\.[0-9a-f]{12}\.svg$/);
    const linked = await get(href!);
    expect(linked.statusCode).toBe(200);
    expect(linked.headers['cache-control']).toContain('immutable');
    expect(linked.body).toBe(ico.body);
  });

  it('serves robots.txt that allows the site, keeps crawlers out of the API and admin, and names the sitemap', async () => {
    const res = await get('/robots.txt');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = res.body.trim().split('\n');
    expect(lines).toContain('User-agent: *');
    expect(lines).toContain('Allow: /');
    expect(lines).toContain('Disallow: /api/');
    expect(lines).toContain('Disallow: /admin');
    expect(lines).toContain('Sitemap: http://help.example.com/sitemap.xml');
  });

  it('lists every published translation in sitemap.xml with hreflang alternates and lastmod', async () => {
    const res = await get('/sitemap.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset /);
    const urls = [...res.body.matchAll(/<url><loc>([^<]+)<\/loc>(.*?)<\/url>/g)];
    const locs = urls.map((m) => m[1]);
    expect(locs).toContain('http://help.example.com/en/articles/plans');
    expect(locs).toContain('http://help.example.com/ar/articles/plans');
    expect(locs).toContain('http://help.example.com/en/articles/english-only');
    // A fallback page is not a translation; a draft is not public.
    expect(locs).not.toContain('http://help.example.com/ar/articles/english-only');
    expect(locs.filter((l) => l?.includes('/articles/draft'))).toEqual([]);
    expect(locs).toContain('http://help.example.com/ja');
    expect(locs).toContain('http://help.example.com/he/topics/billing');
    const arPlans = urls.find((m) => m[1] === 'http://help.example.com/ar/articles/plans')![2]!;
    expect(arPlans).toMatch(/<lastmod>\d{4}-\d\d-\d\dT[\d:.]+Z<\/lastmod>/);
    const hreflangs = [...arPlans.matchAll(/hreflang="([^"]+)" href="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(hreflangs).toEqual([
      'en http://help.example.com/en/articles/plans',
      'ar http://help.example.com/ar/articles/plans',
      'x-default http://help.example.com/en/articles/plans',
    ]);
    expect((await get('/sitemaps/1.xml')).statusCode).toBe(404);
  });

  it('takes the origin of sitemap and robots from the request, like canonical links', async () => {
    const res = await get('/sitemap.xml', { host: 'docs.test:8080' });
    expect(res.body).toContain('<loc>http://docs.test:8080/en/articles/plans</loc>');
    const robots = await get('/robots.txt', { host: 'docs.test' });
    expect(robots.body).toContain('Sitemap: http://docs.test/sitemap.xml');
  });

  it('splits more URLs than one sitemap may hold into parts behind a sitemap index', () => {
    const urls: SitemapUrl[] = Array.from({ length: 5 }, (_, i) => ({
      path: `/en/articles/a${i}`,
      alternates: [{ locale: 'en', path: `/en/articles/a${i}` }],
    }));
    const index = sitemapDocument(urls, 'https://h.example', 2, 'root')!;
    expect(index).toContain('<sitemapindex');
    expect([...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1])).toEqual([
      'https://h.example/sitemaps/1.xml',
      'https://h.example/sitemaps/2.xml',
      'https://h.example/sitemaps/3.xml',
    ]);
    const parts = [1, 2, 3].map((n) => sitemapDocument(urls, 'https://h.example', 2, n)!);
    expect(parts.map((p) => (p.match(/<url>/g) ?? []).length)).toEqual([2, 2, 1]);
    expect(parts.join('')).toContain('<loc>https://h.example/en/articles/a4</loc>');
    expect(sitemapDocument(urls, 'https://h.example', 2, 4)).toBeNull();
    expect(sitemapDocument(urls, 'https://h.example', 10, 'root')).toContain('<urlset');
  });

  it('gives every page Open Graph and Twitter card tags, escaped, with the locale and its alternates', async () => {
    const article = (await get('/en/articles/plans')).body;
    expect(metas(article, 'og:type')).toEqual(['article']);
    expect(metas(article, 'og:title')).toEqual(['Plans &amp; &quot;prices&quot; &lt;compared>']);
    expect(metas(article, 'og:url')).toEqual(['http://help.example.com/en/articles/plans']);
    expect(metas(article, 'og:locale')).toEqual(['en_US']);
    expect(metas(article, 'og:locale:alternate')).toEqual(['ar_AR']);
    expect(metas(article, 'og:site_name')).toHaveLength(1);
    expect(metas(article, 'og:description')[0]).toContain('Plus costs $4.99 a month');
    expect(metas(article, 'twitter:card')).toEqual(['summary']);
    expect(metas(article, 'twitter:title')[0]).toContain('Plans &amp; &quot;prices&quot;');
    expect(article).not.toContain('<compared>');
    // An untranslated article is English text: its preview says so and points at the English page.
    const fallback = (await get('/ar/articles/english-only')).body;
    expect(metas(fallback, 'og:locale')).toEqual(['en_US']);
    expect(metas(fallback, 'og:url')).toEqual(['http://help.example.com/en/articles/english-only']);
    for (const url of ['/ar', '/ja/topics/billing', '/en/contact', '/en/search?q=plans', '/ru/nowhere']) {
      const html = (await get(url)).body;
      expect(metas(html, 'og:type'), url).toEqual(['website']);
      expect(metas(html, 'og:title'), url).toHaveLength(1);
      expect(metas(html, 'og:description')[0], url).not.toBe('');
      expect(metas(html, 'twitter:card'), url).toEqual(['summary']);
    }
    const ar = (await get('/ar')).body;
    expect(metas(ar, 'og:locale')).toEqual(['ar_AR']);
    expect(metas(ar, 'og:locale:alternate')).toEqual(['en_US', 'es_ES', 'ru_RU', 'he_IL', 'ja_JP']);
  });

  it('isolates prices, the company name and region names so they read right in Arabic', async () => {
    const ar = (await get('/ar/articles/plans?region=br')).body;
    // The Latin currency symbol is one left-to-right run inside an isolated price.
    expect(ar).toContain('>\u2068\u200f24.90\u00a0\u2066R$\u2069\u2069</span>');
    expect(ar).toMatch(/<span class="copyright">© <bdi>\d{4}<\/bdi> <bdi>Pinwheel, Inc\.<\/bdi><\/span>/);
    expect(ar).toContain('>\u2068Brasil\u2069 (\u2068BRL\u2069)</option>');
    // Left-to-right pages keep their prices as they were.
    expect((await get('/en/articles/plans')).body).toContain('>$4.99</span>');
  });

  it('wraps article tables in a box that scrolls on its own', async () => {
    const html = (await get('/en/articles/plans')).body;
    expect(html).toMatch(/<div class="table-scroll" tabindex="0"><table>.*?<\/table><\/div>/s);
  });
});
