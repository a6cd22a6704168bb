import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildArticle } from '../content/content.factories.js';
import type { FormDefinition } from './form-logic.js';
import { buildForm } from './forms.factories.js';

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

describe('contact pages: sending without JavaScript', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_FORMS_CHALLENGE: 'off', ANSWERLOOP_FORMS_RATE_LIMIT: '100/10m' },
      prepare: async ({ db }) => {
        await buildArticle(db, { slug: 'refund-policy', title: 'Refund policy' });
        await buildForm(db);
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (url: string, fields: Record<string, string | string[]>) =>
    t.app.inject({ method: 'POST', url, ...form(fields) });
  const tickets = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses missing required-if answers with messages in Arabic beside each field, storing nothing', async () => {
    const before = await tickets();
    const res = await post('/ar/contact?form=billing', {
      _action: 'submit',
      problem: 'charged_twice',
      subject: 'خصم مرتين',
      description: 'تم خصم المبلغ مرتين',
      email: 'reader@example.com',
    });
    expect(res.statusCode).toBe(400);
    const html = res.body;
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('class="form-error-summary"');
    // The summary links to each field and names it; each field carries its message and aria-invalid.
    expect(html).toContain('href="#f-charge_date">تاريخ الخصم: يُرجى الإجابة عن هذا السؤال.</a>');
    expect(html).toContain('href="#f-amount">المبلغ المخصوم: يُرجى الإجابة عن هذا السؤال.</a>');
    expect(html).toMatch(
      /<p class="field-error" id="f-amount-error" data-field-error>يُرجى الإجابة عن هذا السؤال.<\/p>/,
    );
    expect(html).toMatch(/<input id="f-amount" name="amount" aria-describedby="f-amount-error" aria-invalid="true"/);
    expect(html).toContain('value="خصم مرتين"');
    expect(await tickets()).toBe(before);
  });

  it('files a complete post and redirects to the confirmation with the reference, in the reader language', async () => {
    const before = await tickets();
    const res = await post('/ar/contact?form=billing', {
      _action: 'submit',
      problem: 'charged_twice',
      charge_date: '2026-11-30',
      amount: '12.50',
      subject: 'خصم مرتين',
      description: 'تم خصم المبلغ مرتين',
      email: 'reader@example.com',
      'context.article': 'refund-policy',
      website: '',
    });
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    const ref = /^\/ar\/contact\/sent\?ref=([0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3})&form=billing$/.exec(location)?.[1];
    expect(ref).toBeDefined();
    expect(await tickets()).toBe(before + 1);
    const stored = await t.database.db
      .selectFrom('tickets')
      .select(['reference'])
      .where('reference', '=', ref ?? '')
      .executeTakeFirst();
    expect(stored).toBeDefined();
    const sent = await t.app.inject({ method: 'GET', url: location });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('<html lang="ar" dir="rtl">');
    expect(sent.body).toContain('وصلتنا رسالتك');
    expect(sent.body).toContain('شكرًا، وصلنا طلبك.');
    expect(sent.body).toContain(`data-reference>${ref}</output>`);
    expect(sent.body).toContain('name="robots" content="noindex"');
  });

  it('reads the multipart post a form with a file field makes without JavaScript (refresh and send)', async () => {
    const multipart = (fields: Record<string, string>) => {
      const boundary = '----answerloop-test';
      const parts = Object.entries(fields).map(
        ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      );
      const file = `--${boundary}\r\nContent-Disposition: form-data; name="screenshot"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`;
      return {
        payload: `${parts.join('')}${file}--${boundary}--\r\n`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      };
    };
    const answers = {
      locale: 'en',
      problem: 'refund',
      subject: 'Refund please',
      description: 'Order 5',
      email: 'a@example.com',
    };
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/en/contact?form=billing&_action=refresh',
      ...multipart(answers),
    });
    expect(refresh.statusCode).toBe(200);
    expect(wrapperOf(refresh.body, 'order_id')).not.toContain('hidden');
    expect(refresh.body).toContain('value="Refund please"');
    const before = await tickets();
    const refused = await t.app.inject({ method: 'POST', url: '/en/contact?form=billing', ...multipart(answers) });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#f-order_id">Order id: Please answer this question.</a>');
    const sent = await t.app.inject({
      method: 'POST',
      url: '/en/contact?form=billing',
      ...multipart({ ...answers, order_id: 'A-1234' }),
    });
    expect(sent.statusCode).toBe(303);
    expect(await tickets()).toBe(before + 1);
  });

  it('never echoes a malformed reference', async () => {
    const sent = await t.app.inject({ method: 'GET', url: '/en/contact/sent?ref=%3Cscript%3Ealert(1)%3C/script%3E' });
    expect(sent.statusCode).toBe(400);
    expect(sent.body).not.toContain('<script>alert');
    expect(sent.body).not.toContain('alert(1)');
    expect(sent.body).toContain('This confirmation link is incomplete.');
  });

  it('escapes hostile answers echoed back into the page', async () => {
    const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const res = await post('/en/contact?form=billing', {
      _action: 'refresh',
      problem: 'refund',
      order_id: hostile,
      subject: hostile,
      description: `</textarea>${hostile}`,
      'context.article': hostile,
      'context.query': hostile,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).not.toContain('<img src=x');
    expect(res.body).toContain('value="&quot;>&lt;script>alert(1)&lt;/script>&lt;img src=x onerror=alert(2)>"');
    expect(res.body).toContain('&lt;/textarea>');
  });

  it('tells a reader who posts too fast without a render token what to do, keeping the answers', async () => {
    const guarded = await createTestApp({
      env: { ANSWERLOOP_FORMS_CHALLENGE: 'on' },
      prepare: async ({ db }) => {
        await buildForm(db);
      },
    });
    try {
      const page = await guarded.app.inject({ method: 'GET', url: '/en/contact?form=billing' });
      const token = /name="formToken" value="([^"]+)"/.exec(page.body)?.[1];
      expect(token).toBeDefined();
      const res = await guarded.app.inject({
        method: 'POST',
        url: '/en/contact?form=billing',
        ...form({ _action: 'submit', formToken: token ?? '', problem: 'other', subject: 'Kept subject' }),
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('Please wait a few seconds and send it again.');
      expect(res.body).toContain('value="Kept subject"');
    } finally {
      await guarded.close();
    }
  });
});
