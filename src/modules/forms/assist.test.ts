import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildLabeledData } from '../classify/classify.factories.js';
import { activateModel, createModelVersion, inProcessTrainer, trainModelVersion } from '../classify/index.js';
import { buildArticle, buildTopic } from '../content/content.factories.js';
import type { FormDefinition } from './form-logic.js';
import { billingFormDefinition, buildForm } from './forms.factories.js';
import { ASSIST_BUDGET } from './forms-public.routes.js';
import { matchCategoryOption } from './predict-field.js';
import { DEFLECTIONS_PER_NETWORK_PER_DAY } from './record-deflection.js';
import { issueSuggestionToken, SUGGESTION_TOKEN_TTL_MS } from './suggestion-token.js';

interface Suggestion {
  slug: string;
  title: string;
  url: string;
  snippet: string;
  token: string;
}

/**
 * A form whose category options name the parent "billing" first, then subcategories (so neither "first option" nor
 * "first option in the family" passes for a refund).
 */
function refundsFormDefinition(): FormDefinition {
  return {
    defaultLocale: 'en',
    title: { en: 'Payments' },
    fields: [
      {
        name: 'kind',
        type: 'select',
        role: 'category',
        label: { en: 'What happened?' },
        options: [
          { value: 'billing_other', label: { en: 'Another billing question' }, category: 'billing' },
          { value: 'double', label: { en: 'A charge I did not expect' }, category: 'charges' },
          { value: 'money_back', label: { en: 'I want a refund' }, category: 'refunds' },
          { value: 'other', label: { en: 'Other' } },
        ],
      },
      { name: 'description', type: 'textarea', role: 'description', label: { en: 'Tell us more' }, required: true },
    ],
  };
}

const today = () => new Date().toISOString().slice(0, 10);

describe('typing helpers of the contact forms: suggestions, deflections, live prediction', () => {
  let t: TestApp;
  let article: { id: number; revisionId: number };

  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        const topic = (await buildTopic(db, { slug: 'payments' })).slug;
        const saved = await buildArticle(db, {
          slug: 'charged-twice',
          topic,
          title: 'Charged twice for one subscription',
          body: 'If your card was charged twice, Tom & Jerry say: the second charge is a hold that disappears in 3 days.',
        });
        await buildArticle(db, {
          slug: 'reset-password',
          topic,
          title: 'Reset your password',
          body: 'Tap Forgot password on the login screen.',
        });
        await buildArticle(db, {
          slug: 'refund-request',
          topic,
          locale: 'ja',
          title: '返金を申請する',
          body: '返金は設定の請求画面から申請できます。',
        });
        const row = await db
          .selectFrom('articles as a')
          .innerJoin('article_translations as tr', 'tr.article_id', 'a.id')
          .select(['a.id', 'tr.published_revision_id'])
          .where('a.slug', '=', 'charged-twice')
          .where('tr.locale', '=', 'en')
          .executeTakeFirstOrThrow();
        expect(saved).toBeTruthy();
        article = { id: row.id, revisionId: row.published_revision_id! };
        await buildForm(db);
        await buildForm(db, { key: 'payments', definition: refundsFormDefinition() });
        await buildForm(db, { key: 'retired', definition: billingFormDefinition(), enabled: false });
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const suggest = (query: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({ url: `/api/forms/billing/suggestions?${query}`, remoteAddress });
  const readerCookie = (id: string) => ({ al_rid: t.ctx.readers.sign(id, new Date(Date.now() - 86_400_000)) });
  const deflect = (token: string, options: { reader?: string; remoteAddress?: string; form?: string } = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/forms/${options.form ?? 'billing'}/deflections`,
      payload: { token },
      remoteAddress: options.remoteAddress ?? '127.0.0.1',
      ...(options.reader ? { cookies: readerCookie(options.reader) } : {}),
    });
  const predict = (payload: Record<string, unknown>, form = 'billing') =>
    t.app.inject({ method: 'POST', url: `/api/forms/${form}/predict`, payload });

  describe('suggestions', () => {
    it('offers the matching article in English for a typed sentence, as plain text with a token', async () => {
      const res = await suggest('locale=en&q=I%20was%20charged%20twi');
      expect(res.statusCode, res.body).toBe(200);
      const suggestions = res.json().suggestions as Suggestion[];
      expect(suggestions[0]).toMatchObject({
        slug: 'charged-twice',
        title: 'Charged twice for one subscription',
        url: '/en/articles/charged-twice',
      });
      expect(suggestions.map((s) => s.slug)).not.toContain('reset-password');
      // Plain text: no <mark>, and the ampersand is a character, not an entity.
      expect(suggestions[0]!.snippet).toContain('charged twice');
      expect(suggestions[0]!.snippet).toContain('Tom & Jerry');
      expect(suggestions[0]!.snippet).not.toMatch(/[<>]|&amp;|&lt;|&#39;/);
      expect(suggestions[0]!.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    });

    it('offers the Japanese article for two kanji, and nothing for two Latin letters', async () => {
      const ja = await suggest(`locale=ja&q=${encodeURIComponent('返金')}`);
      expect(ja.statusCode, ja.body).toBe(200);
      expect((ja.json().suggestions as Suggestion[])[0]).toMatchObject({
        slug: 'refund-request',
        title: '返金を申請する',
        url: '/ja/articles/refund-request',
      });
      const one = await suggest(`locale=ja&q=${encodeURIComponent('返')}`);
      expect(one.json()).toEqual({ suggestions: [] });
      const two = await suggest('locale=en&q=ch');
      expect(two.statusCode).toBe(200);
      expect(two.json()).toEqual({ suggestions: [] });
      const three = await suggest('locale=en&q=cha');
      expect((three.json().suggestions as Suggestion[]).map((s) => s.slug)).toContain('charged-twice');
    });

    it('answers 404 for an unknown or disabled form and 400 for a locale that is not an enabled content locale', async () => {
      const unknown = await t.app.inject({ url: '/api/forms/nope/suggestions?locale=en&q=charged' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('NOT_FOUND');
      const disabled = await t.app.inject({ url: '/api/forms/retired/suggestions?locale=en&q=charged' });
      expect(disabled.statusCode).toBe(404);
      const locale = await suggest('locale=xx&q=charged');
      expect(locale.statusCode).toBe(400);
      expect(locale.json().error.code).toBe('UNKNOWN_LOCALE');
      const long = await suggest(`locale=en&q=${'a'.repeat(5001)}`);
      expect(long.statusCode).toBe(400);
    });

    it('answers 429 with Retry-After once an address has spent its budget', async () => {
      const address = '203.0.113.9';
      for (let i = 0; i < ASSIST_BUDGET.perAddress; i++) {
        const res = await suggest(`locale=en&q=charged${i % 3}`, address);
        expect(res.statusCode).toBe(200);
      }
      const over = await suggest('locale=en&q=charged', address);
      expect(over.statusCode).toBe(429);
      expect(over.json().error.code).toBe('RATE_LIMITED');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      // Another address still gets its answers.
      expect((await suggest('locale=en&q=charged', '198.51.100.4')).statusCode).toBe(200);
    });
  });

  describe('deflections', () => {
    async function tokenFor(query: string, remoteAddress = '127.0.0.1'): Promise<string> {
      const res = await suggest(query, remoteAddress);
      const found = (res.json().suggestions as Suggestion[]).find((s) => s.slug === 'charged-twice');
      expect(found, res.body).toBeDefined();
      return found!.token;
    }

    it('counts a suggestion once per reader, article and day, credited to its article, revision and locale', async () => {
      const token = await tokenFor('locale=en&q=charged%20twice');
      const first = await deflect(token, { reader: 'reader-deflect-000001' });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toEqual({ counted: true });
      const again = await deflect(token, { reader: 'reader-deflect-000001' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual({ counted: false });
      const other = await deflect(token, { reader: 'reader-deflect-000002' });
      expect(other.json()).toEqual({ counted: true });
      // Without a cookie: the address and user agent stand in, once too.
      expect((await deflect(token)).json()).toEqual({ counted: true });
      expect((await deflect(token)).json()).toEqual({ counted: false });

      const rows = await t.database.db
        .selectFrom('form_deflections as d')
        .innerJoin('forms as f', 'f.id', 'd.form_id')
        .select(['f.key', 'd.article_id', 'd.revision_id', 'd.locale', 'd.reader_key', 'd.network_key'])
        .orderBy('d.id')
        .execute();
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row).toMatchObject({
          key: 'billing',
          article_id: article.id,
          revision_id: article.revisionId,
          locale: 'en',
        });
      }
      expect(new Set(rows.map((r) => r.reader_key)).size).toBe(3);
      // Neither the reader id nor the address is stored as such.
      expect(rows.map((r) => r.reader_key).join()).not.toContain('127.0.0.1');
    });

    it('shows the deflections in the deflection insights as answeredInForm', async () => {
      const res = await t.app.inject({
        url: `/api/insights/deflection?from=${today()}&to=${today()}&slug=charged-twice`,
        headers: t.operator,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows).toEqual([
        expect.objectContaining({ slug: 'charged-twice', locale: 'en', revision: 1, readers: 0, answeredInForm: 3 }),
      ]);
      const csv = await t.app.inject({
        url: `/api/insights/deflection?from=${today()}&to=${today()}&slug=charged-twice&format=csv`,
        headers: t.operator,
      });
      expect(csv.body.split('\n')[0]).toContain('answeredInForm');
    });

    it('refuses a forged, expired or other form token with 400 FORM_TOKEN_INVALID, and stores nothing', async () => {
      const token = await tokenFor('locale=en&q=charged%20twice');
      const [payload, tag] = token.split('.') as [string, string];
      const claim = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[];
      claim[1] = article.id + 1000;
      const forged = `${Buffer.from(JSON.stringify(claim)).toString('base64url')}.${tag}`;
      const expired = issueSuggestionToken(
        t.ctx.keys.forms,
        { form: 'billing', articleId: article.id, revisionId: article.revisionId, locale: 'en' },
        new Date(Date.now() - SUGGESTION_TOKEN_TTL_MS - 60_000),
      );
      const before = await t.database.db.selectFrom('form_deflections').select('id').execute();
      for (const bad of [forged, expired, `${token}x`, 'garbage']) {
        const res = await deflect(bad, { reader: 'reader-deflect-forger1' });
        expect(res.statusCode, bad).toBe(400);
        expect(res.json().error.code).toBe('FORM_TOKEN_INVALID');
      }
      // A token the billing form's suggestions gave is not one of the payments form's.
      const elsewhere = await deflect(token, { reader: 'reader-deflect-forger1', form: 'payments' });
      expect(elsewhere.json().error.code).toBe('FORM_TOKEN_INVALID');
      expect(await t.database.db.selectFrom('form_deflections').select('id').execute()).toHaveLength(before.length);
      const tooBig = await deflect('a'.repeat(2000));
      expect(tooBig.statusCode).toBe(413);
      const unknownForm = await deflect(token, { form: 'nope' });
      expect(unknownForm.statusCode).toBe(404);
    });

    it('stops counting for a network beyond its daily budget', async () => {
      const token = await tokenFor('locale=en&q=charged%20twice', '192.0.2.1');
      const counted: boolean[] = [];
      for (let i = 0; i <= DEFLECTIONS_PER_NETWORK_PER_DAY; i++) {
        const res = await deflect(token, {
          reader: `reader-budget-${String(i).padStart(6, '0')}`,
          remoteAddress: `192.0.2.${i + 1}`,
        });
        expect(res.statusCode).toBe(201);
        counted.push(res.json().counted as boolean);
      }
      expect(counted.filter(Boolean)).toHaveLength(DEFLECTIONS_PER_NETWORK_PER_DAY);
      expect(counted.at(-1)).toBe(false);
    });
  });

  describe('live prediction', () => {
    it('answers nulls while no model is active, and refuses an oversize text or an unknown form', async () => {
      const res = await predict({ locale: 'en', text: 'I was charged twice this month' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ category: null, confidence: null, field: null, value: null });
      const big = await predict({ locale: 'en', text: 'a'.repeat(5001) });
      expect(big.statusCode).toBe(400);
      expect(big.json().error.code).toBe('VALIDATION_FAILED');
      expect((await predict({ locale: 'en', text: 'refund' }, 'nope')).statusCode).toBe(404);
      expect((await predict({ locale: 'zz', text: 'refund' })).statusCode).toBe(400);
    });

    it("pre-selects the option whose category matches the active model's prediction", async () => {
      const db = t.database.db;
      await buildLabeledData(db);
      const { version } = await createModelVersion(db, { seed: 1 }, { enqueue: false });
      await trainModelVersion(db, version, { trainer: inProcessTrainer });
      await activateModel(db, version);

      // The billing form's options name the parent category "billing": a charge text is a billing question.
      const charge = await predict({ locale: 'en', text: 'I was charged twice this month on my card' });
      expect(charge.statusCode, charge.body).toBe(200);
      expect(charge.json()).toMatchObject({ field: 'problem', value: 'charged_twice' });
      expect(['charges', 'billing']).toContain(charge.json().category);
      expect(charge.json().confidence).toBeGreaterThan(0);

      // Options naming subcategories: the one the prediction names wins, wherever it is in the list.
      const refund = await predict({ locale: 'en', text: 'I want my money back, please refund the plan' }, 'payments');
      expect(refund.json()).toMatchObject({ category: 'refunds', field: 'kind', value: 'money_back' });
      const double = await predict(
        { locale: 'en', text: 'there is a strange charge on my card statement' },
        'payments',
      );
      expect(double.json()).toMatchObject({ category: 'charges', field: 'kind', value: 'double' });

      // A category no option names: the prediction, but nothing to pre-select.
      const login = await predict({ locale: 'en', text: "I can't log in, the password reset email never comes" });
      expect(login.json()).toMatchObject({ category: 'login', field: null, value: null });
    });
  });

  it('matches an option by the same category, else the nearest ancestor, else a descendant', () => {
    const parentOf = new Map<string, string | null>([
      ['billing', null],
      ['refunds', 'billing'],
      ['charges', 'billing'],
      ['late-refunds', 'refunds'],
      ['account', null],
    ]);
    const form = refundsFormDefinition();
    expect(matchCategoryOption(form, 'refunds', parentOf)).toEqual({ field: 'kind', value: 'money_back' });
    // A finer category than any option: its nearest ancestor's option.
    expect(matchCategoryOption(form, 'late-refunds', parentOf)).toEqual({ field: 'kind', value: 'money_back' });
    expect(matchCategoryOption(form, 'account', parentOf)).toBeNull();
    // Only children as options and the parent predicted: the first child.
    const children = { ...form, fields: form.fields.map((f) => ({ ...f, options: f.options?.slice(1) })) };
    expect(matchCategoryOption(children, 'billing', parentOf)).toEqual({ field: 'kind', value: 'double' });
    expect(matchCategoryOption(children, 'account', parentOf)).toBeNull();
  });

  describe('tracking plan', () => {
    it('accepts the contact form suggestion events from the site write key without flagging them', async () => {
      const key = t.ctx.events.siteWriteKey()!;
      const auth = { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` };
      const send = (event: string, properties: Record<string, unknown>) => {
        const messageId = randomUUID();
        return t.app
          .inject({
            method: 'POST',
            url: '/v1/track',
            headers: { 'content-type': 'application/json', ...auth },
            payload: JSON.stringify({ messageId, anonymousId: 'anon-form', event, properties }),
          })
          .then((res) => ({ res, messageId }));
      };
      const good = [
        await send('Contact Form Deflected', {
          locale: 'en',
          form: 'billing',
          article_slug: 'charged-twice',
          revision: 1,
        }),
        await send('Contact Form Suggestion Shown', {
          locale: 'en',
          form: 'billing',
          article_slugs: ['charged-twice'],
          count: 1,
        }),
        await send('Contact Form Suggestion Clicked', {
          locale: 'en',
          form: 'billing',
          article_slug: 'charged-twice',
          position: 1,
        }),
        await send('Contact Form Step Completed', { locale: 'en', form: 'billing', step: 1, step_name: 'problem' }),
      ];
      // The plan is checked: a revision that is not a number is flagged.
      const bad = await send('Contact Form Deflected', {
        locale: 'en',
        form: 'billing',
        article_slug: 'x',
        revision: 'one',
      });
      for (const { res } of [...good, bad]) expect(res.statusCode, res.body).toBe(200);
      await t.ctx.events.flush();
      const flagged = async (messageId: string) =>
        (
          await t.database.db
            .selectFrom('events')
            .select('flagged')
            .where('message_id', '=', messageId)
            .executeTakeFirstOrThrow()
        ).flagged;
      for (const { messageId } of good) expect(await flagged(messageId)).toBe(false);
      expect(await flagged(bad.messageId)).toBe(true);
    });
  });
});
