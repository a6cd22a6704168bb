import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArticle } from '../modules/content/content.factories.js';
import { SITE_KEY_PURPOSE } from '../modules/events/ensure-site-write-key.js';
import { type BuiltApp, buildApp } from './app.js';
import { createTestApp, type TestApp } from './test-app.js';

// Two app instances over one database handle, as two processes on one PostgreSQL server: what an operator changes
// through A must reach B's caches through the change feed (the database table + LISTEN), not through a restart or
// a cache expiring. Each check waits for A's events to be in the table and for B to have read them and followed.

const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

describe('a second app on the same database follows changes made through the first', () => {
  let t: TestApp;
  let b: BuiltApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await buildArticle(db, { slug: 'reset-password', title: 'Reset your password', body: 'Open the login page.' });
      },
    });
    b = await buildApp({ config: t.config, database: t.database });
  });
  afterAll(async () => {
    await b?.shutdown();
    await t?.close();
  });

  /** A's events are in the table, B has read and emitted them, and B's subscribers finished their work. */
  async function bFollowed(): Promise<void> {
    await t.ctx.changes.flush();
    await b.ctx.changes.caughtUp();
    await b.ctx.search.synonymsReloaded();
    await b.ctx.events.changesFollowed();
    await b.ctx.search.flush();
  }

  const searchB = async (q: string) =>
    (await b.app.inject({ method: 'GET', url: `/api/search?locale=en&track=0&q=${encodeURIComponent(q)}` })).json() as {
      hits: { slug: string }[];
    };

  it('a synonym group created, changed and deleted through A changes what B finds', async () => {
    expect((await searchB('credentials')).hits).toHaveLength(0);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/search/synonyms',
      headers: t.operator,
      payload: { locale: 'en', terms: ['password', 'credentials'] },
    });
    expect(created.statusCode, created.body).toBe(200);
    await bFollowed();
    expect((await searchB('credentials')).hits.map((h) => h.slug)).toEqual(['reset-password']);

    const id = created.json().id as number;
    await t.app.inject({ method: 'DELETE', url: `/api/search/synonyms/${id}`, headers: t.operator });
    await bFollowed();
    expect((await searchB('credentials')).hits).toHaveLength(0);
  });

  it('a write key revoked through A is refused by B’s collector, which had it cached', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/events/write-keys',
      headers: t.operator,
      payload: { name: 'backend' },
    });
    const key = created.json().key as string;
    const batch = { batch: [{ type: 'track', event: 'Custom Thing', anonymousId: 'reader-1' }] };
    const accepted = await b.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(key), payload: batch });
    expect(accepted.statusCode).toBe(200);

    const revoked = await t.app.inject({
      method: 'POST',
      url: '/api/events/write-keys/revoke',
      headers: t.operator,
      payload: { key },
    });
    expect(revoked.statusCode).toBe(200);
    await bFollowed();
    const refused = await b.app.inject({ method: 'POST', url: '/v1/batch', headers: basic(key), payload: batch });
    expect(refused.statusCode).toBe(401);
  });

  it('the site key revoked through A is renewed once, and both apps print the new one', async () => {
    const before = t.ctx.events.siteWriteKey();
    expect(b.ctx.events.siteWriteKey()).toBe(before);
    const row = await t.ctx.db
      .selectFrom('event_write_keys')
      .select('id')
      .where('builtin', '=', SITE_KEY_PURPOSE)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    const revoked = await t.app.inject({
      method: 'POST',
      url: '/api/events/write-keys/revoke',
      headers: t.operator,
      payload: { id: row.id },
    });
    expect(revoked.statusCode).toBe(200);
    await bFollowed();
    const renewed = t.ctx.events.siteWriteKey();
    expect(renewed).not.toBe(before);
    expect(b.ctx.events.siteWriteKey()).toBe(renewed);
    const active = await t.ctx.db
      .selectFrom('event_write_keys')
      .select('public_key')
      .where('builtin', '=', SITE_KEY_PURPOSE)
      .where('revoked_at', 'is', null)
      .execute();
    expect(active.map((k) => k.public_key)).toEqual([renewed]);
  });

  it('a tracking-plan change saved through A is the plan B validates against', async () => {
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/events/plan/events/Cluster%20Checked',
      headers: t.operator,
      payload: {
        onViolation: 'drop_and_flag',
        schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const version = saved.json().version as number;
    await bFollowed();
    expect(b.ctx.events.plans.current().version).toBe(version);
    // B's collector applies it: the event without "ok" is dropped.
    const sent = await b.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: basic(b.ctx.events.siteWriteKey() ?? ''),
      payload: { batch: [{ type: 'track', event: 'Cluster Checked', anonymousId: 'reader-2', properties: {} }] },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ accepted: 0, dropped: 1 });
  });

  it('a bulk write announced through A (the demo seed from the command line) makes B read everything again', async () => {
    expect((await searchB('passphrase')).hits).toHaveLength(0);
    // Written without an event of its own, as the seed writes: B does not know yet.
    const [group] = await t.ctx.db
      .insertInto('search_synonyms')
      .values({ locale: 'en', terms: ['passphrase', 'password'] })
      .returning('id')
      .execute();
    await b.ctx.search.flush();
    expect((await searchB('passphrase')).hits).toHaveLength(0);

    t.ctx.bus.emit('data.bulk-written', { by: 'seed' });
    await bFollowed();
    expect((await searchB('passphrase')).hits.map((h) => h.slug)).toEqual(['reset-password']);

    await t.ctx.db.deleteFrom('search_synonyms').where('id', '=', group!.id).execute();
    t.ctx.bus.emit('data.bulk-written', { by: 'seed' });
    await bFollowed();
    expect((await searchB('passphrase')).hits).toHaveLength(0);
  });

  it('after a resync B reads again what it missed (changes written without any event)', async () => {
    expect((await b.app.inject({ method: 'GET', url: '/en/articles/reset-password' })).statusCode).toBe(200);
    // As if B had been cut off while these were committed: no bus event reaches it.
    await t.ctx.db
      .updateTable('event_write_keys')
      .set({ revoked_at: new Date() })
      .where('builtin', '=', SITE_KEY_PURPOSE)
      .where('revoked_at', 'is', null)
      .execute();
    await t.ctx.db
      .updateTable('article_translations')
      .set({ status: 'draft', published_revision_id: null, published_at: null })
      .execute();
    const siteKey = b.ctx.events.siteWriteKey();
    expect((await searchB('password')).hits).toHaveLength(1);

    b.ctx.bus.emitLocal('cluster.resync', { reason: 'reconnected' });
    await b.ctx.events.changesFollowed();
    await b.ctx.search.flush();
    expect((await searchB('password')).hits).toHaveLength(0);
    expect(b.ctx.events.siteWriteKey()).not.toBe(siteKey);
    const page = await b.app.inject({ method: 'GET', url: '/en/articles/reset-password' });
    expect(page.statusCode).toBe(404);
  });
});
