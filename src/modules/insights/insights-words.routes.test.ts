import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { tokenFor } from '../accounts/accounts.test-support.js';
import { buildArticle, buildTopic } from '../content/content.factories.js';
import type { ZArticleVocabulary, ZGapsResponse, ZVocabularyResponse } from './insights.schema.js';

type Vocabulary = z.infer<typeof ZVocabularyResponse>;
type Gaps = z.infer<typeof ZGapsResponse>;
type ArticleWords = z.infer<typeof ZArticleVocabulary>;

/** A reader with a browser's cookie jar: searches, clicks and contacts land in one session. */
function reader(t: TestApp) {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (response: { cookies: { name: string; value: string }[] }) => {
    for (const c of response.cookies) jar.set(c.name, c.value);
  };
  return {
    async search(locale: string, q: string): Promise<{ searchId: string; hits: { slug: string }[]; total: number }> {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/search?locale=${locale}&q=${encodeURIComponent(q)}&track=true`,
        headers: { cookie: cookie() },
      });
      expect(response.statusCode).toBe(200);
      remember(response);
      return response.json();
    },
    async click(locale: string, searchId: string, slug: string) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/search/clicks',
        headers: { cookie: cookie() },
        payload: { locale, searchId, slug },
      });
      expect(response.statusCode).toBe(200);
      remember(response);
    },
    async contact(locale: string) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/search/contacts',
        headers: { cookie: cookie() },
        payload: { locale },
      });
      expect(response.json()).toEqual({ recorded: true });
    },
  };
}

let voter = 0;
/** A counted "not helpful" vote with a comment on the article's current revision, written as the vote API stores it. */
async function unhelpfulComment(t: TestApp, slug: string, comment: string) {
  voter += 1;
  await sql`INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful, reason, comment, source)
    SELECT a.id, r.id, r.number, t.locale, t.locale, ${`voter-${voter}`}, false, 'missing_information', ${comment}, 'site'
      FROM articles a JOIN article_translations t ON t.article_id = a.id AND t.locale = 'en'
      JOIN article_revisions r ON r.id = t.published_revision_id
     WHERE a.slug = ${slug}`.execute(t.database.db);
}

async function ticket(t: TestApp, subject: string, body: string, locale = 'en') {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/tickets',
    headers: t.operator,
    payload: { subject, body, locale },
  });
  expect(response.statusCode).toBe(201);
}

describe('insights in the readers’ words', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_JOBS: 'false' },
      prepare: async ({ db }) => {
        const topic = (await buildTopic(db)).slug;
        await buildArticle(db, {
          slug: 'download-receipt',
          topic,
          title: 'Download your receipt',
          keywords: ['receipt', 'billing'],
          body:
            'Every payment gets a receipt. Open Billing, choose Payment history and download the receipt as a PDF.\n\n' +
            '## Old payments\n\nReceipts for payments older than a year are in the archive of your billing page.',
        });
        await buildArticle(db, {
          slug: 'reset-password',
          topic,
          title: 'Reset your password',
          keywords: ['password', 'sign in'],
          body:
            'Forgot your password? On the sign-in page choose Forgot password. We send a link to reset your password.\n\n' +
            '## Password rules\n\nA password needs ten characters. Reset it again when the link expired.',
        });
        await buildArticle(db, {
          slug: 'password-ja',
          topic,
          locale: 'ja',
          title: 'パスワードの再設定',
          body:
            'パスワードを忘れた場合は、サインインページで「パスワードをお忘れですか」を選んでください。' +
            '登録したメールアドレスに再設定用のリンクを送ります。リンクの有効期限は一時間です。\n\n' +
            '## パスワードの条件\n\n新しいパスワードは十文字以上にしてください。' +
            '以前と同じパスワードは使えません。再設定の後、すべての端末でもう一度サインインしてください。',
        });
      },
    });

    // Readers who want an invoice: the articles only ever say "receipt". Some click the receipt article.
    for (let i = 0; i < 3; i++) {
      const r = reader(t);
      const found = await r.search('en', 'download invoice');
      expect(found.hits.map((h) => h.slug)).toContain('download-receipt');
      await r.click('en', found.searchId, 'download-receipt');
    }
    for (const q of ['invoice pdf', 'invoice pdf', 'where is my invoice']) await reader(t).search('en', q);
    await unhelpfulComment(t, 'download-receipt', 'I need an invoice for my accountant, not a receipt');
    await unhelpfulComment(t, 'download-receipt', 'Where do I get the invoice? Mail it to jane.doe@example.com');
    await unhelpfulComment(t, 'download-receipt', 'No invoice with our VAT number anywhere');
    await ticket(t, 'Invoice for March', 'Please send me the invoice for March, our finance team needs it.');

    // Readers who find what they look for: words the articles use.
    for (let i = 0; i < 4; i++) {
      const r = reader(t);
      const found = await r.search('en', 'reset password');
      expect(found.hits[0]?.slug).toBe('reset-password');
      await r.click('en', found.searchId, 'reset-password');
    }

    // One topic no article covers, spelt three ways; one reader goes on to the contact page.
    const spellings = [
      'cancel subscription',
      'cancel subscription',
      'cancelling my subscription',
      'how to cancel subscription',
    ];
    for (const q of spellings) {
      const r = reader(t);
      expect((await r.search('en', q)).total).toBe(0);
      if (q.startsWith('how')) await r.contact('en');
    }
    // Tickets: three about a topic no article covers, one that the password article answers.
    await ticket(t, 'Export my data to Excel', 'How can I export all our data to an Excel sheet?');
    await ticket(t, 'Exporting data to Excel fails', 'The export to Excel stops halfway.');
    await ticket(t, 'Excel export of data', 'Where is the data export?');
    await ticket(t, 'Reset password', 'I forgot my password and need to reset it.');

    // Japanese readers: no spaces between words.
    for (let i = 0; i < 4; i++) await reader(t).search('ja', '請求書をダウンロードしたい');
    for (let i = 0; i < 2; i++) await reader(t).search('ja', '請求書が見つからない');
  });

  afterAll(async () => {
    await t.close();
  });

  const get = (url: string, headers: Record<string, string> = t.operator) =>
    t.app.inject({ method: 'GET', url, headers });

  it('lists the words readers use that the articles lack, with volume per source and redacted examples', async () => {
    const response = await get('/api/insights/vocabulary?locale=en');
    expect(response.statusCode).toBe(200);
    const body = response.json() as Vocabulary;
    const invoice = body.terms.find((term) => term.term === 'invoice');
    expect(invoice, JSON.stringify(body.terms.map((x) => x.term))).toBeDefined();
    expect(invoice?.sources).toEqual({ search: 6, comment: 3, ticket: 2 });
    expect(invoice?.count).toBe(11);
    expect(invoice?.zScore).toBeGreaterThanOrEqual(1.96);
    expect(invoice?.examples.length).toBeGreaterThan(0);
    expect(invoice?.examples.length).toBeLessThanOrEqual(3);
    // Every term's examples are redacted.
    const examples = body.terms.flatMap((term) => term.examples).join('\n');
    expect(examples).not.toContain('jane.doe@example.com');
    // Words the articles use are no news.
    const terms = body.terms.map((term) => term.term);
    expect(terms).not.toContain('password');
    expect(terms).not.toContain('reset');
    expect(terms).not.toContain('receipt');
    // Sorted by distinctiveness.
    const z = body.terms.map((term) => term.zScore);
    expect(z).toEqual([...z].sort((a, b) => b - a));
  });

  it('segments Japanese queries into words', async () => {
    const body = (await get('/api/insights/vocabulary?locale=ja')).json() as Vocabulary;
    const terms = body.terms.map((term) => term.term);
    expect(terms, JSON.stringify(body.terms)).toContain('請求');
    expect(terms).not.toContain('請求書をダウンロードしたい');
  });

  it('shows the queries that led readers to an article and the words it lacks', async () => {
    const response = await get('/api/insights/articles/download-receipt/vocabulary?locale=en');
    expect(response.statusCode).toBe(200);
    const body = response.json() as ArticleWords;
    expect(body.queries).toEqual([{ query: 'download invoice', count: 3 }]);
    expect(body.missing).toEqual([{ term: 'invoice', count: 3, queries: ['download invoice'] }]);
    expect((await get('/api/insights/articles/reset-password/vocabulary?locale=en')).json()).toEqual({
      queries: [{ query: 'reset password', count: 4 }],
      missing: [],
    });
    expect((await get('/api/insights/articles/no-such-article/vocabulary?locale=en')).statusCode).toBe(404);
  });

  it('groups failing searches and unanswered tickets into content gaps', async () => {
    const response = await get('/api/insights/gaps?locale=en');
    expect(response.statusCode).toBe(200);
    const { gaps } = response.json() as Gaps;
    const cancel = gaps.find((gap) => gap.phrase.includes('cancel'));
    expect(cancel).toMatchObject({
      phrase: 'cancel subscription',
      volume: 4,
      searches: 4,
      noResults: 4,
      contactAfter: 1,
      tickets: 0,
      locales: ['en'],
    });
    expect(cancel?.examples).toEqual(
      expect.arrayContaining(['cancel subscription', 'cancelling my subscription', 'how to cancel subscription']),
    );
    expect(gaps.filter((gap) => gap.phrase.includes('cancel'))).toHaveLength(1);
    const excel = gaps.find((gap) => gap.phrase.toLowerCase().includes('excel'));
    expect(excel).toMatchObject({ volume: 3, tickets: 3, searches: 0 });
    // Answered searches and tickets are no gaps, even at the smallest volume.
    const all = (await get('/api/insights/gaps?locale=en&minVolume=1')).json() as Gaps;
    expect(all.gaps.map((gap) => gap.phrase.toLowerCase()).filter((p) => p.includes('password'))).toEqual([]);
    // Sorted by volume.
    const volumes = all.gaps.map((gap) => gap.volume);
    expect(volumes).toEqual([...volumes].sort((a, b) => b - a));
  });

  it('answers CSV that parses to the same rows', async () => {
    const gaps = (await get('/api/insights/gaps?locale=en')).json() as Gaps;
    const response = await get('/api/insights/gaps?locale=en', { ...t.operator, accept: 'text/csv' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(response.body, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.phrase, Number(r.volume)])).toEqual(gaps.gaps.map((g) => [g.phrase, g.volume]));
    const words = await get('/api/insights/vocabulary?locale=en&format=csv');
    const wordRows = parse(words.body, { columns: true, bom: true }) as Record<string, string>[];
    expect(wordRows.find((r) => r.term === 'invoice')).toMatchObject({ search: '6', comment: '3', ticket: '2' });
  });

  it('refuses anonymous callers and roles without insights.read, and unknown locales', async () => {
    expect((await get('/api/insights/vocabulary', {})).statusCode).toBe(401);
    expect((await get('/api/insights/gaps', {})).statusCode).toBe(401);
    const agent = await tokenFor(t, 'agent');
    expect((await get('/api/insights/gaps', agent.headers)).statusCode).toBe(403);
    expect((await get('/api/insights/vocabulary', agent.headers)).statusCode).toBe(403);
    expect((await get('/api/insights/articles/reset-password/vocabulary', agent.headers)).statusCode).toBe(403);
    const analyst = await tokenFor(t, 'analyst');
    expect((await get('/api/insights/gaps', analyst.headers)).statusCode).toBe(200);
    const unknown = await get('/api/insights/vocabulary?locale=xx');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('UNKNOWN_LOCALE');
    expect((await get('/api/insights/gaps?from=2026-02-01&to=2026-01-01')).statusCode).toBe(400);
  });
});
