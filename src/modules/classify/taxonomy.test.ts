import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { activateModel } from './activate-model.js';
import { ActiveModelCache } from './active-model-cache.js';
import { categorisePending } from './categorise-feedback.js';
import { buildLabeledData } from './classify.factories.js';
import { createModelVersion } from './create-model-version.js';
import { inProcessTrainer, trainModelVersion } from './train-model-version.js';

describe('taxonomy and labels through the operator API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: t.operator, ...(payload ? { payload } : {}) });

  it('creates categories and subcategories, two levels deep, with names per locale', async () => {
    const billing = await call('POST', '/api/taxonomy/categories', {
      slug: 'billing',
      names: { en: 'Billing', es: 'Facturación' },
      description: 'Money matters',
    });
    expect(billing.statusCode).toBe(201);
    expect(billing.json()).toMatchObject({
      slug: 'billing',
      parent: null,
      names: { en: 'Billing', es: 'Facturación' },
    });
    const refunds = await call('POST', '/api/taxonomy/categories', {
      slug: 'refunds',
      parent: 'billing',
      names: { en: 'Refunds' },
      examples: ['money back', 'refund please'],
    });
    expect(refunds.json()).toMatchObject({
      slug: 'refunds',
      parent: 'billing',
      examples: ['money back', 'refund please'],
    });
    const third = await call('POST', '/api/taxonomy/categories', {
      slug: 'partial',
      parent: 'refunds',
      names: { en: 'x' },
    });
    expect(third.statusCode).toBe(400);
    expect(third.json().error.message).toContain('two levels');
    const duplicate = await call('POST', '/api/taxonomy/categories', { slug: 'billing', names: { en: 'Again' } });
    expect(duplicate.statusCode).toBe(409);
    const noEnglish = await call('POST', '/api/taxonomy/categories', { slug: 'x', names: { es: 'Equis' } });
    expect(noEnglish.statusCode).toBe(400);
    expect(noEnglish.json().error.message).toContain('English name');
    const badSlug = await call('POST', '/api/taxonomy/categories', { slug: 'Not A Slug', names: { en: 'x' } });
    expect(badSlug.statusCode).toBe(400);
  });

  it('keeps labels valid when a category is renamed or moved', async () => {
    await call('POST', '/api/taxonomy/categories', { slug: 'payments', names: { en: 'Payments' } });
    const item = await t.database.db
      .insertInto('feedback_items')
      .values({ kind: 'example', source_id: null, locale: 'en', text: 'please refund me' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(item.id);
    const labeled = await call('PUT', `/api/classify/items/example/${id}/labels`, {
      categories: ['refunds', 'billing'],
      labeledBy: 'ana',
    });
    expect(labeled.statusCode).toBe(200);
    expect(
      labeled
        .json()
        .labels.human.map((h: { category: string }) => h.category)
        .sort(),
    ).toEqual(['billing', 'refunds']);
    expect(labeled.json().labels.human[0].labeledBy).toBe('ana');

    const renamed = await call('PATCH', '/api/taxonomy/categories/refunds', {
      slug: 'refund-requests',
      names: { en: 'Refund requests' },
    });
    expect(renamed.json()).toMatchObject({ slug: 'refund-requests', names: { en: 'Refund requests' }, humanLabels: 1 });
    const moved = await call('PATCH', '/api/taxonomy/categories/refund-requests', { parent: 'payments' });
    expect(moved.json()).toMatchObject({ parent: 'payments', humanLabels: 1 });
    const after = (await call('GET', `/api/classify/items/example/${id}`)).json();
    expect(after.labels.human.map((h: { category: string; name: string }) => `${h.category}:${h.name}`).sort()).toEqual(
      ['billing:Billing', 'refund-requests:Refund requests'],
    );
    // A category with subcategories cannot become one.
    const nested = await call('PATCH', '/api/taxonomy/categories/payments', { parent: 'billing' });
    expect(nested.statusCode).toBe(400);
    expect(nested.json().error.message).toContain('has subcategories');
  });

  it('archives (with subcategories) and restores; archived categories cannot be used for new labels', async () => {
    const archived = await call('POST', '/api/taxonomy/categories/payments/archive');
    expect(archived.json().affected.sort()).toEqual(['payments', 'refund-requests']);
    const list = (await call('GET', '/api/taxonomy')).json().categories.map((c: { slug: string }) => c.slug);
    expect(list).not.toContain('refund-requests');
    const all = (await call('GET', '/api/taxonomy?includeArchived=true')).json().categories;
    expect(all.find((c: { slug: string }) => c.slug === 'refund-requests').archived).toBe(true);
    const item = await t.database.db
      .insertInto('feedback_items')
      .values({ kind: 'example', source_id: null, locale: 'en', text: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await call('POST', `/api/classify/items/example/${Number(item.id)}/labels`, {
      categories: ['refund-requests'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('archived');
    const restoreChild = await call('POST', '/api/taxonomy/categories/refund-requests/restore');
    expect(restoreChild.statusCode).toBe(400);
    expect((await call('POST', '/api/taxonomy/categories/payments/restore')).json().affected).toEqual(['payments']);
  });

  it('exports and re-imports the taxonomy as JSON, upserting by slug', async () => {
    const exported = (await call('GET', '/api/taxonomy/export')).json();
    expect(exported.format).toBe('answerloop-taxonomy');
    const slugs = exported.categories.map((c: { slug: string }) => c.slug);
    // Parents come before their subcategories so the document imports in one pass.
    expect(slugs.indexOf('payments')).toBeLessThan(slugs.indexOf('refund-requests'));
    exported.categories.find((c: { slug: string }) => c.slug === 'billing').names.ru = 'Оплата';
    exported.categories.push({ slug: 'shipping', parent: null, names: { en: 'Shipping' } });
    const imported = await call('POST', '/api/taxonomy/import', exported);
    expect(imported.statusCode).toBe(200);
    expect(imported.json().created).toEqual(['shipping']);
    expect(imported.json().updated).toContain('billing');
    const billing = (await call('GET', '/api/taxonomy'))
      .json()
      .categories.find((c: { slug: string }) => c.slug === 'billing');
    expect(billing.names.ru).toBe('Оплата');
    const bad = await call('POST', '/api/taxonomy/import', {
      categories: [
        { slug: 'a', names: { en: 'A' } },
        { slug: 'a', names: { en: 'A again' } },
        { slug: 'b', parent: 'c', names: { en: 'B' } },
        { slug: 'c', parent: 'a', names: { en: 'C' } },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('"a" appears twice');
    expect(bad.json().error.message).toContain('two levels');
    const invalid = await call('POST', '/api/taxonomy/import', { categories: [{ slug: 'no names' }] });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.message).toContain('categories.0');
  });

  it('serves an active-learning queue: unlabeled items the model is least sure of come first', async () => {
    await buildLabeledData(t.database.db);
    const { version } = await createModelVersion(t.database.db, { seed: 2 }, { enqueue: false });
    await trainModelVersion(t.database.db, version, { trainer: inProcessTrainer });
    await activateModel(t.database.db, version);
    const texts = [
      'I was charged twice for the same thing on my card',
      'money',
      'help',
      'how do I delete my account and all my data',
    ];
    for (const text of texts) {
      await t.database.db
        .insertInto('feedback_items')
        .values({ kind: 'example', source_id: null, locale: 'en', text })
        .execute();
    }
    // The two unlabeled items made in earlier tests have no text worth classifying but count as unlabeled too.
    const result = await categorisePending(t.database.db, new ActiveModelCache(t.database.db));
    expect(result.classified).toBeGreaterThanOrEqual(4);
    const queue = (await call('GET', '/api/classify/queue?limit=10')).json();
    expect(queue.modelVersion).toBe(version);
    const uncertainties = queue.items.map((i: { uncertainty: number }) => i.uncertainty);
    expect([...uncertainties].sort((a, b) => b - a)).toEqual(uncertainties);
    const position = (text: string) => queue.items.findIndex((i: { text: string }) => i.text === text);
    expect(position('help')).toBeLessThan(position('I was charged twice for the same thing on my card'));
    // Labeling an item takes it out of the queue; skipping hides it for a while.
    const first = queue.items[0];
    await call('PUT', `/api/classify/items/${first.kind}/${first.id}/labels`, { categories: ['charges'] });
    const second = queue.items[1];
    expect((await call('POST', `/api/classify/queue/${second.itemId}/skip`)).statusCode).toBe(200);
    const next = (await call('GET', '/api/classify/queue?limit=10')).json();
    const ids = next.items.map((i: { itemId: number }) => i.itemId);
    expect(ids).not.toContain(first.itemId);
    expect(ids).not.toContain(second.itemId);
    // Human and predicted labels are kept apart on an item.
    const item = (await call('GET', `/api/classify/items/${first.kind}/${first.id}`)).json();
    expect(item.labels.human.map((h: { category: string }) => h.category)).toEqual(['charges']);
    expect(item.labels.predicted.modelVersion).toBe(version);
  });

  it('labels a search query, which becomes an item on first labeling; unknown things are 404 or 400', async () => {
    const { rows } = await sql<{ id: string }>`
      INSERT INTO search_queries (locale, query, normalized, results, source)
      VALUES ('en', 'dark mode', 'dark mode', 0, 'page') RETURNING id::text AS id`.execute(t.database.db);
    const searchId = Number(rows[0]!.id);
    const res = await call('POST', `/api/classify/items/search/${searchId}/labels`, { categories: ['billing'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'search', id: searchId, text: 'dark mode' });
    expect(
      (await call('POST', '/api/classify/items/search/999999/labels', { categories: ['billing'] })).statusCode,
    ).toBe(404);
    expect(
      (await call('POST', '/api/classify/items/ticket/999999/labels', { categories: ['billing'] })).statusCode,
    ).toBe(404);
    const unknown = await call('POST', `/api/classify/items/search/${searchId}/labels`, { categories: ['nope'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('unknown categories: nope');
    const removed = await call('DELETE', `/api/classify/items/search/${searchId}/labels/billing`);
    expect(removed.json().labels.human).toEqual([]);
  });
});
