import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltApp, buildApp } from '../../server/app.js';
import { createTestApp, type TestApp } from '../../server/test-app.js';

// The COPY writer is PostgreSQL's (PGlite keeps the INSERT … SELECT path, covered by the other events tests).
const onPostgres = Boolean(process.env.DATABASE_URL);

const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

function batchOf(ids: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    batch: ids.map((messageId, i) => ({
      type: 'track',
      messageId,
      anonymousId: `copy-reader-${i % 7}`,
      event: 'Contact Form Viewed',
      properties: { locale: 'en' },
      ...extra,
    })),
  });
}

describe.runIf(onPostgres)('events written by COPY on PostgreSQL', () => {
  // Two app processes (two EventsServices, each with its own COPY connections) on one database, durable acks.
  let a: TestApp;
  let b: BuiltApp;
  let key: string;
  const post = (app: BuiltApp, payload: string) =>
    app.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', ...basic(key) },
      payload,
    });

  beforeAll(async () => {
    a = await createTestApp({ env: { ANSWERLOOP_EVENTS_ACK: 'durable' } });
    b = await buildApp({ config: a.config, database: a.database });
    key = a.ctx.events.siteWriteKey()!;
  });
  afterAll(async () => {
    await b?.shutdown();
    await a?.close();
  });

  it('stores a message id once when two processes write it, at once or after the other committed', async () => {
    // At once: the same 300 messages to both processes concurrently; their batches race on the same ids.
    const racing = Array.from({ length: 300 }, () => randomUUID());
    const [fromA, fromB] = await Promise.all([post(a, batchOf(racing)), post(b, batchOf(racing))]);
    expect([fromA.statusCode, fromB.statusCode]).toEqual([200, 200]);
    expect(fromA.json().accepted + fromB.json().accepted).toBe(300);
    expect(fromA.json().duplicates + fromB.json().duplicates).toBe(300);

    // After: B gets a batch whose first half A stored already (B has never seen those ids): its COPY of the ids
    // collides, and the batch is written again without them, not set aside.
    const stored = racing.slice(0, 100);
    const fresh = Array.from({ length: 100 }, () => randomUUID());
    const mixed = await post(b, batchOf([...stored, ...fresh]));
    expect(mixed.json()).toMatchObject({ accepted: 100, duplicates: 100, dropped: 0 });

    const rows = await a.database.db
      .selectFrom('events')
      .select(({ fn }) => [fn.countAll<string>().as('rows'), fn.count<string>('message_id').distinct().as('ids')])
      .where('message_id', 'in', [...racing, ...fresh])
      .executeTakeFirstOrThrow();
    expect({ rows: Number(rows.rows), ids: Number(rows.ids) }).toEqual({ rows: 400, ids: 400 });
    for (const app of [a, b]) expect(app.ctx.events.stats()).toMatchObject({ deadLetteredEvents: 0, failedWrites: 0 });
    // Profiles count each stored event once, whichever process stored it.
    const profiles = await a.database.db
      .selectFrom('event_profiles')
      .select(({ fn }) => fn.sum<string>('event_count').as('events'))
      .where('person_id', 'like', 'copy-reader-%')
      .executeTakeFirstOrThrow();
    expect(Number(profiles.events)).toBe(400);
  });

  it("stores values with COPY's special characters exactly as sent", async () => {
    const messageId = `tab\there\\${randomUUID()}`;
    const odd = 'line\nbreak\r\ttab \\N back\\slash "quoted" é 😀';
    const res = await post(
      a,
      JSON.stringify({
        batch: [
          {
            type: 'identify',
            messageId,
            anonymousId: `anon\t${odd}`,
            userId: `user\\N`,
            traits: { name: odd, [odd]: [odd, '\\'] },
            context: { page: { title: odd } },
          },
        ],
      }),
    );
    expect(res.json()).toMatchObject({ accepted: 1 });
    const row = await a.database.db
      .selectFrom('events')
      .selectAll()
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      anonymous_id: `anon\t${odd}`,
      user_id: 'user\\N',
      properties: { name: odd, [odd]: [odd, '\\'] },
      context: { page: { title: odd } },
    });
    const profile = await a.database.db
      .selectFrom('event_profiles')
      .select('traits')
      .where('person_id', '=', 'user\\N')
      .executeTakeFirstOrThrow();
    expect(profile.traits).toEqual({ name: odd, [odd]: [odd, '\\'] });
  });
});
