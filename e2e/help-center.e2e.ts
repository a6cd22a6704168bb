import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

describe('the public help center in Chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('opens the home page in en, ar, ru and ja, with the right direction, fonts and text', async () => {
    const expectations = {
      en: { dir: 'ltr', heading: 'How can we help?' },
      ar: { dir: 'rtl', heading: 'كيف يمكننا مساعدتك؟' },
      ru: { dir: 'ltr', heading: null },
      ja: { dir: 'ltr', heading: null },
    } as const;
    for (const [locale, expected] of Object.entries(expectations)) {
      const page = await h.newPage();
      const response = await page.goto(`${h.baseUrl}/${locale}`);
      expect(response?.status()).toBe(200);
      expect(await page.getAttribute('html', 'dir')).toBe(expected.dir);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      if (expected.heading) expect(await page.textContent('h1')).toBe(expected.heading);
      expect(await page.locator('.topic-grid .card').count()).toBeGreaterThanOrEqual(8);
      await page.evaluate(() => document.fonts.ready);
      const file = await h.screenshot(page, `home-${locale}`);
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      await page.context().close();
    }
  });

  it('lays Arabic out right-to-left: brand on the right, navigation on the left, text aligned right', async () => {
    const positions = async (locale: string) => {
      const page = await h.newPage();
      await page.goto(`${h.baseUrl}/${locale}`);
      const brand = await page.locator('.brand').boundingBox();
      const nav = await page.locator('.main-nav').boundingBox();
      const heading = await page.locator('.hero h1').boundingBox();
      const width = page.viewportSize()!.width;
      await page.context().close();
      return { brand: brand!, nav: nav!, heading: heading!, width };
    };
    const ar = await positions('ar');
    expect(ar.brand.x).toBeGreaterThan(ar.width / 2);
    expect(ar.nav.x + ar.nav.width).toBeLessThan(ar.width / 2);
    // The heading hugs the right edge of the container.
    expect(ar.heading.x + ar.heading.width).toBeGreaterThan(ar.width - 80);
    const en = await positions('en');
    expect(en.brand.x).toBeLessThan(en.width / 2);
    expect(en.nav.x).toBeGreaterThan(en.width / 2);
    expect(en.heading.x).toBeLessThan(80);
  });

  it('follows a topic to an article, with breadcrumbs, contents and a region price', async () => {
    const page = await h.newPage();
    await page.goto(`${h.baseUrl}/en?region=jp`);
    await page.getByRole('link', { name: /^Ads/ }).first().click();
    await page.waitForURL(/\/en\/topics\/ads$/);
    await page.getByRole('link', { name: 'Set or change your ads budget' }).click();
    await page.waitForURL(/\/en\/articles\/set-ads-budget$/);
    expect(await page.textContent('h1')).toBe('Set or change your ads budget');
    expect(await page.locator('.breadcrumbs a').allTextContents()).toEqual(['Help Center', 'Ads']);
    expect(await page.locator('.toc li').count()).toBeGreaterThan(1);
    expect(await page.locator('.article-content .price').first().textContent()).toContain('¥');
    await h.screenshot(page, 'article-en-jp');
    await page.context().close();
  });

  it('switches language from the menu and keeps the reader on the same article', async () => {
    const page = await h.newPage();
    await page.goto(`${h.baseUrl}/en/articles/set-ads-budget`);
    await page.locator('.lang-menu summary').click();
    await page.locator('.lang-menu a[hreflang="ar"]').click();
    await page.waitForURL(/\/ar\/articles\/set-ads-budget$/);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.locator('article.article-body').getAttribute('lang')).toBeNull();
    await page.evaluate(() => document.fonts.ready);
    await h.screenshot(page, 'article-ar');
    // Going to / now remembers Arabic.
    await page.goto(`${h.baseUrl}/`);
    expect(page.url()).toBe(`${h.baseUrl}/ar`);
    await page.context().close();
  });

  it('shows the English text, marked, where a translation does not exist yet', async () => {
    const page = await h.newPage();
    await page.goto(`${h.baseUrl}/he/articles/ads-reporting`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.locator('article.article-body').getAttribute('dir')).toBe('ltr');
    expect(await page.locator('.notice').count()).toBe(1);
    await h.screenshot(page, 'article-he-fallback');
    await page.context().close();
  });

  it('submits the search box without JavaScript', async () => {
    const context = await h.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/ja`);
    await page.fill('#home-search', 'パスワード');
    await page.press('#home-search', 'Enter');
    await page.waitForURL(/\/ja\/search\?q=/);
    expect(await page.locator('h1').textContent()).toContain('パスワード');
    await context.close();
  });
});
