import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../src/shared/locales.js';
import { type Harness, startHarness } from './harness.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One page of each kind a reader meets; the article has a wide table with prices in every demo language. */
const PAGE_KINDS = {
  home: '',
  topic: '/topics/billing',
  article: '/articles/subscription-plans',
  search: '/search?q=Pinwheel',
  contact: '/contact',
  notFound: '/articles/no-such-article',
} as const;

const PHONE = { width: 390, height: 844 };

/** The visual x position (viewport pixels) of each character of the first text node containing `text`. */
async function glyphXs(page: Page, selector: string, text: string): Promise<number[]> {
  return page.evaluate(
    ({ selector, text }) => {
      const root = document.querySelector(selector);
      if (!root) throw new Error(`no ${selector}`);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      // The text may be split over several text nodes (isolates as elements): collect the characters in order.
      const chars: { node: Text; offset: number; ch: string }[] = [];
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        for (let i = 0; i < node.data.length; i++) chars.push({ node, offset: i, ch: node.data[i]! });
      }
      // Ignore invisible bidi controls (isolates, marks) when matching.
      const visible = chars.filter((c) => !/[\u200e\u200f\u2066-\u2069]/.test(c.ch));
      const joined = visible.map((c) => c.ch).join('');
      const start = joined.indexOf(text);
      if (start < 0) throw new Error(`"${text}" not in "${joined}"`);
      return visible.slice(start, start + text.length).map(({ node, offset }) => {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        const rect = range.getBoundingClientRect();
        return rect.left + rect.width / 2;
      });
    },
    { selector, text },
  );
}

describe('reader polish in Chromium: phones, right-to-left, fonts, accessibility', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('never scrolls sideways at 390 px: every page kind in every locale, tables scroll in their own box', async () => {
    const overflowing: string[] = [];
    for (const locale of SUPPORTED_LOCALES) {
      const page = await h.newPage(PHONE);
      for (const [kind, path] of Object.entries(PAGE_KINDS)) {
        await page.goto(`${h.baseUrl}/${locale}${path}`);
        await page.evaluate(() => document.fonts.ready);
        const widths = await page.evaluate(() => ({
          document: document.documentElement.scrollWidth,
          body: document.body.scrollWidth,
          viewport: window.innerWidth,
        }));
        if (Math.max(widths.document, widths.body) > widths.viewport) {
          overflowing.push(`${locale} ${kind}: ${Math.max(widths.document, widths.body)} px`);
        }
        if (kind === 'article') {
          const table = await page.evaluate(() => {
            const t = document.querySelector('.article-content table');
            const box = t?.parentElement;
            return t && box
              ? {
                  wrapped: box.classList.contains('table-scroll'),
                  scrolls: getComputedStyle(box).overflowX === 'auto',
                  fits: box.getBoundingClientRect().right <= window.innerWidth + 0.5,
                }
              : null;
          });
          if (!table?.wrapped || !table.scrolls || !table.fits) {
            overflowing.push(`${locale} article table: ${JSON.stringify(table)}`);
          }
        }
        if (['en', 'ar', 'ja'].includes(locale) || kind === 'article' || kind === 'contact') {
          await h.screenshot(page, `phone-${kind}-${locale}`);
        }
        if (kind === 'article') {
          await page.locator('.article-content table').first().scrollIntoViewIfNeeded();
          await h.screenshot(page, `phone-table-${locale}`);
        }
      }
      await page.context().close();
    }
    expect(overflowing).toEqual([]);
  });

  it('reads prices and the copyright in the right order in Arabic and Hebrew', async () => {
    for (const [region, currency] of [
      ['global', 'US$'],
      ['br', 'R$'],
      ['gb', 'UK£'],
    ] as const) {
      const page = await h.newPage();
      await page.goto(`${h.baseUrl}/ar/articles/subscription-plans?region=${region}`);
      // The currency symbol reads as one unit, left of the amount (the amount comes first in Arabic reading order).
      const price = await page.locator('.article-content .price').first();
      const text = (await price.textContent()) ?? '';
      expect(text).toContain(currency);
      const xs = await glyphXs(page, '.article-content .price', currency);
      for (let i = 1; i < xs.length; i++) expect(xs[i]!, `${currency} in ${region}`).toBeGreaterThan(xs[i - 1]!);
      const digit = await glyphXs(page, '.article-content .price', text.replace(/[^\d.,٫٬]/g, '').slice(0, 1));
      expect(xs[xs.length - 1]!).toBeLessThan(digit[0]!);
      if (region === 'br') await h.screenshot(page, 'price-ar-br');
      await page.context().close();
    }
    for (const locale of ['ar', 'he']) {
      const page = await h.newPage();
      await page.goto(`${h.baseUrl}/${locale}`);
      // "Pinwheel, Inc." keeps its full stop after "Inc", and the year sits between the © and the name.
      const name = await glyphXs(page, '.site-footer .copyright', 'Inc.');
      for (let i = 1; i < name.length; i++) expect(name[i]!).toBeGreaterThan(name[i - 1]!);
      const [copy] = await glyphXs(page, '.site-footer .copyright', '©');
      const year = await glyphXs(page, '.site-footer .copyright', String(new Date().getUTCFullYear()));
      const [p] = await glyphXs(page, '.site-footer .copyright', 'P');
      expect(year[0]!).toBeGreaterThan(p!);
      expect(year[year.length - 1]!).toBeLessThan(copy!);
      await page.context().close();
    }
  });

  it('shows every language name in a font that has its script, on every page, loading only a subset', async () => {
    for (const locale of SUPPORTED_LOCALES) {
      const page = await h.newPage();
      await page.goto(`${h.baseUrl}/${locale}`);
      await page.locator('.lang-menu summary').click();
      await page.evaluate(() => document.fonts.ready);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
      const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '.lang-menu a' });
      expect(nodeIds.length).toBe(SUPPORTED_LOCALES.length);
      for (const nodeId of nodeIds) {
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
        const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId });
        // Every glyph comes from one of our self-hosted web fonts, never a system fallback (or tofu).
        expect(
          fonts.filter((f) => !f.isCustomFont).map((f) => `${f.familyName} (${f.glyphCount})`),
          `${locale}: ${outerHTML}`,
        ).toEqual([]);
      }
      // Only unicode-range subsets load: no page downloads the whole of a script's font for the menu.
      const fontBytes = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('.woff'))
          .map((e) => ({ name: e.name.split('/').pop(), bytes: (e as PerformanceResourceTiming).encodedBodySize })),
      );
      if (locale === 'en') console.info('fonts loaded on /en with the menu open', fontBytes);
      await h.screenshot(page, `lang-menu-${locale}`);
      await page.context().close();
    }
  });

  it('has no axe-core region or label-content-name-mismatch violations, nor any serious or critical one', async () => {
    const found: string[] = [];
    const others = new Set<string>();
    for (const locale of ['en', 'ar']) {
      for (const [kind, path] of Object.entries(PAGE_KINDS)) {
        if (kind === 'notFound') continue;
        const page = await h.newPage();
        await page.goto(`${h.baseUrl}/${locale}${path}`);
        // Evaluated through the DevTools protocol: the site's CSP rightly refuses inline scripts.
        await page.evaluate(AXE_SOURCE);
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
          interface AxeViolation {
            id: string;
            impact: string | null;
            nodes: { target: unknown[] }[];
          }
          const result = await axe.run();
          return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3),
          }));
        });
        for (const v of violations) {
          if (
            v.id === 'region' ||
            v.id === 'label-content-name-mismatch' ||
            v.impact === 'serious' ||
            v.impact === 'critical'
          ) {
            found.push(`${locale} ${kind}: ${v.id} (${v.impact}) ${v.targets.join(', ')}`);
          } else {
            others.add(`${v.id} (${v.impact})`);
          }
        }
        await page.context().close();
      }
    }
    if (others.size > 0) console.info('other axe findings (moderate/minor)', [...others]);
    expect(found).toEqual([]);
  }, 300_000);
});
