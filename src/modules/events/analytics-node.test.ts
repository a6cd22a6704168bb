import { Analytics } from '@segment/analytics-node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';

const PER_TYPE = 1000;

describe("Segment's own analytics-node client, pointed at Answerloop", () => {
  let t: TestApp;
  let host: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    host = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await t.close();
  });

  it('delivers a thousand messages of every type, each stored exactly once and valid against the plan', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/events/write-keys',
      headers: t.operator,
      payload: { name: 'backend' },
    });
    const analytics = new Analytics({
      writeKey: created.json().key,
      host,
      path: '/v1/batch',
      flushAt: 250,
      flushInterval: 200,
      maxRetries: 3,
    });
    const sent = new Set<string>();
    const failures: unknown[] = [];
    const callback = (error: unknown, ctx: { event: { messageId?: string } } | undefined) => {
      if (error) failures.push(error);
      else if (ctx?.event.messageId) sent.add(ctx.event.messageId);
    };
    for (let i = 0; i < PER_TYPE; i++) {
      const anonymousId = `reader-${i % 300}`;
      analytics.track(
        { anonymousId, event: 'Search Performed', properties: { query: `q ${i}`, locale: 'en', results_count: i % 7 } },
        callback,
      );
      analytics.page({ anonymousId, name: 'Article', properties: { path: `/en/articles/a-${i}` } }, callback);
      analytics.screen({ anonymousId, name: 'Settings', properties: { i } }, callback);
      analytics.identify({ anonymousId, userId: `user-${i % 300}`, traits: { plan: 'pro' } }, callback);
      analytics.group({ userId: `user-${i % 300}`, groupId: `org-${i % 10}`, traits: { seats: i } }, callback);
      analytics.alias({ previousId: `old-${i}`, userId: `user-${i % 300}` }, callback);
    }
    await analytics.closeAndFlush({ timeout: 30_000 });
    await t.ctx.events.flush();
    expect(failures).toEqual([]);
    expect(sent.size).toBe(PER_TYPE * 6);

    const rows = await sql<{ type: string; n: number; distinct_ids: number }>`
      SELECT type, count(*)::int AS n, count(DISTINCT message_id)::int AS distinct_ids
      FROM events WHERE source LIKE 'wk:%' GROUP BY type ORDER BY type`.execute(t.database.db);
    expect(rows.rows).toEqual(
      ['alias', 'group', 'identify', 'page', 'screen', 'track'].map((type) => ({
        type,
        n: PER_TYPE,
        distinct_ids: PER_TYPE,
      })),
    );
    const ids = await t.database.db.selectFrom('events').select('message_id').execute();
    const stored = new Set(ids.map((r) => r.message_id));
    expect([...sent].every((id) => stored.has(id))).toBe(true);
    // Track and page calls match their plan schemas, so nothing was flagged.
    const flagged = await t.database.db
      .selectFrom('events')
      .select(['type', (eb) => eb.fn.countAll<string>().as('n')])
      .where('flagged', '=', true)
      .groupBy('type')
      .execute();
    expect(flagged).toEqual([]);
  });
});
