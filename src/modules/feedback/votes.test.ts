import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { LIMITS } from '../../shared/limits.js';
import { buildLabeledData } from '../classify/classify.factories.js';
import { activateModel, createModelVersion, inProcessTrainer, trainModelVersion } from '../classify/index.js';
import { buildArticle, buildRegions } from '../content/content.factories.js';

/** The reader cookie a response set, as a Cookie header for the next request. */
function readerCookie(res: { cookies: { name: string; value: string }[] }): string {
  return res.cookies
    .filter((c) => c.name === 'al_rid' || c.name === 'al_sid')
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
}

describe('article votes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await buildRegions(db);
        await buildArticle(db, { slug: 'refund-plus', title: 'Get a refund for Plus' });
        await buildArticle(db, { slug: 'refund-plus', locale: 'es', title: 'Reembolso de Plus' });
        await buildArticle(db, { slug: 'reset-password', title: 'Reset your password' });
        // A trained, active model on the factory's labeled examples, as the demo has.
        await buildLabeledData(db);
        const { version } = await createModelVersion(db, { seed: 1 }, { enqueue: false });
        await trainModelVersion(db, version, { trainer: inProcessTrainer });
        await activateModel(db, version);
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  // Each vote from its own network unless a test says otherwise: budgets and rate limits have their own tests.
  let network = 0;
  const vote = (payload: Record<string, unknown>, cookie?: string, ip = `10.${++network}.0.1`) =>
    t.app.inject({
      method: 'POST',
      url: '/api/feedback/votes',
      payload,
      remoteAddress: ip,
      headers: cookie ? { cookie } : {},
    });
  const votesOf = async (slug: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/feedback/votes?article=${slug}`, headers: t.operator })).json()
      .votes as {
      id: number;
      helpful: boolean;
      reason: string | null;
      comment: string | null;
      revision: number;
      labels: { predicted: { category: string | null; modelVersion: number } | null } | null;
    }[];

  it('stores a "no" with a reason and comment, and the comment appears classified within seconds', async () => {
    const res = await vote({
      article: 'refund-plus',
      locale: 'en',
      helpful: false,
      reason: 'did_not_solve',
      comment: 'I was charged twice and there is no way to get my money back',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ok: true,
      helpful: false,
      hasComment: true,
      contactUrl: '/en/contact?article=refund-plus',
    });
    expect(readerCookie(res)).toContain('al_rid=');
    const started = Date.now();
    let predicted: { category: string | null; modelVersion: number } | null = null;
    while (Date.now() - started < 10_000) {
      const [latest] = await votesOf('refund-plus');
      predicted = latest?.labels?.predicted ?? null;
      if (predicted) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(predicted, 'classified by the background job').not.toBeNull();
    expect(predicted!.modelVersion).toBe(1);
    expect(['charges', 'refunds', 'billing']).toContain(predicted!.category);
  });

  it('keeps one vote per reader per revision, and lets the reader change it', async () => {
    const first = await vote({ article: 'reset-password', locale: 'en', helpful: true });
    const cookie = readerCookie(first);
    expect((await votesOf('reset-password')).length).toBe(1);
    const again = await vote(
      { article: 'reset-password', locale: 'en', helpful: false, reason: 'inaccurate', comment: 'Step 3 is wrong' },
      cookie,
    );
    expect(again.statusCode).toBe(200);
    const votes = await votesOf('reset-password');
    expect(votes).toHaveLength(1);
    expect(votes[0]).toMatchObject({ helpful: false, reason: 'inaccurate', comment: 'Step 3 is wrong', revision: 1 });
    // Back to "yes": the reason and comment go, and so does the comment's feedback item.
    await vote({ article: 'reset-password', locale: 'en', helpful: true, reason: 'other', comment: 'x' }, cookie);
    const [changed] = await votesOf('reset-password');
    expect(changed).toMatchObject({ helpful: true, reason: null, comment: null, labels: null });
    // Another reader is another vote.
    await vote({ article: 'reset-password', locale: 'en', helpful: true });
    expect(await votesOf('reset-password')).toHaveLength(2);
  });

  it('ties a vote to the revision published, and a new revision gets new votes', async () => {
    const first = await vote({ article: 'refund-plus', locale: 'es', helpful: true });
    const cookie = readerCookie(first);
    const { topic } = (await t.app.inject({ method: 'GET', url: '/api/articles/refund-plus?locale=es' })).json();
    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: t.operator,
      payload: { slug: 'refund-plus', topic, locale: 'es', title: 'Reembolso', body: 'Nuevo.', publish: true },
    });
    expect(saved.json().revision).toBe(2);
    const second = await vote({ article: 'refund-plus', locale: 'es', helpful: false }, cookie);
    expect(second.json().revision).toBe(2);
    // A reader who loaded the page before the new revision is told it changed (vote-budgets.test.ts has the rest).
    const late = await vote({ article: 'refund-plus', locale: 'es', revision: 1, helpful: false });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('VOTE_REVISION_NOT_CURRENT');
  });

  it('rejects bad input with what was wrong, and unknown articles with 404', async () => {
    const long = await vote({
      article: 'refund-plus',
      locale: 'en',
      helpful: false,
      comment: 'x'.repeat(LIMITS.voteComment + 1),
    });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toContain('comment');
    const reason = await vote({ article: 'refund-plus', locale: 'en', helpful: false, reason: 'boring' });
    expect(reason.json().error.message).toContain('reason');
    expect((await vote({ article: 'nope', locale: 'en', helpful: true })).statusCode).toBe(404);
    const cross = await t.app.inject({
      method: 'POST',
      url: '/api/feedback/votes',
      headers: { origin: 'https://evil.example' },
      payload: { article: 'refund-plus', locale: 'en', helpful: true },
    });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().error.code).toBe('CROSS_ORIGIN_REFUSED');
  });

  it('answers a bot that fills the honeypot as if it were a person, and stores nothing', async () => {
    const before = (await votesOf('refund-plus')).length;
    const res = await vote({
      article: 'refund-plus',
      locale: 'en',
      helpful: false,
      comment: 'buy cheap pins',
      website: 'http://spam.example',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().ok).toBe(true);
    expect((await votesOf('refund-plus')).length).toBe(before);
  });

  it('rate limits per client address', async () => {
    const first = await vote({ article: 'reset-password', locale: 'en', helpful: true }, undefined, '10.9.9.9');
    const cookie = readerCookie(first);
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.votesPerMinute + 2; i++) {
      statuses.push(
        (await vote({ article: 'reset-password', locale: 'en', helpful: i % 2 === 0 }, cookie, '10.9.9.9')).statusCode,
      );
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await vote({ article: 'reset-password', locale: 'en', helpful: true }, cookie, '10.9.9.9');
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    // Another reader elsewhere is not affected.
    expect(
      (await vote({ article: 'reset-password', locale: 'en', helpful: true }, undefined, '10.8.8.8')).statusCode,
    ).toBe(200);
  });

  it('works without JavaScript: the form posts, redirects back, and the page shows the next step', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/en/articles/reset-password' });
    expect(page.body).toContain('data-state="ask"');
    expect(page.body).toContain('action="/en/articles/reset-password/vote"');
    expect(page.body).toContain('Was this article helpful?');
    const no = await t.app.inject({
      method: 'POST',
      url: '/en/articles/reset-password/vote',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'helpful=no&revision=1&articleLocale=en&website=',
      remoteAddress: '10.1.1.1',
    });
    expect(no.statusCode).toBe(303);
    expect(no.headers.location).toBe('/en/articles/reset-password?vote=thanks#vote');
    const cookie = readerCookie(no);
    const asking = await t.app.inject({
      method: 'GET',
      url: '/en/articles/reset-password?vote=thanks',
      headers: { cookie },
    });
    expect(asking.body).toContain('data-state="no"');
    expect(asking.body).toContain('What was the problem?');
    expect(asking.body).toContain('href="/en/contact"');
    const details = await t.app.inject({
      method: 'POST',
      url: '/en/articles/reset-password/vote',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload:
        'helpful=no&reason=missing_information&comment=No+word+about+two-factor+codes&revision=1&articleLocale=en',
      remoteAddress: '10.1.1.1',
    });
    expect(details.statusCode).toBe(303);
    // The browser follows the redirect: that page (uncached) shows this reader's state; the shared page asks.
    const done = await t.app.inject({
      method: 'GET',
      url: '/en/articles/reset-password?vote=thanks',
      headers: { cookie },
    });
    expect(done.body).toContain('data-state="done"');
    const stored = (await votesOf('reset-password')).find((v) => v.comment === 'No word about two-factor codes');
    expect(stored).toMatchObject({ helpful: false, reason: 'missing_information' });
    // Changing the answer: the "change" link shows the question again.
    const change = await t.app.inject({
      method: 'GET',
      url: '/en/articles/reset-password?vote=change',
      headers: { cookie },
    });
    expect(change.body).toContain('data-state="ask"');
    // The honeypot is quietly ignored; bad fields come back as an error state.
    const bot = await t.app.inject({
      method: 'POST',
      url: '/en/articles/reset-password/vote',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'helpful=yes&website=spam',
      remoteAddress: '10.1.1.2',
    });
    expect(bot.headers.location).toContain('vote=thanks');
    expect(readerCookie(bot)).toBe('');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/en/articles/reset-password/vote',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'helpful=maybe',
      remoteAddress: '10.1.1.3',
    });
    expect(bad.headers.location).toContain('vote=error');
    const errorPage = await t.app.inject({ method: 'GET', url: '/en/articles/reset-password?vote=error' });
    expect(errorPage.body).toMatch(/data-message="error"(?![^>]*hidden)/);
  });

  it('renders the widget in the reader’s language, right to left in Arabic', async () => {
    const ar = await t.app.inject({ method: 'GET', url: '/ar/articles/reset-password' });
    expect(ar.body).toContain('هل كانت هذه المقالة مفيدة؟');
    expect(ar.body).toMatch(/<section[^>]*class="vote"[^>]*lang="ar"[^>]*dir="rtl"/);
    const es = await t.app.inject({ method: 'GET', url: '/es/articles/refund-plus' });
    expect(es.body).toContain('¿Te resultó útil este artículo?');
    expect(es.body).toContain('No resolvió mi problema');
  });
});
