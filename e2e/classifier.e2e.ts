import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../src/db/client.js';
import { createTestUser, TEST_PASSWORD } from '../src/modules/accounts/accounts.test-support.js';
import { activateModel } from '../src/modules/classify/activate-model.js';
import { ActiveModelCache } from '../src/modules/classify/active-model-cache.js';
import { categorisePending } from '../src/modules/classify/categorise-feedback.js';
import { buildLabeledData } from '../src/modules/classify/classify.factories.js';
import { createModelVersion } from '../src/modules/classify/create-model-version.js';
import { inProcessTrainer, trainModelVersion } from '../src/modules/classify/train-model-version.js';
import { type Harness, SCREENSHOT_DIR, startHarness } from './harness.js';

let h: Harness;
const analyst = { email: 'ana.analyst@example.com', password: TEST_PASSWORD };

/** Unlabelled feedback for the queue, in three languages. */
const UNLABELLED = [
  'the refund for my cancelled plan has not arrived',
  'no puedo iniciar sesión, el código nunca llega',
  'مرحبا، تم خصم المبلغ مرتين من بطاقتي',
  'please delete my account and all my pins',
];

/** The test taxonomy with its labelled examples, version 1 trained and active, unlabelled items it classified. */
async function prepare(db: DB): Promise<void> {
  await buildLabeledData(db);
  const { version } = await createModelVersion(db, { note: 'first version' }, { enqueue: false });
  await trainModelVersion(db, version, { trainer: inProcessTrainer });
  await activateModel(db, version);
  await db
    .insertInto('feedback_items')
    .values(UNLABELLED.map((text) => ({ kind: 'example' as const, source_id: null, locale: null, text })))
    .execute();
  await categorisePending(db, new ActiveModelCache(db));
}

async function signIn(page: Page): Promise<void> {
  // The first request builds the app's bundle; give it time.
  await page.goto(`${h.baseUrl}/admin`, { timeout: 120_000 });
  await page.getByLabel('Email').fill(analyst.email);
  await page.locator('input[autocomplete="current-password"]').fill(analyst.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').first().waitFor();
}

/** A same-origin API call from the page with the session's cookie and CSRF token. */
async function apiFromPage<T>(page: Page, method: string, url: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await fetch('/api/auth/me');
      const { csrfToken } = (await me.json()) as { csrfToken: string };
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await response.json()) as T;
    },
    { method, url, body },
  ) as Promise<T>;
}

type ItemView = { labels: { human: { category: string }[] } };

beforeAll(async () => {
  h = await startHarness({ prepare: { prepare: (database) => prepare(database.db) } });
  await createTestUser(h.app, { role: 'analyst', name: 'Ana Analyst', ...analyst });
}, 300_000);

afterAll(async () => {
  await h?.close();
});

describe('admin app: the analyst labels, trains, compares and activates', () => {
  it('labels two items with the keyboard, undoes one, trains version 2, compares it with version 1 and activates it', async () => {
    const page = await h.newPage({ width: 1280, height: 900 });
    page.setDefaultTimeout(20_000);
    await signIn(page);
    await page.goto(`${h.baseUrl}/admin/classifier/queue`);
    await page.getByRole('heading', { level: 1, name: 'Labelling queue' }).waitFor();
    const item = page.locator('[data-item-id]');
    const count = page.getByTestId('labelled-count');

    // Key 1 is the first leaf category of the tree: billing › refunds.
    const first = Number(await item.getAttribute('data-item-id'));
    await page.keyboard.press('1');
    await expect.poll(() => count.textContent()).toBe('1');
    await expect.poll(() => item.getAttribute('data-item-id')).not.toBe(String(first));
    const second = Number(await item.getAttribute('data-item-id'));
    await page.keyboard.press('1');
    await expect.poll(() => count.textContent()).toBe('2');
    // Undo takes back the second label and shows that item again.
    await page.keyboard.press('u');
    await expect.poll(() => count.textContent()).toBe('1');
    await expect.poll(() => item.getAttribute('data-item-id')).toBe(String(second));
    const labelsOf = async (id: number) =>
      (await apiFromPage<ItemView>(page, 'GET', `/api/classify/items/example/${id}`)).labels.human.map(
        (l) => l.category,
      );
    expect(await labelsOf(first)).toEqual(['refunds']);
    expect(await labelsOf(second)).toEqual([]);

    // Train version 2 from the models screen and wait for it to be ready (the page polls).
    await page.getByRole('tab', { name: 'Model versions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Model versions' }).waitFor();
    await page.getByRole('button', { name: 'Train a new version' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Note').fill('one more refund label');
    await dialog.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('heading', { level: 1, name: 'Model version 2' }).waitFor();
    await page.getByText('Ready', { exact: true }).waitFor({ timeout: 60_000 });
    const perCategory = page.getByRole('table', { name: 'Per category (worst first)' });
    await perCategory.waitFor();
    expect(await perCategory.getByRole('row').count()).toBe(5); // the header and four subcategories

    // Compare with version 1 (the active one, chosen by default), then activate version 2 from there.
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByRole('heading', { level: 1, name: 'Version 2 against version 1' }).waitFor();
    await page.getByRole('heading', { name: 'F1 per category (largest drop first)' }).waitFor();
    await page.getByRole('button', { name: 'Activate version 2' }).click();
    await expect
      .poll(async () => (await apiFromPage<{ active: boolean }>(page, 'GET', '/api/classify/models/2')).active)
      .toBe(true);
    expect((await apiFromPage<{ active: boolean }>(page, 'GET', '/api/classify/models/1')).active).toBe(false);
    await page.context().close();
  }, 90_000);

  it('reads right to left in Arabic and fits a phone (screenshots in en and ar at 1280 and 390 px)', async () => {
    const problems: string[] = [];
    for (const lng of ['en', 'ar'] as const) {
      for (const [width, height, suffix] of [
        [1280, 900, ''],
        [390, 844, '-mobile'],
      ] as const) {
        const page = await h.newPage({ width, height });
        page.setDefaultTimeout(20_000);
        await signIn(page);
        await apiFromPage(page, 'PATCH', '/api/auth/me', { locale: lng });
        for (const [screen, url] of [
          ['taxonomy', '/admin/classifier/taxonomy'],
          ['queue', '/admin/classifier/queue'],
          ['models', '/admin/classifier/models'],
          ['model', '/admin/classifier/models/2'],
          ['compare', '/admin/classifier/models/2/compare/1'],
        ] as const) {
          await page.goto(`${h.baseUrl}${url}`);
          await page.getByRole('heading', { level: 1 }).waitFor();
          // Every screen shows skeletons until its data is in.
          await page.waitForFunction(() => !document.querySelector('.mantine-Skeleton-root'));
          expect(await page.evaluate(() => document.documentElement.dir)).toBe(lng === 'ar' ? 'rtl' : 'ltr');
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (wide > 0) problems.push(`${screen} (${lng}, ${width}px): ${wide}px wider than the window`);
          await page.screenshot({
            path: `${SCREENSHOT_DIR}/admin-classifier-${screen}-${lng}${suffix}.png`,
            fullPage: true,
          });
        }
        await page.context().close();
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
