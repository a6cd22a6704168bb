import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { createTestUser, type SignedIn, signIn } from '../accounts/accounts.test-support.js';

describe('merging and moving taxonomy categories through the operator API', () => {
  let t: TestApp;
  let viewer: SignedIn;
  let agent: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false' } });
    await createTestUser(t, { role: 'viewer', email: 'viewer@example.com' });
    await createTestUser(t, { role: 'agent', email: 'agent@example.com' });
    viewer = await signIn(t, 'viewer@example.com');
    agent = await signIn(t, 'agent@example.com');
    const categories = [
      { slug: 'billing', names: { en: 'Billing' } },
      { slug: 'refunds', parent: 'billing', names: { en: 'Refunds' } },
      { slug: 'charges', parent: 'billing', names: { en: 'Charges' } },
      { slug: 'payments', names: { en: 'Payments' } },
      { slug: 'card-declined', parent: 'payments', names: { en: 'Card declined' } },
      { slug: 'account', names: { en: 'Account' } },
      { slug: 'login', parent: 'account', names: { en: 'Signing in' } },
    ];
    for (const c of categories) {
      const created = await call('POST', '/api/taxonomy/categories', c);
      expect(created.statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: t.operator, ...(payload ? { payload: payload as object } : {}) });

  /** An example item, labeled by a person through the labels API. */
  async function labeledExample(text: string, categories: string[]): Promise<number> {
    const row = await t.database.db
      .insertInto('feedback_items')
      .values({ kind: 'example', source_id: null, locale: 'en', text })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    const put = await call('PUT', `/api/classify/items/example/${id}/labels`, { categories });
    expect(put.statusCode).toBe(200);
    return id;
  }
  const labelsOf = async (id: number) =>
    (
      (await call('GET', `/api/classify/items/example/${id}`)).json() as { labels: { human: { category: string }[] } }
    ).labels.human
      .map((l) => l.category)
      .sort();
  const taxonomy = async () =>
    (
      (await call('GET', '/api/taxonomy?includeArchived=true')).json() as {
        categories: { slug: string; parent: string | null; archived: boolean; humanLabels: number }[];
      }
    ).categories;

  it('moves the labels of the merged category to the other without duplicates, archives it, and audits the merge', async () => {
    const onlyCharges = await labeledExample('charged twice this month', ['charges']);
    const both = await labeledExample('charged and want the money back', ['charges', 'refunds']);
    const onlyRefunds = await labeledExample('refund please', ['refunds']);

    const merged = await call('POST', '/api/taxonomy/categories/charges/merge', { into: 'refunds' });
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toEqual({
      from: 'charges',
      into: 'refunds',
      movedLabels: 1,
      droppedDuplicates: 1,
      movedChildren: [],
    });
    expect(await labelsOf(onlyCharges)).toEqual(['refunds']);
    expect(await labelsOf(both)).toEqual(['refunds']);
    expect(await labelsOf(onlyRefunds)).toEqual(['refunds']);
    const after = await taxonomy();
    expect(after.find((c) => c.slug === 'charges')).toMatchObject({ archived: true, humanLabels: 0 });
    expect(after.find((c) => c.slug === 'refunds')).toMatchObject({ archived: false, humanLabels: 3 });

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('action', '=', 'category.merge')
      .execute();
    expect(audit).toEqual([{ action: 'category.merge', object_id: 'charges' }]);
  });

  it('merging a category with subcategories moves them under the other top-level category', async () => {
    const declined = await labeledExample('my card was declined', ['card-declined']);
    const merged = await call('POST', '/api/taxonomy/categories/payments/merge', { into: 'billing' });
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toMatchObject({ movedChildren: ['card-declined'], movedLabels: 0 });
    const after = await taxonomy();
    expect(after.find((c) => c.slug === 'card-declined')).toMatchObject({ parent: 'billing', archived: false });
    expect(after.find((c) => c.slug === 'payments')).toMatchObject({ archived: true });
    // The subcategory kept its id, so its labels are untouched.
    expect(await labelsOf(declined)).toEqual(['card-declined']);
  });

  it('moves a subcategory to another parent with PATCH, keeping its labels', async () => {
    const item = await labeledExample('cannot sign in', ['login']);
    const moved = await call('PATCH', '/api/taxonomy/categories/login', { parent: 'billing' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ slug: 'login', parent: 'billing', humanLabels: 1 });
    expect(await labelsOf(item)).toEqual(['login']);
    const back = await call('PATCH', '/api/taxonomy/categories/login', { parent: 'account' });
    expect(back.json()).toMatchObject({ parent: 'account' });
  });

  it('refuses merges that would break the tree or name what is not there, writing nothing', async () => {
    const before = await taxonomy();
    const cases: [string, unknown, number, string][] = [
      ['refunds', { into: 'refunds' }, 400, 'itself'],
      ['no-such', { into: 'refunds' }, 404, 'no-such'],
      ['refunds', { into: 'no-such' }, 400, 'does not exist'],
      ['refunds', { into: 'charges' }, 400, 'archived'],
      ['charges', { into: 'refunds' }, 400, 'archived'],
      ['billing', { into: 'refunds' }, 400, 'subcategory of'],
      ['billing', { into: 'login' }, 400, 'three levels'],
      ['refunds', { into: 'Not A Slug' }, 400, ''],
      ['refunds', {}, 400, ''],
    ];
    for (const [slug, body, status, message] of cases) {
      const response = await call('POST', `/api/taxonomy/categories/${slug}/merge`, body);
      expect(response.statusCode, `${slug} ${JSON.stringify(body)}`).toBe(status);
      expect(response.json().error.message).toContain(message);
    }
    expect(await taxonomy()).toEqual(before);
  });

  it('lets viewers and agents read the taxonomy but not merge; an agent may label and undo a skip', async () => {
    const read = await t.app.inject({ method: 'GET', url: '/api/taxonomy', headers: viewer.read });
    expect(read.statusCode).toBe(200);
    for (const who of [viewer, agent]) {
      const merge = await t.app.inject({
        method: 'POST',
        url: '/api/taxonomy/categories/login/merge',
        headers: who.write,
        payload: { into: 'refunds' },
      });
      expect(merge.statusCode).toBe(403);
    }
    const item = await labeledExample('skip me', ['login']);
    await call('DELETE', `/api/classify/items/example/${item}/labels/login`);
    const queued = async () =>
      ((await call('GET', '/api/classify/queue?limit=50')).json() as { items: { itemId: number }[] }).items.some(
        (i) => i.itemId === item,
      );
    expect(await queued()).toBe(true);
    const skip = await t.app.inject({ method: 'POST', url: `/api/classify/queue/${item}/skip`, headers: agent.write });
    expect(skip.statusCode).toBe(200);
    expect(await queued()).toBe(false);
    const viewerUndo = await t.app.inject({
      method: 'DELETE',
      url: `/api/classify/queue/${item}/skip`,
      headers: viewer.write,
    });
    expect(viewerUndo.statusCode).toBe(403);
    const undo = await t.app.inject({
      method: 'DELETE',
      url: `/api/classify/queue/${item}/skip`,
      headers: agent.write,
    });
    expect(undo.statusCode).toBe(200);
    expect(await queued()).toBe(true);
    const missing = await call('DELETE', '/api/classify/queue/999999/skip');
    expect(missing.statusCode).toBe(404);
  });
});
