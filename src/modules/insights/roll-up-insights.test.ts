import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle, DB } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { buildArticle, buildTopic } from '../content/content.factories.js';
import { publishTranslation, saveArticle } from '../content/index.js';
import { markInsightDaysDirty, rollUpInsights, runInsightsRollup } from './roll-up-insights.js';

let seq = 0;
async function event(db: DB, event: string, person: string, at: string, properties: Record<string, unknown>) {
  seq += 1;
  await sql`INSERT INTO events (message_id, type, event, anonymous_id, properties, "timestamp", received_at, source)
    VALUES (${`m${seq}`}, 'track', ${event}, ${person}, ${JSON.stringify(properties)}::jsonb, ${at}::timestamptz,
            ${at}::timestamptz, 'seed')`.execute(db);
}

async function vote(
  db: DB,
  slug: string,
  revisionNumber: number,
  reader: string,
  helpful: boolean,
  at: string,
  reason?: string,
) {
  await sql`INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful, reason, created_at, updated_at, source)
    SELECT a.id, r.id, r.number, t.locale, t.locale, ${reader}, ${helpful}, ${reason ?? null}, ${at}::timestamptz, ${at}::timestamptz, 'demo'
    FROM articles a JOIN article_translations t ON t.article_id = a.id AND t.locale = 'en'
    JOIN article_revisions r ON r.translation_id = t.id AND r.number = ${revisionNumber}
    WHERE a.slug = ${slug}`.execute(db);
}

describe('the insights rollup', () => {
  let t: DatabaseHandle;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.close();
  });

  it('records each publication, and rolls votes, readers, contacts and search exits up per revision and day', async () => {
    const db = t.db;
    const topic = (await buildTopic(db)).slug;
    await buildArticle(db, { slug: 'reset-password', title: 'Reset your password', topic });
    await saveArticle(db, {
      slug: 'reset-password',
      locale: 'en',
      topic,
      title: 'Reset your password',
      body: 'v2',
      keywords: [],
      publish: false,
    });
    const pubs = await sql<{ revision: number; ended: boolean }>`
      SELECT r.number AS revision, p.ended_at IS NOT NULL AS ended FROM revision_publications p
      JOIN article_revisions r ON r.id = p.revision_id ORDER BY p.id`.execute(db);
    expect(pubs.rows).toEqual([{ revision: 1, ended: false }]);
    await publishTranslation(db, { slug: 'reset-password', locale: 'en' });
    const after = await sql<{ revision: number; ended: boolean }>`
      SELECT r.number AS revision, p.ended_at IS NOT NULL AS ended FROM revision_publications p
      JOIN article_revisions r ON r.id = p.revision_id ORDER BY p.id`.execute(db);
    expect(after.rows).toEqual([
      { revision: 1, ended: true },
      { revision: 2, ended: false },
    ]);

    const day = '2026-03-10';
    await vote(db, 'reset-password', 1, 'r1', true, `${day}T10:00:00Z`);
    await vote(db, 'reset-password', 1, 'r2', false, `${day}T11:00:00Z`, 'inaccurate');
    await vote(db, 'reset-password', 2, 'r3', false, `${day}T12:00:00Z`, 'did_not_solve');
    const read = { article_slug: 'reset-password', article_locale: 'en', revision: 1, locale: 'en' };
    await event(db, 'Article Viewed', 'p1', `${day}T10:00:00Z`, read);
    await event(db, 'Article Viewed', 'p1', `${day}T10:05:00Z`, read); // the same reading session
    await event(db, 'Contact Form Viewed', 'p1', `${day}T20:00:00Z`, { locale: 'en' });
    await event(db, 'Article Viewed', 'p2', `${day}T11:00:00Z`, read);
    await event(db, 'Search Performed', 'p2', `${day}T11:10:00Z`, { query: 'x', locale: 'en', results_count: 0 });
    await event(db, 'Article Viewed', 'p3', `${day}T11:00:00Z`, read);
    await event(db, 'Search Performed', 'p3', `${day}T13:00:00Z`, { query: 'x', locale: 'en', results_count: 0 });

    await rollUpInsights(db, { from: day, to: day });
    const rows = await sql<Record<string, number>>`
      SELECT r.number AS revision, d.votes, d.helpful, d.readers, d.contacted, d.searched_again,
             d.reason_inaccurate, d.reason_did_not_solve
      FROM insight_article_daily d JOIN article_revisions r ON r.id = d.revision_id ORDER BY r.number`.execute(db);
    expect(rows.rows).toEqual([
      {
        revision: 1,
        votes: 2,
        helpful: 1,
        readers: 3,
        contacted: 1,
        searched_again: 1,
        reason_inaccurate: 1,
        reason_did_not_solve: 0,
      },
      {
        revision: 2,
        votes: 1,
        helpful: 0,
        readers: 0,
        contacted: 0,
        searched_again: 0,
        reason_inaccurate: 0,
        reason_did_not_solve: 1,
      },
    ]);

    // Rebuilding is idempotent; a dirty old day is rebuilt by the scheduled run and its mark cleared.
    await vote(db, 'reset-password', 2, 'r4', true, `${day}T13:00:00Z`);
    await markInsightDaysDirty(db, [day]);
    await runInsightsRollup(db, new Date('2026-06-01T00:00:00Z'));
    const total = await sql<{ votes: number }>`SELECT sum(votes)::int AS votes FROM insight_article_daily`.execute(db);
    expect(total.rows[0]?.votes).toBe(4);
    const dirty = await sql<{ n: number }>`SELECT count(*)::int AS n FROM insight_dirty_days`.execute(db);
    expect(dirty.rows[0]?.n).toBe(0);
  });
});
