import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RevisionsResponse } from '../../modules/insights/index.js';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { seedDemo } from './seed-demo.js';
import { STORY_A, STORY_C } from './seed-stories.js';

/** The demo's planted stories, as an analyst sees them through the insights API on first start. */
describe('the demo stories', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async (database) => {
        await seedDemo(database.db, { usersPassword: 'the admin password' });
      },
    });
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  it('A: an article broken by a product change, fixed by revision 2, with votes pinned to the revision read', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/insights/articles/${STORY_A.slug}/revisions?locale=en`,
      headers: t.operator,
    });
    expect(res.statusCode).toBe(200);
    const { revisions } = res.json<RevisionsResponse>();
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    const [first, second] = revisions as [RevisionsResponse['revisions'][0], RevisionsResponse['revisions'][0]];
    const fixedAt = Date.now() - STORY_A.fixedDaysAgo * 86_400_000;
    expect(Math.abs(Date.parse(second.publishedAt ?? '') - fixedAt)).toBeLessThan(86_400_000);
    expect(second.helpfulRate!).toBeGreaterThan(0.65);
    // The edit helped, and its interval says so: in equal windows around the edit, against unchanged articles
    // (revision 1's whole life includes its good months before the product change, so its raw rate is higher).
    expect(second.effect?.didDifference).toBeGreaterThan(0.15);
    expect(second.effect?.didLow).toBeGreaterThan(0);
    expect(second.effect?.probabilityBetter).toBeGreaterThan(0.5);
    expect(first.votes).toBeGreaterThan(100);

    // Before the product change ≈ 80 %, after it ≈ 45 % on revision 1; no vote on revision 2 before it went live.
    const { rows } = await sql<{ period: string; votes: number; rate: number }>`
      SELECT CASE WHEN v.revision = 2 THEN 'fixed' WHEN v.created_at < now() - make_interval(days => ${STORY_A.brokeDaysAgo})
                  THEN 'before' ELSE 'broken' END AS period,
             count(*)::int AS votes, avg(v.helpful::int)::float8 AS rate
        FROM article_votes v JOIN articles a ON a.id = v.article_id
       WHERE a.slug = ${STORY_A.slug} GROUP BY 1 ORDER BY 1`.execute(t.database.db);
    const by = Object.fromEntries(rows.map((r) => [r.period, r]));
    expect(by.before!.rate).toBeGreaterThan(0.7);
    expect(by.broken!.rate).toBeLessThan(0.6);
    expect(by.fixed!.rate).toBeGreaterThan(0.65);
    const early = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM article_votes v JOIN articles a ON a.id = v.article_id
       WHERE a.slug = ${STORY_A.slug} AND v.revision = 2
         AND v.created_at < now() - make_interval(days => ${STORY_A.fixedDaysAgo + 1})`.execute(t.database.db);
    expect(early.rows[0]!.n).toBe(0);
    // "The screen changed" in several readers' languages, as inaccurate.
    const locales = await sql<{ reader_locale: string }>`
      SELECT DISTINCT v.reader_locale FROM article_votes v JOIN articles a ON a.id = v.article_id
       WHERE a.slug = ${STORY_A.slug} AND v.reason = 'inaccurate' AND v.revision = 1
         AND v.created_at >= now() - make_interval(days => ${STORY_A.brokeDaysAgo})`.execute(t.database.db);
    expect(locales.rows.length).toBeGreaterThanOrEqual(3);
  });

  it('B: readers in several locales search for exporting a board to PDF, find nothing, and write in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/insights/gaps', headers: t.operator });
    expect(res.statusCode).toBe(200);
    const { gaps } = res.json<{ gaps: { phrase: string; locales: string[]; volume: number }[] }>();
    const pdf = gaps.filter((g) => /pdf/i.test(g.phrase));
    expect(pdf.length).toBeGreaterThan(0);
    expect(new Set(pdf.flatMap((g) => g.locales)).size).toBeGreaterThanOrEqual(3);
    const tickets = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM tickets WHERE source = 'contact_form' AND subject ILIKE '%pdf%'`.execute(
      t.database.db,
    );
    expect(tickets.rows[0]!.n).toBeGreaterThan(5);
  });

  it('C: the Spanish translation is outdated against its source and less helpful', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/insights/translations', headers: t.operator });
    expect(res.statusCode).toBe(200);
    const { translations } = res.json<{
      translations: {
        slug: string;
        locale: string;
        outdated: boolean;
        helpfulRate: number | null;
        sourceRate: number | null;
      }[];
    }>();
    const es = translations.find((x) => x.slug === STORY_C.slug && x.locale === STORY_C.locale);
    expect(es?.outdated).toBe(true);
    expect(es!.helpfulRate!).toBeLessThan(es!.sourceRate! - 0.1);
  });
});
