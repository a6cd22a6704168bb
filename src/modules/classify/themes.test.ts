import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { tokenFor } from '../accounts/accounts.test-support.js';
import { buildLabeledData } from './classify.factories.js';

type Headers = { authorization: string };

/**
 * Four planted themes nobody labelled: dark mode (en), PDF export (es), double charges (es), refund requests (en,
 * like "refunds").
 */
const DARK = ['dark mode', 'the dark theme', 'night mode', 'a dark background'];
const DARK_TAIL = ['please add it', 'my eyes hurt at night', 'the white screen is too bright', 'when is it coming'];
const EXPORT = ['exportar a pdf', 'descargar el informe en pdf', 'exportar el informe', 'guardar como pdf'];
const EXPORT_TAIL = ['no funciona', 'sale en blanco', 'falla siempre', 'tarda muchísimo'];
const CHARGE = ['me cobraron dos veces', 'cobro doble en la tarjeta', 'un cargo duplicado', 'dos cargos iguales'];
const CHARGE_TAIL = ['este mes', 'en la suscripción anual', 'quiero que lo devuelvan', 'lo veo en el banco'];
const REFUND = ['I want my money back', 'refund please', 'where is my refund', 'still waiting for the refund'];
const REFUND_TAIL = ['for the yearly plan', 'it has been two weeks', 'I cancelled the same day', 'on my card'];
const NOISE = ['the weather was lovely on saturday', 'my cat sat on the keyboard', 'guitar lessons for beginners'];

function themeTexts(heads: string[], tails: string[]): string[] {
  return heads.flatMap((head) => tails.map((tail) => `${head}, ${tail}`));
}

describe('theme discovery through the operator API', () => {
  let t: TestApp;
  let analyst: Headers;
  let viewer: Headers;
  const planted = new Map<number, 'dark' | 'export' | 'refund' | 'charge' | 'noise'>();

  beforeAll(async () => {
    t = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false' } });
    await buildLabeledData(t.database.db);
    let source = 1;
    const add = async (texts: string[], theme: 'dark' | 'export' | 'refund' | 'charge' | 'noise', locale: string) => {
      for (const text of texts) {
        const row = await t.database.db
          .insertInto('feedback_items')
          .values({ kind: source % 2 ? 'vote' : 'ticket', source_id: source++, locale, text })
          .returning('id')
          .executeTakeFirstOrThrow();
        planted.set(Number(row.id), theme);
      }
    };
    await add(themeTexts(DARK, DARK_TAIL), 'dark', 'en');
    await add(themeTexts(EXPORT, EXPORT_TAIL), 'export', 'es');
    await add(themeTexts(REFUND, REFUND_TAIL), 'refund', 'en');
    await add(themeTexts(CHARGE, CHARGE_TAIL), 'charge', 'es');
    await add(NOISE, 'noise', 'en');
    analyst = (await tokenFor(t, 'analyst')).headers;
    viewer = (await tokenFor(t, 'viewer')).headers;
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const call = (headers: Headers, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  interface Proposal {
    id: number;
    kind: string;
    status: string;
    name: string;
    terms: string[];
    category: string | null;
    items: number;
    itemIds: number[];
    examples: { itemId: number; text: string; locale: string | null }[];
    language: string | null;
  }
  /** The planted theme most of a proposal's items come from. */
  const themeOf = (p: Proposal) => {
    const counts = new Map<string, number>();
    for (const id of p.itemIds) counts.set(planted.get(id)!, (counts.get(planted.get(id)!) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  };
  /** The share of a proposal's items from its planted theme. */
  const purityOf = (p: Proposal) => p.itemIds.filter((id) => planted.get(id) === themeOf(p)).length / p.items;

  /** Polls a run until it is no longer running (the clustering runs in a worker thread). */
  async function finished(id: number) {
    for (;;) {
      const run = (await call(analyst, 'GET', `/api/classify/themes/runs/${id}`)).json();
      if (run.status !== 'running') return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('refuses a viewer, then finds the planted themes for an analyst, per language, off the request', async () => {
    expect((await call(viewer, 'GET', '/api/classify/themes')).json()).toEqual({
      run: null,
      proposals: [],
      current: null,
    });
    expect((await call(viewer, 'POST', '/api/classify/themes/discover', {})).statusCode).toBe(403);
    expect((await call(analyst, 'POST', '/api/classify/themes/discover', { windowDays: 0 })).statusCode).toBe(400);

    // Another process's run in progress: a second one is refused; once it is stale (10 minutes), it counts as failed.
    const other = await t.database.db
      .insertInto('theme_runs')
      .values({
        status: 'running',
        progress: 0.3,
        window_days: 90,
        texts: 0,
        capped: false,
        k: 0,
        noise: 0,
        seconds: 0,
        created_by: 'other',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const busy = await call(analyst, 'POST', '/api/classify/themes/discover', {});
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('THEME_DISCOVERY_RUNNING');
    expect((await call(viewer, 'GET', '/api/classify/themes')).json().current).toMatchObject({
      id: other.id,
      status: 'running',
      progress: expect.closeTo(0.3, 5),
    });
    await sql`UPDATE theme_runs SET created_at = now() - interval '11 minutes' WHERE id = ${other.id}`.execute(
      t.database.db,
    );
    expect((await call(viewer, 'GET', `/api/classify/themes/runs/${other.id}`)).json().status).toBe('failed');

    const response = await call(analyst, 'POST', '/api/classify/themes/discover', {});
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ status: 'running', progress: 0 });
    expect((await call(viewer, 'GET', `/api/classify/themes/runs/${other.id}`)).json()).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('interrupted'),
    });
    const done = await finished(response.json().id);
    expect(done).toMatchObject({ status: 'ready', progress: 1, texts: 67, capped: false, tooFew: 0 });
    // Every text got its detected language, and each language was clustered on its own.
    expect(done.languages.map((l: { language: string; texts: number }) => [l.language, l.texts])).toEqual([
      ['en', 35],
      ['es', 32],
    ]);
    const latest = (await call(analyst, 'GET', '/api/classify/themes')).json();
    expect(latest.run.id).toBe(done.id);
    expect(latest.current).toBeNull();
    const proposals = latest.proposals as Proposal[];
    const byTheme = new Map(proposals.map((p) => [themeOf(p), p]));
    expect([...byTheme.keys()].sort()).toEqual(['charge', 'dark', 'export', 'refund']);
    // Each holds most of its theme (16 texts) and little else; stray noise texts may join one.
    for (const p of proposals) {
      expect(purityOf(p)).toBeGreaterThanOrEqual(0.75);
      expect(p.itemIds.filter((id) => planted.get(id) === themeOf(p)).length).toBeGreaterThanOrEqual(14);
    }
    const dark = byTheme.get('dark')!;
    expect(dark.items).toBeGreaterThanOrEqual(14);
    expect(dark.terms).toContain('dark');
    expect(dark.examples).toHaveLength(5);
    expect(dark.examples[0]!.locale).toBe('en');
    // Refund requests sit on the labelled "refunds" examples: proposed as more of that category.
    expect(byTheme.get('refund')).toMatchObject({ kind: 'merge', category: 'refunds' });
    expect(byTheme.get('export')).toMatchObject({ kind: 'new', language: 'es' });
    expect(dark.language).toBe('en');
    // The viewer reads the same proposals.
    expect((await call(viewer, 'GET', '/api/classify/themes')).json().proposals).toHaveLength(proposals.length);
  });

  it('accepts a theme into the taxonomy with its items as human labels, in one transaction', async () => {
    const proposals = (await call(analyst, 'GET', '/api/classify/themes')).json().proposals as Proposal[];
    const dark = proposals.find((p) => themeOf(p) === 'dark')!;
    const url = `/api/classify/themes/${dark.id}`;

    expect((await call(viewer, 'POST', `${url}/accept`, { name: 'Dark mode' })).statusCode).toBe(403);
    expect((await call(analyst, 'POST', `${url}/accept`, {})).statusCode).toBe(400);
    const foreign = await call(analyst, 'POST', `${url}/accept`, { name: 'Dark mode', itemIds: [999_999] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.message).toContain('not part of this theme');
    expect((await call(analyst, 'POST', '/api/classify/themes/999999/accept', { name: 'x' })).statusCode).toBe(404);
    // A slug that is taken: 409, and nothing of the accept is left behind.
    const taken = await call(analyst, 'POST', `${url}/accept`, { name: 'Dark mode', slug: 'billing' });
    expect(taken.statusCode).toBe(409);
    const labels = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*)::text AS n FROM human_labels WHERE item_id = ANY(${dark.itemIds})`.execute(t.database.db)
        ).rows[0]!.n,
      );
    expect(await labels()).toBe(0);

    const renamed = await call(analyst, 'PATCH', url, { name: 'Modo oscuro' });
    expect(renamed.json()).toMatchObject({ name: 'Modo oscuro', status: 'open' });

    const accepted = await call(analyst, 'POST', `${url}/accept`, {
      name: 'Modo oscuro',
      locale: 'es',
      slug: 'dark-mode',
      parent: 'account',
      description: 'Asks for a dark theme',
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ category: 'dark-mode', labeled: dark.items });
    expect(accepted.json().proposal).toMatchObject({ status: 'accepted', result: { category: 'dark-mode' } });
    expect(await labels()).toBe(dark.items);

    const taxonomy = (await call(viewer, 'GET', '/api/taxonomy')).json().categories as {
      slug: string;
      parent: string | null;
      names: Record<string, string>;
      humanLabels: number;
    }[];
    expect(taxonomy.find((c) => c.slug === 'dark-mode')).toMatchObject({
      parent: 'account',
      names: { es: 'Modo oscuro', en: 'Modo oscuro' },
      humanLabels: dark.items,
    });
    const item = await call(analyst, 'GET', `/api/classify/items/example/${dark.itemIds[0]}`);
    expect(item.statusCode).toBe(404); // items are addressed by their source: a vote or a ticket
    const row = await t.database.db
      .selectFrom('feedback_items')
      .select(['kind', 'source_id'])
      .where('id', '=', dark.itemIds[0]!)
      .executeTakeFirstOrThrow();
    const shown = await call(analyst, 'GET', `/api/classify/items/${row.kind}/${Number(row.source_id)}`);
    expect(shown.json().labels.human.map((h: { category: string }) => h.category)).toEqual(['dark-mode']);

    const again = await call(analyst, 'POST', `${url}/accept`, { name: 'Dark mode', slug: 'dark-mode-2' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('THEME_DECIDED');
  });

  it('merges a theme into an existing category and dismisses another', async () => {
    const proposals = (await call(analyst, 'GET', '/api/classify/themes')).json().proposals as Proposal[];
    const refund = proposals.find((p) => themeOf(p) === 'refund')!;
    const exportTheme = proposals.find((p) => themeOf(p) === 'export')!;
    expect(
      (await call(analyst, 'POST', `/api/classify/themes/${refund.id}/merge`, { category: 'no-such-category' }))
        .statusCode,
    ).toBe(400);
    const subset = refund.itemIds.slice(0, 3);
    const merged = await call(analyst, 'POST', `/api/classify/themes/${refund.id}/merge`, {
      category: 'refunds',
      itemIds: subset,
    });
    expect(merged.json()).toMatchObject({ category: 'refunds', labeled: 3, proposal: { status: 'merged' } });
    const labelled = await t.database.db
      .selectFrom('human_labels')
      .select('item_id')
      .where('item_id', 'in', refund.itemIds)
      .execute();
    expect(labelled.map((r) => Number(r.item_id)).sort()).toEqual([...subset].sort());

    expect((await call(viewer, 'POST', `/api/classify/themes/${exportTheme.id}/dismiss`)).statusCode).toBe(403);
    const dismissed = await call(analyst, 'POST', `/api/classify/themes/${exportTheme.id}/dismiss`);
    expect(dismissed.json()).toMatchObject({ labeled: 0, proposal: { status: 'dismissed' } });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'theme%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'themes.discover',
      'theme.rename',
      'theme.accept',
      'theme.merge',
      'theme.dismiss',
    ]);
  });
});
