import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, TEST_PASSWORD } from '../src/modules/accounts/accounts.test-support.js';
import { type Harness, startHarness } from './harness.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The app's own strings, so the test clicks what a user reads (in English and in Arabic). */
function strings(lng: string, ns: string): Record<string, Record<string, string> & Record<string, unknown>> {
  return JSON.parse(fs.readFileSync(`web/src/locales/${lng}/${ns}.json`, 'utf8'));
}
const en = { editor: strings('en', 'editor'), signin: strings('en', 'signin'), common: strings('en', 'common') };
const ar = { translations: strings('ar', 'translations'), common: strings('ar', 'common') };

interface Watched {
  page: Page;
  /** Content Security Policy violations the page reported (events and console). */
  csp: string[];
  errors: string[];
}

/** A page that records CSP violations and script errors from its first document on. */
async function watchedPage(h: Harness, options: { locale?: string; width?: number; height?: number } = {}) {
  const page = await h.newPage({ height: 800, ...options });
  const watched: Watched = { page, csp: [], errors: [] };
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|CSP violation/i.test(text)) watched.csp.push(text);
    else if (message.type() === 'error' && !/status of 401/.test(text)) watched.errors.push(text);
  });
  page.on('pageerror', (error) => watched.errors.push(error.message));
  return watched;
}

async function signIn(
  w: Watched,
  baseUrl: string,
  email: string,
  labels: { email: string; password: string; submit: string },
) {
  await w.page.goto(`${baseUrl}/admin`);
  await w.page.getByLabel(labels.email).fill(email);
  await w.page.locator('input[type=password]').fill(TEST_PASSWORD);
  await w.page.getByRole('button', { name: labels.submit }).click();
}

/** Serious and critical axe-core findings on the page as it is now. */
let axeRuns = 0;
async function axeSerious(page: Page): Promise<string[]> {
  axeRuns++;
  // Through the DevTools protocol: the page's CSP rightly refuses injected inline scripts.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface Violation {
      id: string;
      impact: string | null;
      nodes: { target: unknown[]; any: { message: string }[] }[];
    }
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
  });
}

async function api<T>(h: Harness, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown): Promise<T> {
  const response = await h.app.app.inject({ method, url, headers: h.app.operator, payload: payload as object });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json() as T;
}

describe('admin app: editorial work in Chromium', () => {
  let h: Harness;
  let editorEmail: string;
  let editorId: number;
  let translatorEmail: string;
  const axeFindings: string[] = [];

  beforeAll(async () => {
    h = await startHarness();
    const editor = await createTestUser(h.app, { role: 'editor', email: 'edna@example.com', name: 'Edna Editor' });
    editorEmail = editor.email;
    editorId = editor.id;
    const translator = await createTestUser(h.app, {
      role: 'translator',
      email: 'tariq@example.com',
      name: 'Tariq Translator',
      locales: ['ar', 'he'],
    });
    translatorEmail = translator.email;
    // The translator works in Arabic: the app must come up in it, right to left.
    await api(h, 'PATCH', `/api/users/${translator.id}`, { locale: 'ar' });
    const article = (slug: string, locale: string, title: string, body: string, extra: object = {}) =>
      api(h, 'POST', '/api/articles', { slug, locale, title, body, topic: 'account', publish: true, ...extra });
    // An Arabic article for the editor.
    await article('e2e-wallet', 'en', 'Your wallet', 'Keep your wallet safe.');
    await article('e2e-wallet', 'ar', 'محفظتك', 'حافظ على محفظتك.');
    // A translation the source overtook: outdated.
    await article('e2e-refunds', 'en', 'Refunds', 'Refunds take five days.\n\nAsk support.', {});
    await article('e2e-refunds', 'ar', 'المبالغ المستردة', 'تستغرق المبالغ المستردة خمسة أيام.\n\nاسأل الدعم.', {
      sourceRevision: 1,
    });
    await article(
      'e2e-refunds',
      'en',
      'Refunds',
      'Refunds take five days.\n\nRefunds for gifts go to the giver.\n\nAsk support.',
    );
  }, 240_000);

  afterAll(async () => {
    await h?.close();
  });

  it('an editor signs in, edits an Arabic article with a live preview, publishes it, and readers see it', async () => {
    const w = await watchedPage(h);
    const { page } = w;
    await page.goto(`${h.baseUrl}/admin`);
    await page.getByRole('button', { name: String(en.signin.submit) }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    await h.screenshot(page, 'admin-signin-en');
    // Mantine's stylesheet is applied (from the hashed CSS file, not a blocked <style>).
    const buttonBackground = await page
      .getByRole('button', { name: String(en.signin.submit) })
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(buttonBackground).not.toBe('rgba(0, 0, 0, 0)');

    // Wrong password: one message that does not say which part was wrong.
    await page.getByLabel(String(en.signin.email)).fill(editorEmail);
    await page.locator('input[type=password]').fill('not the password');
    await page.getByRole('button', { name: String(en.signin.submit) }).click();
    await expect.poll(() => page.getByTestId('signin-error').textContent()).toBe(en.signin.wrong);

    await signIn(w, h.baseUrl, editorEmail, {
      email: String(en.signin.email),
      password: String(en.signin.password),
      submit: String(en.signin.submit),
    });
    // Signing in lands on the articles screen with rows from the server.
    await page.getByRole('heading', { name: 'Articles', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Your wallet' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('table[data-loading]'));
    await h.screenshot(page, 'admin-articles-en');
    axeFindings.push(...(await axeSerious(page)).map((f) => `articles en: ${f}`));

    // Filter by status: only outdated translations.
    await page
      .getByRole('button', { name: /Outdated/ })
      .first()
      .click();
    await page.getByRole('link', { name: 'Refunds' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Your wallet' }).count()).toBe(0);

    // Open the Arabic version of the wallet article in the editor.
    await page.goto(`${h.baseUrl}/admin/articles/e2e-wallet/ar`);
    const body = page.getByLabel(String((en.editor.fields as Record<string, string>).body));
    await expect.poll(() => body.inputValue()).toBe('حافظ على محفظتك.');
    // Arabic text is written right to left even in the English UI.
    expect(await body.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await body.fill('حافظ على محفظتك.\n\n## نصيحة جديدة\n\nلا تشارك رمزك أبدًا.');
    // The live preview renders the new Markdown with the site's renderer.
    await page.getByTestId('preview').locator('h2', { hasText: 'نصيحة جديدة' }).waitFor();
    await h.screenshot(page, 'admin-editor-en');
    axeFindings.push(...(await axeSerious(page)).map((f) => `editor en: ${f}`));
    await page
      .getByRole('button', { name: String((en.editor.actions as Record<string, string>).publish), exact: true })
      .click();
    await page.getByText(/Published: revision \d+ is live/).waitFor();

    // History: the two revisions compared, the new paragraph marked as inserted.
    await page.getByRole('tab', { name: String((en.editor.tabs as Record<string, string>).history) }).click();
    await page.getByTestId('revision-diff').locator('.al-diff-insert', { hasText: 'لا تشارك رمزك أبدًا.' }).waitFor();
    await h.screenshot(page, 'admin-history-en');
    axeFindings.push(...(await axeSerious(page)).map((f) => `history en: ${f}`));

    // Readers of the Arabic site see it.
    const site = await h.newPage();
    await site.goto(`${h.baseUrl}/ar/articles/e2e-wallet`);
    await site.getByRole('heading', { name: 'نصيحة جديدة' }).waitFor();
    await site.context().close();

    // The queue and the side-by-side screen in English, for the screenshots and axe.
    await page.goto(`${h.baseUrl}/admin/translations`);
    await page.getByRole('link', { name: 'المبالغ المستردة' }).waitFor();
    await h.screenshot(page, 'admin-translations-en');
    axeFindings.push(...(await axeSerious(page)).map((f) => `translations en: ${f}`));
    await page.goto(`${h.baseUrl}/admin/translations/e2e-refunds/ar`);
    await page.getByTestId('source-diff').locator('.al-diff-insert').first().waitFor();
    await h.screenshot(page, 'admin-translate-en');
    axeFindings.push(...(await axeSerious(page)).map((f) => `translate en: ${f}`));

    // Switching the UI to Arabic from the user menu flips the page to right-to-left at once, and is remembered.
    await page.goto(`${h.baseUrl}/admin/articles`);
    await page.getByRole('button', { name: 'Account menu for Edna Editor' }).click();
    await page.getByTestId('language-ar').click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    await page.getByRole('heading', { name: 'المقالات', level: 1 }).waitFor();
    await page.waitForFunction(() => !document.querySelector('table[data-loading]'));
    await h.screenshot(page, 'admin-articles-ar');
    axeFindings.push(...(await axeSerious(page)).map((f) => `articles ar: ${f}`));
    await expect
      .poll(async () => (await api<{ users: { email: string; locale: string }[] }>(h, 'GET', '/api/users')).users)
      .toContainEqual(expect.objectContaining({ email: editorEmail, locale: 'ar' }));
    await page.goto(`${h.baseUrl}/admin/articles/e2e-wallet/ar`);
    await page.getByTestId('preview').locator('h2').waitFor();
    await h.screenshot(page, 'admin-editor-ar');
    axeFindings.push(...(await axeSerious(page)).map((f) => `editor ar: ${f}`));

    expect(w.csp).toEqual([]);
    expect(w.errors).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('a translator (ar, he) works in Arabic, right to left: sees the source diff, updates and publishes', async () => {
    const w = await watchedPage(h, { locale: 'ar-EG' });
    const { page } = w;
    const signinAr = strings('ar', 'signin');
    await page.goto(`${h.baseUrl}/admin`);
    // The sign-in screen speaks the browser's language.
    await page.getByRole('button', { name: String(signinAr.submit) }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await h.screenshot(page, 'admin-signin-ar');
    await signIn(w, h.baseUrl, translatorEmail, {
      email: String(signinAr.email),
      password: String(signinAr.password),
      submit: String(signinAr.submit),
    });
    // The navbar shows only what a translator may use, and sits on the right.
    const nav = page.getByRole('navigation', { name: String((ar.common.nav as Record<string, string>).label) }).first();
    await nav
      .getByRole('link', { name: String((ar.common.nav as Record<string, string>).translations), exact: true })
      .waitFor();
    const box = (await nav.boundingBox())!;
    expect(box.x).toBeGreaterThan(1280 / 2);
    // Content and configuration they may read (read-only), their own tokens; never users or the audit log.
    const navNames = ar.common.nav as Record<string, string>;
    const links = await nav.getByRole('link').allTextContents();
    expect(links.slice(0, 2)).toEqual([navNames.articles, navNames.translations]);
    expect(links).toContain(navNames.tokens);
    expect(links).not.toContain(navNames.users);
    expect(links).not.toContain(navNames.audit);

    // The queue, most-read first, then the outdated Arabic translation.
    await page
      .getByRole('link', { name: String((ar.common.nav as Record<string, string>).translations), exact: true })
      .click();
    await page.getByRole('heading', { name: String(ar.translations.title), level: 1 }).waitFor();
    await page.getByRole('link', { name: 'المبالغ المستردة' }).waitFor();
    await h.screenshot(page, 'admin-translations-ar');
    axeFindings.push(...(await axeSerious(page)).map((f) => `translations ar: ${f}`));
    await page.getByRole('link', { name: 'المبالغ المستردة' }).click();

    // What changed in the source since the translation was made: the new English paragraph, inserted.
    const diff = page.getByTestId('source-diff');
    await diff.locator('.al-diff-insert', { hasText: 'Refunds for gifts go to the giver.' }).waitFor();
    expect(await diff.locator('.al-diff-delete').count()).toBe(0);
    await h.screenshot(page, 'admin-translate-ar');
    axeFindings.push(...(await axeSerious(page)).map((f) => `translate ar: ${f}`));

    const fields = ar.translations.fields as Record<string, string>;
    const body = page.getByLabel(String(fields.body));
    await expect.poll(() => body.inputValue()).toContain('خمسة أيام');
    await body.fill(
      'تستغرق المبالغ المستردة خمسة أيام.\n\nتعود المبالغ المستردة للهدايا إلى من أهداها.\n\nاسأل الدعم.',
    );
    await page
      .getByRole('button', { name: String((ar.translations.actions as Record<string, string>).publish), exact: true })
      .click();
    await page.getByText(String((ar.translations.saved as Record<string, string>).published)).waitFor();
    // No longer outdated: the diff box goes, and the API agrees.
    await expect.poll(() => page.getByTestId('source-diff').count()).toBe(0);
    const detail = await api<{ translations: { locale: string; status: string }[] }>(
      h,
      'GET',
      '/api/content/articles/e2e-refunds',
    );
    expect(detail.translations.find((tr) => tr.locale === 'ar')?.status).toBe('published');
    const site = await h.newPage();
    await site.goto(`${h.baseUrl}/ar/articles/e2e-refunds`);
    await site.getByText('تعود المبالغ المستردة للهدايا إلى من أهداها.').waitFor();
    await site.context().close();

    expect(w.csp).toEqual([]);
    expect(w.errors).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('fits a phone: a burger instead of the navbar, no sideways scrolling', async () => {
    const w = await watchedPage(h, { width: 390, height: 844 });
    const { page } = w;
    // The editor works in Arabic; the sign-in screen follows the browser (English here).
    await api(h, 'PATCH', `/api/users/${editorId}`, { locale: 'ar' });
    await signIn(w, h.baseUrl, editorEmail, {
      email: String(en.signin.email),
      password: String(en.signin.password),
      submit: String(en.signin.submit),
    });
    await page.getByRole('button', { name: String((ar.common.nav as Record<string, string>).open) }).waitFor();
    await page.waitForFunction(() => !document.querySelector('table[data-loading]'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await h.screenshot(page, 'admin-articles-ar-phone');
    expect(w.csp).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('found no serious or critical axe-core violation on any of these screens', () => {
    expect(axeRuns).toBe(9);
    expect(axeFindings).toEqual([]);
  });
});
