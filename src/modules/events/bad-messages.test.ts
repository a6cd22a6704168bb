import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';

const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

/** A normal client's batch of `n` planned events, and their messageIds. */
function normalBatch(n: number): { ids: string[]; body: string } {
  const ids = Array.from({ length: n }, () => randomUUID());
  const batch = ids.map((messageId, i) => ({
    type: 'track',
    messageId,
    anonymousId: `normal-${i}`,
    event: 'Contact Form Viewed',
    properties: { locale: 'en' },
  }));
  return { ids, body: JSON.stringify({ batch }) };
}

async function storedIds(t: TestApp, ids: string[]): Promise<Set<string>> {
  const rows = await t.database.db.selectFrom('events').select('message_id').where('message_id', 'in', ids).execute();
  return new Set(rows.map((r) => r.message_id));
}

describe('messages the database cannot store as sent', () => {
  let t: TestApp;
  let key: string;
  const post = (payload: string, url = '/v1/batch') =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...basic(key) }, payload });

  beforeAll(async () => {
    t = await createTestApp();
    key = t.ctx.events.siteWriteKey()!;
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses each audit payload with a 4xx or stores it normalised, and loses none of a normal client sent meanwhile', async () => {
    const id = () => randomUUID();
    // Written by hand: JSON.stringify cannot produce lone surrogate escapes or numbers like 8.64e15 with -8.64e15.
    const bad = {
      overflowAfterSkew: id(),
      year275760: id(),
      yearZero: id(),
      negativeYear: id(),
      nulTraits: id(),
      surrogateTraits: id(),
      nulArticle: id(),
      hugeNumber: id(),
    };
    const payloads: [string, string][] = [
      [
        bad.overflowAfterSkew,
        `{"sentAt":-8.64e15,"batch":[{"type":"track","messageId":"${bad.overflowAfterSkew}","anonymousId":"a","event":"Contact Form Viewed","properties":{"locale":"en"},"timestamp":8.64e15}]}`,
      ],
      [
        bad.year275760,
        `{"batch":[{"type":"track","messageId":"${bad.year275760}","anonymousId":"a","event":"Contact Form Viewed","properties":{"locale":"en"},"timestamp":"+275760-09-13T00:00:00.000Z"}]}`,
      ],
      [
        bad.yearZero,
        `{"batch":[{"type":"page","messageId":"${bad.yearZero}","anonymousId":"a","properties":{"path":"/"},"timestamp":"0000-06-01T00:00:00Z","sentAt":"0000-06-01T00:00:01Z"}]}`,
      ],
      [
        bad.negativeYear,
        `{"batch":[{"type":"page","messageId":"${bad.negativeYear}","anonymousId":"a","properties":{"path":"/"},"originalTimestamp":"-000100-01-01T00:00:00Z"}]}`,
      ],
      [
        bad.nulTraits,
        `{"batch":[{"type":"identify","messageId":"${bad.nulTraits}","anonymousId":"trait-nul","traits":{"name\\u0000":"Ada\\u0000 L"}}]}`,
      ],
      [
        bad.surrogateTraits,
        `{"batch":[{"type":"identify","messageId":"${bad.surrogateTraits}","anonymousId":"trait-sur","traits":{"plan":"pro\\ud800","nested":{"k\\udc00":["\\udbff"]}}}]}`,
      ],
      [
        bad.nulArticle,
        `{"batch":[{"type":"track","messageId":"${bad.nulArticle}","anonymousId":"a","event":"Article Viewed","properties":{"article_slug":"reset\\u0000password","article_locale":"en","revision":1,"locale":"en"}}]}`,
      ],
      [
        bad.hugeNumber,
        `{"batch":[{"type":"track","messageId":"${bad.hugeNumber}","anonymousId":"a","event":"Contact Form Viewed","properties":{"locale":"en","n":1e308,"tiny":5e-324,"inf":1e400}}]}`,
      ],
    ];
    const deep = `{"batch":[{"type":"track","anonymousId":"a","event":"X","properties":{"d":${'['.repeat(5_000)}${']'.repeat(5_000)}}}]}`;

    const normal: string[] = [];
    for (const [messageId, payload] of payloads) {
      const res = await post(payload);
      expect(res.statusCode, messageId).toBe(200);
      // A normal client keeps sending in the same period.
      const client = normalBatch(20);
      expect((await post(client.body)).statusCode).toBe(200);
      normal.push(...client.ids);
    }
    const tooDeep = await post(deep);
    expect(tooDeep.statusCode).toBe(400);
    expect(tooDeep.json()).toMatchObject({ success: false, error: { code: 'VALIDATION_FAILED' } });
    expect(tooDeep.json().error.message).toMatch(/64 levels/);

    await t.ctx.events.flush();
    // Every acknowledged message is stored, the bad ones and the normal client's alike...
    const all = [...Object.values(bad), ...normal];
    expect([...(await storedIds(t, all))].sort()).toEqual([...all].sort());
    // ...and no write failed: nothing waited behind a backoff, nothing was set aside or given up.
    expect(t.ctx.events.stats()).toMatchObject({ failedWrites: 0, deadLetteredEvents: 0, givenUpEvents: 0 });

    const rows = await t.database.db.selectFrom('events').selectAll().where('message_id', 'in', all).execute();
    const row = (messageId: string) => rows.find((r) => r.message_id === messageId)!;
    // Impossible times: stored at the time of receipt, flagged, the client's value kept when PostgreSQL can hold it.
    for (const messageId of [bad.overflowAfterSkew, bad.year275760, bad.yearZero, bad.negativeYear]) {
      const r = row(messageId);
      expect(new Date(r.timestamp).getTime(), messageId).toBe(new Date(r.received_at).getTime());
      expect(r.flagged, messageId).toBe(true);
    }
    // 8.64e15 ms and year 275760 are valid in JavaScript, beyond PostgreSQL: the client's value stays in the violation.
    expect(row(bad.overflowAfterSkew).original_timestamp).toBeNull();
    expect(row(bad.year275760).original_timestamp).toBeNull();
    // Strings PostgreSQL refuses, cleaned everywhere they are stored: event properties, profile traits, columns.
    expect(row(bad.nulTraits).properties).toEqual({ name: 'Ada L' });
    expect(row(bad.surrogateTraits).properties).toEqual({ plan: 'pro\uFFFD', nested: { 'k\uFFFD': ['\uFFFD'] } });
    expect(row(bad.nulArticle).article).toBe('resetpassword');
    expect(row(bad.hugeNumber).properties).toMatchObject({ n: 1e308, tiny: 5e-324, inf: null });
    const profiles = await t.database.db
      .selectFrom('event_profiles')
      .select(['person_id', 'traits'])
      .where('person_id', 'in', ['trait-nul', 'trait-sur'])
      .orderBy('person_id')
      .execute();
    expect(profiles.map((p) => p.traits)).toEqual([
      { name: 'Ada L' },
      { plan: 'pro\uFFFD', nested: { 'k\uFFFD': ['\uFFFD'] } },
    ]);

    // The replaced time is reported, in the answer's violations and to the operator.
    const listed = await t.app.inject({ method: 'GET', url: '/api/events/violations?limit=500', headers: t.operator });
    const reported = listed.json().violations.find((v: { messageId: string }) => v.messageId === bad.year275760);
    expect(reported.reasons[0]).toMatchObject({ path: 'timestamp' });
    expect(reported.message.timestamp).toBe('+275760-09-13T00:00:00.000Z');
  });
});

describe('a message the database refuses', () => {
  it('is set aside with its reason while the others of its batch and of other requests are stored', async () => {
    const t = await createTestApp();
    try {
      // A row that passes every check of the collector but that the database refuses: a constraint added for the
      // test, standing in for whatever a future schema, trigger or extension might refuse.
      await sql`ALTER TABLE events ADD CONSTRAINT no_poison CHECK (event IS DISTINCT FROM 'Poison')`.execute(
        t.database.db,
      );
      const key = t.ctx.events.siteWriteKey()!;
      const post = (body: string) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/batch',
          headers: { 'content-type': 'application/json', ...basic(key) },
          payload: body,
        });
      const poison = randomUUID();
      const before = normalBatch(30);
      const withPoison = JSON.parse(normalBatch(30).body) as { batch: Record<string, unknown>[] };
      withPoison.batch.splice(17, 0, { type: 'track', messageId: poison, anonymousId: 'p', event: 'Poison' });
      const after = normalBatch(30);
      for (const body of [before.body, JSON.stringify(withPoison), after.body]) {
        expect((await post(body)).statusCode).toBe(200);
      }
      await t.ctx.events.flush();

      const good = [...before.ids, ...withPoison.batch.map((m) => m.messageId as string), ...after.ids].filter(
        (m) => m !== poison,
      );
      expect(good).toHaveLength(90);
      expect((await storedIds(t, good)).size).toBe(90);
      expect((await storedIds(t, [poison])).size).toBe(0);
      const letters = await t.database.db.selectFrom('event_dead_letters').selectAll().execute();
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ message_id: poison });
      expect(letters[0]!.reason).toMatch(/no_poison/);
      expect(JSON.parse(letters[0]!.payload).events[0]).toMatchObject({ messageId: poison, event: 'Poison' });
      // The database never looked unavailable: no global backoff, nothing lost.
      expect(t.ctx.events.stats()).toMatchObject({ failedWrites: 0, deadLetteredEvents: 1, givenUpEvents: 0 });
    } finally {
      await t.close();
    }
  });

  it('is answered as dropped in durable mode, the rest of the request as accepted', async () => {
    const t = await createTestApp({ env: { ANSWERLOOP_EVENTS_ACK: 'durable' } });
    try {
      await sql`ALTER TABLE events ADD CONSTRAINT no_poison CHECK (event IS DISTINCT FROM 'Poison')`.execute(
        t.database.db,
      );
      const poison = randomUUID();
      const batch = JSON.parse(normalBatch(5).body) as { batch: Record<string, unknown>[] };
      batch.batch.push({ type: 'track', messageId: poison, anonymousId: 'p', event: 'Poison' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { 'content-type': 'application/json', ...basic(t.ctx.events.siteWriteKey()!) },
        payload: JSON.stringify(batch),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ accepted: 5, dropped: 1 });
      const refused = res.json().violations.find((v: { messageId: string }) => v.messageId === poison);
      expect(refused).toMatchObject({ action: 'dropped' });
      // The database's own words stay in the dead letter, not in the answer to an untrusted client.
      expect(JSON.stringify(refused)).not.toMatch(/no_poison/);
    } finally {
      await t.close();
    }
  });

  it('is retried, not set aside, when the database failed rather than the row (a serialization failure)', async () => {
    const t = await createTestApp();
    try {
      // Fails the first two attempts with SQLSTATE 40001; a sequence keeps counting across the rollbacks.
      await sql`CREATE SEQUENCE flaky_seq`.execute(t.database.db);
      await sql`CREATE FUNCTION flaky() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF nextval('flaky_seq') <= 2 THEN RAISE EXCEPTION 'simulated' USING ERRCODE = '40001'; END IF;
            RETURN NEW;
          END $$`.execute(t.database.db);
      await sql`CREATE TRIGGER flaky BEFORE INSERT ON event_message_ids FOR EACH STATEMENT EXECUTE FUNCTION flaky()`.execute(
        t.database.db,
      );
      const client = normalBatch(10);
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/v1/batch',
            headers: { 'content-type': 'application/json', ...basic(t.ctx.events.siteWriteKey()!) },
            payload: client.body,
          })
        ).statusCode,
      ).toBe(200);
      await t.ctx.events.flush();
      expect((await storedIds(t, client.ids)).size).toBe(10);
      expect(t.ctx.events.stats()).toMatchObject({ failedWrites: 2, deadLetteredEvents: 0, givenUpEvents: 0 });
    } finally {
      await t.close();
    }
  });
});
