import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildLabeledData } from './classify.factories.js';
import { addExampleItem } from './record-feedback-item.js';

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Spanish and Russian refunds and sign-in problems. Two Spanish texts are filed on the English page (locale 'en'):
// their language must come from the text, not the page.
const FOREIGN: { text: string; locale: string; category: string }[] = [
  { text: 'quiero que me devuelvan el dinero de la suscripción anual', locale: 'es', category: 'refunds' },
  { text: 'todavía estoy esperando el reembolso que me prometieron', locale: 'en', category: 'refunds' },
  { text: 'cómo pido un reembolso si cancelé el mismo día', locale: 'es', category: 'refunds' },
  { text: 'no puedo iniciar sesión, dice que la contraseña es incorrecta', locale: 'en', category: 'login' },
  { text: 'el código de verificación nunca llega y no puedo entrar', locale: 'es', category: 'login' },
  { text: 'me bloquearon la cuenta después de varios intentos de entrar', locale: 'es', category: 'login' },
  { text: 'хочу вернуть деньги за годовую подписку', locale: 'ru', category: 'refunds' },
  { text: 'не могу войти в аккаунт, пишет неверный пароль', locale: 'ru', category: 'login' },
];

describe('the language of every text', () => {
  let t: TestApp;
  const ids: number[] = [];
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await buildLabeledData(db);
        const categories = new Map(
          (await db.selectFrom('taxonomy_categories').select(['id', 'slug']).execute()).map((c) => [c.slug, c.id]),
        );
        for (const example of FOREIGN) {
          const id = await addExampleItem(db, {
            text: example.text,
            locale: example.locale,
            categoryIds: [categories.get(example.category)!],
            labeledBy: 'test',
          });
          ids.push(id!);
        }
        // One unlabelled Italian text: a language nobody writes in here, too small to list.
        await db
          .insertInto('feedback_items')
          .values({ kind: 'example', source_id: null, locale: null, text: 'non riesco ad accedere al mio account' })
          .execute();
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.operator });
  const post = (url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: t.operator, ...(payload === undefined ? {} : { payload }) });

  it('detects and records the language of incoming texts from the text itself', async () => {
    expect((await post('/api/classify/categorise')).statusCode).toBe(202);
    const items = await waitFor(
      () => Promise.all(ids.map((id) => get(`/api/classify/items/example/${id}`).then((r) => r.json()))),
      (all) => all.every((item) => item.language !== null),
    );
    expect(items.map((item) => item.language)).toEqual(['es', 'es', 'es', 'es', 'es', 'es', 'ru', 'ru']);
    // Filed on the English page, written in Spanish.
    expect(items[1]).toMatchObject({ locale: 'en', language: 'es' });
  });

  it('shows per language how many examples each category has, and which it lacks', async () => {
    const res = await get('/api/classify/languages');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.pending).toBe(0);
    expect(body.other).toEqual({ languages: 1, items: 1 });
    expect(body.languages.map((l: { language: string }) => l.language)).not.toContain('it');
    const byLanguage = new Map(body.languages.map((l: { language: string }) => [l.language, l]));
    expect(byLanguage.get('en')).toMatchObject({ items: 40, labelled: 40, categoriesWithoutExamples: [] });
    expect(byLanguage.get('es')).toMatchObject({
      items: 6,
      labelled: 6,
      categoriesWithoutExamples: ['charges', 'delete-account'],
    });
    expect(byLanguage.get('ru')).toMatchObject({
      items: 2,
      categoriesWithoutExamples: ['charges', 'delete-account'],
      categoriesWithFewExamples: ['refunds', 'login'].sort(),
    });
  });

  it('filters the labelling queue by language', async () => {
    // Every example is labelled, so the queue is empty whatever the language; a language must still be valid.
    expect((await get('/api/classify/queue?language=es')).statusCode).toBe(200);
    expect((await get('/api/classify/queue?language=Spanish!')).statusCode).toBe(400);
  });

  it("breaks a version's evaluation down by language, with an interval on each accuracy", async () => {
    const res = await post('/api/classify/models', { seed: 3, evaluation: { method: 'kfold', folds: 3 } });
    expect(res.statusCode).toBe(202);
    const ready = await waitFor(
      () => get(`/api/classify/models/${res.json().version}`).then((r) => r.json()),
      (m) => m.status === 'ready' || m.status === 'failed',
      60_000,
    );
    expect(ready.status).toBe('ready');
    const perLanguage = ready.evaluation.perLanguage as {
      language: string;
      examples: number;
      accuracy: number;
      accuracyLow: number;
      accuracyHigh: number;
    }[];
    expect(perLanguage.map((l) => [l.language, l.examples])).toEqual([
      ['en', 40],
      ['es', 6],
      ['ru', 2],
    ]);
    for (const l of perLanguage) {
      expect(l.accuracyLow).toBeLessThanOrEqual(l.accuracy);
      expect(l.accuracyHigh).toBeGreaterThanOrEqual(l.accuracy);
    }
    // Two Russian texts prove little: the interval says so.
    const ru = perLanguage.find((l) => l.language === 'ru')!;
    expect(ru.accuracyHigh - ru.accuracyLow).toBeGreaterThan(0.5);
  });
});
