import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildArticle, buildTopic } from './content.factories.js';

function attr(html: string, pattern: RegExp): string | undefined {
  return pattern.exec(html)?.[1];
}

describe('content locales as configuration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await buildTopic(db, { slug: 'billing', names: { en: 'Billing', es: 'Facturación' } });
        await buildArticle(db, {
          slug: 'refunds',
          topic: 'billing',
          title: 'Get a refund',
          body: 'Ask us within 30 days.',
        });
        await buildArticle(db, {
          slug: 'refunds',
          topic: 'billing',
          locale: 'es',
          title: 'Obtener un reembolso',
          body: 'Pídelo en 30 días.',
        });
        await buildArticle(db, {
          slug: 'invoices',
          topic: 'billing',
          title: 'Download invoices',
          body: 'From settings.',
        });
        await buildArticle(db, {
          slug: 'invoices',
          topic: 'billing',
          locale: 'ar',
          title: 'تنزيل الفواتير',
          body: 'من الإعدادات.',
        });
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const addLocale = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/locales', headers: t.operator, payload });
  const patchLocale = (code: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: `/api/locales/${code}`, headers: t.operator, payload });
  const audit = async (code: string) =>
    (
      await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'object_type', 'changes', 'via'])
        .where('object_type', '=', 'locale')
        .where('object_id', '=', code)
        .orderBy('id')
        .execute()
    ).map((row) => ({ ...row, changes: row.changes as Record<string, { before: unknown; after: unknown }> }));

  it('lists the six built-in locales, English first, each with its UI language', async () => {
    expect((await get('/api/locales')).statusCode).toBe(401);
    const res = await get('/api/locales', t.operator);
    expect(res.statusCode).toBe(200);
    const locales = res.json().locales as { code: string; direction: string; fallback: string[] }[];
    expect(locales.map((l) => l.code)).toEqual(['en', 'es', 'ru', 'ar', 'he', 'ja']);
    expect(locales[3]).toMatchObject({
      code: 'ar',
      name: 'العربية',
      direction: 'rtl',
      fallback: ['en'],
      enabled: true,
      uiLanguage: 'ar',
      builtIn: true,
    });
  });

  it('adds fr: the site serves it at once with English UI strings, hreflang, the language menu and the sitemap', async () => {
    expect((await get('/fr')).statusCode).toBe(404);
    const created = await addLocale({ code: 'fr', name: 'Français', direction: 'ltr', fallback: ['en'] });
    expect(created.statusCode).toBe(201);
    expect(created.json().locale).toMatchObject({ code: 'fr', uiLanguage: 'en', builtIn: false, enabled: true });

    const home = await get('/fr');
    expect(home.statusCode).toBe(200);
    expect(attr(home.body, /<html lang="([^"]+)"/)).toBe('fr');
    expect(attr(home.body, /<html lang="fr" dir="([^"]+)"/)).toBe('ltr');
    expect(home.body).toContain('How can we help?');
    expect(home.body).toContain('<link rel="alternate" hreflang="fr" href="http://localhost:80/fr"/>');
    expect(home.body).toMatch(/hreflang="fr" lang="fr"[^>]*><bdi>Français<\/bdi>/);
    // Every other page lists it too, and the sitemap has its pages.
    expect((await get('/ja')).body).toContain('hreflang="fr"');
    const sitemap = await get('/sitemap.xml');
    expect(sitemap.body).toContain('<loc>http://localhost:80/fr</loc>');
    // Accept-Language negotiation now knows it.
    expect((await get('/', { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' })).headers.location).toBe('/fr');
  });

  it('serves a published fr translation, and the English text marked as a fallback where there is none', async () => {
    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: t.operator,
      payload: {
        slug: 'invoices',
        topic: 'billing',
        locale: 'fr',
        title: 'Télécharger les factures',
        body: 'Depuis les paramètres du compte.',
        publish: true,
      },
    });
    expect(saved.statusCode).toBe(200);
    const translated = await get('/fr/articles/invoices');
    expect(translated.statusCode).toBe(200);
    expect(translated.body).toContain('<h1>Télécharger les factures</h1>');
    expect(translated.body).not.toContain('class="notice"');

    const fallback = await get('/fr/articles/refunds');
    expect(fallback.statusCode).toBe(200);
    expect(fallback.body).toContain('<h1>Get a refund</h1>');
    expect(fallback.body).toContain('class="article-body" lang="en" dir="ltr"');
    expect(fallback.body).toContain(
      "This article isn't available in French yet, so you're reading the English version.",
    );
    // The canonical URL is the English page, as for the built-in locales.
    expect(attr(fallback.body, /<link rel="canonical" href="([^"]+)"/)).toBe('http://localhost:80/en/articles/refunds');
  });

  it('searches in fr: the fr translation is indexed as soon as it is published', async () => {
    await expect
      .poll(async () => (await get('/fr/search?q=factures')).body, { timeout: 5_000 })
      .toContain('href="/fr/articles/invoices"');
    const api = await get('/api/search?locale=fr&q=telecharger');
    expect(api.statusCode).toBe(200);
    expect(api.json().hits.map((h: { slug: string }) => h.slug)).toEqual(['invoices']);
  });

  it('gives pt-BR (fallback es, en) Spanish UI strings and the Spanish text before the English one', async () => {
    const created = await addLocale({ code: 'pt-BR', name: 'Português (Brasil)', fallback: ['es', 'en'] });
    expect(created.statusCode).toBe(201);
    expect(created.json().locale).toMatchObject({ direction: 'ltr', uiLanguage: 'es' });
    const home = await get('/pt-BR');
    expect(home.statusCode).toBe(200);
    expect(attr(home.body, /<html lang="([^"]+)"/)).toBe('pt-BR');
    expect(home.body).toContain('¿Cómo podemos ayudarte?');
    // Topic names fall back along the chain too.
    expect(home.body).toContain('Facturación');
    const refunds = await get('/pt-BR/articles/refunds');
    expect(refunds.body).toContain('<h1>Obtener un reembolso</h1>');
    expect(refunds.body).toContain('class="article-body" lang="es" dir="ltr"');
    const invoices = await get('/pt-BR/articles/invoices');
    expect(invoices.body).toContain('<h1>Download invoices</h1>');
  });

  it('gives a right-to-left locale (fa, fallback ar, en) dir=rtl, Arabic strings and fonts, and Arabic text', async () => {
    const created = await addLocale({ code: 'fa', name: 'فارسی', direction: 'rtl', fallback: ['ar', 'en'] });
    expect(created.statusCode).toBe(201);
    expect(created.json().locale.uiLanguage).toBe('ar');
    const home = await get('/fa');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<html lang="fa" dir="rtl">');
    expect(home.body).toContain('كيف يمكننا مساعدتك؟');
    expect(home.body).toContain('/assets/fonts/noto-sans-arabic/400.css');
    const invoices = await get('/fa/articles/invoices');
    expect(invoices.body).toContain('<h1>تنزيل الفواتير</h1>');
    const refunds = await get('/fa/articles/refunds');
    expect(refunds.body).toContain('<h1>Get a refund</h1>');
  });

  it('answers 404 for a disabled locale at once, and takes it out of menus and negotiation', async () => {
    const off = await patchLocale('fr', { enabled: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().locale).toMatchObject({ code: 'fr', enabled: false });
    expect((await get('/fr')).statusCode).toBe(404);
    expect((await get('/fr/articles/invoices')).statusCode).toBe(404);
    expect((await get('/fr/search?q=factures')).statusCode).toBe(404);
    const en = await get('/en/articles/invoices');
    expect(en.body).not.toContain('hreflang="fr"');
    expect((await get('/', { 'accept-language': 'fr' })).headers.location).toBe('/en');
    // Still configured: content can be prepared in it, and it comes back when enabled.
    expect((await get('/api/locales', t.operator)).json().locales.map((l: { code: string }) => l.code)).toContain('fr');
    expect((await patchLocale('fr', { enabled: true })).statusCode).toBe(200);
    expect((await get('/fr/articles/invoices')).body).toContain('<h1>Télécharger les factures</h1>');
  });

  it('refuses bad codes, duplicates, unknown fallbacks, cycles and disabling the default, changing nothing', async () => {
    const before = (await get('/api/locales', t.operator)).json();
    for (const code of ['FR', 'english', 'pt_BR', 'pt-br', 'x', '../en']) {
      const res = await addLocale({ code, name: 'X' });
      expect(res.statusCode, code).toBe(400);
      expect(res.json().error.code, code).toBe('VALIDATION_FAILED');
    }
    const tooLong = await addLocale({ code: 'de', name: 'D'.repeat(61) });
    expect(tooLong.json().error.code).toBe('VALIDATION_FAILED');

    const duplicate = await addLocale({ code: 'fr', name: 'Français encore' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('LOCALE_EXISTS');

    const unknown = await addLocale({ code: 'de', name: 'Deutsch', fallback: ['nl', 'en'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({
      code: 'LOCALE_FALLBACK_INVALID',
      details: [{ path: 'fallback.0', message: '"nl" is not a configured locale' }],
    });
    const self = await patchLocale('fa', { fallback: ['fa'] });
    expect(self.json().error.code).toBe('LOCALE_FALLBACK_INVALID');
    const cycle = await patchLocale('ar', { fallback: ['fa', 'en'] });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.code).toBe('LOCALE_FALLBACK_INVALID');
    expect(cycle.json().error.message).toContain('ar → fa → ar');
    const twice = await addLocale({ code: 'de', name: 'Deutsch', fallback: ['en', 'en'] });
    expect(twice.json().error.code).toBe('VALIDATION_FAILED');

    const defaultOff = await patchLocale('en', { enabled: false });
    expect(defaultOff.statusCode).toBe(409);
    expect(defaultOff.json().error.code).toBe('LOCALE_IS_DEFAULT');
    expect((await patchLocale('nl', { name: 'Nederlands' })).statusCode).toBe(404);

    expect((await get('/api/locales', t.operator)).json()).toEqual(before);
    expect((await get('/de')).statusCode).toBe(404);
    expect((await get('/en')).statusCode).toBe(200);
  });

  it('refuses content in a locale that is not configured with 400 UNKNOWN_LOCALE listing the configured ones', async () => {
    const article = await t.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: t.operator,
      payload: { slug: 'invoices', topic: 'billing', locale: 'de', title: 'Rechnungen', body: 'x' },
    });
    expect(article.statusCode).toBe(400);
    expect(article.json().error.code).toBe('UNKNOWN_LOCALE');
    expect(article.json().error.message).toContain('en, es, ru, ar, he, ja, fr, pt-BR, fa');
    const topic = await t.app.inject({
      method: 'PUT',
      url: '/api/topics/billing',
      headers: t.operator,
      payload: { names: { en: 'Billing', de: 'Abrechnung' } },
    });
    expect(topic.statusCode).toBe(400);
    expect(topic.json().error.code).toBe('UNKNOWN_LOCALE');
    // Public reads and searches in an unknown locale neither build an index nor write analytics.
    expect((await get('/api/search?locale=de&q=rechnung')).json().error.code).toBe('UNKNOWN_LOCALE');
    expect(t.ctx.search.engine.locales()).not.toContain('de');
  });

  it('records who added and changed each locale, with before and after, in the audit log', async () => {
    const fr = await audit('fr');
    expect(fr.map((e) => e.action)).toEqual(['locale.create', 'locale.update', 'locale.update']);
    expect(fr[0]?.via).toBe('bootstrap');
    expect(fr[0]?.changes.code).toEqual({ before: null, after: 'fr' });
    expect(fr[0]?.changes.fallback).toEqual({ before: null, after: ['en'] });
    expect(fr[1]?.changes).toEqual({ enabled: { before: true, after: false } });
    expect(fr[2]?.changes).toEqual({ enabled: { before: false, after: true } });
    // Refused writes left nothing behind.
    expect(await audit('de')).toEqual([]);
    expect((await audit('ar')).length).toBe(0);
  });

  it('changes names, directions, chains and menu order of an existing locale', async () => {
    const res = await patchLocale('pt-BR', { name: 'Português', fallback: ['en'], position: 0 });
    expect(res.statusCode).toBe(200);
    expect(res.json().locale).toMatchObject({ name: 'Português', fallback: ['en'], uiLanguage: 'en', position: 0 });
    const home = await get('/pt-BR');
    expect(home.body).toContain('How can we help?');
    expect((await get('/pt-BR/articles/refunds')).body).toContain('<h1>Get a refund</h1>');
    expect(home.body).toMatch(/<bdi>Português<\/bdi>/);
  });
});
