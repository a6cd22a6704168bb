import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle, DB } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { queryKpis } from '../events/index.js';
import { rollUpInsights } from './roll-up-insights.js';

let seq = 0;
async function event(
  db: DB,
  name: string,
  person: string,
  at: string,
  locale: string | null,
  type: 'track' | 'page' = 'track',
  properties: Record<string, unknown> = {},
) {
  seq += 1;
  await sql`INSERT INTO events (message_id, type, event, anonymous_id, locale, properties, "timestamp", received_at, source)
    VALUES (${`s${seq}`}, ${type}, ${name}, ${person}, ${locale}, ${JSON.stringify(properties)}::jsonb,
            ${at}::timestamptz, ${at}::timestamptz, 'seed')`.execute(db);
}

describe('the site rollup', () => {
  let t: DatabaseHandle;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.close();
  });

  it('holds the events module’s KPI counts per day and locale, and rebuilds idempotently', async () => {
    const db = t.db;
    const day = '2026-03-10';
    // en: three people; one searches and leaves (an exit), one searches and reads on, one files a ticket twice.
    await event(db, 'Search Performed', 'a', `${day}T09:00:00Z`, 'en');
    await event(db, 'Search Performed', 'b', `${day}T09:00:00Z`, 'en');
    await event(db, 'Article Viewed', 'b', `${day}T09:02:00Z`, 'en');
    await event(db, 'Contact Form Viewed', 'c', `${day}T10:00:00Z`, 'en');
    await event(db, 'Ticket Created', 'c', `${day}T10:05:00Z`, 'en');
    await event(db, 'Ticket Created', 'c', `${day}T11:05:00Z`, 'en');
    // A flagged event never counts.
    await sql`UPDATE events SET flagged = true WHERE anonymous_id = 'a' AND event = 'Search Performed'`.execute(db);
    await event(db, 'Search Performed', 'a', `${day}T12:00:00Z`, 'en');
    // es: one person; and an event the next day.
    await event(db, 'Page Viewed', 'd', `${day}T08:00:00Z`, 'es', 'page', { path: '/es' });
    await event(db, 'Page Viewed', 'a', '2026-03-11T08:00:00Z', 'en', 'page', { path: '/en' });

    await rollUpInsights(db, { from: day, to: '2026-03-11' });
    await rollUpInsights(db, { from: day, to: '2026-03-11' });
    const { rows } = await sql<Record<string, string | number>>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, locale, visitors, searches, search_exits, contact_viewers, ticket_creators
      FROM insight_site_daily ORDER BY day, locale`.execute(db);
    expect(rows).toEqual([
      { day, locale: 'en', visitors: 3, searches: 2, search_exits: 1, contact_viewers: 1, ticket_creators: 1 },
      { day, locale: 'es', visitors: 1, searches: 0, search_exits: 0, contact_viewers: 0, ticket_creators: 0 },
      {
        day: '2026-03-11',
        locale: 'en',
        visitors: 1,
        searches: 0,
        search_exits: 0,
        contact_viewers: 0,
        ticket_creators: 0,
      },
    ]);
    // The same figures as the events module's own KPIs for that day and locale.
    const kpis = await queryKpis(db, {
      from: new Date(`${day}T00:00:00Z`),
      to: new Date('2026-03-11T00:00:00Z'),
      locale: 'en',
    });
    expect(kpis.totals).toMatchObject({
      visitors: 3,
      searches: 2,
      searchExits: 1,
      contactViewers: 1,
      ticketCreators: 1,
    });
  });
});
