import { randomBytes } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.js';
import { openDatabase } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { buildApp } from '../../server/app.js';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../server/test-app.js';
import { mulberry32 } from '../../shared/random.js';
import { ensureMonthPartitions, partitionName } from './ensure-partitions.js';
import type { EventsTable } from './events.tables.js';
import { RETENTION_QUEUE } from './events-jobs.js';
import { HELP_CENTER_FUNNEL } from './query-funnel.js';
import { rollUpKpiDay, runKpiRollup } from './roll-up-kpis.js';
import { scanFunnel } from './scan-funnel.js';
import { scanKpis } from './scan-kpis.js';

const DAY = 86_400_000;
const MIN = 60_000;
/** The generated events cover six days from here; the rollup runs "two days later", so all six are final. */
const START = Date.parse('2025-03-01T00:00:00Z');
const ROLLUP_NOW = new Date(START + 8 * DAY);
const iso = (ms: number) => new Date(ms).toISOString();

interface Generated {
  anonymousIds: string[];
}

/**
 * Random help-center traffic over six days: sessions of readers (some of them identified users, some aliases of
 * one another), searches often near midnight (exits across days), results pages, votes, contact views, tickets,
 * three locales and none, flagged events and server-observed names sent with the public key (never counted).
 */
async function generate(t: TestApp, seed: number, publicKeyId: number): Promise<Generated> {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const anonymousIds = Array.from({ length: 30 }, (_, i) => `a${seed}-${i}`);
  const rows: Insertable<EventsTable>[] = [];
  let n = 0;
  for (let s = 0; s < 70; s++) {
    const anonymousId = pick(anonymousIds);
    const userId = random() < 0.2 ? `u${seed}-${Math.floor(random() * 5)}` : null;
    const locale = pick(['en', 'en', 'es', 'ja', null]);
    // Some sessions start just before midnight, so their searches' exits depend on the next day.
    let at = START + Math.floor(random() * 6) * DAY + (random() < 0.3 ? DAY - 20 * MIN : Math.floor(random() * DAY));
    for (let k = 0; k < 1 + Math.floor(random() * 7); k++) {
      at += Math.floor(random() * 40) * MIN + Math.floor(random() * 1000);
      const [type, event] = pick([
        ['track', 'Search Performed'],
        ['track', 'Search Performed'],
        ['track', 'Article Viewed'],
        ['track', 'Article Viewed'],
        ['track', 'Article Voted'],
        ['track', 'Contact Form Viewed'],
        ['track', 'Ticket Created'],
        ['page', 'Page Viewed'],
        ['page', 'Page Viewed'],
        ['identify', 'Identify'],
      ] as const);
      const article = event === 'Article Viewed' || event === 'Article Voted' ? pick(['reset', 'refund']) : null;
      const properties =
        event === 'Article Voted'
          ? { helpful: random() < 0.6 }
          : event === 'Page Viewed'
            ? { path: random() < 0.5 ? '/en/search?q=x' : '/en/articles/reset' }
            : {};
      const publicKey = random() < 0.05;
      rows.push({
        message_id: `m${seed}-${n++}`,
        type,
        event,
        anonymous_id: anonymousId,
        user_id: userId,
        properties: JSON.stringify(properties),
        context: '{}',
        locale,
        article,
        timestamp: iso(at),
        received_at: iso(at),
        source: publicKey ? `wk:${publicKeyId}` : 'server',
        flagged: random() < 0.05,
      });
    }
  }
  await t.database.db.insertInto('events').values(rows).execute();
  // Identity stitching: a few anonymous ids belong to users.
  for (let i = 0; i < 4; i++) {
    await sql`INSERT INTO event_identities (alias_id, user_id, linked_at) VALUES (${anonymousIds[i]!}, ${`u${seed}-${i}`}, now())
      ON CONFLICT DO NOTHING`.execute(t.database.db);
  }
  return { anonymousIds };
}

const RANGES: [string, number, number][] = [
  ['the six days', START, START + 6 * DAY],
  ['two whole days', START + 2 * DAY, START + 4 * DAY],
  ['partial first and last days', START + DAY + 7 * 3_600_000, START + 4 * DAY + 13 * 3_600_000],
  ['within one day', START + 3 * DAY + 3_600_000, START + 3 * DAY + 20 * 3_600_000],
  ['beyond the rolled days', START + 4 * DAY, START + 10 * DAY],
];

describe('KPIs from the rollup, funnels in SQL, retention', () => {
  let t: TestApp;
  let publicKeyId: number;
  const kpisOverHttp = async (from: number, to: number, locale?: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/events/kpis?from=${iso(from)}&to=${iso(to)}${locale ? `&locale=${locale}` : ''}`,
      headers: t.operator,
    });
    expect(res.statusCode).toBe(200);
    const { totals, days } = res.json();
    return { totals, days };
  };
  const expectKpisEqualScan = async () => {
    for (const [, from, to] of RANGES) {
      for (const locale of [undefined, 'en', 'es', 'fr']) {
        const expected = await scanKpis(t.database.db, { from: new Date(from), to: new Date(to), locale });
        expect(await kpisOverHttp(from, to, locale), `${iso(from)}..${iso(to)} ${locale}`).toEqual(expected);
      }
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false', ANSWERLOOP_EVENTS_RETENTION_MONTHS: '3' } });
    const key = await sql<{ id: number }>`
      INSERT INTO event_write_keys (name, key_hash, key_hint, public_key) VALUES ('site', 'h', 'x', 'pk')
      RETURNING id`.execute(t.database.db);
    publicKeyId = key.rows[0]!.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives the same KPIs from the rollup as from the raw events, on generated data, ranges and locales', async () => {
    for (const seed of [1, 2]) {
      await sql`DELETE FROM events`.execute(t.database.db);
      await sql`DELETE FROM event_identities`.execute(t.database.db);
      await generate(t, seed, publicKeyId);
      const run = await runKpiRollup(t.database.db, { now: ROLLUP_NOW });
      // Every day from the first event's to the last final one, each once.
      expect(run.days).toBeGreaterThanOrEqual(6);
      await expectKpisEqualScan();
    }
    // The rolled days are read from the rollup, not from the events: without the raw events of day 2, the two
    // whole days still count them.
    const before = await kpisOverHttp(START + 2 * DAY, START + 4 * DAY);
    expect(before.totals.visitors).toBeGreaterThan(0);
    await sql`DELETE FROM events WHERE "timestamp" >= ${iso(START + 2 * DAY)}::timestamptz
      AND "timestamp" < ${iso(START + 3 * DAY)}::timestamptz`.execute(t.database.db);
    expect(await kpisOverHttp(START + 2 * DAY, START + 4 * DAY)).toEqual(before);
  });

  it('rebuilds the days a late event or a re-stitched identity changed, on its next run', async () => {
    await sql`DELETE FROM events`.execute(t.database.db);
    await sql`DELETE FROM event_identities`.execute(t.database.db);
    const { anonymousIds } = await generate(t, 3, publicKeyId);
    const event = (id: string, who: string, at: number, name: string, receivedAt = at) => ({
      message_id: id,
      type: 'track' as const,
      event: name,
      anonymous_id: who,
      properties: '{}',
      context: '{}',
      locale: 'en',
      timestamp: iso(at),
      received_at: iso(receivedAt),
      source: 'server',
    });
    // Two readers on day 5 who will turn out to be one.
    await t.database.db
      .insertInto('events')
      .values([
        event('stitch-1', 'stitch-a', START + 4 * DAY + 10 * 3_600_000, 'Article Viewed'),
        event('stitch-2', 'stitch-b', START + 4 * DAY + 11 * 3_600_000, 'Article Viewed'),
      ])
      .execute();
    await runKpiRollup(t.database.db, { now: ROLLUP_NOW });
    // A late search from a new reader on day 1 and a step that stops a day-3 search from being an exit; then an
    // anonymous id turns out to be another's user.
    const late = ROLLUP_NOW.getTime();
    await t.database.db
      .insertInto('events')
      .values([
        event('late-1', 'late-reader', START + DAY + 5 * 3_600_000, 'Search Performed', late),
        event('late-2', anonymousIds[7]!, START + 3 * DAY + 3_600_000, 'Article Viewed', late),
      ])
      .execute();
    await sql`INSERT INTO event_identities (alias_id, user_id, linked_at)
      VALUES ('stitch-a', 'stitch-b', now()), (${anonymousIds[10]!}, ${anonymousIds[11]!}, now())`.execute(
      t.database.db,
    );
    const dirty = await sql<{
      day: string;
    }>`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM event_kpi_dirty_days`.execute(t.database.db);
    // The late events' days at once (the trigger); the re-stitched ids' days when the job reads them.
    expect(dirty.rows.map((r) => r.day).sort()).toEqual(['2025-03-02', '2025-03-04']);
    const run = await runKpiRollup(t.database.db, { now: ROLLUP_NOW });
    expect(run.dirty).toBeGreaterThanOrEqual(3);
    await expectKpisEqualScan();
  });

  it('matches funnels in SQL exactly as the in-memory matcher did', async () => {
    const SEARCH_READ = [{ events: ['Search Performed'] }, { events: ['Article Viewed'] }];
    const REPEAT = [{ events: ['Article Viewed'] }, { events: ['Article Viewed'] }, { events: ['Article Voted'] }];
    for (const seed of [4, 5]) {
      await sql`DELETE FROM events`.execute(t.database.db);
      await generate(t, seed, publicKeyId);
      for (const steps of [HELP_CENTER_FUNNEL, SEARCH_READ, REPEAT]) {
        for (const windowMinutes of [5, 24 * 60]) {
          for (const [breakdown, locale] of [
            [undefined, undefined],
            ['locale', undefined],
            ['article', 'en'],
          ] as const) {
            for (const [, from, to] of [RANGES[0]!, RANGES[2]!]) {
              const body = { steps, from: iso(from), to: iso(to), windowMinutes, breakdown, locale };
              const res = await t.app.inject({
                method: 'POST',
                url: '/api/events/funnels',
                headers: t.operator,
                payload: body,
              });
              expect(res.statusCode).toBe(200);
              const expected = await scanFunnel(t.database.db, {
                steps,
                from: new Date(from),
                to: new Date(to),
                windowMinutes,
                breakdown,
                locale,
              });
              const { total, breakdown: groups } = res.json();
              expect({ total, breakdown: groups }, JSON.stringify(body)).toEqual({
                total: expected.total,
                breakdown: expected.breakdown,
              });
            }
          }
        }
      }
    }
  });

  it('drops whole monthly partitions older than the retention, with their rollup, and records it', async () => {
    const db = t.database.db;
    const now = new Date();
    const month = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 10));
    await sql`DELETE FROM events`.execute(db);
    for (const back of [6, 2, 0]) {
      await ensureMonthPartitions(db, month(back), month(back));
      await db
        .insertInto('events')
        .values({
          message_id: `r${back}`,
          type: 'track',
          event: 'Article Viewed',
          anonymous_id: 'r',
          properties: '{}',
          context: '{}',
          timestamp: month(back).toISOString(),
          received_at: month(back).toISOString(),
          source: 'server',
        })
        .execute();
    }
    const old = partitionName(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 1)));
    const oldDay = month(6).toISOString().slice(0, 10);
    await rollUpKpiDay(db, oldDay);
    const rolled = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM event_kpi_person_days WHERE day = ${oldDay}::date`;
    expect((await rolled.execute(db)).rows[0]!.n).toBe(1);

    // Through the job, as a server runs it (ANSWERLOOP_EVENTS_RETENTION_MONTHS=3).
    await sql`INSERT INTO jobs (queue, payload) VALUES (${RETENTION_QUEUE}, '{}')`.execute(db);
    expect(await t.ctx.jobs.drain({ queues: [RETENTION_QUEUE] })).toBe(1);

    const left = await sql<{ id: string }>`SELECT message_id AS id FROM events ORDER BY 1`.execute(db);
    expect(left.rows.map((r) => r.id)).toEqual(['r0', 'r2']);
    const tables = await sql<{ name: string }>`SELECT relname AS name FROM pg_class
      WHERE relname LIKE 'events\\_%' AND relkind IN ('r', 'p') ORDER BY 1`.execute(db);
    expect(tables.rows.map((r) => r.name)).not.toContain(old);
    expect(tables.rows.map((r) => r.name)).toContain('events_default');
    expect((await rolled.execute(db)).rows[0]!.n).toBe(0);
    const audit = await sql<{ object_id: string }>`
      SELECT object_id FROM audit_log WHERE action = 'events.partition.drop'`.execute(db);
    expect(audit.rows.map((r) => r.object_id)).toEqual([old]);
  });

  it.runIf(process.env.DATABASE_URL)('answers the dashboards through a read-only DATABASE_READ_URL', async () => {
    const server = process.env.DATABASE_URL!;
    const name = `answerloop_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
    try {
      await migrate(database);
      const config = loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: url.toString(),
        DATABASE_READ_URL: url.toString(),
        ANSWERLOOP_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        ANSWERLOOP_JOBS: 'false',
      });
      const built = await buildApp({ config, database });
      try {
        // The read pool refuses writes: a dashboard that wrote would fail here.
        await expect(sql`CREATE TABLE nope (x int)`.execute(built.ctx.readDb)).rejects.toThrow(/read-only/);
        const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
        const range = `from=${iso(START)}&to=${iso(START + 6 * DAY)}`;
        for (const request of [
          { method: 'GET' as const, url: `/api/events/kpis?${range}` },
          { method: 'GET' as const, url: `/api/events/export?${range}` },
          { method: 'GET' as const, url: '/api/events/violations' },
          { method: 'GET' as const, url: '/api/insights/overview' },
          { method: 'GET' as const, url: '/api/insights/gaps' },
          { method: 'GET' as const, url: '/api/insights/translations' },
        ]) {
          const res = await built.app.inject({ ...request, headers });
          expect(res.statusCode, request.url).toBe(200);
        }
        const funnel = await built.app.inject({
          method: 'POST',
          url: '/api/events/funnels',
          headers,
          payload: { from: iso(START), to: iso(START + 6 * DAY) },
        });
        expect(funnel.statusCode).toBe(200);
      } finally {
        await built.shutdown();
      }
    } finally {
      await database.close();
      // The pools' connections end asynchronously: forcing them closed makes their clients throw.
      for (let i = 0; i < 50; i++) {
        const open = await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [name]);
        if (open.rowCount === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
