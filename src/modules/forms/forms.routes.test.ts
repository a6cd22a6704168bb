import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { tokenFor } from '../accounts/accounts.test-support.js';
import { fileFormTicket } from './file-ticket.js';
import type { FormDefinition } from './form-logic.js';
import { billingFormDefinition } from './forms.factories.js';
import { loadCurrentForm, loadFormVersion } from './forms.queries.js';
import { FORM_BODY_BYTES } from './forms.routes.js';

/** A minimal valid form: one subject field. */
function simpleDefinition(): FormDefinition {
  return {
    defaultLocale: 'en',
    title: { en: 'Account access' },
    fields: [{ name: 'subject', type: 'text', role: 'subject', label: { en: 'Subject' }, required: true }],
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;
const LOCALES = ['en', 'es', 'ru', 'ar', 'he', 'ja', 'pt-BR', 'fr', 'de', 'it'];
/** 40 locale codes (the definition limit), with the built-ins first. */
const FORTY = [...LOCALES, ...Array.from({ length: 30 }, (_, i) => `x${String.fromCharCode(97 + (i % 26))}-r${i}`)];

/** A big, realistic definition: 60 fields × 40 locales of Arabic-sized texts (2 bytes a character) and options. */
function bigDefinition(): FormDefinition {
  const texts = (length: number) => Object.fromEntries(FORTY.map((code) => [code, 'ع'.repeat(length)]));
  return {
    defaultLocale: 'en',
    title: texts(80),
    description: texts(400),
    fields: Array.from({ length: 60 }, (_, i) => ({
      name: `field_${i}`,
      type: i === 0 ? ('text' as const) : ('select' as const),
      ...(i === 0 ? { role: 'subject' as const } : {}),
      label: texts(80),
      help: texts(200),
      ...(i === 0 ? {} : { options: Array.from({ length: 6 }, (_, o) => ({ value: `o${o}`, label: texts(30) })) }),
    })),
  };
}

describe('the forms API', () => {
  let t: TestApp;
  let viewer: { authorization: string };
  let translator: { authorization: string };
  let editor: { authorization: string };
  let agent: { authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false' } });
    viewer = (await tokenFor(t, 'viewer')).headers;
    translator = (await tokenFor(t, 'translator', { locales: ['ar'] })).headers;
    editor = (await tokenFor(t, 'editor')).headers;
    agent = (await tokenFor(t, 'agent')).headers;
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const create = (key: string, definition: unknown, headers = t.operator, extra: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/forms', headers, payload: { key, definition, ...extra } });

  it('creates a form, lists it and shows its detail with its version', async () => {
    const created = await create('billing', billingFormDefinition(), editor);
    expect(created.statusCode).toBe(201);
    const detail = created.json();
    expect(detail).toMatchObject({ key: 'billing', version: 1, enabled: true, position: 0 });
    expect(detail.definition).toEqual(billingFormDefinition());
    expect(detail.versions).toHaveLength(1);
    expect(detail.versions[0]).toMatchObject({ version: 1, createdBy: expect.stringContaining('@') });

    const again = await create('billing', simpleDefinition());
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('FORM_EXISTS');

    const second = await create('access', simpleDefinition());
    expect(second.statusCode).toBe(201);
    expect(second.json().position).toBe(1);

    const list = await t.app.inject({ method: 'GET', url: '/api/forms', headers: viewer });
    expect(list.statusCode).toBe(200);
    const forms = list.json().forms;
    expect(forms.map((f: { key: string }) => f.key)).toEqual(['billing', 'access']);
    expect(forms[0]).toMatchObject({
      key: 'billing',
      version: 1,
      enabled: true,
      position: 0,
      title: { en: 'Billing', ar: 'الفوترة' },
      defaultLocale: 'en',
      fields: 9,
      // The billing form has every reader-visible text in en and ar; es, ru, he and ja fall back.
      completeLocales: ['en', 'ar'],
      submissions30d: 0,
    });
    expect(forms[1].completeLocales).toEqual(['en']);

    const got = await t.app.inject({ method: 'GET', url: '/api/forms/billing', headers: viewer });
    expect(got.statusCode).toBe(200);
    expect(got.headers['cache-control']).toBe('private, no-store');
    expect(got.json()).toEqual(detail);
  });

  it('counts submissions of the last 30 days in the list, and orders forms by position', async () => {
    const created = await create('counted', simpleDefinition(), t.operator, { position: 50 });
    expect(created.statusCode).toBe(201);
    const form = await loadCurrentForm(t.ctx.db, 'counted');
    if (!form) throw new Error('the form was not created');
    const file = () =>
      fileFormTicket(
        t.ctx.db,
        {
          form: { id: form.id, key: form.key, version: form.version },
          locale: 'en',
          answers: { subject: 'It broke' },
          context: {},
          subject: 'It broke',
          body: '',
          prediction: null,
          networkKey: 'net:test',
          attachments: [],
        },
        { config: t.ctx.config.feedback, requesterKey: t.ctx.keys.requesterEmail, forward: false },
      );
    const old = await file();
    await file();
    await file();
    // One of them 31 days ago: out of the window.
    await t.ctx.db
      .updateTable('form_submissions')
      .set({ created_at: new Date(Date.now() - 31 * DAY_MS) })
      .where('ticket_id', '=', String(old.ticketId))
      .execute();
    const list = (await t.app.inject({ method: 'GET', url: '/api/forms', headers: t.operator })).json().forms;
    const counted = list.find((f: { key: string }) => f.key === 'counted');
    expect(counted.submissions30d).toBe(2);
    expect(list.find((f: { key: string }) => f.key === 'billing').submissions30d).toBe(0);
    expect(list.at(-1).key).toBe('counted');
  });

  it('answers the public definition of an enabled form in the reader locale, without sign-in', async () => {
    const en = await t.app.inject({ method: 'GET', url: '/api/forms/billing?locale=en' });
    expect(en.statusCode).toBe(200);
    expect(en.headers['cache-control']).toBe('public, max-age=60');
    const form = en.json();
    expect(form).toMatchObject({ key: 'billing', version: 1, locale: 'en', dir: 'ltr', title: 'Billing' });
    expect(form.fields.map((f: { name: string }) => f.name)).toEqual(billingFormDefinition().fields.map((f) => f.name));
    expect(form.fields[0]).toMatchObject({
      name: 'problem',
      type: 'radio',
      label: 'What is the problem?',
      required: true,
      options: [
        { value: 'charged_twice', label: 'Charged twice' },
        { value: 'refund', label: 'Refund' },
        { value: 'other', label: 'Something else' },
      ],
    });
    expect(form.fields[1].showIf).toEqual({ field: 'problem', op: 'equals', value: 'charged_twice' });
    // Nothing operator-only: no option categories, no context sources, no versions or authors.
    for (const field of form.fields as { options: object[] }[]) {
      expect(Object.keys(field)).not.toContain('context');
      for (const option of field.options) expect(Object.keys(option).sort()).toEqual(['label', 'value']);
    }
    expect(en.body).not.toContain('"billing"}'); // the option categories' slug
    expect(Object.keys(form)).not.toContain('versions');
    expect(Object.keys(form)).not.toContain('definition');

    const ar = (await t.app.inject({ method: 'GET', url: '/api/forms/billing?locale=ar' })).json();
    expect(ar).toMatchObject({ locale: 'ar', dir: 'rtl', title: 'الفوترة', submitLabel: 'إرسال إلى الدعم' });
    expect(ar.fields[0].options[0].label).toBe('خُصم المبلغ مرتين');

    // Hebrew has no texts in this form: its fallback chain (en) answers, the direction stays Hebrew's.
    const he = (await t.app.inject({ method: 'GET', url: '/api/forms/billing?locale=he' })).json();
    expect(he).toMatchObject({ locale: 'he', dir: 'rtl', title: 'Billing' });
    expect(he.fields[0].label).toBe('What is the problem?');

    // An operator asking with ?locale= gets the public variant too.
    const asOperator = await t.app.inject({ method: 'GET', url: '/api/forms/billing?locale=en', headers: t.operator });
    expect(asOperator.json()).toEqual(form);
  });

  it('refuses a public definition of an unknown form, an unknown or disabled locale', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/forms/nothing-here?locale=en' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
    const badKey = await t.app.inject({ method: 'GET', url: '/api/forms/Not_A_Key?locale=en' });
    expect(badKey.statusCode).toBe(400);
    const xx = await t.app.inject({ method: 'GET', url: '/api/forms/billing?locale=xx' });
    expect(xx.statusCode).toBe(400);
    expect(xx.json().error).toMatchObject({ code: 'UNKNOWN_LOCALE', details: [{ path: 'locale' }] });
    const empty = await t.app.inject({ method: 'GET', url: '/api/forms/billing?locale=' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('UNKNOWN_LOCALE');
    const long = await t.app.inject({ method: 'GET', url: `/api/forms/billing?locale=${'a'.repeat(500)}` });
    expect(long.statusCode).toBe(400);
    // A configured but disabled content locale is not served to readers.
    const disable = await t.app.inject({
      method: 'PATCH',
      url: '/api/locales/ja',
      headers: t.operator,
      payload: { enabled: false },
    });
    expect(disable.statusCode).toBe(200);
    const ja = await t.app.inject({ method: 'GET', url: '/api/forms/billing?locale=ja' });
    expect(ja.statusCode).toBe(400);
    expect(ja.json().error.code).toBe('UNKNOWN_LOCALE');
    // ... and no longer counts for translation coverage.
    await t.app.inject({ method: 'PATCH', url: '/api/locales/ja', headers: t.operator, payload: { enabled: true } });
  });

  it('guards the operator variant: 401 anonymous, 403 for a role without forms.read', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/forms/billing' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    const list = await t.app.inject({ method: 'GET', url: '/api/forms' });
    expect(list.statusCode).toBe(401);
    const asTranslator = await t.app.inject({ method: 'GET', url: '/api/forms/billing', headers: translator });
    expect(asTranslator.statusCode).toBe(403);
    expect(asTranslator.json().error.code).toBe('FORBIDDEN');
    expect((await t.app.inject({ method: 'GET', url: '/api/forms', headers: translator })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/forms/billing', headers: agent })).statusCode).toBe(200);
    // The route is registered as an operator route (the role matrix and docs/ROLES.md list it).
    expect(t.operatorRoutes).toEqual(
      expect.arrayContaining([
        { method: 'GET', url: '/api/forms', permission: 'forms.read' },
        { method: 'POST', url: '/api/forms', permission: 'forms.write' },
        { method: 'GET', url: '/api/forms/:key', permission: 'forms.read' },
        { method: 'PUT', url: '/api/forms/:key', permission: 'forms.write' },
      ]),
    );
  });

  it('refuses writes to anonymous callers (before reading the body), viewers, translators and agents', async () => {
    const bogus = { key: 'x', definition: { bogus: true } };
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/forms', payload: bogus });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.details).toBeUndefined();
    const put = await t.app.inject({ method: 'PUT', url: '/api/forms/billing', payload: { enabled: false } });
    expect(put.statusCode).toBe(401);
    for (const headers of [viewer, translator, agent]) {
      expect((await create('denied', simpleDefinition(), headers)).statusCode).toBe(403);
      const update = await t.app.inject({
        method: 'PUT',
        url: '/api/forms/billing',
        headers,
        payload: { enabled: false },
      });
      expect(update.statusCode).toBe(403);
    }
    const public_ = (await t.app.inject({ method: 'GET', url: '/api/forms/billing?locale=en' })).statusCode;
    expect(public_).toBe(200);
  });

  it('makes a changed definition a new version, keeps the old one listed, and leaves an unchanged one alone', async () => {
    const changed = billingFormDefinition();
    changed.title = { ...changed.title, en: 'Billing and refunds' };
    const updated = await t.app.inject({
      method: 'PUT',
      url: '/api/forms/billing',
      headers: editor,
      payload: { definition: changed },
    });
    expect(updated.statusCode).toBe(200);
    const detail = updated.json();
    expect(detail.version).toBe(2);
    expect(detail.definition.title.en).toBe('Billing and refunds');
    expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const stored = await loadFormVersion(t.ctx.db, (await loadCurrentForm(t.ctx.db, 'billing'))?.id ?? 0, 1);
    expect(stored?.title.en).toBe('Billing');

    const same = await t.app.inject({
      method: 'PUT',
      url: '/api/forms/billing',
      headers: editor,
      payload: { definition: changed, position: 7 },
    });
    expect(same.json()).toMatchObject({ version: 2, position: 7 });
    const publicForm = (await t.app.inject({ method: 'GET', url: '/api/forms/billing?locale=en' })).json();
    expect(publicForm).toMatchObject({ version: 2, title: 'Billing and refunds' });

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('object_id', '=', 'billing')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['form.create', 'form.update', 'form.update']);

    const missing = await t.app.inject({
      method: 'PUT',
      url: '/api/forms/nothing-here',
      headers: editor,
      payload: { enabled: false },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('hides a disabled form from readers (404) and keeps it for operators', async () => {
    const off = await t.app.inject({
      method: 'PUT',
      url: '/api/forms/access',
      headers: t.operator,
      payload: { enabled: false },
    });
    expect(off.json()).toMatchObject({ enabled: false, version: 1 });
    const reader = await t.app.inject({ method: 'GET', url: '/api/forms/access?locale=en' });
    expect(reader.statusCode).toBe(404);
    const operator = await t.app.inject({ method: 'GET', url: '/api/forms/access', headers: viewer });
    expect(operator.json()).toMatchObject({ key: 'access', enabled: false });
    const on = await t.app.inject({
      method: 'PUT',
      url: '/api/forms/access',
      headers: t.operator,
      payload: { enabled: true },
    });
    expect(on.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/forms/access?locale=en' })).statusCode).toBe(200);
  });

  describe('refuses a definition that makes no sense, pointing at the place', () => {
    const subject = { name: 'subject', type: 'text', role: 'subject', label: { en: 'Subject' } };
    const cases: [string, unknown, string][] = [
      [
        'a field name used twice',
        { ...simpleDefinition(), fields: [subject, { ...subject, role: undefined }] },
        'definition.fields.1.name',
      ],
      [
        'a condition on a later field',
        {
          ...simpleDefinition(),
          fields: [
            { ...subject, showIf: { field: 'kind', op: 'equals', value: 'a' } },
            { name: 'kind', type: 'text', label: { en: 'Kind' } },
          ],
        },
        'definition.fields.0.showIf',
      ],
      [
        'a condition on an unknown field, nested',
        {
          ...simpleDefinition(),
          fields: [
            subject,
            { name: 'a', type: 'text', label: { en: 'A' } },
            {
              name: 'b',
              type: 'text',
              label: { en: 'B' },
              requireIf: { all: [{ field: 'a', op: 'empty' }, { not: { field: 'zzz', op: 'empty' } }] },
            },
          ],
        },
        'definition.fields.2.requireIf',
      ],
      [
        'a choice without options',
        { ...simpleDefinition(), fields: [subject, { name: 'kind', type: 'select', label: { en: 'Kind' } }] },
        'definition.fields.1.options',
      ],
      [
        'a label missing in the default locale',
        { ...simpleDefinition(), fields: [subject, { name: 'kind', type: 'text', label: { ar: 'نوع' } }] },
        'definition.fields.1.label',
      ],
      [
        'an option label missing in the default locale',
        {
          ...simpleDefinition(),
          fields: [
            subject,
            { name: 'kind', type: 'radio', label: { en: 'Kind' }, options: [{ value: 'a', label: { ar: 'أ' } }] },
          ],
        },
        'definition.fields.1.options.0.label',
      ],
      ['a title missing in the default locale', { ...simpleDefinition(), title: { es: 'Acceso' } }, 'definition.title'],
      [
        'two subjects',
        { ...simpleDefinition(), fields: [subject, { ...subject, name: 'subject_two' }] },
        'definition.fields.1.role',
      ],
      [
        'a hidden field without a context source',
        { ...simpleDefinition(), fields: [subject, { name: 'from', type: 'hidden', label: { en: 'From' } }] },
        'definition.fields.1.context',
      ],
      [
        'an unknown field type',
        { ...simpleDefinition(), fields: [subject, { name: 'x', type: 'slider', label: { en: 'X' } }] },
        'definition.fields.1.type',
      ],
      [
        'an unknown comparison',
        {
          ...simpleDefinition(),
          fields: [
            subject,
            { name: 'x', type: 'text', label: { en: 'X' }, showIf: { field: 'subject', op: 'matches', value: '.*' } },
          ],
        },
        'definition.fields.1.showIf',
      ],
      ['no field at all', { ...simpleDefinition(), fields: [] }, 'definition.fields'],
      [
        'neither subject nor description',
        { ...simpleDefinition(), fields: [{ name: 'x', type: 'text', label: { en: 'X' } }] },
        'definition.fields',
      ],
    ];
    for (const [what, definition, path] of cases) {
      it(`${what} → 400 at ${path}`, async () => {
        const response = await create('refused', definition);
        expect(response.statusCode, response.body).toBe(400);
        const error = response.json().error;
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
        // The same definition is refused on update, at the same place.
        const update = await t.app.inject({
          method: 'PUT',
          url: '/api/forms/billing',
          headers: t.operator,
          payload: { definition },
        });
        expect(update.statusCode).toBe(400);
        expect(update.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
      });
    }

    it('a malformed key → 400 at key; nothing was stored for any refusal', async () => {
      const response = await create('Bad Key', simpleDefinition());
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details[0].path).toBe('key');
      expect(await loadCurrentForm(t.ctx.db, 'refused')).toBeNull();
    });
  });

  it('takes a definition of 60 fields in 40 locales and refuses a body past the cap with 413', async () => {
    const definition = bigDefinition();
    const body = JSON.stringify({ key: 'big', definition });
    const bytes = Buffer.byteLength(body);
    // Measured, for the comment on FORM_BODY_BYTES.
    console.info(`60 fields × 40 locales: ${(bytes / 1024 / 1024).toFixed(2)} MiB`);
    expect(bytes).toBeGreaterThan(1024 * 1024);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/forms',
      headers: { ...t.operator, 'content-type': 'application/json' },
      payload: body,
    });
    expect(created.statusCode, created.body.slice(0, 500)).toBe(201);
    expect(created.json().definition.fields).toHaveLength(60);
    const list = (await t.app.inject({ method: 'GET', url: '/api/forms', headers: t.operator })).json().forms;
    expect(list.find((f: { key: string }) => f.key === 'big').completeLocales).toEqual([
      'en',
      'es',
      'ru',
      'ar',
      'he',
      'ja',
    ]);

    const huge = JSON.stringify({ key: 'huge', definition: { ...definition, pad: 'x'.repeat(FORM_BODY_BYTES) } });
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/forms',
      headers: { ...t.operator, 'content-type': 'application/json' },
      payload: huge,
    });
    expect(refused.statusCode).toBe(413);
    expect(refused.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const tooManyLocales = {
      ...simpleDefinition(),
      title: Object.fromEntries([...FORTY, 'zz'].map((code) => [code, 'T'])),
    };
    const refusedLocales = await create('locales', tooManyLocales);
    expect(refusedLocales.statusCode).toBe(400);
    expect(refusedLocales.json().error.details[0].path).toBe('definition.title');
  });
});
