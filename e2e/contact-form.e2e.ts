import fc from 'fast-check';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arbFormDefinition } from '../src/modules/forms/form-arbitraries.js';
import {
  type FieldState,
  type FormDefinition,
  type FormField,
  fieldStates,
  normalizeAnswer,
  validateAnswers,
} from '../src/modules/forms/form-logic.js';
import { buildForm } from '../src/modules/forms/forms.factories.js';
import { type Harness, startHarness } from './harness.js';

const STRINGS = {
  en: {
    title: 'Billing',
    twice: 'Charged twice',
    date: 'Date of the charge',
    amount: 'Amount charged',
    subject: 'Subject',
    description: 'Describe what happened',
    email: 'Your email',
    typed: 'I was charged twice for my ads this month',
    appeared: '2 more questions appeared.',
    send: 'Send to support',
    sent: "We've received your message",
    update: 'Update the form',
  },
  ar: {
    title: 'الفوترة',
    twice: 'خُصم المبلغ مرتين',
    date: 'تاريخ الخصم',
    amount: 'المبلغ المخصوم',
    subject: 'الموضوع',
    description: 'صف ما حدث',
    email: 'بريدك الإلكتروني',
    typed: 'تم خصم مرتين من بطاقتي مقابل الإعلانات',
    appeared: 'ظهر سؤالان إضافيان.',
    send: 'إرسال إلى الدعم',
    sent: 'وصلتنا رسالتك',
    update: 'تحديث النموذج',
  },
} as const;

describe('contact forms in Chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      prepare: {
        // The challenge stays on (the default): the island solves it, the page without JavaScript uses its token.
        env: { ANSWERLOOP_FORMS_RATE_LIMIT: '1000/10m', ANSWERLOOP_FORMS_FORM_RATE_LIMIT: '1000/10m' },
        prepare: async ({ db }) => {
          await buildForm(db);
        },
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const count = async (table: 'tickets' | 'form_deflections') =>
    Number(
      (
        await h.app.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const wrapper = (page: Page, name: string) => page.locator(`[data-field="${name}"]`);

  for (const locale of ['en', 'ar'] as const) {
    it(`${locale}: chooses Billing, sees conditional fields appear, gets a suggestion, sends and sees the reference`, async () => {
      const s = STRINGS[locale];
      const page = await h.newPage({ locale });
      await page.goto(`${h.baseUrl}/${locale}/contact`);
      await page.getByRole('link', { name: s.title }).click();
      await page.locator('form.contact-form[data-ready]').waitFor();
      // The island hides the round-trip button and the conditional fields start hidden.
      expect(await page.getByRole('button', { name: s.update }).isVisible()).toBe(false);
      expect(await wrapper(page, 'charge_date').isVisible()).toBe(false);
      await page.getByRole('radio', { name: s.twice }).check();
      await wrapper(page, 'charge_date').waitFor({ state: 'visible' });
      expect(await wrapper(page, 'amount').isVisible()).toBe(true);
      await expect.poll(() => page.locator('[data-announcer]').textContent()).toBe(s.appeared);
      // Focus stayed where the reader was: on the radio they chose.
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe(
        'charged_twice',
      );
      await page.getByLabel(s.subject).fill(locale === 'en' ? 'Charged twice' : 'خصم مرتين');
      await page.getByLabel(s.description).fill(s.typed);
      const suggestion = page.locator('[data-suggestions] a[href*="billing-threshold"]');
      await suggestion.waitFor({ timeout: 10_000 });
      await h.screenshot(page, `contact-form-${locale}`);
      await page.getByLabel(s.date).fill('2026-11-30');
      await page.getByLabel(s.amount).fill('12.50');
      await page.getByLabel(s.email).fill('reader@example.com');
      const before = await count('tickets');
      await page.getByRole('button', { name: s.send }).click();
      await page.waitForURL(/\/contact\/sent\?ref=/, { timeout: 20_000 });
      expect(await page.locator('h1').textContent()).toBe(s.sent);
      const reference = (await page.locator('[data-reference]').textContent()) ?? '';
      expect(reference).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
      expect(await count('tickets')).toBe(before + 1);
      const ticket = await h.app.database.db
        .selectFrom('tickets')
        .select('reference')
        .where('reference', '=', reference)
        .executeTakeFirst();
      expect(ticket?.reference).toBe(reference);
      await h.screenshot(page, `contact-sent-${locale}`);
      await page.context().close();
    });
  }

  it('"This answered my question" ends without a ticket and records the deflection', async () => {
    const page = await h.newPage({ locale: 'en' });
    await page.goto(`${h.baseUrl}/en/contact?form=billing`);
    await page.locator('form.contact-form[data-ready]').waitFor();
    const tickets = await count('tickets');
    const deflections = await count('form_deflections');
    await page.getByLabel('Describe what happened').fill('I was charged twice for my ads');
    const item = page.locator('[data-suggestions] li', { has: page.locator('a[href*="billing-threshold"]') });
    await item.waitFor({ timeout: 10_000 });
    await item.getByRole('button', { name: 'This answered my question' }).click();
    await page.locator('[data-deflected]').waitFor({ state: 'visible' });
    expect(await page.locator('form.contact-form').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-deflected'))).toBe(true);
    await expect.poll(() => count('form_deflections')).toBe(deflections + 1);
    expect(await count('tickets')).toBe(tickets);
    await page.context().close();
  });

  for (const locale of ['en', 'ar'] as const) {
    it(`${locale}: works without JavaScript through "Update the form" and the post`, async () => {
      const s = STRINGS[locale];
      const context = await h.browser.newContext({ javaScriptEnabled: false, locale });
      const page = await context.newPage();
      await page.goto(`${h.baseUrl}/${locale}/contact`);
      await page.getByRole('link', { name: s.title }).click();
      expect(await wrapper(page, 'charge_date').isVisible()).toBe(false);
      await page.getByRole('radio', { name: s.twice }).check();
      await page.getByLabel(s.subject).fill('No script');
      await page.getByRole('button', { name: s.update }).click();
      await wrapper(page, 'charge_date').waitFor({ state: 'visible' });
      // Every answer is kept across the round trip.
      expect(await page.getByRole('radio', { name: s.twice }).isChecked()).toBe(true);
      expect(await page.getByLabel(s.subject).inputValue()).toBe('No script');
      await page.getByLabel(s.date).fill('2026-11-30');
      await page.getByLabel(s.amount).fill('3');
      await page.getByLabel(s.description).fill(s.typed);
      await page.getByLabel(s.email).fill('noscript@example.com');
      // The render token is trusted from 3 s after the page was shown.
      await page.waitForTimeout(3_200);
      const before = await count('tickets');
      await page.getByRole('button', { name: s.send }).click();
      await page.waitForURL(/\/contact\/sent\?ref=/);
      expect(await page.locator('[data-reference]').textContent()).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
      expect(await count('tickets')).toBe(before + 1);
      await context.close();
    });
  }

  it('takes screenshots on a 390 px phone in en and ar', async () => {
    for (const locale of ['en', 'ar'] as const) {
      const page = await h.newPage({ locale, width: 390, height: 844 });
      await page.goto(`${h.baseUrl}/${locale}/contact?form=billing`);
      await page.locator('form.contact-form[data-ready]').waitFor();
      await page.getByRole('radio', { name: STRINGS[locale].twice }).check();
      await page.getByRole('button', { name: STRINGS[locale].send }).click();
      await page.locator('#form-errors').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await h.screenshot(page, `contact-form-phone-${locale}`);
      await page.context().close();
    }
  });

  /** Answers a reader can type or pick in the DOM, per field (files and context fields stay unanswered). */
  function arbDomAnswer(field: FormField): fc.Arbitrary<string | string[] | undefined> {
    const options = (field.options ?? []).map((o) => o.value);
    switch (field.type) {
      case 'select':
      case 'radio':
        return fc.option(fc.constantFrom(...options), { nil: undefined });
      case 'checkboxes':
        return fc.subarray(options);
      case 'number':
        return fc.option(fc.constantFrom('-5', '0', '3', '10', '42', '1,5', 'zzz'), { nil: undefined });
      case 'date':
        return fc.option(fc.constantFrom('2025-12-31', '2026-01-15', '2026-03-01'), { nil: undefined });
      case 'email':
        return fc.option(fc.constantFrom('ana@example.com', 'not-an-email'), { nil: undefined });
      case 'text':
      case 'textarea':
        return fc.option(fc.constantFrom('a', 'b', 'alpha', 'Beta', 'refund', '3', '10', 'x'.repeat(20)), {
          nil: undefined,
        });
      default:
        return fc.constant(undefined);
    }
  }

  async function enter(page: Page, field: FormField, value: string | string[] | undefined): Promise<void> {
    if (value === undefined) return;
    const box = wrapper(page, field.name);
    if (!(await box.isVisible())) return;
    if (field.type === 'radio') await box.locator(`input[value="${value}"]`).check();
    else if (field.type === 'checkboxes')
      for (const v of value as string[]) await box.locator(`input[value="${v}"]`).check();
    else if (field.type === 'select') await box.locator('select').selectOption(value as string);
    else
      await box
        .locator('input, textarea')
        .first()
        .fill(value as string);
  }

  /** What the island shows: for each answerable field, visible and required (from the page's own marks). */
  async function shownStates(page: Page, fields: FormField[]): Promise<Record<string, FieldState>> {
    const out: Record<string, FieldState> = {};
    for (const field of fields) {
      const box = wrapper(page, field.name);
      const visible = await box.isVisible();
      const mark = box.locator('[data-required-mark]');
      const required = visible && (await mark.count()) > 0 && (await mark.isVisible());
      out[field.name] = { visible, required };
    }
    return out;
  }

  /** What the DOM holds, as the server would read the post: only enabled (visible) controls. */
  async function domAnswers(page: Page, definition: FormDefinition) {
    const raw = await page.evaluate(
      (names) => {
        const form = document.querySelector('form.contact-form') as HTMLFormElement;
        const data = new FormData(form);
        return Object.fromEntries(names.map((n) => [n, data.getAll(n).filter((v) => typeof v === 'string')]));
      },
      definition.fields.map((f) => f.name),
    );
    const answers: Record<string, ReturnType<typeof normalizeAnswer>> = {};
    for (const field of definition.fields) {
      const values = raw[field.name] ?? [];
      const value = normalizeAnswer(field, field.type === 'checkboxes' ? values : values[0]);
      if (value !== undefined) answers[field.name] = value;
    }
    return Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined)) as Parameters<
      typeof fieldStates
    >[1];
  }

  it('browser and server agree on which fields are shown, required and wrong, for random forms and answers', async () => {
    const definitions = fc.sample(
      arbFormDefinition(6).chain((definition) =>
        fc.tuple(...definition.fields.map((f) => arbDomAnswer(f))).map((values) => ({ definition, values })),
      ),
      { numRuns: 20, seed: 1101 },
    );
    const page = await h.newPage({ locale: 'en' });
    let compared = 0;
    for (const [i, { definition, values }] of definitions.entries()) {
      const key = `prop-${i}`;
      const created = await h.app.app.inject({
        method: 'POST',
        url: '/api/forms',
        headers: h.app.operator,
        payload: { key, definition },
      });
      expect(created.statusCode, created.body).toBe(201);
      await page.goto(`${h.baseUrl}/en/contact?form=${key}`);
      await page.locator('form.contact-form[data-ready]').waitFor();
      const answerable = definition.fields.filter((f) => f.type !== 'hidden');
      for (const [j, field] of definition.fields.entries()) await enter(page, field, values[j]);
      const answers = await domAnswers(page, definition);
      // The server's engine on the same answers, with the page's context (the locale) in hidden fields.
      const region = await page.locator('input[name="context.region"]').inputValue();
      const withContext = { ...answers };
      for (const field of definition.fields) {
        if (field.type === 'hidden' && field.context === 'locale') withContext[field.name] = 'en';
        if (field.type === 'hidden' && field.context === 'region') withContext[field.name] = region;
      }
      const server = fieldStates(definition, withContext).states;
      const shown = await shownStates(page, answerable);
      for (const field of answerable) {
        const expected = server[field.name];
        expect(
          shown[field.name],
          `${key} ${field.name} ${JSON.stringify(definition)} ${JSON.stringify(answers)}`,
        ).toEqual({
          visible: expected?.visible,
          required: field.type === 'notice' ? false : expected?.required,
        });
      }
      // Sending: the island refuses exactly the fields the server's validator refuses.
      const expectedProblems = validateAnswers(definition, withContext)
        .problems.map((p) => p.field)
        .sort();
      await page.locator('[data-submit]').click();
      if (expectedProblems.length > 0) {
        await page.locator('#form-errors').waitFor({ timeout: 5000 });
        const wrong = await page
          .locator('[data-field].has-error')
          .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.field ?? '').sort());
        expect(wrong, `${key} ${JSON.stringify(definition)} ${JSON.stringify(answers)}`).toEqual(expectedProblems);
      } else {
        await page.waitForURL(/\/contact\/sent\?ref=/, { timeout: 20_000 });
      }
      compared += 1;
    }
    expect(compared).toBe(definitions.length);
    await page.context().close();
  }, 150_000);
});
