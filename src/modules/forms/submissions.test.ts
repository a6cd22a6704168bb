import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildLabeledData } from '../classify/classify.factories.js';
import { activateModel, createModelVersion, inProcessTrainer, trainModelVersion } from '../classify/index.js';
import { buildArticle } from '../content/content.factories.js';
import { problemMessage } from './form-messages.js';
import { billingFormDefinition, buildForm } from './forms.factories.js';
import { updateForm } from './save-form.js';
import { multipartBody } from './submissions.test-support.js';

const URL_BILLING = '/api/forms/billing/submissions';

/** A valid "charged twice" submission; tests change one thing at a time. */
function valid(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    problem: 'charged_twice',
    charge_date: '2026-11-30',
    amount: '12.50',
    subject: 'Charged twice for Plus',
    description: 'Two charges of 12.50 on my card this month.',
    email: 'ana@example.com',
    ...overrides,
  };
}

describe('contact form submissions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_FORMS_CHALLENGE: 'off', ANSWERLOOP_FORMS_RATE_LIMIT: 'off' },
      prepare: async ({ db }) => {
        await buildArticle(db, { slug: 'double-charges', title: 'Double charges' });
        await buildArticle(db, { slug: 'draft-only', title: 'Not yet', publish: false });
        await buildForm(db);
        await buildForm(db, { key: 'retired', enabled: false });
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const submit = (answers: Record<string, unknown>, extra: Record<string, unknown> = {}, key = 'billing') =>
    t.app.inject({
      method: 'POST',
      url: `/api/forms/${key}/submissions`,
      payload: { locale: 'en', answers, ...extra },
    });

  async function stored(): Promise<{ tickets: number; submissions: number; attachments: number }> {
    const count = async (table: 'tickets' | 'form_submissions' | 'ticket_attachments') =>
      Number(
        (
          await t.ctx.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      tickets: await count('tickets'),
      submissions: await count('form_submissions'),
      attachments: await count('ticket_attachments'),
    };
  }

  async function submissionOf(reference: string) {
    return t.ctx.db
      .selectFrom('tickets as t')
      .innerJoin('form_submissions as s', 's.ticket_id', 't.id')
      .select([
        't.id',
        't.subject',
        't.body',
        't.locale',
        't.source',
        's.answers',
        's.context',
        's.form_version',
        's.prediction',
      ])
      .where('t.reference', '=', reference)
      .executeTakeFirstOrThrow();
  }

  it('files a valid submission as a ticket and answers its reference and the confirmation in the locale', async () => {
    const response = await submit(valid(), {
      context: { article: 'double-charges', revision: 1, query: 'charged twice' },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ locale: 'en', message: 'Thanks, we have your request.' });
    expect(body.reference).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
    const row = await submissionOf(body.reference);
    expect(row).toMatchObject({ subject: 'Charged twice for Plus', body: valid().description, source: 'contact_form' });
    expect(row.answers).toEqual({
      problem: 'charged_twice',
      charge_date: '2026-11-30',
      amount: 12.5,
      subject: 'Charged twice for Plus',
      description: valid().description,
      email: 'ana@example.com',
      // The hidden field, filled by the server from the context.
      article: 'double-charges',
    });
    expect(row.context).toEqual({ locale: 'en', article: 'double-charges', revision: 1, query: 'charged twice' });
    expect(row.form_version).toBe(1);
    // No active model: nothing predicted.
    expect(row.prediction).toBeNull();
  });

  it('refuses each wrong answer with a message per field, and stores nothing', async () => {
    const before = await stored();
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{}, { problem: 'required', subject: 'required', description: 'required', email: 'required' }],
      // Required-if: "charged twice" reveals and requires the date and the amount.
      [valid({ charge_date: undefined, amount: '' }), { charge_date: 'required', amount: 'required' }],
      [valid({ problem: 'refund' }), { order_id: 'required' }],
      [valid({ problem: 'nope' }), { problem: 'invalidOption' }],
      [valid({ email: 'ana@example' }), { email: 'invalidEmail' }],
      [valid({ amount: '100001' }), { amount: 'tooLarge' }],
      [valid({ amount: '-1' }), { amount: 'tooSmall' }],
      [valid({ amount: 'twelve' }), { amount: 'invalidNumber' }],
      [valid({ charge_date: '2026-02-30' }), { charge_date: 'invalidDate' }],
      [valid({ charge_date: '30/11/2026' }), { charge_date: 'invalidDate' }],
      [valid({ problem: 'refund', order_id: 'x'.repeat(41) }), { order_id: 'tooLong' }],
      [valid({ description: 'y'.repeat(20_001) }), { description: 'tooLong' }],
    ];
    for (const [answers, expected] of cases) {
      const response = await submit(answers);
      expect(response.statusCode, JSON.stringify(answers).slice(0, 200)).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe('VALIDATION_FAILED');
      const fields = Object.fromEntries(
        (error.details as { path: string; field: string; message: string }[]).map((d) => {
          expect(d.path).toBe(`answers.${d.field}`);
          return [d.field, d.message];
        }),
      );
      expect(Object.keys(fields).sort()).toEqual(Object.keys(expected).sort());
      for (const [field, code] of Object.entries(expected)) {
        const max = code === 'tooLong' ? (field === 'order_id' ? 40 : 5000) : code === 'tooLarge' ? 100000 : 0;
        expect(fields[field]).toBe(problemMessage({ field, code, max, min: 0 } as never, 'en'));
      }
    }
    expect(await stored()).toEqual(before);
  });

  it('says what is wrong in the reader’s language (ar, ja differ from en)', async () => {
    const messages: Record<string, Record<string, string>> = {};
    for (const locale of ['en', 'ar', 'ja']) {
      const response = await t.app.inject({
        method: 'POST',
        url: URL_BILLING,
        payload: { locale, answers: valid({ email: 'nope', amount: undefined }) },
      });
      expect(response.statusCode).toBe(400);
      messages[locale] = Object.fromEntries(
        (response.json().error.details as { field: string; message: string }[]).map((d) => [d.field, d.message]),
      );
    }
    expect(messages.ar).toEqual({
      amount: problemMessage({ field: 'amount', code: 'required' }, 'ar'),
      email: problemMessage({ field: 'email', code: 'invalidEmail' }, 'ar'),
    });
    expect(messages.ar?.email).not.toBe(messages.en?.email);
    expect(messages.ja?.email).not.toBe(messages.en?.email);
    expect(messages.ja?.amount).not.toBe(messages.en?.amount);
    expect(messages.ja?.amount).not.toBe(messages.ar?.amount);
  });

  it('strips answers to hidden fields and ignores unknown ones', async () => {
    const response = await submit(
      valid({
        problem: 'other',
        charge_date: '2026-01-01',
        amount: '3',
        order_id: 'A-1',
        colour: 'blue',
        article: 'forged',
      }),
    );
    expect(response.statusCode).toBe(201);
    const row = await submissionOf(response.json().reference);
    expect(row.answers).toEqual({
      problem: 'other',
      subject: 'Charged twice for Plus',
      description: valid().description,
      email: 'ana@example.com',
    });
    expect(row.context).toEqual({ locale: 'en' });
  });

  it('keeps only context the server can confirm: an existing published article, a known region', async () => {
    for (const article of ['no-such-article', 'draft-only']) {
      const response = await submit(valid(), { context: { article, revision: 3, region: 'atlantis' } });
      expect(response.statusCode).toBe(201);
      const row = await submissionOf(response.json().reference);
      expect(row.context).toEqual({ locale: 'en' });
      expect(row.answers).not.toHaveProperty('article');
    }
  });

  it('files the same ticket from JSON, a form post and multipart', async () => {
    const answers = valid({ amount: '12.5' });
    const json = await submit(answers, { context: { article: 'double-charges', query: 'twice' } });

    const fields = {
      ...answers,
      locale: 'en',
      'context.article': 'double-charges',
      'context.query': 'twice',
    } as Record<string, string>;
    const urlencoded = await t.app.inject({
      method: 'POST',
      url: URL_BILLING,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    // A file input left empty arrives as an empty part.
    form.append('screenshot', new Blob([]), '');
    const multipart = await t.app.inject({ method: 'POST', url: URL_BILLING, ...(await multipartBody(form)) });

    const rows = [];
    for (const response of [json, urlencoded, multipart]) {
      expect(response.statusCode, response.body).toBe(201);
      const { id: _id, ...row } = await submissionOf(response.json().reference);
      rows.push(row);
    }
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[2]).toEqual(rows[0]);
    expect(rows[0]?.context).toEqual({ locale: 'en', article: 'double-charges', query: 'twice' });
  });

  it('answers checkbox lists repeated in a form post', async () => {
    const definition = billingFormDefinition();
    definition.fields.splice(1, 0, {
      name: 'cards',
      type: 'checkboxes',
      label: { en: 'Which cards?' },
      options: [
        { value: 'visa', label: { en: 'Visa' } },
        { value: 'amex', label: { en: 'Amex' } },
      ],
    });
    await buildForm(t.ctx.db, { key: 'cards', definition });
    const params = new URLSearchParams({ locale: 'en', ...(valid() as Record<string, string>) });
    params.append('cards', 'visa');
    params.append('cards', 'amex');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/forms/cards/submissions',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: params.toString(),
    });
    expect(response.statusCode, response.body).toBe(201);
    expect((await submissionOf(response.json().reference)).answers).toMatchObject({ cards: ['visa', 'amex'] });
  });

  it('records the version answered: after an update, new submissions record version 2', async () => {
    const changed = billingFormDefinition();
    changed.title.es = 'Facturación';
    await updateForm(t.ctx.db, 'cards', { definition: changed });
    const response = await submit(valid(), {}, 'cards');
    expect(response.statusCode).toBe(201);
    expect((await submissionOf(response.json().reference)).form_version).toBe(2);
  });

  it('answers 404 for an unknown or disabled form and 400 UNKNOWN_LOCALE for a locale the site lacks', async () => {
    const before = await stored();
    expect((await submit(valid(), {}, 'no-such-form')).statusCode).toBe(404);
    expect((await submit(valid(), {}, 'retired')).json().error.code).toBe('NOT_FOUND');
    const unknown = await t.app.inject({
      method: 'POST',
      url: URL_BILLING,
      payload: { locale: 'fr', answers: valid() },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('UNKNOWN_LOCALE');
    expect(await stored()).toEqual(before);
  });

  it('refuses malformed and oversized bodies with 4xx, never 500', async () => {
    const bad = [
      { headers: { 'content-type': 'application/json' }, payload: '{"locale": "en", "answers": ' },
      { headers: { 'content-type': 'application/json' }, payload: '[]' },
      { headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ locale: 'en', answers: 'x' }) },
      { headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ locale: 'en' }) },
      {
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({
          locale: 'en',
          answers: Object.fromEntries([...Array(61)].map((_, i) => [`f${i}`, 'x'])),
        }),
      },
      {
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ locale: 'en', answers: valid(), website: 'w'.repeat(2001) }),
      },
      { headers: { 'content-type': 'text/xml' }, payload: '<a/>' },
      { headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, payload: '--zzz\r\nContent-Dispo' },
      { headers: { 'content-type': 'multipart/form-data' }, payload: 'no boundary' },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'locale=en&answers=%ZZ' },
    ];
    for (const request of bad) {
      const response = await t.app.inject({ method: 'POST', url: URL_BILLING, ...request });
      expect(response.statusCode, `${request.payload.slice(0, 60)} → ${response.body}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${request.payload.slice(0, 60)} → ${response.body}`).toBeLessThan(500);
    }
  });

  describe('with an active classifier', () => {
    let m: TestApp;
    beforeAll(async () => {
      m = await createTestApp({
        env: { ANSWERLOOP_FORMS_CHALLENGE: 'off' },
        prepare: async ({ db }) => {
          await buildLabeledData(db);
          const { version } = await createModelVersion(db, { seed: 1 }, { enqueue: false });
          await trainModelVersion(db, version, { trainer: inProcessTrainer });
          await activateModel(db, version);
          await buildForm(db);
        },
      });
    });
    afterAll(async () => {
      await m.close();
    });

    it('records the prediction of the typed text with its confidence and the model version', async () => {
      const response = await m.app.inject({
        method: 'POST',
        url: URL_BILLING,
        payload: {
          locale: 'en',
          answers: valid({ subject: 'I was charged twice', description: 'double charge on my card this month' }),
        },
      });
      expect(response.statusCode, response.body).toBe(201);
      const row = await m.ctx.db
        .selectFrom('tickets as t')
        .innerJoin('form_submissions as s', 's.ticket_id', 't.id')
        .select(['s.prediction'])
        .where('t.reference', '=', response.json().reference)
        .executeTakeFirstOrThrow();
      const active = await m.ctx.classifier.current();
      expect(row.prediction).toMatchObject({ category: 'charges', modelVersion: active?.version });
      expect(row.prediction?.confidence).toBeGreaterThan(0);
      expect(row.prediction?.confidence).toBeLessThanOrEqual(1);
    });
  });
});
