import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildArticle, buildTopic } from '../content/content.factories.js';
import { saveRegions } from '../content/index.js';

function attr(html: string, pattern: RegExp): string | undefined {
  return pattern.exec(html)?.[1];
}

describe('public help center pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await saveRegions(db, {
          defaultRegion: 'us',
          regions: [
            { code: 'us', name: 'US', currency: 'USD', countries: ['US'], theme: { brand: '#c8232c' } },
            { code: 'gb', name: 'UK', currency: 'GBP', countries: ['GB'], theme: { brand: '#2d3a8c' } },
            { code: 'jp', name: 'Japan', currency: 'JPY', countries: ['JP'], theme: { brand: '#b5179e' } },
          ],
          prices: { ads_min_daily_budget: { USD: 1, GBP: 1, JPY: 150 } },
        });
        await buildTopic(db, { slug: 'ads', names: { en: 'Ads', ar: 'الإعلانات', ru: 'Реклама', ja: '広告' } });
        await buildTopic(db, { slug: 'ads-measurement', parent: 'ads', names: { en: 'Measurement' } });
        const body =
          'The minimum is {{price:ads_min_daily_budget}} a day.\n\n## Daily budget\n\nText.\n\n## Lifetime budget\n\nText.';
        await buildArticle(db, { slug: 'set-ads-budget', topic: 'ads', title: 'Set your ads budget', body });
        await buildArticle(db, {
          slug: 'set-ads-budget',
          topic: 'ads',
          locale: 'ar',
          title: 'تعيين ميزانية الإعلانات',
          body,
        });
        await buildArticle(db, { slug: 'set-ads-budget', topic: 'ads', locale: 'ru', title: 'Бюджет рекламы', body });
        await buildArticle(db, { slug: 'ad-review', topic: 'ads', title: 'Ad review' });
        await buildArticle(db, {
          slug: 'conversion-tag',
          topic: 'ads-measurement',
          title: 'Install the <tag> & "measure"',
        });
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('sends / to the locale from the cookie, then Accept-Language, then English', async () => {
    expect((await get('/', { 'accept-language': 'ar-SA,ar;q=0.9,en;q=0.5' })).headers.location).toBe('/ar');
    expect((await get('/', { 'accept-language': 'ja-JP' })).headers.location).toBe('/ja');
    expect((await get('/', { 'accept-language': 'de-DE,ru;q=0.8' })).headers.location).toBe('/ru');
    expect((await get('/', { 'accept-language': 'ar', cookie: 'al_locale=es' })).headers.location).toBe('/es');
    expect((await get('/', { 'accept-language': 'de' })).headers.location).toBe('/en');
    expect((await get('/')).statusCode).toBe(302);
  });

  it('renders Arabic and Hebrew right-to-left and the others left-to-right', async () => {
    for (const [locale, dir] of [
      ['ar', 'rtl'],
      ['he', 'rtl'],
      ['en', 'ltr'],
      ['ru', 'ltr'],
      ['ja', 'ltr'],
    ] as const) {
      const res = await get(`/${locale}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`<html lang="${locale}" dir="${dir}">`);
    }
  });

  it('localises every UI string: the Arabic home page has no English chrome', async () => {
    const res = await get('/ar');
    expect(res.body).toContain('الإعلانات');
    expect(res.body).not.toContain('How can we help');
    expect(res.body).not.toContain('Browse by topic');
    const ja = await get('/ja');
    expect(ja.body).not.toContain('Contact us');
  });

  it('links hreflang alternates and a canonical URL', async () => {
    const res = await get('/en/articles/set-ads-budget', { host: 'help.example.com' });
    expect(res.body).toContain('<link rel="canonical" href="http://help.example.com/en/articles/set-ads-budget"/>');
    const alternates = [...res.body.matchAll(/rel="alternate" hreflang="([a-z-]+)"/g)].map((m) => m[1]);
    expect(alternates).toEqual(['ar', 'en', 'ru', 'x-default']);
  });

  it('shows an article with breadcrumbs, table of contents, languages, related articles and last updated', async () => {
    const res = await get('/en/articles/set-ads-budget');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<nav class="breadcrumbs"[^>]*>.*Help Center.*Ads.*Set your ads budget/s);
    expect(res.body).toContain('href="#daily-budget"');
    expect(res.body).toContain('href="/ar/articles/set-ads-budget"');
    expect(res.body).toContain('href="/ru/articles/set-ads-budget"');
    expect(res.body).not.toContain('href="/ja/articles/set-ads-budget"');
    expect(res.body).toContain('href="/en/articles/ad-review"');
    expect(res.body).toMatch(/<time datetime="[^"]+">Last updated/);
  });

  it('prices follow the region: trusted header, then ?region= which is remembered in a cookie', async () => {
    const us = await get('/en/articles/set-ads-budget');
    expect(us.body).toContain('>$1</span>');
    const jp = await get('/en/articles/set-ads-budget', { 'cf-ipcountry': 'JP' });
    expect(jp.body).toContain('>¥150</span>');
    const gb = await get('/en/articles/set-ads-budget?region=gb', { 'cf-ipcountry': 'JP' });
    expect(gb.body).toContain('>£1</span>');
    const cookie = gb.cookies.find((c) => c.name === 'al_region');
    expect(cookie?.value).toBe('gb');
    const again = await get('/en/articles/set-ads-budget', { cookie: 'al_region=gb' });
    expect(again.body).toContain('>£1</span>');
    expect(again.body).toContain('href="/assets/theme/gb.css"');
  });

  it('serves each region theme as CSS custom properties', async () => {
    const res = await get('/assets/theme/jp.css');
    expect(res.headers['content-type']).toContain('text/css');
    expect(res.body).toBe(':root{--brand:#b5179e}');
    expect((await get('/assets/theme/nowhere.css')).statusCode).toBe(404);
  });

  it('falls back to the source language when a translation is missing, and says so', async () => {
    const res = await get('/ja/articles/ad-review');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="ja" dir="ltr">');
    expect(res.body).toMatch(/<article class="article-body" lang="en" dir="ltr">/);
    expect(res.body).toContain('class="notice"');
    const ar = await get('/ar/articles/ad-review');
    expect(ar.body).toMatch(/<article class="article-body" lang="en" dir="ltr">/);
  });

  it('lists a topic with its subtopics, and marks untranslated articles with their language', async () => {
    const res = await get('/ar/topics/ads');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/ar/topics/ads-measurement"');
    expect(res.body).toContain('تعيين ميزانية الإعلانات');
    expect(res.body).toMatch(/href="\/ar\/articles\/ad-review" lang="en">Ad review<\/a><span class="badge">English/);
  });

  it('escapes titles in pages', async () => {
    const res = await get('/en/topics/ads-measurement');
    expect(res.body).toContain('Install the &lt;tag> &amp; &quot;measure&quot;');
    expect(res.body).not.toContain('<tag>');
  });

  it('answers a localised 404 for unknown pages, articles and locales', async () => {
    const ru = await get('/ru/articles/no-such-article');
    expect(ru.statusCode).toBe(404);
    expect(ru.body).toContain('<html lang="ru" dir="ltr">');
    expect(ru.body).not.toContain("We can't find that page");
    const unknown = await get('/xx/whatever', { 'accept-language': 'he' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('<html lang="he" dir="rtl">');
    const api = await get('/api/nothing-here');
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
  });

  it('has a search page that works without JavaScript, with an empty state linking to contact', async () => {
    const hit = await get('/en/search?q=budget');
    expect(hit.statusCode).toBe(200);
    expect(hit.body).toContain('href="/en/articles/set-ads-budget"');
    expect(hit.body).toContain('<mark>');
    const miss = await get('/en/search?q=zzzzqqq');
    expect(miss.body).toContain('href="/en/contact"');
    const long = await get(`/en/search?q=${'a'.repeat(300)}`);
    expect(long.statusCode).toBe(400);
    const xss = await get('/en/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(xss.body).not.toContain('<script>alert');
  });

  it('has a contact page in every locale', async () => {
    const res = await get('/he/contact');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('support@pinwheel.example');
  });

  it('keeps the article page under 15 KB of compressed JavaScript and loads nothing third-party', async () => {
    const res = await get('/en/articles/set-ads-budget');
    const scripts = [...res.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    // Every script the page runs: its own, and the chunks they import statically (a dynamic import(), such as the
    // contact form's island, loads only on the pages that need it and is not counted here).
    let total = 0;
    const seen = new Set<string>();
    const queue = [...scripts];
    while (queue.length > 0) {
      const src = queue.shift()!;
      if (seen.has(src)) continue;
      seen.add(src);
      const asset = await get(src);
      expect(asset.statusCode).toBe(200);
      total += gzipSync(asset.rawPayload).length;
      for (const m of asset.body.matchAll(/(?:^|[;}])\s*import\s*(?:[^'"()]*?from\s*)?["'](\.\/[^"']+)["']/g)) {
        queue.push(new URL(m[1]!, `http://x${src}`).pathname);
      }
    }
    expect(total).toBeLessThanOrEqual(15 * 1024);
    const urls = [...res.body.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]!);
    const external = urls.filter((u) => /^(https?:)?\/\//.test(u) && !u.startsWith('http://localhost'));
    expect(external).toEqual([]);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('serves self-hosted fonts for Arabic, Hebrew, Cyrillic and Japanese', async () => {
    const ar = await get('/ar');
    const fontCss = attr(ar.body, /href="(\/assets\/fonts\/noto-sans-arabic\/400\.css)"/);
    expect(fontCss).toBeDefined();
    const css = await get(fontCss!);
    expect(css.statusCode).toBe(200);
    const woff = attr(css.body, /url\(\.\/(files\/[^)]+\.woff2)\)/);
    expect((await get(`/assets/fonts/noto-sans-arabic/${woff}`)).statusCode).toBe(200);
    expect((await get('/ja')).body).toContain('/assets/fonts/noto-sans-jp/400.css');
    expect((await get('/assets/fonts/noto-sans/package.json')).statusCode).toBe(404);
  });
});
