import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, TEST_PASSWORD } from '../src/modules/accounts/accounts.test-support.js';
import { billingFormDefinition } from '../src/modules/forms/forms.factories.js';
import { submitForm } from '../src/modules/forms/submit-form.js';
import { type Harness, startHarness } from './harness.js';

/*
 * The admin app's Forms builder and Tickets screens in Chromium against a real server: an editor adds a conditional
 * field, sees the preview react, is shown the server's refusal beside the field it concerns, saves version 2 and
 * previews in Arabic; an agent retries a dead-lettered help-desk delivery; an analyst (tickets.read only) and a
 * viewer (no tickets.read) cannot.
 */

const AXE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
const editor = { email: 'edna.editor@example.com', password: TEST_PASSWORD };
const agent = { email: 'aggie.agent@example.com', password: TEST_PASSWORD };
const analyst = { email: 'andy.analyst@example.com', password: TEST_PASSWORD };
const viewer = { email: 'vic.viewer@example.com', password: TEST_PASSWORD };
const cspViolations: string[] = [];
let axeRunning = false;
let h: Harness;

async function newPage(width = 1280, height = 900): Promise<Page> {
  const page = await h.newPage({ width, height });
  page.setDefaultTimeout(20_000);
  page.on('console', (message) => {
    if (!axeRunning && /Content[- ]Security[- ]Policy/i.test(message.text()))
      cspViolations.push(`${page.url()} ${message.text().slice(0, 80)}`);
  });
  return page;
}

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${h.baseUrl}/admin`, { timeout: 120_000 });
  await page.getByLabel('Email').fill(who.email);
  await page.locator('input[autocomplete="current-password"]').fill(who.password);
  const login = page.waitForResponse((response) => response.url().endsWith('/api/auth/login'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect((await login).status()).toBe(200);
  await page.reload();
  await page.getByRole('navigation').first().waitFor();
}

/** The signed-in user's UI language (stored on the account, applied on the next load). */
async function setLanguage(page: Page, lng: string): Promise<void> {
  const status = await page.evaluate(async (locale) => {
    const me = await fetch('/api/auth/me');
    const { csrfToken } = (await me.json()) as { csrfToken: string };
    const response = await fetch('/api/auth/me', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ locale }),
    });
    return response.status;
  }, lng);
  expect(status).toBe(200);
}

async function axeSerious(page: Page): Promise<string[]> {
  axeRunning = true;
  try {
    await page.evaluate(AXE);
    return await page.evaluate(async () => {
      type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<Result> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id}: ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(', ')}`,
        );
    });
  } finally {
    axeRunning = false;
  }
}

async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** A reader's billing submission through the submit operation (the same one the public route calls). */
async function fileTicket(subject: string): Promise<number> {
  const outcome = await submitForm(
    h.app.ctx,
    'billing',
    {
      locale: 'en',
      answers: {
        problem: 'other',
        subject,
        description: 'The invoice for March lists a plan I never had.',
        email: 'reader@example.com',
      },
      files: [],
    },
    { ip: '198.51.100.7', readerId: null },
  );
  if (outcome.kind !== 'filed') throw new Error(`not filed: ${JSON.stringify(outcome)}`);
  return outcome.ticketId;
}

/** The help desk gave up on this ticket: what the forwarding job leaves after its last attempt against a dead port. */
async function deadLetter(ticketId: number): Promise<void> {
  const result = await sql`UPDATE helpdesk_deliveries
    SET status = 'failed', attempts = 1, last_error = 'connect ECONNREFUSED 127.0.0.1:9'
    WHERE ticket_id = ${ticketId}`.execute(h.app.database.db);
  expect(Number(result.numAffectedRows)).toBe(1);
}

async function deliveryOf(ticketId: number): Promise<{ status: string; attempts: number }> {
  const { rows } = await sql<{ status: string; attempts: number }>`
    SELECT status, attempts FROM helpdesk_deliveries WHERE ticket_id = ${ticketId}`.execute(h.app.database.db);
  return rows[0]!;
}

let detailTicket = 0;
let deskTicket = 0;

beforeAll(async () => {
  h = await startHarness({
    prepare: {
      env: {
        ANSWERLOOP_FORMS_CHALLENGE: 'off',
        // A help desk on a port nothing listens on; the runner is off so the test decides when a delivery failed.
        ANSWERLOOP_HELPDESK_URL: 'http://127.0.0.1:9/answerloop',
        ANSWERLOOP_HELPDESK_KIND: 'webhook',
        ANSWERLOOP_HELPDESK_SECRET: 'e2e-secret-0123456789',
        ANSWERLOOP_HELPDESK_MAX_ATTEMPTS: '1',
        ANSWERLOOP_JOBS: 'false',
      },
    },
  });
  await createTestUser(h.app, { role: 'editor', name: 'Edna Editor', ...editor });
  await createTestUser(h.app, { role: 'agent', name: 'Aggie Agent', ...agent });
  await createTestUser(h.app, { role: 'analyst', name: 'Andy Analyst', ...analyst });
  await createTestUser(h.app, { role: 'viewer', name: 'Vic Viewer', ...viewer });
  const created = await h.app.app.inject({
    method: 'POST',
    url: '/api/forms',
    headers: h.app.operator,
    payload: { key: 'billing', definition: billingFormDefinition(), enabled: true },
  });
  expect(created.statusCode, created.body).toBe(201);
  detailTicket = await fileTicket('Charged for a plan I never had');
  deskTicket = await fileTicket('Invoice shows the wrong company name');
  await deadLetter(detailTicket);
  await deadLetter(deskTicket);
}, 300_000);

afterAll(async () => {
  await h?.close();
});

describe('admin app: forms builder', () => {
  it('an editor adds a conditional field, sees it in the preview, fixes a refused save, saves version 2 and previews in Arabic', async () => {
    const page = await newPage();
    await signIn(page, editor);
    await page.getByRole('navigation').getByRole('link', { name: 'Contact forms' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contact forms' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'billing' });
    expect(await row.textContent()).toMatch(/Enabled/);
    expect(await row.getByText('ar', { exact: true }).count()).toBe(1); // complete in Arabic
    await h.screenshot(page, 'admin-forms-list-en');
    await row.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Form: Billing' }).waitFor();

    // A refused save: "What is the problem?" moved below the date that depends on it. The server's detail
    // (definition.fields.0.showIf) is shown beside the date field, not only in a toast.
    await page.getByRole('button', { name: 'Move problem down' }).click();
    const put = page.waitForResponse((r) => r.url().endsWith('/api/forms/billing') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    expect((await put).status()).toBe(400);
    const dateCard = page.locator('.al-field-card').filter({ has: page.getByTestId('field-charge_date') });
    await dateCard.getByText('needs a fix').waitFor();
    expect(await dateCard.getByRole('alert').first().textContent()).toMatch(/"problem" is not an earlier field/);
    await page.getByRole('button', { name: 'Move problem up' }).click();

    // Add a short-text field shown only when the problem is "Something else".
    await page.getByRole('button', { name: 'Add field' }).click();
    const editorPanel = page.getByTestId('field-editor-text');
    await editorPanel.waitFor();
    await editorPanel.getByLabel('Name').fill('card_last4');
    const fieldPanel = page.getByTestId('field-editor-card_last4');
    await fieldPanel.getByTestId('field-label').fill('Last four digits of the card');
    await fieldPanel.getByTestId('condition-showIf').getByRole('button', { name: 'Add condition' }).click();
    await fieldPanel.getByTestId('condition-showIf').getByLabel('Value').click();
    await page.getByRole('option', { name: 'Something else' }).click();
    const sentence = fieldPanel.getByTestId('condition-showIf').getByTestId('condition-sentence');
    expect(await sentence.textContent()).toBe('Show when “What is the problem?” is “Something else”');
    // The label is missing in Arabic until translated, and the list says so.
    expect(await page.getByTestId('field-card_last4').textContent()).toMatch(/missing: .*ar/);

    // The preview evaluates the condition as the reader's browser would.
    const preview = page.getByTestId('form-preview');
    const previewField = preview.locator('[data-field="card_last4"]');
    expect(await previewField.getAttribute('hidden')).not.toBeNull();
    await preview.getByRole('radio', { name: 'Something else' }).check();
    await previewField.getByLabel('Last four digits of the card').waitFor();
    expect(await previewField.getAttribute('hidden')).toBeNull();
    await preview.getByRole('radio', { name: 'Refund' }).check();
    expect(await previewField.getAttribute('hidden')).not.toBeNull();
    await preview.locator('[data-field="order_id"]').getByLabel('Order id').waitFor();
    await h.screenshot(page, 'admin-forms-builder-en');

    const saved = page.waitForResponse((r) => r.url().endsWith('/api/forms/billing') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    expect((await saved).status()).toBe(200);
    await page.getByText('Saved: version 2').waitFor();
    const stored = await page.evaluate(async () => {
      const response = await fetch('/api/forms/billing');
      return (await response.json()) as {
        version: number;
        definition: { fields: { name: string; label: Record<string, string>; showIf?: unknown }[] };
      };
    });
    expect(stored.version).toBe(2);
    const added = stored.definition.fields.find((f) => f.name === 'card_last4');
    expect(added?.label).toEqual({ en: 'Last four digits of the card' });
    expect(added?.showIf).toEqual({ all: [{ field: 'problem', op: 'equals', value: 'other' }] });
    expect(stored.definition.fields.map((f) => f.name).slice(0, 2)).toEqual(['problem', 'charge_date']);
    await page.getByTestId('versions').getByRole('row').nth(2).waitFor(); // header + two versions

    // The preview in Arabic: right to left, Arabic texts, the same conditions.
    await page.getByTestId('preview-locale').getByText('ar', { exact: true }).click();
    expect(await preview.getAttribute('dir')).toBe('rtl');
    expect(await preview.getByRole('heading').textContent()).toBe('الفوترة');
    await preview.getByRole('radio', { name: 'خُصم المبلغ مرتين' }).check();
    await preview.locator('[data-field="charge_date"]').getByLabel('تاريخ الخصم').waitFor();
    await h.screenshot(page, 'admin-forms-preview-ar');
    expect(await axeSerious(page)).toEqual([]);

    // The whole builder in Arabic, on a desktop and on a phone.
    await setLanguage(page, 'ar');
    await page.reload();
    await page.locator('html[dir="rtl"]').waitFor();
    await page.getByTestId('form-preview').waitFor();
    await h.screenshot(page, 'admin-forms-builder-ar');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('form-preview').waitFor();
    await h.screenshot(page, 'admin-forms-builder-ar-phone');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await setLanguage(page, 'en');

    // A new form starts disabled, with a subject, a description and an email field, and opens in the builder.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${h.baseUrl}/admin/forms`);
    await page.getByRole('button', { name: 'New form' }).click();
    await page.getByLabel('Key').fill('safety');
    await page.getByLabel('Title (en)').fill('Report a safety issue');
    await page.getByRole('button', { name: 'Create form' }).click();
    await page.getByRole('heading', { level: 1, name: 'Form: Report a safety issue' }).waitFor();
    for (const name of ['subject', 'description', 'email']) await page.getByTestId(`field-${name}`).waitFor();
    const safety = await page.evaluate(async () => (await (await fetch('/api/forms/safety')).json()) as unknown);
    expect(safety).toMatchObject({ key: 'safety', version: 1, enabled: false });
    await page.close();
  }, 180_000);
});

describe('admin app: tickets', () => {
  it('an agent opens a ticket whose delivery failed and retries it: it is pending again', async () => {
    const page = await newPage();
    await signIn(page, agent);
    await page.getByRole('navigation').getByRole('link', { name: 'Tickets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tickets' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Charged for a plan I never had' });
    expect(await row.getByTestId('delivery-status').textContent()).toBe('Failed');
    expect(await row.textContent()).toMatch(/billing/);
    await h.screenshot(page, 'admin-tickets-list-en');
    await row.getByRole('link', { name: 'Charged for a plan I never had' }).click();
    await page.getByRole('heading', { level: 1, name: 'Charged for a plan I never had' }).waitFor();

    const answers = page.getByTestId('answers');
    expect(await answers.getByRole('row', { name: /What is the problem\?/ }).textContent()).toMatch(/other/);
    const delivery = page.getByTestId('delivery');
    expect(await delivery.getByTestId('delivery-status').textContent()).toBe('Failed');
    expect(await delivery.textContent()).toMatch(/ECONNREFUSED/);
    await h.screenshot(page, 'admin-ticket-failed-en');
    const retried = page.waitForResponse((r) => /\/api\/helpdesk\/deliveries\/\d+\/retry$/.test(r.url()));
    await delivery.getByRole('button', { name: 'Retry delivery' }).click();
    expect((await retried).status()).toBe(200);
    await delivery.locator('[data-status="pending"]').waitFor();
    expect(await delivery.getByRole('button', { name: 'Retry delivery' }).count()).toBe(0);
    expect(await deliveryOf(detailTicket)).toEqual({ status: 'pending', attempts: 0 });

    // On a phone, in Arabic.
    await setLanguage(page, 'ar');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.locator('html[dir="rtl"]').waitFor();
    await page.getByTestId('delivery').waitFor();
    await h.screenshot(page, 'admin-ticket-ar-phone');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await setLanguage(page, 'en');
    await page.close();
  }, 120_000);

  it('the help desk tab says where tickets go and retries a dead letter', async () => {
    const page = await newPage();
    await signIn(page, agent);
    await page.goto(`${h.baseUrl}/admin/tickets/deliveries`);
    await page.getByRole('heading', { level: 1, name: 'Help desk' }).waitFor();
    expect(await page.getByTestId('helpdesk-target').textContent()).toBe(
      'Tickets are forwarded by Webhook to 127.0.0.1:9.',
    );
    const row = page.getByRole('row').filter({ hasText: 'Invoice shows the wrong company name' });
    await row.waitFor();
    await h.screenshot(page, 'admin-helpdesk-en');
    expect(await axeSerious(page)).toEqual([]);
    await row.getByRole('button', { name: 'Retry delivery' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await deliveryOf(deskTicket)).toEqual({ status: 'pending', attempts: 0 });
    await page.close();
  }, 120_000);

  it('an analyst reads tickets without a Retry button; a viewer has no tickets screen', async () => {
    await deadLetter(detailTicket);
    const page = await newPage();
    await signIn(page, analyst);
    await page.goto(`${h.baseUrl}/admin/tickets/${detailTicket}`);
    const delivery = page.getByTestId('delivery');
    await delivery.locator('[data-status="failed"]').waitFor();
    expect(await delivery.getByRole('button', { name: 'Retry delivery' }).count()).toBe(0);
    await page.close();

    const viewerPage = await newPage();
    await signIn(viewerPage, viewer);
    expect(await viewerPage.getByRole('navigation').getByRole('link', { name: 'Tickets' }).count()).toBe(0);
    await viewerPage.getByRole('navigation').getByRole('link', { name: 'Contact forms' }).waitFor();
    await viewerPage.goto(`${h.baseUrl}/admin/tickets/${detailTicket}`);
    await viewerPage.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    expect(await viewerPage.getByRole('button', { name: 'Retry delivery' }).count()).toBe(0);
    // A viewer reads forms but cannot change them.
    await viewerPage.goto(`${h.baseUrl}/admin/forms/billing`);
    await viewerPage.getByTestId('form-preview').waitFor();
    expect(await viewerPage.getByRole('button', { name: 'Save as new version' }).count()).toBe(0);
    await viewerPage.getByTestId('read-only').waitFor();
    await viewerPage.close();
    expect(cspViolations).toEqual([]);
  }, 120_000);
});
