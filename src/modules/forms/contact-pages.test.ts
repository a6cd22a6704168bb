import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildArticle } from '../content/content.factories.js';
import type { FormDefinition } from './form-logic.js';
import { billingFormDefinition, buildForm } from './forms.factories.js';

/** A second form, disabled: the chooser must not offer it. */
function hiddenFormDefinition(): FormDefinition {
  return {
    defaultLocale: 'en',
    title: { en: 'Secret form' },
    fields: [{ name: 'subject', type: 'text', role: 'subject', label: { en: 'Subject' }, required: true }],
  };
}

/** The `hidden` attribute of the wrapper of field `name` (undefined: no such wrapper). */
function wrapperOf(html: string, name: string): string | undefined {
  return new RegExp(`<div[^>]*data-field="${name}"[^>]*>`).exec(html)?.[0];
}

function form(fields: Record<string, string | string[]>): { body: string; headers: Record<string, string> } {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  return { body: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

describe('contact pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_FORMS_CHALLENGE: 'off' },
      prepare: async ({ db }) => {
        await buildArticle(db, { slug: 'refund-policy', title: 'Refund policy' });
        await buildForm(db);
        await buildForm(db, { key: 'secret', definition: hiddenFormDefinition(), enabled: false });
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const post = (url: string, fields: Record<string, string | string[]>) =>
    t.app.inject({ method: 'POST', url, ...form(fields) });

  it('lists the enabled forms as choices in English and Arabic, keeping the context', async () => {
    const en = await get('/en/contact?article=refund-policy&q=charged%20twice');
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('Billing');
    expect(en.body).toContain('Charges, refunds and invoices.');
    expect(en.body).not.toContain('Secret form');
    expect(en.body).toContain('href="/en/contact?form=billing&amp;article=refund-policy&amp;q=charged+twice"');
    expect(en.body).toContain('support@pinwheel.example');
    expect(en.body).toContain('<link rel="canonical" href="http://localhost:80/en/contact"');
    const ar = await get('/ar/contact');
    expect(ar.body).toContain('<html lang="ar" dir="rtl">');
    expect(ar.body).toContain('الفوترة');
    expect(ar.body).toContain('hreflang="en" href="http://localhost:80/en/contact"');
  });

  it('shows the chooser with a polite note for an unknown or disabled form', async () => {
    for (const key of ['nope', 'secret', '<script>']) {
      const res = await get(`/en/contact?form=${encodeURIComponent(key)}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain("We couldn't find that form.");
      expect(res.body).toContain('Billing');
      expect(res.body).not.toContain('<script>"');
    }
  });

  it('opens a form with its context, conditional fields hidden and disabled', async () => {
    const res = await get('/en/contact?form=billing&article=refund-policy&revision=2');
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<form class="contact-form" data-form="billing" data-locale="en"');
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('<input type="hidden" name="context.article" value="refund-policy"/>');
    expect(html).toContain('<input type="hidden" name="context.revision" value="2"/>');
    expect(html).toContain('id="contact-form-definition"');
    expect(wrapperOf(html, 'problem')).not.toContain('hidden');
    expect(wrapperOf(html, 'charge_date')).toContain('hidden');
    expect(html).toMatch(/<input id="f-charge_date" name="charge_date" disabled/);
    expect(html).toContain('name="website" tabindex="-1" autocomplete="off"');
    expect(html).toContain('value="refresh"');
  });

  it('reveals the fields an answer calls for without JavaScript, keeping every answer', async () => {
    const res = await post('/en/contact?form=billing', {
      _action: 'refresh',
      problem: 'charged_twice',
      subject: 'Two charges',
      description: 'I was billed twice',
      'context.article': 'refund-policy',
    });
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(wrapperOf(html, 'charge_date')).not.toContain('hidden');
    expect(wrapperOf(html, 'amount')).not.toContain('hidden');
    expect(wrapperOf(html, 'order_id')).toContain('hidden');
    expect(html).toMatch(/<input id="f-charge_date" name="charge_date" aria-required="true" type="date"/);
    expect(html).toContain('value="charged_twice" checked');
    expect(html).toContain('value="Two charges"');
    expect(html).toContain('I was billed twice</textarea>');
    expect(html).toContain('name="context.article" value="refund-policy"');
  });
});
