import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/client.js';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { tokenFor } from '../accounts/accounts.test-support.js';
import { buildArticle, buildTopic } from '../content/content.factories.js';
import { saveArticle } from '../content/index.js';
import type { ArticleHealth, ArticlesResponse, DecliningResponse, OverviewResponse } from './insights.schema.js';
import { rollUpInsights } from './roll-up-insights.js';

/** `total` counted votes on the published revision of `slug` in `locale`, `helpful` of them "yes", all on `day`. */
async function votes(db: DB, slug: string, locale: string, day: string, total: number, helpful: number) {
  await sql`
    INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful, reason,
                               created_at, updated_at, source)
    SELECT a.id, r.id, r.number, t.locale, t.locale, ${`${slug}-${locale}-${day}-`} || g, g <= ${helpful},
           CASE WHEN g <= ${helpful} THEN NULL ELSE 'did_not_solve' END,
           ${`${day}T12:00:00Z`}::timestamptz, ${`${day}T12:00:00Z`}::timestamptz, 'demo'
    FROM generate_series(1, ${total}::int) g
    JOIN articles a ON a.slug = ${slug}
    JOIN article_translations t ON t.article_id = a.id AND t.locale = ${locale}
    JOIN article_revisions r ON r.id = t.published_revision_id`.execute(db);
}

async function views(db: DB, slug: string, locale: string, day: string, count: number) {
  await sql`INSERT INTO article_daily_views (article_id, locale, day, views)
    SELECT id, ${locale}, ${day}::date, ${count} FROM articles WHERE slug = ${slug}`.execute(db);
}

let seq = 0;
async function event(db: DB, name: string, person: string, at: string, properties: Record<string, unknown>) {
  seq += 1;
  await sql`INSERT INTO events (message_id, type, event, anonymous_id, locale, properties, "timestamp", received_at, source)
    VALUES (${`h${seq}`}, 'track', ${name}, ${person}, 'en', ${JSON.stringify(properties)}::jsonb, ${at}::timestamptz,
            ${at}::timestamptz, 'seed')`.execute(db);
}

const FROM = '2026-03-01';
const TO = '2026-03-28';
const DAY = '2026-03-10';
const BASELINE_DAY = '2026-01-15';
const PERIOD = `from=${FROM}&to=${TO}`;

describe('insights health routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false' } });
    const db = t.database.db;
    const help = (await buildTopic(db, { slug: 'help' })).slug;
    const other = (await buildTopic(db, { slug: 'other' })).slug;
    for (const slug of ['popular-mediocre', 'rare-bad', 'tiny-good', 'tiny-bad', 'solid-good']) {
      await buildArticle(db, { slug, topic: help, title: `Title of ${slug}` });
    }
    for (let i = 1; i <= 6; i++) await buildArticle(db, { slug: `filler-${i}`, topic: other });
    await buildArticle(db, { slug: 'falling', topic: other });
    await buildArticle(db, { slug: 'translated', topic: other, title: 'Translated' });
    await buildArticle(db, { slug: 'translated', topic: other, locale: 'es', title: 'Traducido' });
    await buildArticle(db, { slug: 'translated', topic: other, locale: 'ar', title: 'مترجم' });
    // A new English revision after the Arabic translation: Arabic is outdated now.
    await saveArticle(db, {
      slug: 'translated',
      locale: 'en',
      topic: other,
      title: 'Translated',
      body: 'A changed text.',
      keywords: [],
      publish: true,
    });

    // The period: a popular mediocre article, a rare bad one, two with 3 votes, a solid one and fillers.
    await votes(db, 'popular-mediocre', 'en', DAY, 200, 120);
    await views(db, 'popular-mediocre', 'en', DAY, 10_000);
    await votes(db, 'rare-bad', 'en', DAY, 60, 12);
    await views(db, 'rare-bad', 'en', DAY, 100);
    await votes(db, 'tiny-good', 'en', DAY, 3, 3);
    await votes(db, 'tiny-bad', 'en', DAY, 3, 0);
    await votes(db, 'solid-good', 'en', DAY, 400, 380);
    for (let i = 1; i <= 6; i++) await votes(db, `filler-${i}`, 'en', DAY, 100, 70 + i * 2);
    await votes(db, 'translated', 'en', DAY, 300, 255);
    await votes(db, 'translated', 'es', DAY, 200, 80);
    await views(db, 'translated', 'ar', DAY, 500);

    // Declining: everything dips from 80 % to 65 % (a season); "falling" drops from 80 % to 30 %.
    for (const slug of ['filler-1', 'filler-2', 'filler-3', 'filler-4', 'filler-5', 'filler-6', 'solid-good']) {
      await votes(db, slug, 'en', BASELINE_DAY, 300, 240);
      await votes(db, slug, 'en', '2026-03-20', 200, 130);
    }
    await votes(db, 'falling', 'en', BASELINE_DAY, 300, 240);
    await votes(db, 'falling', 'en', '2026-03-20', 200, 60);

    // Readers of popular-mediocre: four people read it, one opened the contact form the same evening.
    const read = { article_slug: 'popular-mediocre', article_locale: 'en', revision: 1, locale: 'en' };
    for (const person of ['p1', 'p2', 'p3', 'p4']) await event(db, 'Article Viewed', person, `${DAY}T10:00:00Z`, read);
    await event(db, 'Contact Form Viewed', 'p1', `${DAY}T18:00:00Z`, { locale: 'en' });
    // The period before: two people read, both contacted.
    for (const person of ['q1', 'q2']) {
      await event(db, 'Article Viewed', person, '2026-02-10T10:00:00Z', read);
      await event(db, 'Contact Form Viewed', person, '2026-02-10T11:00:00Z', { locale: 'en' });
    }
    await rollUpInsights(db, { from: '2025-11-01', to: TO });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  async function articles(query: string): Promise<ArticlesResponse> {
    const response = await t.app.inject({ url: `/api/insights/articles?${PERIOD}${query}`, headers: t.operator });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }
  const find = (list: ArticleHealth[], slug: string, locale = 'en') =>
    list.find((a) => a.slug === slug && a.locale === locale) as ArticleHealth;

  it('shrinks 3-vote articles so that they neither top nor bottom the ranking', async () => {
    const { articles: list } = await articles('&sort=shrunkRate&locale=en');
    const voted = list.filter((a) => a.votes > 0).map((a) => a.slug);
    expect(voted[0]).toBe('rare-bad');
    expect(voted.at(-1)).toBe('solid-good');
    const tinyGood = find(list, 'tiny-good');
    const tinyBad = find(list, 'tiny-bad');
    expect(tinyGood.helpfulRate).toBe(1);
    expect(tinyGood.shrunkRate).toBeLessThan(find(list, 'solid-good').shrunkRate);
    expect(tinyBad.helpfulRate).toBe(0);
    expect(tinyBad.shrunkRate).toBeGreaterThan(find(list, 'rare-bad').shrunkRate);
    // Their raw intervals still say how little 3 votes tell.
    expect(tinyBad.high).toBeGreaterThan(0.5);
    expect(tinyGood.low).toBeLessThan(0.5);
  });

  it('flags a clearly bad article below the help center and its topic, with the evidence in numbers', async () => {
    const response = await articles('&belowAverage=true');
    const rareBad = find(response.articles, 'rare-bad');
    expect(rareBad.belowAverage).toBe(true);
    expect(rareBad.belowTopicAverage).toBe(true);
    expect(rareBad.helpfulRate).toBeCloseTo(0.2, 10);
    expect(rareBad.evidence).toMatch(/^20 % helpful \(\d+–\d+ %, 60 votes\) against \d+ % for the help center/);
    expect(response.articles.every((a) => a.belowAverage)).toBe(true);
    expect(response.articles.map((a) => a.slug)).not.toContain('tiny-good');
    expect(response.articles.map((a) => a.slug)).not.toContain('solid-good');
    expect(response.average.votes).toBeGreaterThan(0);
    expect(response.average.low).toBeLessThan(response.average.rate as number);
  });

  it('ranks a popular mediocre article above a rare bad one by impact (readers to win back per 30 days)', async () => {
    const { articles: list, average } = await articles('');
    expect(list[0]?.slug).toBe('popular-mediocre');
    const popular = find(list, 'popular-mediocre');
    // Readers beyond an average article's share of unhappy ones; the prior's mean is the pooled rate.
    expect(popular.impact).toBeCloseTo((10_000 * ((average.rate as number) - popular.shrunkRate) * 30) / 28, 6);
    expect(popular.impact).toBeGreaterThan(find(list, 'rare-bad').impact);
    expect(find(list, 'rare-bad').impact).toBeGreaterThan(0);
    // An article better than the average wins nothing back, however often read; nor does one without votes.
    expect(find(list, 'solid-good').impact).toBe(0);
    for (const a of list.filter((x) => x.votes === 0)) expect(a.impact).toBe(0);
    expect(popular.readers).toBe(4);
    expect(popular.contactRate).toBeCloseTo(0.25, 10);
    expect(popular.topic).toEqual({ slug: 'help', name: expect.any(String) });
    expect(popular.title).toBe('Title of popular-mediocre');
  });

  it('finds a planted decline and not a help-center-wide dip', async () => {
    const response = await t.app.inject({ url: `/api/insights/declining?asOf=${TO}`, headers: t.operator });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as DecliningResponse;
    expect(body.articles.map((a) => a.slug)).toEqual(['falling']);
    expect(body.tested).toBe(8);
    expect(body.helpCenter.baselineRate).toBeCloseTo(0.8, 10);
    const falling = body.articles[0];
    expect(falling?.difference).toBeCloseTo(-0.5, 10);
    expect(falling?.adjustedDifference).toBeLessThan(-0.3);
    expect(falling?.qValue).toBeLessThanOrEqual(0.1);
    // The article list marks it.
    const { articles: list } = await articles('&declining=true');
    expect(list.map((a) => a.slug)).toEqual(['falling']);
  });

  it('flags a translation worse than its source and one outdated while read', async () => {
    const response = await t.app.inject({ url: `/api/insights/translations?${PERIOD}`, headers: t.operator });
    expect(response.statusCode, response.body).toBe(200);
    const { translations } = response.json() as { translations: Record<string, unknown>[] };
    const es = translations.find((r) => r.locale === 'es');
    const ar = translations.find((r) => r.locale === 'ar');
    expect(es).toMatchObject({ slug: 'translated', sourceLocale: 'en', flagged: true, outdated: true, votes: 200 });
    expect(es?.difference).toBeCloseTo(0.4 - 0.85, 10);
    expect(es?.qValue as number).toBeLessThan(0.1);
    expect(ar).toMatchObject({ flagged: true, outdated: true, views: 500, readersAffected: 500, qValue: null });
    expect(translations.map((r) => r.locale)).toEqual(['ar', 'es']);
  });

  it('gives deflection per revision and the overview KPIs with the previous period', async () => {
    const deflection = await t.app.inject({
      url: `/api/insights/deflection?${PERIOD}&slug=popular-mediocre`,
      headers: t.operator,
    });
    expect(deflection.statusCode, deflection.body).toBe(200);
    expect(deflection.json().rows).toEqual([
      expect.objectContaining({
        slug: 'popular-mediocre',
        locale: 'en',
        revision: 1,
        readers: 4,
        deflected: 3,
        rate: 0.75,
      }),
    ]);
    const response = await t.app.inject({ url: `/api/insights/overview?${PERIOD}&locale=en`, headers: t.operator });
    expect(response.statusCode, response.body).toBe(200);
    const overview = response.json() as OverviewResponse;
    // Four people that day in English (the readers), one of whom opened the contact form; two of two before.
    expect(overview.kpis.contactRate.value).toBeCloseTo(1 / 4, 10);
    expect(overview.kpis.contactRate.previous).toBeCloseTo(1, 10);
    expect(overview.kpis.contactRate.series).toHaveLength(28);
    expect(overview.kpis.contactRate.series.find((d) => d.day === DAY)?.value).toBeCloseTo(0.25, 10);
    expect(overview.kpis.selfServiceScore.value).toBeNull();
    expect(overview.kpis.helpfulRate.value).not.toBeNull();
    expect(overview.kpis.helpfulRate.low as number).toBeLessThan(overview.kpis.helpfulRate.value as number);
    expect(overview.fixFirst.map((a) => a.slug)[0]).toBe('popular-mediocre');
    expect(overview.fixFirst.length).toBeLessThanOrEqual(10);
  });

  it('answers each list as CSV that parses, with the same rows', async () => {
    for (const path of ['articles', 'declining', 'translations', 'deflection']) {
      const query = path === 'declining' ? `asOf=${TO}` : PERIOD;
      const response = await t.app.inject({
        url: `/api/insights/${path}?${query}`,
        headers: { ...t.operator, accept: 'text/csv' },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      const records = parse(response.body, { columns: true, bom: true }) as Record<string, string>[];
      expect(records.length, path).toBeGreaterThan(0);
    }
    const csv = await t.app.inject({ url: `/api/insights/articles?${PERIOD}&format=csv`, headers: t.operator });
    const records = parse(csv.body, { columns: true, bom: true }) as Record<string, string>[];
    const json = await articles('');
    expect(records.map((r) => r.slug)).toEqual(json.articles.map((a) => a.slug));
    expect(records.find((r) => r.slug === 'rare-bad')?.topic).toBe('help');
  });

  it('refuses callers without a session (401) or without insights.read (403), and bad input (400)', async () => {
    expect((await t.app.inject({ url: '/api/insights/articles' })).statusCode).toBe(401);
    const agent = await tokenFor(t, 'agent');
    const forbidden = await t.app.inject({ url: '/api/insights/overview', headers: agent.headers });
    expect(forbidden.statusCode).toBe(403);
    const analyst = await tokenFor(t, 'analyst');
    expect((await t.app.inject({ url: `/api/insights/articles?${PERIOD}`, headers: analyst.headers })).statusCode).toBe(
      200,
    );
    const badFrom = await t.app.inject({ url: '/api/insights/articles?from=yesterday', headers: t.operator });
    expect(badFrom.statusCode).toBe(400);
    expect(badFrom.json().error.code).toBe('VALIDATION_FAILED');
    const impossible = await t.app.inject({ url: '/api/insights/declining?asOf=2026-02-31', headers: t.operator });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().error.code).toBe('VALIDATION_FAILED');
    const reversed = await t.app.inject({ url: `/api/insights/overview?from=${TO}&to=${FROM}`, headers: t.operator });
    expect(reversed.json().error.code).toBe('VALIDATION_FAILED');
    const locale = await t.app.inject({ url: '/api/insights/declining?locale=xx', headers: t.operator });
    expect(locale.statusCode).toBe(400);
    expect(locale.json().error.code).toBe('UNKNOWN_LOCALE');
    const topic = await t.app.inject({ url: '/api/insights/articles?topic=no-such-topic', headers: t.operator });
    expect(topic.statusCode).toBe(404);
    // Odd but valid or invalid queries answer 2xx or 4xx, never 500.
    const odd = [
      'articles?limit=0',
      'articles?limit=1&sort=contactRate&belowAverage=false&declining=false',
      'articles?sort=helpfulRate&locale=ar',
      'articles?from=2024-03-28&to=2026-03-28',
      'articles?from=2020-01-01&to=2026-03-28',
      'declining?metric=contact&recentDays=7&baselineDays=14&asOf=2026-03-28',
      'declining?recentDays=181',
      'declining?asOf=1970-01-01',
      'translations?slug=no-such-article&locale=es',
      'deflection?slug=x&locale=ja&format=csv',
      'overview?from=2026-03-28&to=2026-03-28',
      'overview?locale=he',
    ];
    for (const query of odd) {
      const response = await t.app.inject({ url: `/api/insights/${query}`, headers: t.operator });
      expect(response.statusCode, `${query}: ${response.body}`).toBeLessThan(500);
    }
  });
});
