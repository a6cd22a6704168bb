import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { LIMITS } from '../../shared/limits.js';

const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

describe('the Segment-compatible collector', () => {
  let t: TestApp;
  let key: string;

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...basic(key), ...headers },
      payload: JSON.stringify(payload),
    });

  async function stored(messageId: string) {
    await t.ctx.events.flush();
    return t.database.db.selectFrom('events').selectAll().where('message_id', '=', messageId).execute();
  }

  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/events/write-keys',
      headers: t.operator,
      payload: { name: 'test source' },
    });
    expect(res.statusCode).toBe(200);
    key = res.json().key;
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores a track call sent with the write key as the Basic user name, and answers {success: true}', async () => {
    const messageId = randomUUID();
    const res = await post('/v1/track', {
      messageId,
      anonymousId: 'anon-1',
      event: 'Search Performed',
      properties: { query: 'reset password', locale: 'en', results_count: 3 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, received: 1, accepted: 1, duplicates: 0, violations: [] });
    const rows = await stored(messageId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'track', event: 'Search Performed', locale: 'en', flagged: false });
  });

  it('accepts the write key in the body, numeric ids, and text/plain bodies as navigator.sendBeacon sends them', async () => {
    const messageId = randomUUID();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      payload: JSON.stringify({
        writeKey: key,
        batch: [{ type: 'page', messageId, userId: 42, properties: { path: '/en' } }],
      }),
    });
    expect(res.statusCode).toBe(200);
    const rows = await stored(messageId);
    expect(rows[0]).toMatchObject({ type: 'page', event: 'Page Viewed', user_id: '42' });
  });

  it('answers 401 without a write key, with an unknown one, and with a revoked one', async () => {
    const message = { anonymousId: 'a', event: 'X' };
    const none = await t.app.inject({ method: 'POST', url: '/v1/track', payload: message });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.message).toMatch(/write key/);
    const unknown = await post('/v1/track', message, basic('alwk_not-a-real-key'));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/events/write-keys',
      headers: t.operator,
      payload: { name: 'short-lived' },
    });
    const doomed = created.json().key as string;
    expect((await post('/v1/track', message, basic(doomed))).statusCode).toBe(200);
    const revoked = await t.app.inject({
      method: 'POST',
      url: '/api/events/write-keys/revoke',
      headers: t.operator,
      payload: { key: doomed },
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().writeKey.revokedAt).not.toBeNull();
    expect((await post('/v1/track', message, basic(doomed))).statusCode).toBe(401);
  });

  it('answers 400 for bad JSON, saying so', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { 'content-type': 'application/json', ...basic(key) },
      payload: '{"event": "x",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ success: false, error: { code: 'BAD_REQUEST' } });
    expect(res.json().error.message).toMatch(/not valid JSON/);
  });

  it('answers 400 naming the field for a track without event, a message without ids, or a bad timestamp', async () => {
    const noEvent = await post('/v1/track', { anonymousId: 'a' });
    expect(noEvent.statusCode).toBe(400);
    expect(noEvent.json().error.message).toMatch(/event/);
    const noId = await post('/v1/batch', { batch: [{ type: 'track', event: 'X' }] });
    expect(noId.statusCode).toBe(400);
    expect(noId.json().error.message).toMatch(/userId.*anonymousId/);
    const badDate = await post('/v1/track', { anonymousId: 'a', event: 'X', timestamp: 'yesterday-ish' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.message).toMatch(/timestamp/);
    const badType = await post('/v1/batch', { batch: [{ type: 'purchase', anonymousId: 'a' }] });
    expect(badType.statusCode).toBe(400);
  });

  it('answers 413 past 32 KB for one message and 500 KB for a batch, compressed or not', async () => {
    const big = 'x'.repeat(LIMITS.eventMessageBytes);
    const single = await post('/v1/track', { anonymousId: 'a', event: 'X', properties: { big } });
    expect(single.statusCode).toBe(413);
    expect(single.json().error.message).toMatch(/32 KB/);
    const oneBigInBatch = await post('/v1/batch', {
      batch: [
        { type: 'track', anonymousId: 'a', event: 'X' },
        { type: 'track', anonymousId: 'a', event: 'X', properties: { big } },
      ],
    });
    expect(oneBigInBatch.statusCode).toBe(413);
    const batch = Array.from({ length: 20 }, () => ({
      type: 'track',
      anonymousId: 'a',
      event: 'X',
      properties: { s: 'y'.repeat(30_000) },
    }));
    const tooBig = await post('/v1/batch', { batch });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.message).toMatch(/500 KB/);
    // A gzip body that inflates past the limit is refused without inflating it all.
    const bomb = gzipSync(Buffer.from(JSON.stringify({ batch, pad: 'z'.repeat(5_000_000) })));
    const inflated = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...basic(key) },
      payload: bomb,
    });
    expect(inflated.statusCode).toBe(413);
  });

  it('accepts one request larger than the time-bounded queue when the queue is empty', async () => {
    await t.ctx.events.flush();
    // 5,000 events, more than one batch (the bound before any drain rate is measured): it must not be refused forever.
    const ids = Array.from({ length: 5_000 }, () => randomUUID());
    const res = await post('/v1/batch', {
      batch: ids.map((messageId) => ({ type: 'track', messageId, anonymousId: 'big', event: 'X' })),
    });
    expect(res.statusCode).toBe(200);
    await t.ctx.events.flush();
    const n = await t.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('anonymous_id', '=', 'big')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(5_000);
  });

  it('accepts gzip bodies and refuses broken gzip with 400', async () => {
    const messageId = randomUUID();
    const body = gzipSync(
      Buffer.from(
        JSON.stringify({ batch: [{ type: 'identify', messageId, userId: 'u-gz', traits: { plan: 'pro' } }] }),
      ),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...basic(key) },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(await stored(messageId)).toHaveLength(1);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...basic(key) },
      payload: Buffer.from('not gzip at all'),
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.message).toMatch(/gzip/);
  });

  it('stores a message once however often it is sent, and says which were duplicates', async () => {
    const messageId = randomUUID();
    const message = { messageId, anonymousId: 'dup', event: 'Unplanned Thing' };
    const first = await post('/v1/track', message);
    expect(first.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    const again = await post('/v1/batch', {
      batch: [
        { ...message, type: 'track' },
        { ...message, type: 'track' },
      ],
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ success: true, accepted: 0, duplicates: 2 });
    expect(await stored(messageId)).toHaveLength(1);
  });

  it('checks messages against the tracking plan: accept and flag, drop and flag, unplanned; violations are listed', async () => {
    const bad = randomUUID();
    const dropped = randomUUID();
    const unplanned = randomUUID();
    const res = await post('/v1/batch', {
      batch: [
        {
          type: 'track',
          messageId: bad,
          anonymousId: 'p',
          event: 'Search Performed',
          properties: { locale: 'en', results_count: -1 },
        },
        {
          type: 'track',
          messageId: dropped,
          anonymousId: 'p',
          event: 'Article Voted',
          properties: { article_slug: 'x', helpful: 'yes', locale: 'en' },
        },
        { type: 'track', messageId: unplanned, anonymousId: 'p', event: 'Something Else' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ received: 3, accepted: 2, dropped: 1 });
    const byId = new Map(body.violations.map((v: { messageId: string }) => [v.messageId, v]));
    expect(byId.get(bad)).toMatchObject({ action: 'accepted', event: 'Search Performed' });
    expect(JSON.stringify(byId.get(bad))).toMatch(/query/);
    expect(JSON.stringify(byId.get(bad))).toMatch(/results_count/);
    expect(byId.get(dropped)).toMatchObject({ action: 'dropped' });
    expect(byId.get(unplanned)).toMatchObject({
      action: 'accepted',
      reasons: [{ message: expect.stringMatching(/not in the tracking plan/) }],
    });
    expect(await stored(bad)).toMatchObject([{ flagged: true, plan_version: 1 }]);
    expect(await stored(dropped)).toHaveLength(0);

    const listed = await t.app.inject({
      method: 'GET',
      url: '/api/events/violations?event=Article%20Voted',
      headers: t.operator,
    });
    expect(listed.statusCode).toBe(200);
    const violation = listed.json().violations.find((v: { messageId: string }) => v.messageId === dropped);
    expect(violation).toMatchObject({ action: 'dropped', type: 'track', planVersion: 1 });
    expect(violation.reasons[0].path).toBe('properties.helpful');
    expect(violation.message.properties).toMatchObject({ helpful: 'yes' });
  });

  it('stores text PostgreSQL would refuse (NUL, lone surrogates) cleaned, without failing the batch', async () => {
    const odd = randomUUID();
    const plain = randomUUID();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', ...basic(key) },
      // Written by hand: JSON.stringify would not produce a lone surrogate escape from a test string literal.
      payload: `{"batch":[{"type":"track","messageId":"${odd}","anonymousId":"a\\u0000b","event":"Odd \\ud800 Thing","properties":{"k\\u0000":"v\\u0000\\udc00"}},{"type":"track","messageId":"${plain}","anonymousId":"p","event":"Plain"}]}`,
    });
    expect(res.statusCode).toBe(200);
    expect(await stored(plain)).toHaveLength(1);
    const [row] = await stored(odd);
    expect(row!.anonymous_id).toBe('ab');
    expect(row!.event).toBe('Odd \uFFFD Thing');
    expect(row!.properties).toEqual({ k: 'v\uFFFD' });
  });

  it('corrects the client clock from sentAt as Segment does', async () => {
    const messageId = randomUUID();
    // The device's clock is a day ahead: it stamped the event 2 s before it sent the batch.
    const skewed = Date.now() + 86_400_000;
    const res = await post('/v1/batch', {
      sentAt: new Date(skewed).toISOString(),
      batch: [
        {
          type: 'track',
          messageId,
          anonymousId: 'skew',
          event: 'X',
          timestamp: new Date(skewed - 2_000).toISOString(),
        },
      ],
    });
    expect(res.statusCode).toBe(200);
    const [row] = await stored(messageId);
    const corrected = new Date(row!.timestamp).getTime();
    expect(Math.abs(corrected - (Date.now() - 2_000))).toBeLessThan(5_000);
    expect(new Date(row!.original_timestamp!).getTime()).toBe(skewed - 2_000);
  });

  it('drops everything from a browser that sends DNT or Sec-GPC, and messages without consent', async () => {
    const dnt = randomUUID();
    const gpc = randomUUID();
    const noConsent = randomUUID();
    const a = await post('/v1/track', { messageId: dnt, anonymousId: 'x', event: 'X' }, { dnt: '1' });
    expect(a.json()).toMatchObject({ success: true, accepted: 0, dropped: 1 });
    await post('/v1/track', { messageId: gpc, anonymousId: 'x', event: 'X' }, { 'sec-gpc': '1' });
    const c = await post('/v1/track', {
      messageId: noConsent,
      anonymousId: 'x',
      event: 'X',
      context: { consent: { categoryPreferences: { analytics: false } } },
    });
    expect(c.json()).toMatchObject({ accepted: 0, dropped: 1 });
    for (const id of [dnt, gpc, noConsent]) expect(await stored(id)).toHaveLength(0);
  });

  it('never stores the raw IP address, from context.ip or from the request', async () => {
    const messageId = randomUUID();
    await post('/v1/track', {
      messageId,
      anonymousId: 'ip',
      event: 'X',
      context: { ip: '203.0.113.77', locale: 'es-MX' },
    });
    const [row] = await stored(messageId);
    expect(row!.ip_hash).toMatch(/^[\w-]{22}$/);
    expect(row!.locale).toBe('es');
    expect(JSON.stringify(row!.context)).not.toContain('203.0.113');
    const leaks = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM events WHERE events::text LIKE '%203.0.113.77%')
           + (SELECT count(*) FROM event_violations WHERE event_violations::text LIKE '%203.0.113.77%') AS n`.execute(
      t.database.db,
    );
    expect(Number(leaks.rows[0]!.n)).toBe(0);
  });

  it('answers CORS preflights from browsers', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-headers'])).toMatch(/authorization/i);
  });

  it('stitches an anonymous reader to a user on identify and alias, merging the profile', async () => {
    const anon = `anon-${randomUUID()}`;
    const early = new Date(Date.now() - 3_600_000).toISOString();
    await post('/v1/batch', {
      batch: [
        {
          type: 'page',
          anonymousId: anon,
          timestamp: early,
          properties: { path: '/ja' },
          context: { locale: 'ja', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile' },
        },
      ],
    });
    await t.ctx.events.flush();
    await post('/v1/identify', { anonymousId: anon, userId: 'user-77', traits: { plan: 'business' } });
    await post('/v1/alias', { previousId: 'user-77', userId: 'user-77-new' });
    await t.ctx.events.flush();
    const res = await t.app.inject({ method: 'GET', url: `/api/events/profiles/${anon}`, headers: t.operator });
    expect(res.statusCode).toBe(200);
    const profile = res.json();
    expect(profile).toMatchObject({
      personId: 'user-77-new',
      userId: 'user-77-new',
      locale: 'ja',
      device: 'mobile',
      eventCount: 3,
    });
    expect(profile.aliases).toEqual(expect.arrayContaining([anon, 'user-77']));
    expect(profile.firstSeen).toBe(early);
    expect(profile.traits).toMatchObject({ plan: 'business' });
  });

  it('exports every stored message type as NDJSON, and filters by event', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const ids = Object.fromEntries(
      ['track', 'page', 'screen', 'identify', 'group', 'alias'].map((type) => [type, randomUUID()]),
    );
    await post('/v1/batch', {
      batch: [
        {
          type: 'track',
          messageId: ids.track,
          anonymousId: 'e',
          event: 'Contact Form Viewed',
          properties: { locale: 'en' },
        },
        { type: 'page', messageId: ids.page, anonymousId: 'e', name: 'Home', properties: { path: '/en' } },
        { type: 'screen', messageId: ids.screen, anonymousId: 'e', name: 'Settings' },
        { type: 'identify', messageId: ids.identify, anonymousId: 'e', userId: 'u-e', traits: { name: 'E' } },
        { type: 'group', messageId: ids.group, userId: 'u-e', groupId: 'org-1', traits: { size: 10 } },
        { type: 'alias', messageId: ids.alias, previousId: 'u-e', userId: 'u-e2' },
      ],
    });
    await t.ctx.events.flush();
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/events/export?from=${from}&to=${to}`,
      headers: t.operator,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/ndjson/);
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const exported = new Map(lines.map((m) => [m.messageId, m]));
    for (const [type, id] of Object.entries(ids)) expect(exported.get(id), type).toMatchObject({ type });
    expect(exported.get(ids.group)).toMatchObject({ groupId: 'org-1', traits: { size: 10 } });
    expect(exported.get(ids.alias)).toMatchObject({ previousId: 'u-e', userId: 'u-e2' });
    expect(new Set(lines.map((l) => l.messageId)).size).toBe(lines.length);

    const filtered = await t.app.inject({
      method: 'GET',
      url: `/api/events/export?from=${from}&to=${to}&event=Contact%20Form%20Viewed`,
      headers: t.operator,
    });
    const only = filtered.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(only.every((m) => m.event === 'Contact Form Viewed')).toBe(true);
    expect(only.some((m) => m.messageId === ids.track)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/api/events/export?from=${from}&to=${to}` })).statusCode).toBe(
      401,
    );
  });

  it('versions the tracking plan through the operator API and refuses schemas that do not compile', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/events/plan/events/Board%20Created',
      headers: t.operator,
      payload: {
        onViolation: 'drop_and_flag',
        schema: { type: 'object', properties: { board_id: { type: 'string' } }, required: ['board_id'] },
      },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().version).toBe(2);
    const res = await post('/v1/track', { anonymousId: 'b', event: 'Board Created', properties: {} });
    expect(res.json()).toMatchObject({ accepted: 0, dropped: 1, violations: [{ action: 'dropped' }] });

    const invalid = await t.app.inject({
      method: 'PUT',
      url: '/api/events/plan/events/Broken',
      headers: t.operator,
      payload: { schema: { type: 'object', properties: { a: { type: 'strin' } } } },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.message).toMatch(/Broken/);
    const versions = await t.app.inject({ method: 'GET', url: '/api/events/plan/versions', headers: t.operator });
    expect(versions.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const v1 = await t.app.inject({ method: 'GET', url: '/api/events/plan/versions/1', headers: t.operator });
    expect(Object.keys(v1.json().events)).toContain('Ticket Created');
    expect(Object.keys(v1.json().events)).not.toContain('Board Created');
  });
});

describe('the collector under overload', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    // A queue of 100 events that is written only every 10 s: it fills at once.
    t = await createTestApp({
      env: {
        ANSWERLOOP_EVENTS_QUEUE_MAX_EVENTS: '100',
        ANSWERLOOP_EVENTS_FLUSH_MS: '10000',
        ANSWERLOOP_EVENTS_BATCH_SIZE: '20000',
      },
    });
    key = t.ctx.events.siteWriteKey()!;
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 503 with Retry-After once the queue is full, and flushes what it accepted on shutdown', async () => {
    const send = (n: number) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { 'content-type': 'application/json', ...basic(key) },
        payload: JSON.stringify({
          batch: Array.from({ length: n }, () => ({
            type: 'track',
            anonymousId: 'o',
            event: 'Contact Form Viewed',
            properties: { locale: 'en' },
          })),
        }),
      });
    expect((await send(60)).statusCode).toBe(200);
    expect((await send(40)).statusCode).toBe(200);
    const refused = await send(1);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toMatchObject({ success: false, error: { code: 'UNAVAILABLE' } });
    await t.ctx.events.stop();
    const n = await t.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(100);
  });
});
