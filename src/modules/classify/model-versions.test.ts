import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildLabeledData } from './classify.factories.js';

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('model versions through the operator API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ prepare: async ({ db }) => void (await buildLabeledData(db)) });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.operator });
  const post = (url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: t.operator, ...(payload === undefined ? {} : { payload }) });
  const version = (n: number) => get(`/api/classify/models/${n}`).then((r) => r.json());

  it('refuses to train without labeled examples of two categories, saying why', async () => {
    // Everything but one category archived: too little to train on.
    for (const slug of ['charges', 'login', 'delete-account']) {
      expect((await post(`/api/taxonomy/categories/${slug}/archive`)).statusCode).toBe(200);
    }
    const res = await post('/api/classify/models', {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('at least two categories');
    for (const slug of ['charges', 'login', 'delete-account']) {
      expect((await post(`/api/taxonomy/categories/${slug}/restore`)).statusCode).toBe(200);
    }
  });

  it('trains a version in a background job with progress and stores its evaluation; activation is explicit', async () => {
    const res = await post('/api/classify/models', { seed: 7, evaluation: { method: 'holdout', testFraction: 0.3 } });
    expect(res.statusCode).toBe(202);
    const { version: v } = res.json();
    expect(res.json()).toMatchObject({ status: 'queued', examples: 40, categories: 4 });
    const ready = await waitFor(
      () => version(v),
      (m) => m.status === 'ready' || m.status === 'failed',
    );
    expect(ready.status).toBe('ready');
    expect(ready.progress).toBe(1);
    expect(ready.active).toBe(false);
    expect(ready.modelBytes).toBeGreaterThan(1000);
    const evaluation = ready.evaluation;
    expect(evaluation.method).toBe('holdout');
    expect(evaluation.testExamples).toBeGreaterThanOrEqual(8);
    expect(evaluation.accuracy).toBeGreaterThan(0.5);
    expect(evaluation.perClass.map((c: { category: string }) => c.category).sort()).toEqual([
      'charges',
      'delete-account',
      'login',
      'refunds',
    ]);
    expect(evaluation.coverageCurve.length).toBeGreaterThan(3);
    expect(evaluation.operatingPoint).toHaveProperty('unsure');
    const snapshot = await get(`/api/classify/models/${v}/training-data`);
    expect(snapshot.json().examples).toHaveLength(40);
    // Not active until activated: prediction has no model yet.
    expect((await post('/api/classify/predict', { text: 'refund' })).statusCode).toBe(409);
  });

  it('is deterministic for a seed, k-fold evaluates, and compare shows new against active before activating', async () => {
    const first = (await post('/api/classify/models', { seed: 3, evaluation: { method: 'kfold', folds: 3 } })).json();
    const second = (await post('/api/classify/models', { seed: 3, evaluation: { method: 'kfold', folds: 3 } })).json();
    const a = await waitFor(
      () => version(first.version),
      (m) => m.status === 'ready',
    );
    const b = await waitFor(
      () => version(second.version),
      (m) => m.status === 'ready',
    );
    expect(a.evaluation.method).toBe('kfold');
    expect(a.evaluation.folds).toBe(3);
    expect(a.evaluation.testExamples).toBe(40);
    expect(a.evaluation.spread.macroF1.mean).toBeGreaterThan(0);
    expect(b.evaluation).toEqual(a.evaluation);
    expect(b.modelBytes).toBe(a.modelBytes);
    const bytes = await t.database.db
      .selectFrom('model_versions')
      .select(['id', 'model'])
      .where('id', 'in', [first.version, second.version])
      .orderBy('id')
      .execute();
    expect(Buffer.from(bytes[0]!.model!).equals(Buffer.from(bytes[1]!.model!))).toBe(true);

    expect((await post(`/api/classify/models/${first.version}/activate`)).json()).toEqual({
      version: first.version,
      previous: null,
    });
    const compare = (await get(`/api/classify/models/${second.version}/compare`)).json();
    expect(compare.active.version).toBe(first.version);
    expect(compare.candidate.version).toBe(second.version);
    expect(compare.delta).toEqual({ accuracy: 0, macroF1: 0, coverage: 0 });
    expect(compare.perCategory.length).toBe(4);
  });

  it('predicts with the active model, with an unsure answer and a threshold override', async () => {
    const sure = (await post('/api/classify/predict', { text: 'I was charged twice on my card' })).json();
    expect(sure.category).toBe('charges');
    const unsure = (await post('/api/classify/predict', { text: 'banana', threshold: 0.999 })).json();
    expect(unsure.category).toBeNull();
    const forced = (await post('/api/classify/predict', { text: 'banana', threshold: 0 })).json();
    expect(forced.category).not.toBeNull();
  });

  it('reclassifies everything not human-labeled when another version is activated', async () => {
    const db = t.database.db;
    const insert = (text: string) =>
      db
        .insertInto('feedback_items')
        .values({ kind: 'example', source_id: null, locale: 'en', text })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.id));
    const unlabeled = await insert('my card got charged two times');
    const labeled = await insert('please delete everything about me');
    await t.app.inject({
      method: 'PUT',
      url: `/api/classify/items/example/${labeled}/labels`,
      headers: t.operator,
      payload: { categories: ['delete-account'] },
    });
    const versions = (await get('/api/classify/models')).json().versions as { version: number; active: boolean }[];
    const active = versions.find((v) => v.active)!.version;
    const other = versions.find((v) => !v.active && v.version !== active)!.version;
    const predictedBy = async (item: number) =>
      (await db.selectFrom('predictions').select('model_version_id').where('item_id', '=', item).execute()).map(
        (r) => r.model_version_id,
      );
    await post('/api/classify/categorise');
    await waitFor(
      () => predictedBy(unlabeled),
      (v) => v.includes(active),
    );
    await post(`/api/classify/models/${other}/activate`);
    const after = await waitFor(
      () => predictedBy(unlabeled),
      (v) => v.includes(other),
    );
    expect(after).toContain(active);
    expect(await predictedBy(labeled)).toEqual([]);
    const view = (await get(`/api/classify/items/example/${unlabeled}`)).json();
    expect(view.labels.predicted).toMatchObject({ modelVersion: other, active: true });
  });

  it('refuses to activate a version that is not ready', async () => {
    const row = await t.database.db
      .insertInto('model_versions')
      .values({ settings: '{}', categories: '[]', snapshot: '[]', status: 'training' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await post(`/api/classify/models/${row.id}/activate`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('still training');
    expect((await post('/api/classify/models/999999/activate')).statusCode).toBe(404);
  });

  it('keeps the operator API closed without the token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/classify/models' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/taxonomy' })).statusCode).toBe(401);
  });
});
