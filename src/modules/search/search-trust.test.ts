import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { saveArticle, saveTopic } from '../content/index.js';
import { agedReader, searchAndClick, type TestBrowser } from './search.factories.js';

// The audit's finding 1, replayed through HTTP: what readers see (suggestions, learned boosts) must come only from
// searches the server ran, clicks on what it returned, from aged reader identities on distinct networks.

const texts = (res: { json(): { queries: { text: string }[] } }) => res.json().queries.map((q) => q.text);
const slugs = (res: { json(): { hits: { slug: string }[] } }) => res.json().hits.map((h) => h.slug);

describe('search evidence: suggestions and learned boosts only from what the server observed', () => {
  let t: TestApp;
  let honest = 0;

  beforeAll(async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_SEARCH_BLOCKLIST: 'casino, free money' },
      prepare: async ({ db }) => {
        await saveTopic(db, { slug: 'account', names: { en: 'Account' } });
        const articles = [
          {
            slug: 'delete-board',
            title: 'Delete a board',
            body: 'Delete a board you no longer need: open the board menu and choose Delete. Deleted boards go to the trash.',
            keywords: ['delete board', 'remove board'],
          },
          {
            slug: 'delete-account',
            title: 'Delete your account',
            body: 'To delete your account and all its data, open Settings, then Account, then Delete account.',
            keywords: ['delete account', 'close account'],
          },
          {
            slug: 'reset-password',
            title: 'Reset your password',
            body: 'Forgot your password? Tap Forgot password on the login screen to reset it.',
            keywords: ['forgot password'],
          },
        ];
        for (const a of articles) await saveArticle(db, { ...a, topic: 'account', locale: 'en', publish: true });
      },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  /** A reader the server issued a cookie to 30 days ago, on a /24 of its own. */
  function honestReader(): TestBrowser {
    honest += 1;
    return agedReader(t, {
      readerId: `honest-reader-${String(honest).padStart(6, '0')}`,
      remoteAddress: `192.0.${honest}.${10 + (honest % 200)}`,
    });
  }

  it("can't be planted by three forged-cookie clicks carrying a query (the audit's three curl calls)", async () => {
    const planted = 'reset password at pinwheel-help.io now';
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/search/clicks',
        payload: { locale: 'en', slug: 'reset-password', position: 1, kind: 'suggestion', query: planted, results: 1 },
        cookies: { al_rid: `forged-reader-id-0000${i}` },
        remoteAddress: `203.0.${113 + i}.9`,
      });
      statuses.push(res.statusCode);
    }
    // The same three through the front door: the server runs the search, but the readers are minutes old.
    for (let i = 0; i < 3; i++) {
      const search = await t.app.inject({
        url: `/api/search?q=${encodeURIComponent('reset password now')}&locale=en`,
        remoteAddress: `203.0.${120 + i}.9`,
      });
      const cookies = Object.fromEntries(search.cookies.map((c) => [c.name, c.value]));
      const click = await t.app.inject({
        method: 'POST',
        url: '/api/search/clicks',
        payload: { locale: 'en', slug: 'reset-password', searchId: search.json().searchId },
        cookies,
        remoteAddress: `203.0.${120 + i}.9`,
      });
      statuses.push(click.statusCode);
    }
    await t.ctx.search.refreshSuggestions();
    const suggest = await t.app.inject({ url: '/api/search/suggest?q=reset&locale=en' });
    expect(texts(suggest)).not.toContain(planted);
    expect(texts(suggest)).not.toContain('reset password now');
    // A click without a server-issued search id is refused; the front-door ones are stored, flagged.
    expect(statuses).toEqual([400, 400, 400, 200, 200, 200]);
    const flagged = await t.database.db
      .selectFrom('search_clicks')
      .select(['suspect', 'network_key'])
      .where('slug', '=', 'reset-password')
      .execute();
    expect(flagged).toHaveLength(3);
    expect(flagged.every((c) => c.suspect === 'young-reader')).toBe(true);
    // The network is kept as a keyed hash, never as the address.
    expect(flagged.every((c) => c.network_key !== null && !c.network_key.includes('203.0'))).toBe(true);
  });

  it('refuses a click on an article the search did not return, and a search id it did not issue', async () => {
    const reader = honestReader();
    const search = await t.app.inject({ url: '/api/search?q=delete%20board&locale=en', ...reader });
    expect(slugs(search)).not.toContain('reset-password');
    const notReturned = await t.app.inject({
      method: 'POST',
      url: '/api/search/clicks',
      payload: { locale: 'en', slug: 'reset-password', searchId: search.json().searchId, position: 1, kind: 'result' },
      ...reader,
    });
    expect(notReturned.statusCode).toBe(422);
    expect(notReturned.json().error.code).toBe('CLICK_NOT_IN_RESULTS');

    const invented = await t.app.inject({
      method: 'POST',
      url: '/api/search/clicks',
      payload: { locale: 'en', slug: 'delete-board', searchId: 'AAAAAAAAAAAAAAAAAAAAAA' },
      ...reader,
    });
    expect(invented.statusCode).toBe(422);
    expect(invented.json().error.code).toBe('SEARCH_UNKNOWN');

    // A typeahead answer with its article list altered no longer carries our signature.
    const suggest = await t.app.inject({ url: '/api/search/suggest?q=delete&locale=en', ...reader });
    const token: string = suggest.json().searchId;
    const [prefix, payload, tag] = token.split('.');
    const altered = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    altered.s = ['reset-password'];
    const forged = `${prefix}.${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${tag}`;
    const tampered = await t.app.inject({
      method: 'POST',
      url: '/api/search/clicks',
      payload: { locale: 'en', slug: 'reset-password', searchId: forged },
      ...reader,
    });
    expect(tampered.statusCode).toBe(422);
    expect(tampered.json().error.code).toBe('SEARCH_UNKNOWN');
    const nothing = await t.database.db
      .selectFrom('search_clicks')
      .select('id')
      .where('reader_id', '=', 'honest-reader-000001')
      .execute();
    expect(nothing).toHaveLength(0);
  });

  it("can't reorder results with 300 cookieless clicks nor 100 aged identities rotating within one /24", async () => {
    const before = await t.app.inject({ url: '/api/search?q=delete&locale=en&track=0' });
    const order = slugs(before);
    expect(order.length).toBeGreaterThanOrEqual(2);
    const target = order[1]!;
    for (let i = 0; i < 300; i++) {
      const remoteAddress = `203.0.113.${(i % 250) + 1}`;
      // Old-style click naming only a query; then the front door, keeping the cookies the search set.
      await t.app.inject({
        method: 'POST',
        url: '/api/search/clicks',
        payload: { locale: 'en', slug: target, position: 1, kind: 'suggestion', query: 'delete', results: 3 },
        headers: { 'x-forwarded-for': `198.18.${i % 250}.${(i * 7) % 250}` },
        remoteAddress,
      });
      const search = await t.app.inject({
        url: '/api/search?q=delete&locale=en',
        headers: { 'x-forwarded-for': `198.18.${i % 250}.${(i * 7) % 250}` },
        remoteAddress,
      });
      await t.app.inject({
        method: 'POST',
        url: '/api/search/clicks',
        payload: { locale: 'en', slug: target, searchId: search.json().searchId },
        cookies: Object.fromEntries(search.cookies.map((c) => [c.name, c.value])),
        remoteAddress,
      });
    }
    const farmedStatuses = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const farmed = agedReader(t, {
        readerId: `farmed-reader-${String(i).padStart(6, '0')}`,
        remoteAddress: `203.0.113.${(i % 250) + 1}`,
      });
      farmedStatuses.add((await searchAndClick(t, farmed, { query: 'delete', slug: target })).click.statusCode);
    }
    await t.ctx.search.refreshSuggestions();
    const after = await t.app.inject({ url: '/api/search?q=delete&locale=en&track=0' });
    expect(slugs(after)).toEqual(order);
    expect([...farmedStatuses]).toEqual([200]);
    const review = await t.app.inject({ url: '/api/search/suggestions?locale=en', headers: t.operator });
    const evidence = review.json().suggestions.find((s: { normalized: string }) => s.normalized === 'delete');
    // One network's budget (100 counted clicks a day) is spent by the first cookieless clicks; the rest, the aged
    // farm included, count nowhere, so 'delete' has no evidence from more than that one network.
    expect(evidence?.offered ?? false).toBe(false);
    expect(evidence?.networks ?? 0).toBeLessThanOrEqual(1);
    // The team's insights leave the over-budget clicks out, and say how many: 400 searches, each clicked, 100 of the
    // clicks within the network's budget, 300 past it.
    const insights = await t.app.inject({ url: '/api/search/insights?locale=en&days=30', headers: t.operator });
    const { totals } = insights.json();
    expect(totals.excludedClicks).toBe(300);
    expect(totals.clickThrough).toBeLessThan(0.5);
  });

  it('offers a query and learns a boost once enough aged readers on distinct networks succeeded with it', async () => {
    const before = slugs(await t.app.inject({ url: '/api/search?q=delete&locale=en&track=0' }));
    const target = before[1]!;
    // The farm above spent its network's budget on young cookies, so it is no evidence at all. Two honest readers
    // on two networks: not enough.
    const a = honestReader();
    expect((await searchAndClick(t, a, { query: 'Delete', slug: target })).click.statusCode).toBe(200);
    await t.ctx.search.refreshSuggestions();
    expect(slugs(await t.app.inject({ url: '/api/search?q=delete&locale=en&track=0' }))).toEqual(before);

    // A second one, through the results page and its data-search-id hook as the browser island sends it.
    const b = honestReader();
    const page = await t.app.inject({ url: '/en/search?q=delete', ...b });
    const searchId = /data-search-id="([^"]+)"/.exec(page.body)?.[1];
    const pageClick = await t.app.inject({
      method: 'POST',
      url: '/api/search/clicks',
      payload: { locale: 'en', slug: target, searchId },
      ...b,
    });
    expect(pageClick.statusCode).toBe(200);
    await t.ctx.search.refreshSuggestions();
    expect(slugs(await t.app.inject({ url: '/api/search?q=delete&locale=en&track=0' }))).toEqual(before);

    // A typeahead pick is a search the server ran too (the answer it signed), and counts the same way.
    const c = honestReader();
    const suggest = await t.app.inject({ url: '/api/search/suggest?q=delete&locale=en', ...c });
    expect(suggest.json().articles.map((x: { slug: string }) => x.slug)).toContain(target);
    const pick = await t.app.inject({
      method: 'POST',
      url: '/api/search/clicks',
      payload: { locale: 'en', slug: target, searchId: suggest.json().searchId },
      ...c,
    });
    expect(pick.statusCode).toBe(200);
    const picked = await t.database.db
      .selectFrom('search_clicks')
      .select(['kind', 'suspect'])
      .where('reader_id', '=', `honest-reader-${String(honest).padStart(6, '0')}`)
      .executeTakeFirstOrThrow();
    expect(picked).toEqual({ kind: 'suggestion', suspect: null });
    // Three readers on three networks: the boost is learned.
    await t.ctx.search.refreshSuggestions();
    expect(slugs(await t.app.inject({ url: '/api/search?q=delete&locale=en&track=0' }))[0]).toBe(target);

    // The same for a suggestion: three aged readers on three networks make "forgot my password" one.
    for (let i = 0; i < 3; i++) {
      const reader = honestReader();
      // The third identity was issued about 15 minutes ago: below the hour an identity must have lived.
      const young =
        i === 2
          ? agedReader(t, { readerId: 'young-reader-000000', remoteAddress: reader.remoteAddress, ageDays: 0.01 })
          : reader;
      expect(
        (await searchAndClick(t, young, { query: 'forgot my password', slug: 'reset-password' })).click.statusCode,
      ).toBe(200);
    }
    await t.ctx.search.refreshSuggestions();
    // Only two count.
    expect(texts(await t.app.inject({ url: '/api/search/suggest?q=forgot%20my&locale=en' }))).not.toContain(
      'forgot my password',
    );
    expect(
      (await searchAndClick(t, honestReader(), { query: 'forgot my password', slug: 'reset-password' })).click
        .statusCode,
    ).toBe(200);
    await t.ctx.search.refreshSuggestions();
    expect(texts(await t.app.inject({ url: '/api/search/suggest?q=forgot%20my&locale=en' }))).toContain(
      'forgot my password',
    );
  });

  it('never suggests links, contact details or blocklisted words, however much honest evidence they have', async () => {
    const hostile = [
      'reset password at pinwheel-help.io now',
      'reset password scamsite io',
      'reset password example dot com',
      'reset password whatsapp support',
      'reset password casino bonus',
      'reset password free-money',
    ];
    for (const query of hostile) {
      for (let i = 0; i < 3; i++) {
        const { click } = await searchAndClick(t, honestReader(), { query, slug: 'reset-password' });
        expect(click.statusCode).toBe(200);
      }
    }
    await t.ctx.search.refreshSuggestions();
    const shown = texts(await t.app.inject({ url: '/api/search/suggest?q=reset%20password&locale=en&limit=10' }));
    for (const query of hostile) expect(shown).not.toContain(query);
    const review = await t.app.inject({ url: '/api/search/suggestions?locale=en', headers: t.operator });
    const byText = new Map(
      review
        .json()
        .suggestions.map((s: { text: string; filtered: string | null; enoughEvidence: boolean }) => [s.text, s]),
    );
    expect(byText.get('reset password at pinwheel-help.io now')).toMatchObject({
      filtered: 'link',
      enoughEvidence: true,
      offered: false,
    });
    expect(byText.get('reset password scamsite io')).toMatchObject({ filtered: 'link' });
    expect(byText.get('reset password example dot com')).toMatchObject({ filtered: 'link' });
    expect(byText.get('reset password whatsapp support')).toMatchObject({ filtered: 'contact' });
    expect(byText.get('reset password casino bonus')).toMatchObject({ filtered: 'blocklist' });
    expect(byText.get('reset password free-money')).toMatchObject({ filtered: 'blocklist' });
  });

  it('lets only operators review, pin and ban suggestions, which apply at once', async () => {
    expect((await t.app.inject({ url: '/api/search/suggestions' })).statusCode).toBe(401);
    const anonymous = await t.app.inject({
      method: 'PUT',
      url: '/api/search/suggestions',
      payload: { locale: 'en', text: 'buy followers', action: 'pin' },
    });
    expect(anonymous.statusCode).toBe(401);
    const forgot = () => t.app.inject({ url: '/api/search/suggest?q=forgot%20my&locale=en' });
    expect(texts(await forgot())).toContain('forgot my password');

    const put = (text: string, action: string) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/search/suggestions',
        headers: t.operator,
        payload: { locale: 'en', text, action },
      });
    const ban = await put('Forgot my password', 'ban');
    expect(ban.statusCode).toBe(200);
    expect(ban.json()).toMatchObject({ normalized: 'forgot my password', status: 'banned' });
    // No refresh: the ban reaches the running index through the operation's event.
    expect(texts(await forgot())).not.toContain('forgot my password');
    expect((await put('forgot my password', 'unpin')).json().status).toBe('banned');
    expect((await put('forgot my password', 'unban')).json().status).toBeNull();
    expect(texts(await forgot())).toContain('forgot my password');

    const pin = await put('forgot my username', 'pin');
    expect(pin.json().status).toBe('pinned');
    expect(texts(await forgot())[0]).toBe('forgot my username');
    const review = await t.app.inject({ url: '/api/search/suggestions?locale=en', headers: t.operator });
    expect(review.json().policy).toEqual({ minReaders: 3, minNetworks: 3, minReaderAgeMinutes: 60, blocklistTerms: 2 });
    expect(review.json().suggestions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ text: 'forgot my username', status: 'pinned', offered: true, readers: 0 }),
        expect.objectContaining({ text: 'forgot my password', status: 'learned', offered: true, readers: 3 }),
      ]),
    );
    const empty = await put('!!!', 'ban');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('VALIDATION_FAILED');
  });
});
