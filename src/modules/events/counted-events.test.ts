import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';

const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
const day = new Date().toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe('what the dashboards count', () => {
  let t: TestApp;
  let privateKey: string;

  const send = (key: string, batch: unknown[]) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', ...basic(key) },
      payload: JSON.stringify({ batch }),
    });
  const vote = (anonymousId: string, helpful: boolean) => ({
    type: 'track',
    messageId: randomUUID(),
    anonymousId,
    event: 'Article Voted',
    properties: { article_slug: 'delete-account', article_locale: 'en', revision: 1, helpful, locale: 'en' },
  });
  const kpis = async () => {
    await t.ctx.events.flush();
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/events/kpis?from=${day}&to=${tomorrow}`,
      headers: t.operator,
    });
    expect(res.statusCode).toBe(200);
    return res.json().totals as { votes: number; helpfulVotes: number; searches: number };
  };

  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/events/write-keys',
      headers: t.operator,
      payload: { name: 'our help desk' },
    });
    privateKey = res.json().key;
  });
  afterAll(async () => {
    await t.close();
  });

  it("ignores server-observed events a browser sends with the site's public key, but keeps them", async () => {
    const siteKey = t.ctx.events.siteWriteKey();
    expect(siteKey).toBeTruthy();
    const forged = Array.from({ length: 60 }, (_, i) => vote(`forger-${i}-xxxxxxxx`, false));
    const sent = await send(siteKey!, forged);
    expect(sent.statusCode).toBe(200);
    const searches = Array.from({ length: 20 }, (_, i) => ({
      type: 'track',
      messageId: randomUUID(),
      anonymousId: `forger-${i}-xxxxxxxx`,
      event: 'Search Performed',
      properties: { query: 'pinwheel-help.io', locale: 'en', results_count: 0 },
    }));
    expect((await send(siteKey!, searches)).statusCode).toBe(200);
    const totals = await kpis();
    expect(totals.votes).toBe(0);
    expect(totals.searches).toBe(0);
    const kept = await t.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event', '=', 'Article Voted')
      .executeTakeFirstOrThrow();
    expect(Number(kept.n)).toBe(60);
  });

  it("counts the searches the server itself ran ('Search Performed' sent by the server)", async () => {
    const before = await kpis();
    const cookie = { cookie: 'ajs_anonymous_id=reader-searching-01' };
    for (const url of ['/en/search?q=reset+password', '/api/search?q=write+to+me+at+x%40example.com&locale=en']) {
      const res = await t.app.inject({ method: 'GET', url, headers: cookie });
      expect(res.statusCode).toBe(200);
    }
    expect((await kpis()).searches).toBe(before.searches + 2);
    const stored = await t.database.db
      .selectFrom('events')
      .select(['properties', 'source'])
      .where('event', '=', 'Search Performed')
      .where('source', '=', 'server')
      .execute();
    expect(stored.map((r) => (r.properties as { query: string }).query).sort()).toEqual([
      'reset password',
      'write to me at [email]',
    ]);
  });

  it('counts the same events from a private write key (a team back end)', async () => {
    const sent = await send(privateKey, [vote('reader-one-xxxxxxxx', true), vote('reader-two-xxxxxxxx', false)]);
    expect(sent.statusCode).toBe(200);
    const totals = await kpis();
    expect(totals).toMatchObject({ votes: 2, helpfulVotes: 1 });
  });
});
