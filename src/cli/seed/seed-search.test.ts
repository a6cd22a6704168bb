import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { SearchService } from '../../modules/search/index.js';
import { seedContent } from './seed-content.js';
import { loadSimArticles, seedSearch } from './seed-search.js';

describe('seedSearch (demo search analytics from the shared simulation)', () => {
  let database: DatabaseHandle;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedContent(database.db);
  });

  afterAll(async () => {
    await database.close();
  });

  it('loads the simulation articles from the database in every locale', async () => {
    const articles = await loadSimArticles(database.db);
    expect(new Set(articles.map((a) => a.locale))).toEqual(new Set(['en', 'es', 'ru', 'ar', 'he', 'ja']));
    expect(articles.find((a) => a.slug === 'reset-password' && a.locale === 'en')?.keywords).toContain(
      'forgot password',
    );
  });

  it('writes searches, clicks and contacts, replaces them on a re-run, and gives suggestions on first start', async () => {
    const first = await seedSearch(database.db);
    expect(first.searches).toBeGreaterThan(1000);
    expect(first.clicks).toBeGreaterThan(first.searches / 3);
    expect(first.contacts).toBeGreaterThan(0);
    const again = await seedSearch(database.db);
    expect(again).toEqual(first);
    const count = await database.db
      .selectFrom('search_queries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(first.searches);

    // The demo meets the same evidence rules as real readers: every click names an article its search returned,
    // and a reader's clicks in its first hour are stored but do not count.
    const clicks = await database.db
      .selectFrom('search_clicks')
      .innerJoin('search_queries', 'search_queries.id', 'search_clicks.search_id')
      .select(['search_clicks.slug', 'search_clicks.suspect', 'search_queries.returned_slugs'])
      .execute();
    expect(clicks.every((c) => c.returned_slugs.includes(c.slug))).toBe(true);
    expect(clicks.some((c) => c.suspect === 'young-reader')).toBe(true);
    expect(clicks.filter((c) => c.suspect === null).length).toBeGreaterThan(1000);

    const service = await SearchService.start({ db: database.db });
    const suggested = service.engine.suggest('en', 'forg', { limit: 5, articles: 3 });
    expect(suggested.queries.some((q) => q.kind === 'query')).toBe(true);
    expect(service.engine.suggest('ru', 'пар', { limit: 5, articles: 3 }).articles[0]?.slug).toBe('reset-password');
    await service.stop();
  });
});
