import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { verifyPassword } from '../../modules/accounts/passwords.js';
import {
  getPublishedArticle,
  listArticles,
  listTopics,
  loadRegionCatalog,
  placeholderKeysOf,
} from '../../modules/content/index.js';
import { SUPPORTED_LOCALES } from '../../shared/locales.js';
import { seedDemo } from './seed-demo.js';

describe('the Pinwheel demo', () => {
  let handle: DatabaseHandle;
  let summary: string;
  let users: { emails: string[]; password: string } | undefined;
  beforeAll(async () => {
    handle = await createTestDatabase();
    const seeded = await seedDemo(handle.db, { usersPassword: 'the admin password' });
    summary = seeded.summary;
    users = seeded.users;
  }, 300_000);
  afterAll(async () => {
    await handle.close();
  });

  it('has at least 40 English articles across at least 8 top-level topics', async () => {
    const en = await listArticles(handle.db, { locale: 'en', fallback: false });
    expect(en.length).toBeGreaterThanOrEqual(40);
    const topics = await listTopics(handle.db, 'en');
    expect(topics.filter((t) => t.parentId === null).length).toBeGreaterThanOrEqual(8);
    expect(summary).toContain('seeded');
  });

  it('has at least 20 translated articles in each of es, ru, ar, he and ja, and not all of them', async () => {
    const en = await listArticles(handle.db, { locale: 'en', fallback: false });
    for (const locale of SUPPORTED_LOCALES.filter((l) => l !== 'en')) {
      const own = await listArticles(handle.db, { locale, fallback: false });
      expect(own.length, locale).toBeGreaterThanOrEqual(20);
      expect(own.length, `${locale} leaves some untranslated so the fallback shows`).toBeLessThan(en.length);
      const topics = await listTopics(handle.db, locale);
      expect(
        topics.every((t) => t.nameLocale === locale),
        `${locale} topic names`,
      ).toBe(true);
    }
  });

  it('prices every placeholder the articles use in every region currency, in at least 4 currencies', async () => {
    const catalog = await loadRegionCatalog(handle.db);
    const currencies = new Set(catalog.regions.map((r) => r.currency));
    expect(currencies.size).toBeGreaterThanOrEqual(4);
    const keys = new Set<string>();
    for (const locale of SUPPORTED_LOCALES) {
      for (const summary of await listArticles(handle.db, { locale, fallback: false })) {
        const article = await getPublishedArticle(handle.db, summary.slug, locale);
        for (const key of placeholderKeysOf(article!.bodyMarkdown)) keys.add(key);
      }
    }
    expect(keys.size).toBeGreaterThan(0);
    for (const key of keys)
      for (const currency of currencies) expect(catalog.prices[key]?.[currency], `${key} ${currency}`).toBeDefined();
  });

  it('links only to articles that exist', async () => {
    const slugs = new Set((await listArticles(handle.db, { locale: 'en', fallback: false })).map((a) => a.slug));
    for (const locale of SUPPORTED_LOCALES) {
      for (const summary of await listArticles(handle.db, { locale, fallback: false })) {
        const article = await getPublishedArticle(handle.db, summary.slug, locale);
        const links = [...article!.bodyMarkdown.matchAll(/\]\(([a-z0-9-]+)\)/g)].map((m) => m[1]!);
        for (const link of links) expect(slugs.has(link), `${locale}/${summary.slug} → ${link}`).toBe(true);
      }
    }
  });

  it('seeds one user per role besides admin, with the password given (the admin’s)', async () => {
    expect(users).toEqual({
      emails: ['editor@localhost', 'translator@localhost', 'analyst@localhost', 'agent@localhost', 'viewer@localhost'],
      password: 'the admin password',
    });
    const rows = await handle.db.selectFrom('users').select(['email', 'role', 'locales', 'password_hash']).execute();
    expect(rows.map((r) => r.role).sort()).toEqual(['agent', 'analyst', 'editor', 'translator', 'viewer']);
    expect(rows.find((r) => r.role === 'translator')?.locales).toEqual(['ar', 'he']);
    expect(await verifyPassword('the admin password', rows[0]?.password_hash ?? '')).toBe(true);
  });

  it('does nothing when the database already has content', async () => {
    const again = await seedDemo(handle.db);
    expect(again.seeded).toBe(false);
  });
});
