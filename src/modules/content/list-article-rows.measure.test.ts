import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildTopic } from './content.factories.js';

/**
 * Measures the back office's article list on 5,000 articles × 6 locales (printed, not asserted: timings belong to
 * benchmarks). Opt in with ANSWERLOOP_MEASURE=1; the seed is bulk SQL, a few seconds.
 */
describe.runIf(process.env.ANSWERLOOP_MEASURE === '1')('article list at 5,000 articles × 6 locales', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await buildTopic(db, { slug: 'bulk' });
        await sql`
          INSERT INTO articles (slug, topic_id, source_locale, position)
          SELECT 'article-' || i, (SELECT id FROM topics WHERE slug = 'bulk'), 'en', i FROM generate_series(1, 5000) i`.execute(
          db,
        );
        await sql`
          INSERT INTO article_translations (article_id, locale, status)
          SELECT a.id, l, 'draft' FROM articles a, unnest(ARRAY['en','es','ru','ar','he','ja']) l`.execute(db);
        // Two revisions per translation; translations are made from the source's first revision.
        await sql`
          INSERT INTO article_revisions (translation_id, number, title, body_md, author)
          SELECT t.id, n, 'Title ' || a.slug || ' ' || t.locale || ' ' || n, repeat('Body text. ', 100), 'seed'
            FROM article_translations t JOIN articles a ON a.id = t.article_id, generate_series(1, 2) n`.execute(db);
        await sql`
          UPDATE article_revisions r SET source_revision_id = s.id
            FROM article_translations t, article_translations st, article_revisions s
           WHERE t.id = r.translation_id AND t.locale <> 'en' AND st.article_id = t.article_id AND st.locale = 'en'
             AND s.translation_id = st.id AND s.number = 1`.execute(db);
        // Publish every other translation's latest revision (the source's second: half the translations outdated).
        await sql`
          UPDATE article_translations t SET status = 'published', published_revision_id = r.id, published_at = now()
            FROM article_revisions r
           WHERE r.translation_id = t.id AND r.number = 2 AND (t.id % 2 = 0 OR t.locale = 'en')`.execute(db);
      },
    });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('answers the first page and a filtered page', async () => {
    const timings: Record<string, number[]> = {};
    for (const url of [
      '/api/content/articles?limit=50',
      '/api/content/articles?locale=ar&status=outdated&limit=50',
      '/api/content/articles?q=article-49&limit=50',
      '/api/content/translation-queue?locale=es',
    ]) {
      for (let run = 0; run < 5; run++) {
        const started = performance.now();
        const res = await t.app.inject({ method: 'GET', url, headers: t.operator });
        const ms = performance.now() - started;
        expect(res.statusCode).toBe(200);
        timings[url] = [...(timings[url] ?? []), Math.round(ms)];
      }
    }
    const first = await t.app.inject({ method: 'GET', url: '/api/content/articles?limit=50', headers: t.operator });
    expect(first.json().total).toBe(5000);
    console.log(JSON.stringify(timings, null, 1));
  }, 120_000);
});
