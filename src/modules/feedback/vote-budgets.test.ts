import { randomBytes } from 'node:crypto';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { LIMITS } from '../../shared/limits.js';
import { buildArticle } from '../content/content.factories.js';
import { translator } from '../site/i18n.js';
import { VoteWidget } from './vote-widget.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface StoredVote {
  id: number;
  helpful: boolean;
  comment: string | null;
  suspect: string | null;
  itemId: number | null;
}

/**
 * The audit's vote stuffing (finding 2): one client stored thousands of "not helpful" votes on one article by
 * rotating its reader cookie or X-Forwarded-For. Everything goes through HTTP as a client would send it.
 */
describe('vote stuffing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        const slugs = ['cookie-rotation', 'xff-rotation', 'fresh-cookies', 'subnet', 'subnet-aged', 'office-a', 'kpi'];
        for (const slug of slugs) {
          await buildArticle(db, { slug, title: `Article ${slug}` });
        }
        await buildArticle(db, { slug: 'office-b', title: 'Office B' });
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A reader cookie the server issued `ageMs` ago: a reader who has been around that long. */
  const agedCookie = (ageMs = 30 * DAY_MS) =>
    `al_rid=${t.ctx.readers.sign(randomBytes(12).toString('base64url'), new Date(Date.now() - ageMs))}`;

  const vote = (
    payload: Record<string, unknown>,
    options: { ip: string; cookie?: string; headers?: Record<string, string> },
  ) =>
    t.app.inject({
      method: 'POST',
      url: '/api/feedback/votes',
      payload,
      remoteAddress: options.ip,
      headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
    });

  const votesOf = async (slug: string): Promise<StoredVote[]> =>
    (
      await t.app.inject({ method: 'GET', url: `/api/feedback/votes?article=${slug}&limit=200`, headers: t.operator })
    ).json().votes;

  const tally = (votes: StoredVote[]) => {
    const byReason: Record<string, number> = {};
    for (const v of votes) if (v.suspect) byReason[v.suspect] = (byReason[v.suspect] ?? 0) + 1;
    return { counted: votes.filter((v) => v.suspect === null).length, byReason };
  };

  it('keys the rate limit on the client address: 300 votes with rotating cookies get the per-minute allowance', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const res = await vote(
        { article: 'cookie-rotation', locale: 'en', helpful: false },
        { ip: '203.0.113.9', cookie: agedCookie() },
      );
      statuses.push(res.statusCode);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMITS.votesPerMinute);
    expect(statuses.filter((s) => s === 429)).toHaveLength(300 - LIMITS.votesPerMinute);
    // Even long-lived identities from one address count only up to the address budget on one article.
    const stored = await votesOf('cookie-rotation');
    expect(stored).toHaveLength(LIMITS.votesPerMinute);
    expect(tally(stored)).toEqual({
      counted: LIMITS.voteAddressBudget,
      byReason: { address_budget: LIMITS.votesPerMinute - LIMITS.voteAddressBudget },
    });
  });

  it('ignores X-Forwarded-For from a client that is not a configured proxy', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await vote(
        { article: 'xff-rotation', locale: 'en', helpful: false },
        { ip: '203.0.113.77', headers: { 'x-forwarded-for': `198.18.${i}.${i + 1}` } },
      );
      statuses.push(res.statusCode);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMITS.votesPerMinute);
    expect(tally(await votesOf('xff-rotation')).counted).toBe(LIMITS.voteNewIdentityBudget);
  });

  it('counts fresh identities from one address only up to the new-identity budget; their comments are not classified', async () => {
    for (let i = 0; i < 300; i++) {
      await vote(
        { article: 'fresh-cookies', locale: 'en', helpful: false, reason: 'other', comment: `spam number ${i}` },
        { ip: '198.51.100.7' },
      );
    }
    const stored = await votesOf('fresh-cookies');
    expect(stored).toHaveLength(LIMITS.votesPerMinute);
    expect(tally(stored)).toEqual({
      counted: LIMITS.voteNewIdentityBudget,
      byReason: { new_identity: LIMITS.votesPerMinute - LIMITS.voteNewIdentityBudget },
    });
    // Flagged votes keep their comment for operators but never become feedback items for the classifier.
    for (const v of stored) expect(v.itemId === null, `vote ${v.id}`).toBe(v.suspect !== null);
    expect(stored.every((v) => v.comment !== null)).toBe(true);
  });

  it('counts rotating addresses in one /24 up to the network budgets, and the rating moves by no more', async () => {
    // Ten genuine readers on ten networks: 8 found it helpful.
    for (let i = 0; i < 10; i++) {
      const res = await vote({ article: 'subnet', locale: 'en', helpful: i < 8 }, { ip: `100.64.${i}.10` });
      expect(res.statusCode).toBe(200);
    }
    // 300 "no" votes from addresses rotating through one /24, with fresh identities...
    const fresh: number[] = [];
    for (let i = 0; i < 300; i++) {
      fresh.push(
        (await vote({ article: 'subnet', locale: 'en', helpful: false }, { ip: `192.0.2.${(i % 254) + 1}` }))
          .statusCode,
      );
    }
    expect(fresh.filter((s) => s === 200)).toHaveLength(LIMITS.votesPerNetworkPerMinute);
    const stored = await votesOf('subnet');
    expect(tally(stored)).toEqual({
      counted: 10 + LIMITS.voteNewIdentityBudget,
      byReason: { new_identity: LIMITS.votesPerNetworkPerMinute - LIMITS.voteNewIdentityBudget },
    });
    // ...and 300 more from another /24 with identities that look a month old.
    for (let i = 0; i < 300; i++) {
      await vote(
        { article: 'subnet-aged', locale: 'en', helpful: false },
        { ip: `198.19.7.${(i % 254) + 1}`, cookie: agedCookie() },
      );
    }
    expect(tally(await votesOf('subnet-aged'))).toEqual({
      counted: LIMITS.voteNetworkBudget,
      byReason: { network_budget: LIMITS.votesPerNetworkPerMinute - LIMITS.voteNetworkBudget },
    });
    // The public rating counts the genuine votes and at most the budget of the stuffing.
    const page = await t.app.inject({ method: 'GET', url: '/en/articles/subnet' });
    expect(page.body).toContain(`8 of ${10 + LIMITS.voteNewIdentityBudget} readers found this article helpful`);
  });

  it('does not flag an office behind one address whose readers vote on different articles', async () => {
    const office = '203.0.113.50';
    for (let i = 0; i < 6; i++) {
      const slug = i < 4 ? 'office-a' : 'office-b';
      const res = await vote({ article: slug, locale: 'en', helpful: true }, { ip: office, cookie: agedCookie() });
      expect(res.statusCode).toBe(200);
    }
    // A colleague's first visit: a new identity, but the office has voted on that article fewer than
    // voteNewIdentityBudget times today.
    expect((await vote({ article: 'office-b', locale: 'en', helpful: true }, { ip: office })).statusCode).toBe(200);
    expect(tally(await votesOf('office-a'))).toEqual({ counted: 4, byReason: {} });
    expect(tally(await votesOf('office-b'))).toEqual({ counted: 3, byReason: {} });
  });

  it('keeps flagged votes out of the helpfulness KPI ("Article Voted" events)', async () => {
    for (let i = 0; i < 8; i++) {
      const res = await vote(
        { article: 'kpi', locale: 'en', helpful: false },
        { ip: '203.0.113.200', cookie: `ajs_anonymous_id=reader-kpi-${i}` },
      );
      expect(res.statusCode).toBe(200);
    }
    const from = new Date(Date.now() - DAY_MS).toISOString();
    const to = new Date(Date.now() + DAY_MS).toISOString();
    const kpiVotes = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/events/kpis?from=${from}&to=${to}`, headers: t.operator })).json()
        .totals.votes as number;
    const started = Date.now();
    while ((await kpiVotes()) < LIMITS.voteNewIdentityBudget && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Give a late event the time to arrive (the queue writes within 100 ms) before saying there is none.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await kpiVotes()).toBe(LIMITS.voteNewIdentityBudget);
  });

  it('shows operators how many votes were flagged, by reason and article', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/feedback/votes/suspect-summary' })).statusCode).toBe(401);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/feedback/votes/suspect-summary',
      headers: t.operator,
    });
    expect(res.statusCode).toBe(200);
    const summary = res.json();
    const articles = Object.fromEntries(
      (summary.articles as { article: string; suspect: number; counted: number; byReason: object }[]).map((a) => [
        a.article,
        a,
      ]),
    );
    expect(articles['fresh-cookies']).toEqual({
      article: 'fresh-cookies',
      counted: 3,
      suspect: 9,
      byReason: { address_budget: 0, network_budget: 0, new_identity: 9 },
    });
    expect(articles['subnet-aged']).toMatchObject({ counted: 30, suspect: 30, byReason: { network_budget: 30 } });
    expect(articles['office-a']).toBeUndefined();
    // Every flagged vote stored is in the totals, and only those.
    const all = await Promise.all(
      ['cookie-rotation', 'xff-rotation', 'fresh-cookies', 'subnet', 'subnet-aged', 'kpi'].map(votesOf),
    );
    const flagged = all.flat().filter((v) => v.suspect !== null).length;
    expect(summary.suspect).toBe(flagged);
    expect(summary.byReason.address_budget + summary.byReason.network_budget + summary.byReason.new_identity).toBe(
      flagged,
    );
    const filtered = await t.app.inject({
      method: 'GET',
      url: '/api/feedback/votes?suspect=true&article=subnet-aged&limit=200',
      headers: t.operator,
    });
    expect(filtered.json().votes).toHaveLength(30);
  });
});

describe('votes name the revision published now', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await buildArticle(db, { slug: 'revised', title: 'Revised v1' });
        await buildArticle(db, { slug: 'revised', title: 'Revised v2' });
        await buildArticle(db, { slug: 'drafted', title: 'Drafted v1' });
        await buildArticle(db, { slug: 'drafted', title: 'Drafted v2', publish: false });
        await buildArticle(db, { slug: 'drafted', title: 'Drafted v3', publish: false });
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });
  let n = 0;
  const vote = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/feedback/votes',
      payload,
      headers,
      remoteAddress: `100.70.${++n}.1`,
    });
  const count = async () => (await t.ctx.db.selectFrom('article_votes').select('id').execute()).length;

  // 'revised': revision 1 published, then 2 published, so 1 is old; 'drafted': 1 published, 2 and 3 drafts.
  it('refuses old, draft and unknown revisions with one answer that reveals nothing about drafts', async () => {
    const old = await vote({ article: 'revised', locale: 'en', revision: 1, helpful: false });
    const draft = await vote({ article: 'drafted', locale: 'en', revision: 2, helpful: false });
    const laterDraft = await vote({ article: 'drafted', locale: 'en', revision: 3, helpful: false });
    const unknown = await vote({ article: 'drafted', locale: 'en', revision: 4, helpful: false });
    for (const res of [old, draft, laterDraft, unknown]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('VOTE_REVISION_NOT_CURRENT');
    }
    expect(new Set([draft.body, laterDraft.body, unknown.body, old.body]).size).toBe(1);
    expect(await count()).toBe(0);
    const current = await vote({ article: 'drafted', locale: 'en', revision: 1, helpful: true });
    expect(current.json()).toMatchObject({ ok: true, revision: 1 });
    expect((await vote({ article: 'revised', locale: 'en', helpful: true })).json().revision).toBe(2);
  });

  it('tells a reader without JavaScript whose page predates a publish that the article changed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/en/articles/revised/vote',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'helpful=no&revision=1&articleLocale=en',
      remoteAddress: '100.71.0.1',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/en/articles/revised?vote=changed#vote');
    const page = await t.app.inject({ method: 'GET', url: res.headers.location!.replace('#vote', '') });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/data-message="changed"(?![^>]*hidden)[^>]*>\s*This article was updated/);
    expect(page.body).toContain('name="revision" value="2"');
  });

  it('refuses Origin: null and other sites on the JSON and the form route, storing nothing', async () => {
    const before = await count();
    for (const origin of ['null', 'https://evil.example']) {
      const json = await vote({ article: 'revised', locale: 'en', helpful: false }, { origin });
      expect(json.statusCode).toBe(403);
      expect(json.json().error.code).toBe('CROSS_ORIGIN_REFUSED');
      const form = await t.app.inject({
        method: 'POST',
        url: '/en/articles/revised/vote',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        payload: 'helpful=no&revision=2&articleLocale=en',
        remoteAddress: '100.72.0.1',
      });
      expect(form.statusCode).toBe(403);
      expect(form.json().error.code).toBe('CROSS_ORIGIN_REFUSED');
    }
    expect(await count()).toBe(before);
    // The help center's own pages send their origin (Referrer-Policy same-origin) and are accepted.
    const own = await vote(
      { article: 'revised', locale: 'en', helpful: false },
      { host: 'help.example', origin: 'http://help.example' },
    );
    expect(own.statusCode).toBe(200);
    const page = await t.app.inject({ method: 'GET', url: '/en/articles/revised' });
    expect(page.headers['referrer-policy']).toBe('same-origin');
  });
});

describe('"X of Y found this helpful"', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await buildArticle(db, { slug: 'popular', title: 'Popular' });
        await buildArticle(db, { slug: 'quiet', title: 'Quiet' });
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });
  const vote = (slug: string, helpful: boolean, i: number) =>
    t.app.inject({
      method: 'POST',
      url: '/api/feedback/votes',
      payload: { article: slug, locale: 'en', helpful },
      remoteAddress: `100.80.${i}.1`,
    });

  it('appears once the current revision has enough counted votes, in every locale with its plural forms', async () => {
    for (let i = 0; i < 12; i++) expect((await vote('popular', i < 7, i)).statusCode).toBe(200);
    for (let i = 0; i < LIMITS.helpfulSummaryMinVotes - 1; i++) await vote('quiet', true, 100 + i);
    const expected: Record<string, string> = {
      en: '7 of 12 readers found this article helpful',
      es: 'Este artículo ayudó a 7 de 12 lectores',
      ru: 'Статья помогла 7 из 12 читателей',
      ar: 'ساعدت هذه المقالة 7 من أصل 12 قارئًا',
      he: 'המאמר עזר ל־7 מתוך 12 קוראים',
      ja: '12人中7人がこの記事が役に立ったと回答しています',
    };
    for (const [locale, text] of Object.entries(expected)) {
      const page = await t.app.inject({ method: 'GET', url: `/${locale}/articles/popular` });
      expect(page.body, locale).toContain(`<p class="vote-summary" data-vote-summary>${text}</p>`);
    }
    const quiet = await t.app.inject({ method: 'GET', url: '/en/articles/quiet' });
    expect(quiet.body).toContain('<section class="vote"');
    expect(quiet.body).not.toContain('vote-summary');
  });

  it('formats the numbers as the locale does', () => {
    const line = (locale: string) =>
      renderToString(
        h(VoteWidget, {
          t: translator(locale),
          locale,
          slug: 'popular',
          articleLocale: 'en',
          revision: 1,
          state: { state: 'ask', message: null },
          helpful: { helpful: 12_345, total: 23_456 },
        }),
      );
    const n = (locale: string, value: number) => new Intl.NumberFormat(locale).format(value);
    expect(n('ru', 12_345)).not.toBe(n('en', 12_345));
    expect(line('en')).toContain('12,345 of 23,456 readers found this article helpful');
    expect(line('ru')).toContain(`Статья помогла ${n('ru', 12_345)} из ${n('ru', 23_456)} читателей`);
    expect(line('es')).toContain(`Este artículo ayudó a ${n('es', 12_345)} de ${n('es', 23_456)} lectores`);
    // 23,456 ends in 56: Arabic's "many" form (11–99), the noun singular and accusative.
    expect(line('ar')).toContain(`من أصل ${n('ar', 23_456)} قارئًا`);
    expect(line('ja')).toContain(`${n('ja', 23_456)}人中${n('ja', 12_345)}人`);
  });

  it('is the same for every reader, whatever they voted', async () => {
    const voter = await vote('popular', false, 200);
    const cookie = voter.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const theirs = await t.app.inject({ method: 'GET', url: '/en/articles/popular', headers: { cookie } });
    const anyone = await t.app.inject({ method: 'GET', url: '/en/articles/popular' });
    const line = (body: string) => /<p class="vote-summary"[^>]*>([^<]*)</.exec(body)?.[1];
    expect(line(theirs.body)).toBe(line(anyone.body));
  });
});
