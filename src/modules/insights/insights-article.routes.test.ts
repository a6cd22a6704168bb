import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/client.js';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { tokenFor } from '../accounts/accounts.test-support.js';
import { buildArticle, buildTopic } from '../content/content.factories.js';
import { saveArticle } from '../content/index.js';
import type { ArticleInsightResponse, RevisionsResponse } from './insights.schema.js';
import { rollUpInsights } from './roll-up-insights.js';

let batch = 0;

/**
 * Plants `votes` counted votes on one revision, spread over `days` days from `from` (noon UTC), the first `helpful`
 * of them "yes"; the "no" votes carry `reason` and, for the first ones, `comments` in turn.
 */
async function plantVotes(
  db: DB,
  p: {
    slug: string;
    revision: number;
    from: string;
    days: number;
    votes: number;
    helpful: number;
    reason?: string;
    comments?: string[];
  },
): Promise<void> {
  batch += 1;
  const comments = p.comments ?? [];
  await sql`INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful,
              reason, comment, created_at, updated_at, source)
    SELECT a.id, r.id, r.number, t.locale, t.locale, ${`b${batch}-`} || g, g <= ${p.helpful},
           CASE WHEN g > ${p.helpful} THEN ${p.reason ?? null}::text END,
           CASE WHEN g > ${p.helpful} THEN (${comments}::text[])[g - ${p.helpful}] END,
           ${`${p.from}T12:00:00Z`}::timestamptz + make_interval(days => (g % ${p.days})::int),
           ${`${p.from}T12:00:00Z`}::timestamptz + make_interval(days => (g % ${p.days})::int), 'demo'
    FROM generate_series(1, ${p.votes}) AS g
    JOIN articles a ON a.slug = ${p.slug}
    JOIN article_translations t ON t.article_id = a.id AND t.locale = 'en'
    JOIN article_revisions r ON r.translation_id = t.id AND r.number = ${p.revision}`.execute(db);
}

/** Moves a translation's publication history to the given (revision, start, end) spans. */
async function backdate(db: DB, slug: string, spans: [number, string, string | null][]): Promise<void> {
  for (const [revision, start, end] of spans) {
    await sql`UPDATE revision_publications p SET started_at = ${start}::timestamptz, ended_at = ${end}::timestamptz
      FROM article_revisions r, article_translations t, articles a
      WHERE p.revision_id = r.id AND r.number = ${revision} AND r.translation_id = t.id AND t.article_id = a.id
        AND t.locale = 'en' AND a.slug = ${slug}`.execute(db);
  }
}

async function newRevision(db: DB, slug: string, topic: string): Promise<void> {
  await saveArticle(db, {
    slug,
    locale: 'en',
    topic,
    title: `${slug} v2`,
    body: 'Rewritten.',
    keywords: [],
    publish: true,
  });
}

let seq = 0;
async function event(db: DB, name: string, person: string, at: string, properties: Record<string, unknown>) {
  seq += 1;
  await sql`INSERT INTO events (message_id, type, event, anonymous_id, properties, "timestamp", received_at, source)
    VALUES (${`m${seq}`}, 'track', ${name}, ${person}, ${JSON.stringify(properties)}::jsonb, ${at}::timestamptz,
            ${at}::timestamptz, 'seed')`.execute(db);
}

describe('one article’s insights', () => {
  let t: TestApp;
  let db: DB;
  let agent: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false' } });
    db = t.database.db;
    agent = (await tokenFor(t, 'agent')).headers;
    const topic = (await buildTopic(db)).slug;

    // The edited article: revision 1 (50 % helpful) live from January, revision 2 (80 %) from 1 March noon.
    await buildArticle(db, { slug: 'reset-password', title: 'Reset your password', topic });
    await newRevision(db, 'reset-password', topic);
    await backdate(db, 'reset-password', [
      [1, '2026-01-01T00:00:00Z', '2026-03-01T12:00:00Z'],
      [2, '2026-03-01T12:00:00Z', null],
    ]);
    await plantVotes(db, {
      slug: 'reset-password',
      revision: 1,
      from: '2026-02-01',
      days: 28,
      votes: 200,
      helpful: 100,
    });
    // Readers with the old page still open vote on revision 1 after the edit: never counted for revision 2.
    await plantVotes(db, { slug: 'reset-password', revision: 1, from: '2026-03-05', days: 5, votes: 20, helpful: 10 });
    await plantVotes(db, {
      slug: 'reset-password',
      revision: 2,
      from: '2026-03-01',
      days: 28,
      votes: 200,
      helpful: 160,
    });

    // Ten unchanged articles that all dip by 10 points after 1 March (the season, not the edit).
    for (let i = 0; i < 10; i++) {
      const slug = `control-${i}`;
      await buildArticle(db, { slug, topic });
      await backdate(db, slug, [[1, '2026-01-01T00:00:00Z', null]]);
      await plantVotes(db, { slug, revision: 1, from: '2026-02-01', days: 28, votes: 100, helpful: 80 });
      await plantVotes(db, { slug, revision: 1, from: '2026-03-01', days: 28, votes: 100, helpful: 70 });
    }
    // An article edited inside the windows is no control: its collapse must not count.
    await buildArticle(db, { slug: 'edited-too', topic });
    await newRevision(db, 'edited-too', topic);
    await backdate(db, 'edited-too', [
      [1, '2026-01-01T00:00:00Z', '2026-03-15T00:00:00Z'],
      [2, '2026-03-15T00:00:00Z', null],
    ]);
    await plantVotes(db, { slug: 'edited-too', revision: 1, from: '2026-02-01', days: 28, votes: 300, helpful: 300 });
    await plantVotes(db, { slug: 'edited-too', revision: 2, from: '2026-03-15', days: 14, votes: 300, helpful: 0 });

    await rollUpInsights(db, { from: '2026-01-01', to: '2026-04-30' });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('compares each revision with the one before, beyond what unchanged articles did (difference-in-differences)', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/insights/articles/reset-password/revisions',
      headers: t.operator,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as RevisionsResponse;
    expect(body.locale).toBe('en');
    expect(body.revisions.map((r) => r.revision)).toEqual([1, 2]);
    const [first, second] = body.revisions;
    expect(first?.effect).toBeNull();
    expect(first?.endedAt).toBe('2026-03-01T12:00:00.000Z');
    // Votes are pinned to the revision read: the 20 late votes on revision 1 stay with revision 1.
    expect(first).toMatchObject({ votes: 220, helpful: 110, helpfulRate: 0.5 });
    expect(second).toMatchObject({
      votes: 200,
      helpful: 160,
      helpfulRate: 0.8,
      publishedAt: '2026-03-01T12:00:00.000Z',
    });
    const effect = second?.effect;
    expect(effect).not.toBeNull();
    if (!effect) return;
    expect(effect.difference).toBeCloseTo(0.3, 6);
    expect(effect.low).toBeGreaterThan(0.2);
    expect(effect.high).toBeLessThan(0.4);
    expect(effect.probabilityBetter).toBeGreaterThan(0.95);
    // Treated +30 points over equal 28-day windows, controls −10: the edit is worth +40.
    expect(effect.didDifference).toBeCloseTo(0.4, 6);
    expect(effect.didLow).toBeLessThan(0.4);
    expect(effect.didHigh).toBeGreaterThan(0.4);
    expect(effect.didLow).toBeGreaterThan(0.25);
  });

  it('answers the revisions as CSV', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/insights/articles/reset-password/revisions',
      headers: { ...t.operator, accept: 'text/csv' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(response.body, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.revision, r.votes, r.helpful])).toEqual([
      ['1', '220', '110'],
      ['2', '200', '160'],
    ]);
    expect(rows[0]?.didDifference).toBe('');
    expect(Number(rows[1]?.didDifference)).toBeCloseTo(0.4, 6);
  });

  it('refuses callers without insights.read, and unknown articles or locales', async () => {
    const url = '/api/insights/articles/reset-password/revisions';
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const forbidden = await t.app.inject({ method: 'GET', url, headers: agent });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');
    for (const path of [
      '/api/insights/articles/no-such-article/revisions',
      '/api/insights/articles/reset-password/revisions?locale=ar',
      '/api/insights/articles/no-such-article',
      '/api/insights/articles/reset-password?locale=ar',
    ]) {
      const missing = await t.app.inject({ method: 'GET', url: path, headers: t.operator });
      expect(missing.statusCode, path).toBe(404);
      expect(missing.json().error.code).toBe('NOT_FOUND');
    }
    const reversed = await t.app.inject({
      method: 'GET',
      url: '/api/insights/articles/reset-password?from=2026-03-10&to=2026-03-01',
      headers: t.operator,
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('shows the helpful rate per week with its interval, and where a revision went live', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/insights/articles/reset-password?from=2026-02-01&to=2026-03-28',
      headers: t.operator,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as ArticleInsightResponse;
    expect(body.revisionMarkers).toEqual([{ revision: 2, publishedAt: '2026-03-01T12:00:00.000Z' }]);
    // 1 February 2026 is a Sunday: its week starts on Monday 26 January.
    expect(body.series[0]?.week).toBe('2026-01-26');
    expect(body.series.every((w) => new Date(`${w.week}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(body.series.reduce((sum, w) => sum + w.votes, 0)).toBe(420);
    for (const w of body.series.filter((s) => s.votes > 0)) {
      expect(w.low).toBeLessThanOrEqual(w.rate ?? -1);
      expect(w.high).toBeGreaterThanOrEqual(w.rate ?? 2);
    }
    const march = body.series.find((w) => w.week === '2026-03-09');
    expect(march?.rate).toBeGreaterThan(0.65);
  });
});
