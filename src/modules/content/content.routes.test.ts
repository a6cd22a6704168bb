import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildArticle, buildTopic } from './content.factories.js';
import { saveRegions } from './region-catalog.js';

describe('content API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await saveRegions(db, {
          defaultRegion: 'us',
          regions: [
            { code: 'us', name: 'US', currency: 'USD', countries: ['US'], theme: {} },
            { code: 'jp', name: 'Japan', currency: 'JPY', countries: ['JP'], theme: {} },
          ],
          prices: { plus_monthly: { USD: 4.99, JPY: 700 } },
        });
        const topic = await buildTopic(db, { slug: 'billing', names: { es: 'Facturación' } });
        await buildArticle(db, {
          slug: 'cancel-plus',
          topic: topic.slug,
          title: 'Cancel Plus',
          body: 'Plus costs {{price:plus_monthly}} a month.\n\n## Cancel\n\nSteps.\n\n## Refunds\n\nMore.',
        });
        await buildArticle(db, { slug: 'cancel-plus', topic: topic.slug, locale: 'es', title: 'Cancelar Plus' });
        await buildArticle(db, { slug: 'draft-only', topic: topic.slug, publish: false });
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists published articles in a locale with slug, title, topic, locale and updatedAt', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/articles?locale=es' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.articles).toHaveLength(1);
    expect(body.articles[0]).toMatchObject({
      slug: 'cancel-plus',
      title: 'Cancelar Plus',
      topic: 'billing',
      locale: 'es',
    });
    expect(Number.isNaN(Date.parse(body.articles[0].updatedAt))).toBe(false);
    const en = await t.app.inject({ method: 'GET', url: '/api/articles?locale=en' });
    expect(en.json().articles.map((a: { slug: string }) => a.slug)).toEqual(['cancel-plus']);
  });

  it('returns one article with rendered HTML, prices for the region and its translations', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/articles/cancel-plus?locale=en&region=jp' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.html).toContain('¥700');
    expect(body.toc.map((e: { id: string }) => e.id)).toEqual(['cancel', 'refunds']);
    expect(body.translations.map((tr: { locale: string }) => tr.locale)).toEqual(['en', 'es']);
  });

  it('falls back to the source language and says so', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/articles/cancel-plus?locale=ja' });
    expect(res.json()).toMatchObject({ locale: 'en', requestedLocale: 'ja' });
  });

  it('answers 404 for an unknown or unpublished article and 400 for an unknown locale', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/articles/nope?locale=en' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/articles/draft-only?locale=en' })).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'GET', url: '/api/articles?locale=xx' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(bad.json().error.message).toContain('locale');
  });

  it('keeps the operator API closed without the bearer token', async () => {
    const payload = { slug: 'x', topic: 'billing', locale: 'en', title: 'X', body: 'b' };
    const none = await t.app.inject({ method: 'POST', url: '/api/articles', payload });
    expect(none.statusCode).toBe(401);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/articles',
      payload,
      headers: { authorization: 'Bearer wrong-token-wrong-token' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('saves numbered immutable revisions and publishes on request', async () => {
    const save = (body: string, publish: boolean) =>
      t.app.inject({
        method: 'POST',
        url: '/api/articles',
        headers: t.operator,
        payload: { slug: 'new-one', topic: 'billing', locale: 'en', title: 'New one', body, publish },
      });
    const first = await save('Version one', false);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ revision: 1, published: false, unchanged: false });
    expect((await t.app.inject({ method: 'GET', url: '/api/articles/new-one?locale=en' })).statusCode).toBe(404);
    const second = await save('Version two', true);
    expect(second.json()).toMatchObject({ revision: 2, published: true });
    const same = await save('Version two', true);
    expect(same.json()).toMatchObject({ revision: 2, unchanged: true });
    const page = await t.app.inject({ method: 'GET', url: '/api/articles/new-one?locale=en' });
    expect(page.json().html).toContain('Version two');
    const revisions = await t.database.db
      .selectFrom('article_revisions')
      .select('number')
      .where('title', '=', 'New one')
      .execute();
    expect(revisions.map((r) => r.number).sort()).toEqual([1, 2]);
  });

  it('flags a translation as outdated when its source gets a newer published revision', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/api/articles/cancel-plus?locale=es' });
    expect(before.json().outdated).toBe(false);
    await t.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: t.operator,
      payload: {
        slug: 'cancel-plus',
        topic: 'billing',
        locale: 'en',
        title: 'Cancel Plus',
        body: 'Rewritten.',
        publish: true,
      },
    });
    const after = await t.app.inject({ method: 'GET', url: '/api/articles/cancel-plus?locale=es' });
    expect(after.json().outdated).toBe(true);
  });

  it('publishes and unpublishes a translation, raising bus events', async () => {
    const seen: string[] = [];
    const off1 = t.ctx.bus.on('article.published', (e) => seen.push(`published:${e.slug}:${e.locale}`));
    const off2 = t.ctx.bus.on('article.unpublished', (e) => seen.push(`unpublished:${e.slug}:${e.locale}`));
    const un = await t.app.inject({
      method: 'POST',
      url: '/api/articles/cancel-plus/translations/es/unpublish',
      headers: t.operator,
    });
    expect(un.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/articles?locale=es' })).json().articles).toHaveLength(0);
    const pub = await t.app.inject({
      method: 'POST',
      url: '/api/articles/cancel-plus/translations/es/publish',
      headers: t.operator,
      payload: {},
    });
    expect(pub.statusCode).toBe(200);
    expect(seen).toEqual(['unpublished:cancel-plus:es', 'published:cancel-plus:es']);
    off1();
    off2();
  });

  it('rejects bad input with what was wrong and writes nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: t.operator,
      payload: { slug: 'Bad Slug', topic: 'billing', locale: 'en', title: '', body: 'x'.repeat(200_001) },
    });
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .error.details.map((d: { path: string }) => d.path)
      .join(' ');
    expect(paths).toContain('slug');
    expect(paths).toContain('title');
    expect(paths).toContain('body');
    const missingTopic = await t.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: t.operator,
      payload: { slug: 'orphan', topic: 'no-such-topic', locale: 'en', title: 'Orphan', body: 'x' },
    });
    expect(missingTopic.statusCode).toBe(400);
    expect(missingTopic.json().error.message).toContain('no-such-topic');
    const rows = await t.database.db.selectFrom('articles').select('slug').where('slug', '=', 'orphan').execute();
    expect(rows).toHaveLength(0);
  });

  it('refuses to move a topic under its own descendant', async () => {
    await t.app.inject({
      method: 'PUT',
      url: '/api/topics/parent-a',
      headers: t.operator,
      payload: { names: { en: 'A' } },
    });
    await t.app.inject({
      method: 'PUT',
      url: '/api/topics/child-b',
      headers: t.operator,
      payload: { parent: 'parent-a', names: { en: 'B' } },
    });
    const cycle = await t.app.inject({
      method: 'PUT',
      url: '/api/topics/parent-a',
      headers: t.operator,
      payload: { parent: 'child-b', names: { en: 'A' } },
    });
    expect(cycle.statusCode).toBe(409);
    expect(cycle.json().error.code).toBe('TOPIC_CYCLE');
    expect(cycle.json().error.message).toContain('under itself');
  });
});
