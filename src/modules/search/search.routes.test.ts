import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildRegions } from '../content/content.factories.js';
import { saveArticle, saveTopic } from '../content/index.js';
import { agedReader, searchAndClick } from './search.factories.js';

const READER_IDS = ['reader-aaaaaaaaaaaa1', 'reader-aaaaaaaaaaaa2', 'reader-aaaaaaaaaaaa3', 'reader-aaaaaaaaaaaa4'];
// Each reader on a network of its own (a /24 apart), so distinct readers are also distinct networks.
const ADDRESS_OF = (reader: string) => `198.51.${READER_IDS.indexOf(reader) + 10}.7`;

describe('search API, suggestions, analytics and the results page', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await buildRegions(db, { prices: { plus_monthly: { USD: 4.99 } } });
        await saveTopic(db, { slug: 'account', names: { en: 'Account' } });
        const articles = [
          {
            slug: 'reset-password',
            title: 'Reset your password',
            body: 'Forgot your password? Tap **Forgot password** on the login screen.\n\n## Change your password\n\nOpen Settings.',
            keywords: ['forgot password'],
          },
          {
            slug: 'block-user',
            title: 'Block someone',
            body: 'Blocking stops a person from messaging you.',
            keywords: [],
          },
          { slug: 'plus', title: 'Pinwheel Plus', body: 'Plus costs {{price:plus_monthly}} a month.', keywords: [] },
        ];
        for (const a of articles) await saveArticle(db, { ...a, topic: 'account', locale: 'en', publish: true });
        await saveArticle(db, {
          slug: 'reset-password',
          topic: 'account',
          locale: 'ru',
          title: 'Как сбросить пароль',
          body: 'Забыли пароль? Нажмите «Забыли пароль?» на экране входа. Кто-то мешает? [Заблокировать пользователя](block-user).',
          publish: true,
        });
      },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  /** An aged reader searches through the API, clicks `slug` among the results, and maybe opens the contact page. */
  async function successfulSearch(query: string, reader: string, slug: string, options: { contact?: boolean } = {}) {
    const browser = agedReader(t, {
      readerId: reader,
      remoteAddress: ADDRESS_OF(reader),
      session: `${query.length}-${query.charCodeAt(0)}`,
    });
    const { click } = await searchAndClick(t, browser, { query, slug });
    expect(click.statusCode).toBe(200);
    if (options.contact) {
      const contact = await t.app.inject({
        method: 'POST',
        url: '/api/search/contacts',
        payload: { locale: 'en' },
        ...browser,
      });
      expect(contact.json()).toEqual({ recorded: true });
    }
  }

  it('returns ranked results with slug, title, highlighted snippet, score and a search id', async () => {
    const res = await t.app.inject({ url: '/api/search?q=pasword%20rset&locale=en&limit=5' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.hits[0]).toMatchObject({ slug: 'reset-password', title: 'Reset your password', locale: 'en' });
    expect(body.hits[0].url).toBe('/en/articles/reset-password');
    expect(body.hits[0].snippet).toContain('<mark>');
    expect(body.hits[0].score).toBeGreaterThan(0);
    expect(body.didYouMean).toBe('password reset');
    expect(body.searchId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(res.cookies.map((c) => c.name)).toEqual(expect.arrayContaining(['al_rid', 'al_sid']));
  });

  it('resolves price placeholders in snippets and does not record with track=0', async () => {
    const res = await t.app.inject({ url: '/api/search?q=plus%20costs&locale=en&track=0' });
    expect(res.json().hits[0].snippet).toContain('$4.99');
    expect(res.json().searchId).toBeNull();
  });

  it('says what is wrong with a bad request', async () => {
    const long = await t.app.inject({ url: `/api/search?q=${'a'.repeat(201)}&locale=en` });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toContain('at most 200 characters');
    const locale = await t.app.inject({ url: '/api/search?q=x&locale=xx' });
    expect(locale.statusCode).toBe(400);
    expect(locale.json().error.code).toBe('UNKNOWN_LOCALE');
    expect(locale.json().error.message).toContain('configured: en, es, ru, ar, he, ja');
  });

  it("suggests queries and articles together while typing, in the reader's language", async () => {
    const en = await t.app.inject({ url: '/api/search/suggest?q=forg&locale=en' });
    expect(en.statusCode).toBe(200);
    expect(en.json().queries.map((q: { text: string }) => q.text)).toContain('forgot password');
    expect(en.json().articles[0]).toEqual({
      slug: 'reset-password',
      title: 'Reset your password',
      locale: 'en',
      url: '/en/articles/reset-password',
    });
    const ru = await t.app.inject({ url: `/api/search/suggest?q=${encodeURIComponent('забыл паро')}&locale=ru` });
    expect(ru.json().articles[0]).toMatchObject({ slug: 'reset-password', title: 'Как сбросить пароль' });
  });

  it("finds an untranslated article in the reader's language through the link texts of translated ones", async () => {
    const res = await t.app.inject({ url: `/api/search?q=${encodeURIComponent('заблокировать')}&locale=ru&track=0` });

    expect(res.json().hits[0]).toMatchObject({ slug: 'block-user', title: 'Заблокировать пользователя', locale: 'en' });
    await saveArticle(t.database.db, {
      slug: 'block-user',
      topic: 'account',
      locale: 'ru',
      title: 'Блокировка пользователей',
      body: 'Заблокировать пользователя можно в его профиле.',
      publish: true,
    });
    await t.ctx.search.reindex('block-user', 'ru');
    const translated = await t.app.inject({
      url: `/api/search?q=${encodeURIComponent('заблокировать')}&locale=ru&track=0`,
    });
    expect(translated.json().hits[0]).toMatchObject({
      slug: 'block-user',
      title: 'Блокировка пользователей',
      locale: 'ru',
    });
  });

  it('re-indexes on publish and unpublish', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: t.operator,
      payload: {
        slug: 'dark-mode',
        topic: 'account',
        locale: 'en',
        title: 'Turn on dark mode',
        body: 'Dark mode is easier on the eyes.',
        publish: true,
      },
    });
    expect(created.statusCode).toBe(200);
    await t.ctx.search.flush();
    const found = await t.app.inject({ url: '/api/search?q=dark%20mode&locale=en&track=0' });
    expect(found.json().hits[0].slug).toBe('dark-mode');
    const off = await t.app.inject({
      method: 'POST',
      url: '/api/articles/dark-mode/translations/en/unpublish',
      headers: t.operator,
    });
    expect(off.statusCode).toBe(200);
    await t.ctx.search.flush();
    const gone = await t.app.inject({ url: '/api/search?q=dark%20mode&locale=en&track=0' });
    expect(gone.json().hits.map((h: { slug: string }) => h.slug)).not.toContain('dark-mode');
  });

  it('suggests a query only after 3 distinct readers succeeded with it, never one with personal data', async () => {
    for (const reader of READER_IDS.slice(0, 2)) await successfulSearch('lost my login', reader, 'reset-password');
    await t.ctx.search.refreshSuggestions();
    const two = await t.app.inject({ url: '/api/search/suggest?q=lost&locale=en' });
    expect(two.json().queries.map((q: { text: string }) => q.text)).not.toContain('lost my login');

    await successfulSearch('lost my login', READER_IDS[2]!, 'reset-password');
    for (const reader of READER_IDS.slice(0, 3))
      await successfulSearch('lost login jane@example.com', reader, 'reset-password');
    // Followed by a contact: not a success, however many readers.
    for (const reader of READER_IDS)
      await successfulSearch('lost password again', reader, 'reset-password', { contact: true });
    await t.ctx.search.refreshSuggestions();
    const three = await t.app.inject({ url: '/api/search/suggest?q=lost&locale=en' });
    const texts = three.json().queries.map((q: { text: string }) => q.text);
    expect(texts).toContain('lost my login');
    expect(texts.some((q: string) => q.includes('@') || q.includes('[email]'))).toBe(false);
    expect(texts).not.toContain('lost password again');
  });

  it("records a typeahead pick as the server's own search and click; refuses another reader's search id", async () => {
    const reader = agedReader(t, { readerId: 'reader-typeahead-0001', remoteAddress: '198.51.100.20' });
    const suggest = await t.app.inject({ url: '/api/search/suggest?q=block&locale=en', ...reader });
    expect(suggest.json().articles[0].slug).toBe('block-user');
    const click = await t.app.inject({
      method: 'POST',
      url: '/api/search/clicks',
      payload: { locale: 'en', slug: 'block-user', searchId: suggest.json().searchId },
      ...reader,
    });
    expect(click.statusCode).toBe(200);
    const searchId = click.json().searchId;
    const row = await t.database.db
      .selectFrom('search_queries')
      .innerJoin('search_clicks', 'search_clicks.search_id', 'search_queries.id')
      .select(['query', 'results', 'source', 'returned_slugs', 'kind', 'position', 'suspect'])
      .where('public_id', '=', searchId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ query: 'block', source: 'typeahead', kind: 'suggestion', position: 1, suspect: null });
    expect(row.results).toBe(row.returned_slugs.length);

    // The same id from another browser is not that browser's search.
    const other = agedReader(t, { readerId: 'reader-typeahead-0002', remoteAddress: '198.51.100.21' });
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/search/clicks',
      payload: { locale: 'en', slug: 'block-user', searchId },
      ...other,
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('SEARCH_UNKNOWN');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/search/clicks',
      payload: { locale: 'en', slug: 'Not A Slug', searchId },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('notes a contact only when the session searched first', async () => {
    const cold = await t.app.inject({ method: 'POST', url: '/api/search/contacts', payload: { locale: 'en' } });
    expect(cold.json()).toEqual({ recorded: false });
    const search = await t.app.inject({ url: '/api/search?q=dark%20theme&locale=en' });
    const cookies = Object.fromEntries(search.cookies.map((c) => [c.name, c.value]));
    const warm = await t.app.inject({
      method: 'POST',
      url: '/api/search/contacts',
      payload: { locale: 'en' },
      cookies,
    });
    expect(warm.json()).toEqual({ recorded: true });
  });

  it('gives operators insights: top, no results, low click-through, followed by contact', async () => {
    expect((await t.app.inject({ url: '/api/search/insights' })).statusCode).toBe(401);
    const res = await t.app.inject({ url: '/api/search/insights?locale=en', headers: t.operator });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.topQueries.length).toBeGreaterThan(0);
    expect(body.noResults.map((r: { query: string }) => r.query)).toContain('dark theme');
    expect(body.followedByContact.map((r: { query: string }) => r.query)).toEqual(
      expect.arrayContaining(['lost password again', 'dark theme']),
    );
    expect(JSON.stringify(body)).not.toContain('jane@example.com');
  });

  it('lets operators edit synonyms, which apply at once, and suggests synonyms from customer wording', async () => {
    expect((await t.app.inject({ url: '/api/search?q=ban&locale=en&track=0' })).json().hits).toHaveLength(0);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/search/synonyms',
      headers: t.operator,
      payload: { locale: 'en', terms: ['ban', 'block'] },
    });
    expect(created.statusCode).toBe(200);
    const after = await t.app.inject({ url: '/api/search?q=ban&locale=en&track=0' });
    expect(after.json().hits[0].slug).toBe('block-user');
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/api/search/synonyms',
      headers: t.operator,
      payload: { locale: 'en', terms: ['alone'] },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.message).toContain('at least two');
    const id = created.json().id;
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/search/synonyms/${id}`, headers: t.operator })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/search/synonyms/${id}`, headers: t.operator })).statusCode,
    ).toBe(404);

    for (const reader of READER_IDS.slice(0, 3)) {
      await successfulSearch('mute someone', reader, 'block-user');
      await successfulSearch('block someone', reader, 'block-user');
    }
    const suggested = await t.app.inject({ url: '/api/search/synonyms/suggested?locale=en', headers: t.operator });
    expect(suggested.json().suggestions).toEqual(
      expect.arrayContaining([expect.objectContaining({ terms: ['block', 'mute'], slug: 'block-user' })]),
    );
  });

  it('renders the results page with ranked hits, "did you mean", the click hook, and a contact link when empty', async () => {
    const page = await t.app.inject({ url: '/en/search?q=pasword+rset' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/en/articles/reset-password"');
    expect(page.body).toMatch(/data-did-you-mean[^>]*>[^<]*<a href="\/en\/search\?q=password%20reset"/);
    expect(page.body).toMatch(/data-search-log(="")? data-search-id="[A-Za-z0-9_-]{22}"/);
    expect(page.body).toContain('data-typeahead=');
    const empty = await t.app.inject({ url: '/en/search?q=zzzzqqq' });
    expect(empty.body).toContain('href="/en/contact"');
  });
});
