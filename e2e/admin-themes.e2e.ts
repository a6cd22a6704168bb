import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, TEST_PASSWORD } from '../src/modules/accounts/accounts.test-support.js';
import { buildLabeledData } from '../src/modules/classify/classify.factories.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
const analyst = { email: 'tess.themes@example.com', password: TEST_PASSWORD };

const combine = (heads: string[], tails: string[]) => heads.flatMap((head) => tails.map((tail) => `${head}, ${tail}`));
/**
 * Feedback nobody labelled: dark mode and invoices in English, PDF export and password resets in Arabic (each language
 * is clustered on its own), and stray texts.
 */
const PLANTED: { locale: string; texts: string[] }[] = [
  {
    locale: 'en',
    texts: combine(
      ['Please add a dark mode', 'The dark theme is missing', 'I need a night mode', 'Give us a dark background'],
      ['my eyes hurt at night', 'the white screen is too bright', 'every other app has one', 'when is it coming?'],
    ),
  },
  {
    locale: 'ar',
    texts: combine(
      [
        'لا أستطيع تصدير التقرير إلى PDF',
        'تصدير الملف بصيغة PDF لا يعمل',
        'تنزيل التقرير PDF يفشل',
        'زر التصدير إلى PDF',
      ],
      ['يظهر الملف فارغًا', 'منذ التحديث الأخير', 'يستغرق وقتًا طويلًا', 'على الهاتف والحاسوب'],
    ),
  },
  {
    locale: 'en',
    texts: combine(
      [
        'I need an invoice with our VAT number',
        'The receipt is missing the company address',
        'Where can I download invoices',
        'Invoices should show the tax',
      ],
      ['for our accountant', 'for last month', 'as a PDF would be fine', 'it is urgent'],
    ),
  },
  {
    locale: 'ar',
    texts: combine(
      [
        'نسيت كلمة المرور',
        'رابط إعادة تعيين كلمة المرور لا يصل',
        'لا أستطيع تغيير كلمة المرور',
        'رمز التحقق لا يصل إلى بريدي',
      ],
      ['منذ يومين', 'جربت عدة مرات', 'ولا أستطيع الدخول إلى حسابي', 'أرجو المساعدة'],
    ),
  },
  {
    locale: 'en',
    texts: ['the weather was lovely on saturday', 'my cat sat on the keyboard', 'guitar lessons for beginners'],
  },
];

beforeAll(async () => {
  h = await startHarness({
    prepare: {
      env: { ANSWERLOOP_JOBS: 'false' },
      prepare: async (database) => {
        await buildLabeledData(database.db);
        let source = 1;
        for (const group of PLANTED) {
          for (const text of group.texts) {
            await database.db
              .insertInto('feedback_items')
              .values({ kind: 'ticket', source_id: source++, locale: group.locale, text })
              .execute();
          }
        }
      },
    },
  });
  await createTestUser(h.app, { role: 'analyst', name: 'Tess Themes', ...analyst });
}, 300_000);

afterAll(async () => {
  await h?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${h.baseUrl}/admin`, { timeout: 120_000 });
  await page.getByLabel('Email').fill(analyst.email);
  await page.locator('input[autocomplete="current-password"]').fill(analyst.password);
  const login = page.waitForResponse((response) => response.url().endsWith('/api/auth/login'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect((await login).status()).toBe(200);
  await page.reload();
  await page.getByRole('navigation').first().waitFor();
}

async function setLanguage(page: Page, locale: string): Promise<void> {
  const status = await page.evaluate(async (lng) => {
    const me = await fetch('/api/auth/me');
    const { csrfToken } = (await me.json()) as { csrfToken: string };
    const response = await fetch('/api/auth/me', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ locale: lng }),
    });
    return response.status;
  }, locale);
  expect(status).toBe(200);
}

/** A phone-width screenshot: reloaded at that width, so the navbar is collapsed rather than caught mid-slide. */
async function phoneScreenshot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.getByTestId('theme-card').first().waitFor();
  await h.screenshot(page, name);
}

describe('admin app: themes', () => {
  it('an analyst discovers themes, accepts one into the taxonomy, and reads the screen in Arabic', async () => {
    const page = await h.newPage();
    await signIn(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Themes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Themes' }).waitFor();
    await page.getByText('No discovery has run yet.').waitFor();

    // The run goes on in a worker; the screen polls until its proposals are there.
    await page.getByRole('button', { name: 'Discover themes' }).click();
    const cards = page.getByTestId('theme-card');
    await cards.first().waitFor({ timeout: 60_000 });
    await page.getByText(/by language: English \d+ · Arabic \d+/).waitFor();
    const dark = cards.filter({ hasText: 'dark mode' });
    expect(await dark.count()).toBe(1);
    // The Arabic theme's examples read right to left on their own.
    const arabic = cards.filter({ hasText: 'PDF' }).locator('.theme-example').first();
    expect(await arabic.getAttribute('dir')).toBe('auto');
    expect(await arabic.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await h.screenshot(page, 'admin-themes-en-1280');
    await phoneScreenshot(page, 'admin-themes-en-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.reload();

    await dark.getByRole('button', { name: 'Accept' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accept as a new category' });
    await dialog.getByLabel('Name').fill('Dark mode');
    await dialog.getByRole('button', { name: 'Create category' }).click();
    await page.getByText('“Dark mode” is now a category').waitFor();
    await page.getByRole('heading', { name: 'Decided' }).waitFor();
    // The decided list names the category the items now carry, linked to the taxonomy editor.
    const decided = page.getByTestId('theme-decided').getByRole('link', { name: 'Dark mode' });
    expect(await decided.getAttribute('href')).toBe('/admin/classifier/taxonomy');

    const taxonomy = await h.app.app.inject({ method: 'GET', url: '/api/taxonomy', headers: h.app.operator });
    const created = (
      taxonomy.json() as { categories: { slug: string; names: Record<string, string>; humanLabels: number }[] }
    ).categories.find((c) => c.slug === 'dark-mode');
    expect(created).toMatchObject({ names: { en: 'Dark mode' } });
    expect(created!.humanLabels).toBeGreaterThanOrEqual(12);

    await setLanguage(page, 'ar');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'الموضوعات' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await cards.first().waitFor();
    await h.screenshot(page, 'admin-themes-ar-1280');
    await phoneScreenshot(page, 'admin-themes-ar-390');
  });
});
