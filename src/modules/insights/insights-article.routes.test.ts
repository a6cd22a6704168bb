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

function readOf(slug: string) {
  return { article_slug: slug, article_locale: 'en', locale: 'en' };
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

    // Readers of each revision; half of revision 1's open the contact form within a day, one in ten of revision 2's.
    for (let i = 0; i < 10; i++) {
      const before = `2026-02-${String(10 + i).padStart(2, '0')}T09:00:00Z`;
      await event(db, 'Article Viewed', `old-${i}`, before, { ...readOf('reset-password'), revision: 1 });
      if (i < 5) await event(db, 'Contact Form Viewed', `old-${i}`, before.replace('T09', 'T15'), { locale: 'en' });
      const after = `2026-03-${String(10 + i).padStart(2, '0')}T09:00:00Z`;
      await event(db, 'Article Viewed', `new-${i}`, after, { ...readOf('reset-password'), revision: 2 });
      if (i < 1) await event(db, 'Contact Form Viewed', `new-${i}`, after.replace('T09', 'T15'), { locale: 'en' });
    }

    // Reasons: "hard to understand" rises from half the "no" votes (1–28 March) to four in five (29 March–25 April).
    await buildArticle(db, { slug: 'billing-help', title: 'Billing', topic });
    await backdate(db, 'billing-help', [[1, '2026-01-01T00:00:00Z', null]]);
    await plantVotes(db, { slug: 'billing-help', revision: 1, from: '2026-03-01', days: 28, votes: 20, helpful: 20 });
    await plantVotes(db, {
      slug: 'billing-help',
      revision: 1,
      from: '2026-03-01',
      days: 28,
      votes: 10,
      helpful: 0,
      reason: 'inaccurate',
    });
    await plantVotes(db, {
      slug: 'billing-help',
      revision: 1,
      from: '2026-03-01',
      days: 28,
      votes: 10,
      helpful: 0,
      reason: 'hard_to_understand',
    });
    await plantVotes(db, { slug: 'billing-help', revision: 1, from: '2026-03-29', days: 28, votes: 20, helpful: 20 });
    await plantVotes(db, {
      slug: 'billing-help',
      revision: 1,
      from: '2026-03-29',
      days: 28,
      votes: 4,
      helpful: 0,
      reason: 'inaccurate',
      comments: ['The fee is wrong'],
    });
    await plantVotes(db, {
      slug: 'billing-help',
      revision: 1,
      from: '2026-03-29',
      days: 28,
      votes: 16,
      helpful: 0,
      reason: 'hard_to_understand',
      comments: [
        'Write to me at jane.doe@example.com please',
        'Too many steps',
        'Too many steps',
        'Where is the button?',
      ],
    });

    // Categories: the taxonomy, an active model, labelled vote comments and tickets.
    const category = async (slug: string, name: string) =>
      (
        await sql<{ id: number }>`WITH c AS (INSERT INTO taxonomy_categories (slug) VALUES (${slug}) RETURNING id)
          INSERT INTO taxonomy_category_names (category_id, locale, name) SELECT id, 'en', ${name} FROM c
          RETURNING category_id AS id`.execute(db)
      ).rows[0]?.id as number;
    const billing = await category('billing', 'Billing');
    const login = await category('login', 'Signing in');
    const model = (
      await sql<{
        id: number;
      }>`INSERT INTO model_versions (status, is_active) VALUES ('ready', true) RETURNING id`.execute(db)
    ).rows[0]?.id as number;
    const item = async (kind: 'vote' | 'ticket', sourceId: number, text: string) =>
      (
        await sql<{ id: number }>`INSERT INTO feedback_items (kind, source_id, locale, text)
          VALUES (${kind}, ${sourceId}, 'en', ${text}) RETURNING id`.execute(db)
      ).rows[0]?.id as number;
    const predict = async (itemId: number, categoryId: number) => {
      await sql`INSERT INTO predictions (item_id, model_version_id, category_id, level, confidence, margin)
        VALUES (${itemId}, ${model}, ${categoryId}, 'leaf', 0.9, 0.5)`.execute(db);
      await sql`INSERT INTO predicted_labels (item_id, model_version_id, category_id, confidence)
        VALUES (${itemId}, ${model}, ${categoryId}, 0.9)`.execute(db);
    };
    const label = async (itemId: number, categoryId: number) => {
      await sql`INSERT INTO human_labels (item_id, category_id, labeled_by) VALUES (${itemId}, ${categoryId}, 'analyst')`.execute(
        db,
      );
    };
    const voteWith = async (comment: string) =>
      (
        await sql<{ id: number }>`SELECT v.id FROM article_votes v JOIN articles a ON a.id = v.article_id
          WHERE a.slug = 'billing-help' AND v.comment = ${comment} ORDER BY v.id LIMIT 1`.execute(db)
      ).rows[0]?.id as number;
    // The model says "signing in", the analyst said "billing": the analyst wins.
    const labelled = await item('vote', await voteWith('Too many steps'), 'Too many steps');
    await predict(labelled, login);
    await label(labelled, billing);
    const predicted = await item('vote', await voteWith('Where is the button?'), 'Where is the button?');
    await predict(predicted, login);
    const ticket = async (externalId: string, at: string, sourceArticle: boolean) =>
      (
        await sql<{
          id: number;
        }>`INSERT INTO tickets (external_id, subject, body, channel, locale, source, source_article_id,
            created_at, updated_at)
          VALUES (${externalId}, 'Help', 'Cannot sign in', 'email', 'en', 'api',
            ${sourceArticle ? sql`(SELECT id FROM articles WHERE slug = 'billing-help')` : null}, ${at}::timestamptz,
            ${at}::timestamptz) RETURNING id`.execute(db)
      ).rows[0]?.id as number;
    // Read the article, then filed a ticket two hours later: tied by the reading.
    const readThenTicket = await ticket('T-1', '2026-04-10T12:00:00Z', false);
    await event(db, 'Article Viewed', 'p-read', '2026-04-10T10:00:00Z', { ...readOf('billing-help'), revision: 1 });
    await event(db, 'Ticket Created', 'p-read', '2026-04-10T12:00:00Z', {
      ticket_id: 'T-1',
      source: 'api',
      locale: 'en',
    });
    await predict(await item('ticket', readThenTicket, 'Help: Cannot sign in'), login);
    // Read it 30 hours before filing: not tied.
    const tooLate = await ticket('T-2', '2026-04-12T12:00:00Z', false);
    await event(db, 'Article Viewed', 'p-late', '2026-04-11T06:00:00Z', { ...readOf('billing-help'), revision: 1 });
    await event(db, 'Ticket Created', 'p-late', '2026-04-12T12:00:00Z', {
      ticket_id: 'T-2',
      source: 'api',
      locale: 'en',
    });
    await predict(await item('ticket', tooLate, 'Help: late'), login);
    // Read another article before filing: not tied to this one.
    const elsewhere = await ticket('T-3', '2026-04-14T12:00:00Z', false);
    await event(db, 'Article Viewed', 'p-other', '2026-04-14T10:00:00Z', { ...readOf('control-1'), revision: 1 });
    await event(db, 'Ticket Created', 'p-other', '2026-04-14T12:00:00Z', {
      ticket_id: 'T-3',
      source: 'api',
      locale: 'en',
    });
    await predict(await item('ticket', elsewhere, 'Help: elsewhere'), login);
    // Tied by the form.
    const tied = await ticket('T-4', '2026-04-15T12:00:00Z', true);
    await label(await item('ticket', tied, 'Help: my invoice is wrong, mail jane.doe@example.com'), billing);

    for (const [slug, title, acknowledged] of [
      ['reset-password', 'Reset your password is declining', false],
      ['reset-password', 'An old alert, dealt with', true],
      ['billing-help', 'Billing is declining', false],
    ] as const) {
      await sql`INSERT INTO insight_alerts (kind, article_id, locale, dedupe_key, title, message, severity, acknowledged_at)
        SELECT 'declining', id, 'en', ${title}, ${title}, 'Helpful rate fell', 'warning',
               ${acknowledged ? sql`now()` : null}
        FROM articles WHERE slug = ${slug}`.execute(db);
    }
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
    // Contact rate after reading: 5 of 10 readers of revision 1, 1 of 10 of revision 2.
    expect(first?.contactRate).toBe(0.5);
    expect(second?.contactRate).toBe(0.1);
    expect(effect.contactRate).toMatchObject({ before: 0.5, after: 0.1 });
    expect(effect.contactRate?.difference).toBeCloseTo(-0.4, 6);
    expect(effect.contactRate?.low).toBeLessThan(-0.4);
    expect(effect.contactRate?.high).toBeGreaterThan(-0.4);
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
    // Composed from the other insights: the article's health over the same period, and its open alerts only.
    expect(body.health).toMatchObject({ slug: 'reset-password', locale: 'en', votes: 420, helpful: 270 });
    expect(body.alerts.map((a) => a.title)).toEqual(['Reset your password is declining']);
    expect(body.vocabulary).toEqual({ queries: [], missing: [] });
  });

  it('gives each reason its share of the "no" votes, its trend, its weight and redacted comments', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/insights/articles/billing-help?from=2026-03-01&to=2026-04-25',
      headers: t.operator,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as ArticleInsightResponse;
    const reasons = new Map(body.reasons.map((r) => [r.reason, r]));
    expect(body.reasons[0]?.reason).toBe('hard_to_understand');
    expect(body.reasons.reduce((sum, r) => sum + r.share, 0)).toBeCloseTo(1, 9);
    expect(reasons.get('hard_to_understand')).toMatchObject({ votes: 26, share: 26 / 40 });
    expect(reasons.get('inaccurate')).toMatchObject({ votes: 14, share: 14 / 40 });
    expect(reasons.get('other')).toMatchObject({ votes: 0, share: 0 });
    // 16 of 20 recent "no" votes against 10 of 20 before.
    expect(reasons.get('hard_to_understand')?.trend).toBeCloseTo(0.3, 9);
    expect(reasons.get('inaccurate')?.trend).toBeCloseTo(-0.3, 9);
    // Had these 26 readers said "yes", the rate would be 26 / 80 higher.
    expect(reasons.get('hard_to_understand')?.impact).toBeCloseTo(26 / 80, 9);
    const texts = reasons.get('hard_to_understand')?.comments.map((c) => c.text) ?? [];
    expect(texts.sort()).toEqual(['Too many steps', 'Where is the button?', 'Write to me at [email] please']);
    expect(reasons.get('inaccurate')?.comments.map((c) => c.text)).toEqual(['The fee is wrong']);
    expect(response.body).not.toContain('jane.doe');
  });

  it('counts categories on "no" comments and linked tickets, a human label before a prediction', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/insights/articles/billing-help?from=2026-03-01&to=2026-04-25',
      headers: t.operator,
    });
    const body = response.json() as ArticleInsightResponse;
    const summary = body.categories.map((c) => ({
      slug: c.category.slug,
      name: c.category.name,
      count: c.count,
      fromVotes: c.fromVotes,
      fromTickets: c.fromTickets,
      share: c.share,
    }));
    expect(summary).toEqual([
      { slug: 'billing', name: 'Billing', count: 2, fromVotes: 1, fromTickets: 1, share: 0.5 },
      { slug: 'login', name: 'Signing in', count: 2, fromVotes: 1, fromTickets: 1, share: 0.5 },
    ]);
    const billing = body.categories.find((c) => c.category.slug === 'billing');
    expect(billing?.examples.map((e) => e.text)).toEqual(['Help: my invoice is wrong, mail [email]', 'Too many steps']);
    // Everything happened in the recent 28 days, nothing in the 28 before: no trend to speak of.
    expect(billing?.trend).toBeNull();
  });
});
