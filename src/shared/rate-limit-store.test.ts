import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/env.js';
import type { DatabaseHandle } from '../db/client.js';
import { createTestDatabase } from '../db/test-database.js';
import { buildArticle, buildTopic } from '../modules/content/content.factories.js';
import { buildForm } from '../modules/forms/forms.factories.js';
import { ASSIST_BUDGET } from '../modules/forms/forms-public.routes.js';
import { type BuiltApp, buildApp } from '../server/app.js';
import { LIMITS } from './limits.js';
import { READER_COOKIE, SESSION_COOKIE } from './reader-identity.js';

class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

/**
 * The shared counters use windows aligned to the minute (and to 10 minutes, which are minutes too): a run that
 * straddled a boundary would start a fresh window half-way. Start each run well inside a minute instead.
 */
async function awayFromMinuteBoundary(marginMs = 10_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/**
 * Two app processes (two `buildApp` over one database) behind a load balancer that alternates between them: with
 * the database store a client's limit holds across both; with the memory store each counts alone, twice the budget.
 */
describe('rate limits shared across app processes', () => {
  let database: DatabaseHandle;
  const log = new LogCapture();
  const apps: Record<'shared' | 'memory', [BuiltApp, BuiltApp]> = {} as Record<
    'shared' | 'memory',
    [BuiltApp, BuiltApp]
  >;

  beforeAll(async () => {
    database = await createTestDatabase();
    const topic = (await buildTopic(database.db, { slug: 'payments' })).slug;
    await buildArticle(database.db, {
      slug: 'charged-twice',
      topic,
      title: 'Charged twice for one subscription',
      body: 'If your card was charged twice, the second charge is a hold that disappears in 3 days.',
    });
    await buildForm(database.db);
    const build = async (store: 'database' | 'memory', logged = false) =>
      buildApp({
        config: loadConfig({ NODE_ENV: 'test', ANSWERLOOP_JOBS: 'false', ANSWERLOOP_RATE_LIMIT_STORE: store }),
        database,
        ...(logged ? { logStream: log } : {}),
      });
    apps.shared = [await build('database', true), await build('database')];
    apps.memory = [await build('memory'), await build('memory')];
  });
  afterAll(async () => {
    for (const built of [...(apps.shared ?? []), ...(apps.memory ?? [])]) await built.shutdown();
    await database?.close();
  });

  const vote = (built: BuiltApp, remoteAddress: string, helpful: boolean) =>
    built.app.inject({
      method: 'POST',
      url: '/api/feedback/votes',
      payload: { article: 'charged-twice', locale: 'en', helpful },
      remoteAddress,
    });
  const suggest = (built: BuiltApp, remoteAddress: string, i: number) =>
    built.app.inject({ url: `/api/forms/billing/suggestions?locale=en&q=charged${i % 3}`, remoteAddress });

  /** `budget` requests alternating between the two apps, then one more on each: the statuses of the last two. */
  async function spendAcross(
    pair: [BuiltApp, BuiltApp],
    budget: number,
    send: (built: BuiltApp, i: number) => Promise<LightMyRequestResponse>,
  ) {
    await awayFromMinuteBoundary();
    for (let i = 0; i < budget; i++) {
      const res = await send(pair[i % 2]!, i);
      expect(res.statusCode, res.body).toBe(200);
    }
    return [await send(pair[0], budget), await send(pair[1], budget + 1)];
  }

  it('counts votes per address on both processes: the (N+1)th is 429 with Retry-After on either', async () => {
    const over = await spendAcross(apps.shared, LIMITS.votesPerMinute, (built, i) =>
      vote(built, '198.51.100.7', i % 2 === 0),
    );
    for (const res of over) {
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    // Another address is not affected.
    expect((await vote(apps.shared[1], '198.51.100.99', true)).statusCode).toBe(200);
  });

  it('counts suggestion requests per address on both processes', async () => {
    const over = await spendAcross(apps.shared, ASSIST_BUDGET.perAddress, (built, i) =>
      suggest(built, '203.0.113.7', i),
    );
    for (const res of over) {
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('keeps no client address in the shared counters', async () => {
    const { rows } = await sql<{ key: string }>`SELECT key FROM rate_limit_buckets`.execute(database.db);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.key).join(' ')).not.toMatch(/198\.51|203\.0|votes|forms/);
  });

  it('with the memory store each process counts alone (the budget doubles)', async () => {
    const votes = await spendAcross(apps.memory, LIMITS.votesPerMinute, (built, i) =>
      vote(built, '198.51.100.8', i % 2 === 0),
    );
    expect(votes.map((res) => res.statusCode)).toEqual([200, 200]);
    const suggestions = await spendAcross(apps.memory, ASSIST_BUDGET.perAddress, (built, i) =>
      suggest(built, '203.0.113.8', i),
    );
    expect(suggestions.map((res) => res.statusCode)).toEqual([200, 200]);
  });

  // Only PostgreSQL runs statements concurrently (PGlite has one connection): there a burst raced the budget.
  it.runIf(process.env.DATABASE_URL)(
    "counts a burst of one reader's search clicks against its daily budget once, across both processes",
    async () => {
      // The daily budget lives in search_clicks itself; without turns, concurrent clicks all read the same count.
      const readerId = 'burst-reader-000001';
      const cookies = {
        [READER_COOKIE]: apps.shared[0].ctx.readers.sign(readerId, new Date(Date.now() - 30 * 86_400_000)),
        [SESSION_COOKIE]: 'burst-session-0001',
      };
      const remoteAddress = '192.0.2.77';
      const clicks = LIMITS.searchEvidencePerReaderPerDay + 10;
      const searchIds: string[] = [];
      for (let i = 0; i < clicks; i++) {
        const search = await apps.shared[i % 2]!.app.inject({
          url: '/api/search?q=charged&locale=en',
          cookies,
          remoteAddress,
        });
        searchIds.push(search.json().searchId);
      }
      const answers = await Promise.all(
        searchIds.map((searchId, i) =>
          apps.shared[i % 2]!.app.inject({
            method: 'POST',
            url: '/api/search/clicks',
            payload: { locale: 'en', slug: 'charged-twice', searchId },
            cookies,
            remoteAddress,
          }),
        ),
      );
      expect(answers.map((res) => res.statusCode)).toEqual(searchIds.map(() => 200));
      const { rows } = await sql<{ counted: number; flagged: number }>`
      SELECT count(*) FILTER (WHERE suspect IS NULL)::int AS counted,
             count(*) FILTER (WHERE suspect = 'reader-budget')::int AS flagged
        FROM search_clicks WHERE reader_id = ${readerId}`.execute(database.db);
      expect(rows[0]).toEqual({ counted: LIMITS.searchEvidencePerReaderPerDay, flagged: 10 });
    },
  );

  it('fails open with a logged warning when the counters fail: no 500', async () => {
    await sql`ALTER TABLE rate_limit_buckets RENAME TO rate_limit_buckets_away`.execute(database.db);
    try {
      const [first] = apps.shared;
      expect((await vote(first, '198.51.100.50', true)).statusCode).toBe(200);
      expect((await suggest(first, '198.51.100.50', 0)).statusCode).toBe(200);
    } finally {
      await sql`ALTER TABLE rate_limit_buckets_away RENAME TO rate_limit_buckets`.execute(database.db);
    }
    const warnings = log.lines.filter((line) => line.includes('the shared counters failed'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(JSON.parse(warnings[0]!).level).toBe(40);
  });
});
