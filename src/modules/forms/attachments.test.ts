import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { createTestUser, signIn } from '../accounts/accounts.test-support.js';
import { problemMessage } from './form-messages.js';
import { buildForm } from './forms.factories.js';
import { FORM_LIMITS } from './forms.schema.js';
import { multipartBody } from './submissions.test-support.js';

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');

const URL_BILLING = '/api/forms/billing/submissions';

const ANSWERS = {
  locale: 'en',
  problem: 'other',
  subject: 'Screenshot of the invoice',
  description: 'The invoice shows the wrong name.',
  email: 'ana@example.com',
};

describe('contact form attachments', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_FORMS_CHALLENGE: 'off', ANSWERLOOP_FORMS_RATE_LIMIT: 'off' },
      prepare: async ({ db }) => {
        await buildForm(db);
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  async function upload(filename: string, data: Buffer, type: string, locale = 'en') {
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...ANSWERS, locale })) form.append(name, value);
    form.append('screenshot', new Blob([new Uint8Array(data)], { type }), filename);
    return t.app.inject({ method: 'POST', url: URL_BILLING, ...(await multipartBody(form)) });
  }

  async function attachmentsOf(reference: string) {
    return t.ctx.db
      .selectFrom('ticket_attachments as a')
      .innerJoin('tickets as t', 't.id', 'a.ticket_id')
      .select(['a.id', 'a.ticket_id', 'a.field', 'a.filename', 'a.content_type', 'a.size', 'a.sha256'])
      .where('t.reference', '=', reference)
      .execute();
  }

  async function storedCount(): Promise<number> {
    const row = await t.ctx.db
      .selectFrom('ticket_attachments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('accepts a PNG, stores it with its SHA-256, and lets only operators download it, with safe headers', async () => {
    const response = await upload('C:\\Users\\ana\\فاتورة May.png', PNG, 'image/png');
    expect(response.statusCode, response.body).toBe(201);
    const [attachment] = await attachmentsOf(response.json().reference);
    expect(attachment).toMatchObject({
      field: 'screenshot',
      filename: 'فاتورة May.png',
      content_type: 'image/png',
      size: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
    });
    const url = `/api/tickets/${attachment?.ticket_id}/attachments/${attachment?.id}`;

    const download = await t.app.inject({ method: 'GET', url, headers: t.operator });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PNG)).toBe(true);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent('فاتورة')}%20May.png`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(download.headers['cache-control']).toBe('private, no-store');

    const anonymous = await t.app.inject({ method: 'GET', url });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.rawPayload.includes(PNG)).toBe(false);
    const editor = await createTestUser(t, { role: 'editor' });
    const session = await signIn(t, editor.email);
    expect((await t.app.inject({ method: 'GET', url, headers: session.read })).statusCode).toBe(403);
    const agent = await createTestUser(t, { role: 'agent' });
    expect((await t.app.inject({ method: 'GET', url, headers: (await signIn(t, agent.email)).read })).statusCode).toBe(
      200,
    );
    // The attachment belongs to its ticket only.
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/tickets/${Number(attachment?.ticket_id) + 1000}/attachments/${attachment?.id}`,
      headers: t.operator,
    });
    expect(other.statusCode).toBe(404);
  });

  it('accepts a file as base64 in a JSON submission, typed by its content', async () => {
    const { locale, ...answers } = ANSWERS;
    const response = await t.app.inject({
      method: 'POST',
      url: URL_BILLING,
      payload: {
        locale,
        answers: {
          ...answers,
          screenshot: { filename: 'shot.png', contentType: 'application/pdf', data: PNG.toString('base64') },
        },
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const [attachment] = await attachmentsOf(response.json().reference);
    expect(attachment).toMatchObject({ content_type: 'image/png', size: PNG.length });
  });

  it('refuses an HTML page named .png, text, and a PNG named .pdf: the content decides, and nothing is stored', async () => {
    const before = await storedCount();
    for (const [name, data, type] of [
      ['photo.png', HTML, 'image/png'],
      ['notes.txt', Buffer.from('plain words'), 'text/plain'],
      ['invoice.pdf', PNG, 'application/pdf'],
    ] as const) {
      const response = await upload(name, data, type, 'ar');
      expect(response.statusCode, name).toBe(400);
      expect(response.json().error.details).toEqual([
        {
          path: 'answers.screenshot',
          field: 'screenshot',
          message: problemMessage({ field: 'screenshot', code: 'fileType' }, 'ar'),
        },
      ]);
    }
    expect(await storedCount()).toBe(before);
  });

  it('refuses a file over the field’s limit and over the hard limit per field, and too many files with 413', async () => {
    const before = await storedCount();
    // The billing form's screenshot takes 2 MiB; the hard limit per file is FORM_LIMITS.fileBytes.
    for (const size of [2 * 1024 * 1024 + 1, FORM_LIMITS.fileBytes + 10]) {
      const big = Buffer.concat([PNG, Buffer.alloc(size - PNG.length)]);
      const response = await upload('big.png', big, 'image/png');
      expect(response.statusCode, String(size)).toBe(400);
      expect(response.json().error.details).toEqual([
        {
          path: 'answers.screenshot',
          field: 'screenshot',
          message: problemMessage({ field: 'screenshot', code: 'fileTooLarge', max: 2 * 1024 * 1024 }, 'en'),
        },
      ]);
    }
    const form = new FormData();
    for (const [name, value] of Object.entries(ANSWERS)) form.append(name, value);
    for (let i = 0; i <= FORM_LIMITS.filesPerSubmission; i++) form.append(`f${i}`, new Blob([PNG]), `${i}.png`);
    const many = await t.app.inject({ method: 'POST', url: URL_BILLING, ...(await multipartBody(form)) });
    expect(many.statusCode).toBe(413);
    expect(await storedCount()).toBe(before);
  });
});
