import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildArticle, buildTopic } from './content.factories.js';
import { saveRegions } from './region-catalog.js';
import { saveArticle } from './save-article.js';

type Row = {
  slug: string;
  translations: Record<string, { status: string; title: string | null; author: string | null }>;
};

describe('content back office API', () => {
  let t: TestApp;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.operator });
  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: t.operator,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const audit = async (action: string) => {
    const { rows } = await sql<{
      actor_label: string;
      object_id: string;
      changes: Record<string, { before: unknown; after: unknown }>;
    }>`
      SELECT actor_label, object_id, changes FROM audit_log WHERE action = ${action} ORDER BY id`.execute(
      t.database.db,
    );
    return rows;
  };

  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await saveRegions(db, {
          defaultRegion: 'us',
          regions: [
            { code: 'us', name: 'US', currency: 'USD', countries: ['US'], theme: {} },
            { code: 'eu', name: 'Europe', currency: 'EUR', countries: ['DE', 'FR'], theme: {} },
          ],
          prices: { plus_monthly: { USD: 4.99, EUR: 4.5 } },
        });
        await buildTopic(db, { slug: 'billing', names: { es: 'Facturación' } });
        await buildTopic(db, { slug: 'plans', parent: 'billing' });
        await buildTopic(db, { slug: 'other' });
        await buildArticle(db, { slug: 'cancel-plus', topic: 'plans', title: 'Cancel Plus', body: 'One.\nTwo.\n' });
        await buildArticle(db, { slug: 'cancel-plus', topic: 'plans', locale: 'es', title: 'Cancelar Plus' });
        await buildArticle(db, { slug: 'cancel-plus', topic: 'plans', locale: 'ar', title: 'إلغاء', publish: false });
        // The source changes after the Spanish translation was made: es becomes outdated.
        await buildArticle(db, {
          slug: 'cancel-plus',
          topic: 'plans',
          title: 'Cancel Plus now',
          body: 'One.\nTwo and a half.\nThree.\n',
        });
        await saveArticle(db, {
          slug: 'draft-only',
          topic: 'other',
          locale: 'en',
          title: 'Only a draft',
          body: 'x',
          author: 'Dana',
        });
        await buildArticle(db, {
          slug: 'price-page',
          topic: 'other',
          title: 'Prices',
          body: 'Plus costs {{price:plus_monthly}}.',
        });
        const ids = await db.selectFrom('articles').select(['id', 'slug']).execute();
        const id = (slug: string) => ids.find((a) => a.slug === slug)!.id;
        await db
          .insertInto('article_daily_views')
          .values([
            { article_id: id('cancel-plus'), locale: 'es', day: sql<string>`current_date - 1` as never, views: 50 },
            { article_id: id('cancel-plus'), locale: 'ar', day: sql<string>`current_date` as never, views: 10 },
            { article_id: id('price-page'), locale: 'es', day: sql<string>`current_date` as never, views: 100 },
            // Too old to count.
            { article_id: id('cancel-plus'), locale: 'ru', day: sql<string>`current_date - 40` as never, views: 1000 },
          ])
          .execute();
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists every article with a status per configured locale, filtered and counted', async () => {
    const res = await get('/api/content/articles');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3);
    const cancel = body.articles.find((a: Row) => a.slug === 'cancel-plus');
    expect(Object.keys(cancel.translations).sort()).toEqual(['ar', 'en', 'es', 'he', 'ja', 'ru']);
    expect(cancel.translations.en).toMatchObject({
      status: 'published',
      title: 'Cancel Plus now',
      latestRevision: 2,
      publishedRevision: 2,
    });
    expect(cancel.translations.es).toMatchObject({ status: 'outdated', title: 'Cancelar Plus', publishedRevision: 1 });
    // Saved from en revision 1 and never published: a draft, but of an outdated source.
    expect(cancel.translations.ar).toMatchObject({ status: 'outdated', publishedRevision: null, latestRevision: 1 });
    expect(cancel.translations.ru).toEqual({
      status: 'missing',
      title: null,
      latestRevision: null,
      publishedRevision: null,
      author: null,
      updatedAt: null,
    });
    expect(cancel.topic).toEqual({ slug: 'plans', name: expect.any(String) });
    // 3 articles × 6 locales: en published twice, draft-only's en a draft, es and ar outdated, 13 missing.
    expect(body.counts).toEqual({ published: 2, draft: 1, outdated: 2, missing: 13 });

    const es = (await get('/api/content/articles?locale=es&status=outdated')).json();
    expect(es.articles.map((a: Row) => a.slug)).toEqual(['cancel-plus']);
    expect(es.counts).toEqual({ published: 0, draft: 0, outdated: 1, missing: 2 });
    expect(es.total).toBe(1);

    const underBilling = (await get('/api/content/articles?topic=billing')).json();
    expect(underBilling.articles.map((a: Row) => a.slug)).toEqual(['cancel-plus']);
    const byTitle = (await get(`/api/content/articles?q=${encodeURIComponent('CANCELAR')}`)).json();
    expect(byTitle.articles.map((a: Row) => a.slug)).toEqual(['cancel-plus']);
    const byAuthor = (await get('/api/content/articles?author=dana')).json();
    expect(byAuthor.articles.map((a: Row) => a.slug)).toEqual(['draft-only']);
    const drafts = (await get('/api/content/articles?status=draft')).json();
    expect(drafts.articles.map((a: Row) => a.slug)).toEqual(['draft-only']);

    const page1 = (await get('/api/content/articles?limit=2&offset=0')).json();
    const page2 = (await get('/api/content/articles?limit=2&offset=2')).json();
    expect(page1.articles).toHaveLength(2);
    expect(page2.articles).toHaveLength(1);
    expect(page1.total).toBe(3);
    expect(new Set([...page1.articles, ...page2.articles].map((a: Row) => a.slug)).size).toBe(3);
  });

  it('refuses bad list queries with 400 and names the field', async () => {
    for (const query of ['limit=201', 'limit=0', 'status=gone', 'locale=x', 'offset=-1', 'topic=Bad%20Slug']) {
      const res = await get(`/api/content/articles?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    // Well formed, but not a configured locale.
    for (const url of ['/api/content/articles?locale=xx', '/api/content/translation-queue?locale=xx']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('UNKNOWN_LOCALE');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/content/articles' })).statusCode).toBe(401);
  });

  it('runs the editor flow: draft → publish → unpublish → restore, with the public API following each step', async () => {
    const publicTitle = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/articles/flow?locale=en' });
      return res.statusCode === 200 ? (res.json().title as string) : res.statusCode;
    };
    const save = (title: string, publish: boolean) =>
      send('POST', '/api/articles', {
        slug: 'flow',
        topic: 'other',
        locale: 'en',
        title,
        body: `Body of ${title}`,
        publish,
      });
    expect((await save('First', false)).json()).toMatchObject({ revision: 1, published: false });
    expect(await publicTitle()).toBe(404);
    expect((await send('POST', '/api/articles/flow/translations/en/publish', {})).json()).toEqual({ revision: 1 });
    expect(await publicTitle()).toBe('First');
    expect((await save('Second', false)).json()).toMatchObject({ revision: 2, published: false });
    expect(await publicTitle()).toBe('First');
    expect((await send('POST', '/api/articles/flow/translations/en/unpublish', {})).statusCode).toBe(200);
    expect(await publicTitle()).toBe(404);
    const restored = await send('POST', '/api/content/articles/flow/translations/en/revisions/1/restore', {
      publish: true,
    });
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toEqual({ revision: 3 });
    expect(await publicTitle()).toBe('First');

    const revisions = (await get('/api/content/articles/flow/translations/en/revisions')).json().revisions;
    expect(
      revisions.map((r: { number: number; title: string; published: boolean }) => [r.number, r.title, r.published]),
    ).toEqual([
      [3, 'First', true],
      [2, 'Second', false],
      [1, 'First', false],
    ]);
    expect(revisions[0].bodyMarkdown).toBeUndefined();
    const one = (await get('/api/content/articles/flow/translations/en/revisions/2')).json();
    expect(one).toMatchObject({
      number: 2,
      title: 'Second',
      bodyMarkdown: 'Body of Second',
      author: 'operator',
      sourceRevision: null,
    });

    const editor = (await get('/api/content/articles/flow')).json();
    expect(editor).toMatchObject({ slug: 'flow', topic: { slug: 'other' }, sourceLocale: 'en', position: 0 });
    const en = editor.translations.find((x: { locale: string }) => x.locale === 'en');
    expect(en).toMatchObject({
      status: 'published',
      publishedRevision: 3,
      latest: { number: 3, title: 'First', published: true },
    });
    expect(editor.translations.find((x: { locale: string }) => x.locale === 'ja')).toEqual({
      locale: 'ja',
      status: 'missing',
      publishedRevision: null,
      latest: null,
    });

    expect((await audit('article.save')).filter((e) => e.object_id === 'flow/en')).toHaveLength(2);
    const [unpublished] = (await audit('article.unpublish')).filter((e) => e.object_id === 'flow/en');
    expect(unpublished!.changes).toEqual({
      status: { before: 'published', after: 'draft' },
      publishedRevision: { before: 1, after: null },
    });
    const [restore] = (await audit('article.restore')).filter((e) => e.object_id === 'flow/en');
    expect(restore!.actor_label).toBe('bootstrap token');
    expect(restore!.changes).toMatchObject({
      revision: { before: 2, after: 3 },
      title: { before: 'Second', after: 'First' },
      publishedRevision: { before: null, after: 3 },
      restoredFrom: { before: null, after: 1 },
    });
    const [saved] = (await audit('article.save')).filter((e) => e.object_id === 'flow/en').slice(-1);
    expect(saved!.changes.bodyLength).toEqual({ before: 'Body of First'.length, after: 'Body of Second'.length });
    expect(saved!.changes.bodyDigest!.after).toMatch(/^[0-9a-f]{12}$/);
    expect(saved!.changes.body_md).toBeUndefined();
  });

  it('diffs two revisions: words of the title, lines of the Markdown', async () => {
    const res = await get('/api/content/articles/cancel-plus/translations/en/diff?from=1&to=2');
    expect(res.statusCode).toBe(200);
    const diff = res.json();
    expect(diff.from).toBe(1);
    expect(diff.to).toBe(2);
    expect(diff.title).toEqual([
      { op: 'equal', text: 'Cancel Plus' },
      { op: 'insert', text: ' now' },
    ]);
    expect(diff.body).toEqual([
      { op: 'equal', text: 'One.\n' },
      { op: 'delete', text: 'Two.\n' },
      { op: 'insert', text: 'Two and a half.\nThree.\n' },
    ]);
    expect((await get('/api/content/articles/cancel-plus/translations/en/diff?from=1&to=9')).statusCode).toBe(404);
    expect((await get('/api/content/articles/cancel-plus/translations/en/diff?from=0&to=1')).statusCode).toBe(400);
  });

  it("shows an outdated translation what changed in its source, and mark-current clears 'outdated'", async () => {
    const diff = (await get('/api/content/source-diff/cancel-plus/es')).json();
    expect(diff).toMatchObject({ sourceLocale: 'en', fromRevision: 1, toRevision: 2 });
    expect(diff.body.filter((p: { op: string }) => p.op === 'insert').map((p: { text: string }) => p.text)).toEqual([
      'Two and a half.\nThree.\n',
    ]);
    expect((await get('/api/content/source-diff/cancel-plus/en')).json().error.code).toBe('NOT_A_TRANSLATION');
    const missing = (await get('/api/content/source-diff/cancel-plus/ja')).json();
    expect(missing.fromRevision).toBeNull();
    expect(missing.body).toEqual([{ op: 'insert', text: 'One.\nTwo and a half.\nThree.\n' }]);

    const before = await t.app.inject({ method: 'GET', url: '/api/articles/cancel-plus?locale=es' });
    expect(before.json().outdated).toBe(true);
    const marked = await send('POST', '/api/content/articles/cancel-plus/translations/es/mark-current');
    expect(marked.statusCode).toBe(200);
    expect(marked.json()).toEqual({ revision: 2 });
    const after = await t.app.inject({ method: 'GET', url: '/api/articles/cancel-plus?locale=es' });
    expect(after.json()).toMatchObject({ outdated: false, revision: 2, title: 'Cancelar Plus' });
    const row = (await get('/api/content/articles?locale=es&q=cancel')).json().articles[0];
    expect(row.translations.es.status).toBe('published');
    expect((await get('/api/content/source-diff/cancel-plus/es')).json().fromRevision).toBe(2);
    const [entry] = (await audit('article.mark-current')).filter((e) => e.object_id === 'cancel-plus/es');
    expect(entry!.changes).toEqual({
      revision: { before: 1, after: 2 },
      sourceRevision: { before: 1, after: 2 },
      publishedRevision: { before: 1, after: 2 },
    });
  });

  it('queues outdated and missing translations by views in that locale over 30 days', async () => {
    const res = await get('/api/content/translation-queue?locale=es');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { slug: string; status: string; views: number }[];
    expect(items[0]).toEqual({
      slug: 'price-page',
      locale: 'es',
      status: 'missing',
      sourceTitle: 'Prices',
      title: null,
      views: 100,
      sourceRevision: 1,
      translatedFrom: null,
    });
    // cancel-plus/es was marked current above; draft-only has no published source, so it waits.
    expect(items.map((i) => i.slug)).toEqual(['price-page', 'flow']);
    const all = (await get('/api/content/translation-queue')).json().items as {
      slug: string;
      locale: string;
      views: number;
    }[];
    const views = all.map((i) => i.views);
    expect(views).toEqual([...views].sort((a, b) => b - a));
    expect(all.find((i) => i.slug === 'cancel-plus' && i.locale === 'ar')).toMatchObject({
      status: 'outdated',
      views: 10,
    });
    expect(all.find((i) => i.slug === 'cancel-plus' && i.locale === 'ru')).toMatchObject({
      status: 'missing',
      views: 0,
    });
  });

  it('moves and reorders topics, renumbering siblings, and refuses a cycle', async () => {
    const tree = (await get('/api/content/topics')).json().topics as {
      slug: string;
      parent: string | null;
      position: number;
    }[];
    expect(tree.find((x) => x.slug === 'plans')).toMatchObject({ parent: 'billing' });
    const billing = (await get('/api/content/topics'))
      .json()
      .topics.find((x: { slug: string }) => x.slug === 'billing');
    expect(billing.names.es).toEqual({ name: 'Facturación', description: '' });

    const moved = await send('POST', '/api/content/topics/move', { slug: 'other', parent: 'billing', position: 0 });
    expect(moved.statusCode).toBe(200);
    const siblings = (moved.json().topics as { slug: string; parent: string | null; position: number }[])
      .filter((x) => x.parent === 'billing')
      .map((x) => [x.slug, x.position]);
    expect(siblings).toEqual([
      ['other', 0],
      ['plans', 1],
    ]);
    const back = await send('POST', '/api/content/topics/move', { slug: 'other', parent: null, position: 99 });
    const top = (back.json().topics as { slug: string; parent: string | null; position: number }[]).filter(
      (x) => x.parent === null,
    );
    expect(top.map((x) => x.position)).toEqual(top.map((_x, i) => i));
    expect(top.at(-1)!.slug).toBe('other');
    expect(back.json().topics.find((x: { slug: string }) => x.slug === 'plans').position).toBe(0);

    const cycle = await send('POST', '/api/content/topics/move', { slug: 'billing', parent: 'plans', position: 0 });
    expect(cycle.statusCode).toBe(409);
    expect(cycle.json().error.code).toBe('TOPIC_CYCLE');
    const self = await send('POST', '/api/content/topics/move', { slug: 'billing', parent: 'billing', position: 0 });
    expect(self.json().error.code).toBe('TOPIC_CYCLE');
    expect(
      (await send('POST', '/api/content/topics/move', { slug: 'nope', parent: null, position: 0 })).statusCode,
    ).toBe(404);
    expect((await send('POST', '/api/content/topics/move', { slug: 'other', position: 0 })).statusCode).toBe(400);

    const moves = await audit('topic.move');
    expect(moves[0]!.changes.parent).toEqual({ before: null, after: 'billing' });
    const saved = await send('PUT', '/api/topics/other', { names: { en: 'Other things', ja: 'その他' } });
    expect(saved.statusCode).toBe(200);
    const [topicSave] = (await audit('topic.save')).filter((e) => e.object_id === 'other').slice(-1);
    expect(topicSave!.changes.names).toEqual({
      before: { en: expect.any(String) },
      after: { en: 'Other things', ja: 'その他' },
    });
  });

  it('round-trips regions and prices, and the public page shows a new price at once', async () => {
    const regions = (await get('/api/regions')).json();
    expect(regions.regions.map((r: { code: string; isDefault: boolean }) => [r.code, r.isDefault])).toEqual([
      ['us', true],
      ['eu', false],
    ]);
    expect(regions.prices).toEqual([{ key: 'plus_monthly', amounts: { EUR: 4.5, USD: 4.99 } }]);

    const page = async () => (await t.app.inject({ method: 'GET', url: '/en/articles/price-page?region=us' })).body;
    expect(await page()).toContain('data-price="plus_monthly">$4.99</span>');
    const price = await send('PUT', '/api/prices/plus_monthly', { amounts: { USD: 12, EUR: 11.5 } });
    expect(price.statusCode).toBe(200);
    expect(price.json()).toEqual({ price: { key: 'plus_monthly', amounts: { USD: 12, EUR: 11.5 } } });
    expect(await page()).toContain('data-price="plus_monthly">$12</span>');
    const api = await t.app.inject({ method: 'GET', url: '/api/articles/price-page?locale=en&region=eu' });
    expect(api.json().html).toContain('€11.50');

    const created = await send('PUT', '/api/regions/jp', {
      name: 'Japan',
      currency: 'JPY',
      countries: ['JP', 'FR'],
      theme: { brand: '#112233' },
    });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ created: true, region: { code: 'jp', currency: 'JPY', isDefault: false } });
    const after = (await get('/api/regions')).json().regions as { code: string; countries: string[] }[];
    // A country belongs to one region: FR moved from eu to jp.
    expect(after.find((r) => r.code === 'eu')!.countries).toEqual(['DE']);
    const made = await send('PUT', '/api/regions/jp', {
      name: 'Japan',
      currency: 'JPY',
      countries: ['JP'],
      isDefault: true,
    });
    expect(made.json().region.isDefault).toBe(true);
    expect(t.ctx.regions().defaultRegion.code).toBe('jp');
    const refused = await send('DELETE', '/api/regions/jp');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('REGION_IS_DEFAULT');
    const unset = await send('PUT', '/api/regions/jp', { name: 'Japan', currency: 'JPY', isDefault: false });
    expect(unset.json().error.code).toBe('REGION_IS_DEFAULT');
    expect(
      (await send('PUT', '/api/regions/us', { name: 'US', currency: 'USD', countries: ['US'], isDefault: true }))
        .statusCode,
    ).toBe(200);
    expect((await send('DELETE', '/api/regions/jp')).json()).toEqual({ deleted: true });
    expect(t.ctx.regions().byCode('jp')).toBeUndefined();
    expect((await send('DELETE', '/api/regions/jp')).statusCode).toBe(404);

    const [priceEntry] = await audit('price.save');
    expect(priceEntry!.changes).toEqual({
      amounts: { before: { EUR: 4.5, USD: 4.99 }, after: { EUR: 11.5, USD: 12 } },
    });
    // jp created, jp made the default, us made the default again (the refused change wrote nothing).
    expect((await audit('region.save')).length).toBe(3);
    const [deleted] = await audit('region.delete');
    expect(deleted!.changes.code).toEqual({ before: 'jp', after: null });
  });

  it('refuses bad regions and prices with 400, writing nothing', async () => {
    const bad: [string, string, unknown][] = [
      ['PUT', '/api/prices/plus_monthly', { amounts: { USD: -1 } }],
      ['PUT', '/api/prices/plus_monthly', { amounts: { USD: 1.234 } }],
      ['PUT', '/api/prices/plus_monthly', { amounts: { XYZ: 1 } }],
      ['PUT', '/api/prices/plus_monthly', { amounts: { usd: 1 } }],
      ['PUT', '/api/prices/plus_monthly', { amounts: { USD: 1e15 } }],
      ['PUT', '/api/prices/Bad-Key', { amounts: { USD: 1 } }],
      ['PUT', '/api/regions/xx', { name: 'X', currency: 'ABC' }],
      ['PUT', '/api/regions/xx', { name: 'X', currency: 'USD', countries: ['usa'] }],
      ['PUT', '/api/regions/xx', { name: 'X', currency: 'USD', theme: { brand: 'red' } }],
      ['PUT', '/api/regions/xx', { name: '', currency: 'USD' }],
      ['PUT', '/api/regions/X!', { name: 'X', currency: 'USD' }],
    ];
    for (const [method, url, payload] of bad) {
      const res = await send(method as 'PUT', url, payload);
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.json().error.details.length).toBeGreaterThan(0);
    }
    const regions = (await get('/api/regions')).json();
    expect(regions.regions.map((r: { code: string }) => r.code)).not.toContain('xx');
    expect(regions.prices[0].amounts).toEqual({ USD: 12, EUR: 11.5 });
  });

  it('previews Markdown with the site renderer and the chosen region’s prices', async () => {
    const res = await send('POST', '/api/content/preview', {
      markdown: '## Cost\n\nPlus is {{price:plus_monthly}}.\n\n<script>alert(1)</script>',
      locale: 'en',
      region: 'eu',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.html).toContain('€11.50');
    expect(body.html).not.toContain('<script>');
    expect(body.toc).toEqual([{ level: 2, id: 'cost', text: 'Cost' }]);
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE '%preview%'`.execute(t.database.db);
    expect(rows[0]!.n).toBe(0);
    expect(
      (await send('POST', '/api/content/preview', { markdown: 'x'.repeat(200_001), locale: 'en' })).statusCode,
    ).toBe(400);
  });

  it('answers 404 for unknown articles, revisions and translations', async () => {
    expect((await get('/api/content/articles/nope')).statusCode).toBe(404);
    expect((await get('/api/content/articles/nope/translations/en/revisions')).statusCode).toBe(404);
    expect((await get('/api/content/articles/cancel-plus/translations/ja/revisions')).json()).toEqual({
      revisions: [],
    });
    expect((await get('/api/content/articles/cancel-plus/translations/en/revisions/99')).statusCode).toBe(404);
    expect((await send('POST', '/api/content/articles/cancel-plus/translations/ja/mark-current')).statusCode).toBe(404);
    expect(
      (await send('POST', '/api/content/articles/cancel-plus/translations/en/revisions/99/restore', {})).statusCode,
    ).toBe(404);
  });
});
