import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, TEST_PASSWORD } from '../src/modules/accounts/accounts.test-support.js';
import { type Harness, startHarness } from './harness.js';

const AXE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
const SCREENS = ['topics', 'regions', 'locales', 'users', 'tokens', 'audit', 'settings', 'profile'] as const;

let h: Harness;
const admin = { email: 'ada.admin@example.com', password: TEST_PASSWORD };
const viewer = { email: 'vic.viewer@example.com', password: TEST_PASSWORD };
/** Content Security Policy violations any page of this file reported. */
const cspViolations: string[] = [];
/** axe-core itself sets inline styles while it measures contrast; the page's CSP rightly blocks those. */
let axeRunning = false;

async function newPage(): Promise<Page> {
  const page = await h.newPage({ width: 1280, height: 800 });
  page.setDefaultTimeout(15_000);
  page.on('console', (message) => {
    if (!axeRunning && /Content[- ]Security[- ]Policy/i.test(message.text()))
      cspViolations.push(`${page.url()} ${JSON.stringify(message.location())} ${message.text().slice(0, 60)}`);
  });
  return page;
}

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  // The first request builds the app's bundle; give it time.
  await page.goto(`${h.baseUrl}/admin`, { timeout: 120_000 });
  await page.getByLabel('Email').fill(who.email);
  await page.locator('input[autocomplete="current-password"]').fill(who.password);
  const login = page.waitForResponse((response) => response.url().endsWith('/api/auth/login'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect((await login).status()).toBe(200);
  // A fresh load starts from GET /api/auth/me with the new session cookie, as a returning user's visit does.
  await page.reload();
  await page.getByRole('navigation').first().waitFor();
}

/** Opens a screen through the app's router and waits for its title. */
async function open(page: Page, screen: string, title: string | RegExp): Promise<void> {
  await page.goto(`${h.baseUrl}/admin/${screen}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

/** A same-origin API call from the page with the session's cookie and CSRF token, as the app makes it. */
async function apiFromPage(page: Page, method: string, url: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await fetch('/api/auth/me');
      const { csrfToken } = (await me.json()) as { csrfToken: string };
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return response.status;
    },
    { method, url, body },
  );
}

async function axeSerious(page: Page): Promise<string[]> {
  axeRunning = true;
  try {
    // Evaluated through the DevTools protocol, which the page's CSP does not govern (no inline <script> is added).
    await page.evaluate(AXE);
    const found = await page.evaluate(async () => {
      type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<Result> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
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
    // Let the console messages of axe's own blocked styles arrive while they are still ignored.
    await page.waitForTimeout(100);
    return found;
  } finally {
    axeRunning = false;
  }
}

beforeAll(async () => {
  h = await startHarness();
  await createTestUser(h.app, { role: 'admin', name: 'Ada Admin', ...admin });
  await createTestUser(h.app, { role: 'viewer', name: 'Vic Viewer', ...viewer });
});

afterAll(async () => {
  await h?.close();
});

describe('admin app: configuration and team screens', () => {
  it('an admin creates a translator whose generated password is shown once, and the translator signs in with it', async () => {
    const page = await newPage();
    await signIn(page, admin);
    await open(page, 'users', 'Users');
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email').fill('tara.translator@example.com');
    await dialog.getByLabel('Name').fill('Tara Translator');
    await dialog.getByLabel('Role', { exact: true }).click();
    await page.getByRole('option', { name: 'Translator' }).click();
    // Validation as you type: a translator needs a language before the form can be sent.
    await expect(dialog.getByRole('button', { name: 'Create user' }).isDisabled()).resolves.toBe(true);
    await dialog.getByLabel(/Languages they translate/).click();
    await page.getByRole('option', { name: 'ar', exact: true }).click();
    await page.getByRole('option', { name: 'he', exact: true }).click();
    await dialog.getByLabel('Name').click(); // closes the dropdown
    await dialog.getByRole('button', { name: 'Create user' }).click();

    const shown = page.getByTestId('generated-password');
    await shown.waitFor();
    const password = await shown.inputValue();
    expect(password.length).toBeGreaterThanOrEqual(10);
    await page.getByRole('button', { name: 'Copy password' }).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Tara Translator/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Translator');
    // Shown once: neither the list nor a fresh load of it carries the password.
    await page.reload();
    await page.getByRole('row', { name: /Tara Translator/ }).waitFor();
    expect(await page.content()).not.toContain(password);

    const translator = await newPage();
    await signIn(translator, { email: 'tara.translator@example.com', password });
    await open(translator, 'profile', 'Your profile');
    expect(await translator.getByText('ar, he').count()).toBeGreaterThan(0);
    await translator.context().close();
    await page.context().close();
  });

  it('a viewer sees no edit controls, the Team screens are closed to them, and the API answers 403 to their writes', async () => {
    const page = await newPage();
    await signIn(page, viewer);

    await open(page, 'topics', 'Topics');
    await page.locator('[data-topic]').first().waitFor();
    expect(await page.getByRole('button', { name: 'New topic' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Edit|Move)$/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Move .* (up|down)/ }).count()).toBe(0);

    await open(page, 'regions', 'Regions & prices');
    await page.getByRole('row', { name: /International/ }).waitFor();
    expect(await page.getByRole('button', { name: /New region|Edit|Delete/ }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Prices' }).click();
    await page.getByTestId('price-grid').waitFor();
    expect(await page.getByTestId('price-grid').getByRole('textbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Add price key|^Save/ }).count()).toBe(0);

    await open(page, 'locales', 'Locales');
    await page.getByRole('row', { name: /العربية/ }).waitFor();
    expect(await page.getByRole('button', { name: /Add locale|Edit/ }).count()).toBe(0);
    expect(await page.getByRole('switch').count()).toBe(0);

    await open(page, 'settings', 'Settings');
    await page.getByLabel('Help center name').waitFor();
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(await page.getByLabel('Help center name').isEditable()).toBe(false);

    for (const [screen, label] of [
      ['users', 'Users'],
      ['audit', 'Audit log'],
    ] as const) {
      expect(await page.getByRole('navigation').getByRole('link', { name: label }).count()).toBe(0);
      await page.goto(`${h.baseUrl}/admin/${screen}`);
      await page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    }

    // The server enforces what the UI mirrors: writes with the viewer's own session and CSRF token are refused.
    expect(await apiFromPage(page, 'PUT', '/api/settings', { helpCenterName: 'Hijacked' })).toBe(403);
    expect(await apiFromPage(page, 'PUT', '/api/topics/ads', { slug: 'ads', names: { en: 'Hijacked' } })).toBe(403);
    expect(await apiFromPage(page, 'PUT', '/api/prices/plus_monthly', { amounts: { USD: 0 } })).toBe(403);
    expect(await apiFromPage(page, 'POST', '/api/users', { email: 'x@example.com', name: 'X', role: 'admin' })).toBe(
      403,
    );
    expect(await apiFromPage(page, 'GET', '/api/audit')).toBe(403);
    await page.context().close();
  });

  it('the regions screen checks theme contrast live as colours change', async () => {
    const page = await newPage();
    await signIn(page, admin);
    await open(page, 'regions', 'Regions & prices');
    await page.getByRole('button', { name: 'Edit International' }).click();
    const check = page.getByTestId('contrast-check');
    await check.waitFor();
    const onBrand = check.locator('[data-pair="onBrand"]');
    expect(await onBrand.getAttribute('data-pass')).toBe('true');
    const before = await page.getByTestId('ratio-onBrand').textContent();

    // Pale pink text on the red brand colour: unreadable, and the check says so without saving anything.
    const input = page.getByRole('dialog').getByRole('textbox', { name: 'Text on brand' });
    await input.fill('#f4b6b9');
    await expect.poll(() => onBrand.getAttribute('data-pass')).toBe('false');
    const after = await page.getByTestId('ratio-onBrand').textContent();
    expect(after).not.toBe(before);
    expect(Number.parseFloat(after ?? '')).toBeLessThan(4.5);
    expect(await onBrand.textContent()).toContain('AA fail');
    expect(await check.textContent()).toContain('Some pairs are hard to read');

    await input.fill('#ffffff');
    await expect.poll(() => onBrand.getAttribute('data-pass')).toBe('true');
    expect(await onBrand.textContent()).toContain('AA pass');
    // The price preview formats in the region's currency.
    expect(await page.getByTestId('region-price-preview').textContent()).toMatch(/\$\d/);
    await page.context().close();
  });

  it('a token is shown once, works as a Bearer token, and stops working when revoked', async () => {
    const page = await newPage();
    await signIn(page, admin);
    await open(page, 'tokens', 'API tokens');
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Nightly import');
    await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
    const field = page.getByTestId('token-secret');
    await field.waitFor();
    const secret = await field.inputValue();
    expect(secret).toMatch(/^al_pat_/);
    expect(await page.getByRole('dialog').textContent()).toContain('It is shown only this once');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await field.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Nightly import/ });
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    const bearer = (token: string) =>
      page.evaluate(
        async (token) =>
          (await fetch('/api/tokens', { headers: { authorization: `Bearer ${token}` }, credentials: 'omit' })).status,
        token,
      );
    expect(await bearer(secret)).toBe(200);

    await row.getByRole('button', { name: 'Revoke Nightly import' }).click();
    await page.getByRole('dialog').getByText('Anything using it stops working immediately').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await row.locator('[data-status="revoked"]').waitFor();
    expect(await bearer(secret)).toBe(401);
    await page.context().close();
  });

  it('the audit log shows what the tests did, with the before and after of each change', async () => {
    const page = await newPage();
    await signIn(page, admin);
    await open(page, 'audit', 'Audit log');
    const table = page.getByTestId('audit-table');
    for (const action of ['user.create', 'token.create', 'token.revoke']) {
      await table.locator(`tr[data-action="${action}"]`).first().waitFor();
    }
    // Filters narrow the list: Ada's user creations are exactly the translator she made in the first test.
    await page.getByLabel('Who').fill('ada.admin@example.com');
    await page.getByLabel('Action').fill('user.create');
    const actions = () =>
      table.locator('tr[data-action]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    await expect.poll(actions).toEqual(['user.create']);
    await table.locator('tr[data-action="user.create"]').getByRole('button').click();
    const changes = page.getByTestId('audit-changes').first();
    await changes.waitFor();
    const text = await changes.textContent();
    expect(text).toContain('role');
    expect(text).toContain('translator');
    expect(text).toContain('tara.translator@example.com');
    expect(text).not.toMatch(/al_pat_|\$argon|\$scrypt/);
    await page.context().close();
  });

  it('every screen passes axe (no serious or critical violation), with screenshots in English and Arabic', async () => {
    const page = await newPage();
    await signIn(page, admin);
    const problems: string[] = [];
    const titles: Record<string, Record<string, string>> = {};
    for (const lng of ['en', 'ar'] as const) {
      expect(await apiFromPage(page, 'PATCH', '/api/auth/me', { locale: lng })).toBe(200);
      for (const screen of SCREENS) {
        const strings = JSON.parse(fs.readFileSync(`web/src/locales/${lng}/${screen}.json`, 'utf8')) as {
          title: string;
        };
        titles[lng] = { ...titles[lng], [screen]: strings.title };
        await open(page, screen, strings.title);
        await page.waitForLoadState('networkidle');
        expect(await page.evaluate(() => document.documentElement.dir)).toBe(lng === 'ar' ? 'rtl' : 'ltr');
        // Every screen's help panel opens with its guide.
        await page.getByRole('button', { name: lng === 'en' ? 'Help' : /مساعدة/ }).click();
        await page.getByRole('dialog').waitFor();
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        for (const violation of await axeSerious(page)) problems.push(`${screen} (${lng}): ${violation}`);
        await h.screenshot(page, `admin-${screen}-${lng}`);
      }
    }
    // The editors, open: what a user sees while changing a region and a topic.
    await open(page, 'regions', titles.ar!.regions!);
    await page
      .getByRole('button', { name: /International/ })
      .first()
      .click();
    await page.getByTestId('contrast-check').waitFor();
    for (const violation of await axeSerious(page)) problems.push(`region editor (ar): ${violation}`);
    await h.screenshot(page, 'admin-regions-editor-ar');
    expect(await apiFromPage(page, 'PATCH', '/api/auth/me', { locale: 'en' })).toBe(200);
    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
    await page.context().close();
  }, 300_000);
});
