import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { IpAnonymizer, truncateIp } from './anonymize-ip.js';
import { deviceClassOf } from './device-class.js';
import { ensureMonthPartitions, partitionName } from './ensure-partitions.js';
import { EventsService, trackingIdentity } from './events-service.js';
import { normalizeMessage } from './normalize-message.js';
import { messageLacksConsent, primaryLanguage } from './privacy.js';
import { writeEventBatch } from './write-event-batch.js';

const CONFIG = {
  ack: 'queued' as const,
  queueMaxEvents: 1000,
  queueMaxBytes: 1024 * 1024,
  queueMaxMs: 1000,
  batchSize: 100,
  flushMs: 10,
  ipMode: 'hash' as const,
  saltRotationHours: 24,
  honorDnt: true,
  corsOrigins: '*' as const,
  retentionMonths: 0,
};

function row(messageId: string, timestamp: string) {
  const n = normalizeMessage(
    { type: 'track', messageId, anonymousId: 'p', event: 'X', timestamp },
    { receivedAt: new Date(), source: 'test', anonymizeIp: () => null },
  );
  if (n.kind !== 'event') throw new Error('not an event');
  return n.row;
}

describe('event storage', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  async function partitionOf(messageId: string): Promise<string> {
    const r = await sql<{
      p: string;
    }>`SELECT tableoid::regclass::text AS p FROM events WHERE message_id = ${messageId}`.execute(handle.db);
    return r.rows[0]!.p;
  }

  it('keeps a month without a partition in the default partition, and moves it into the month when one is created', async () => {
    await writeEventBatch(handle.db, {
      events: [row('old-1', '2019-03-10T10:00:00Z'), row('old-2', '2019-03-31T23:59:59Z')],
      violations: [],
    });
    expect(await partitionOf('old-1')).toBe('events_default');
    const created = await ensureMonthPartitions(handle.db, new Date('2019-02-15Z'), new Date('2019-03-15Z'));
    expect(created).toEqual(['events_p201902', 'events_p201903']);
    expect(await partitionOf('old-1')).toBe('events_p201903');
    expect(await partitionOf('old-2')).toBe('events_p201903');
    // Idempotent, and new rows of that month go straight to it.
    expect(await ensureMonthPartitions(handle.db, new Date('2019-03-01Z'), new Date('2019-03-02Z'))).toEqual([]);
    await writeEventBatch(handle.db, { events: [row('old-3', '2019-03-05T00:00:00Z')], violations: [] });
    expect(await partitionOf('old-3')).toBe(partitionName(new Date('2019-03-01Z')));
    const n = await handle.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('message_id', 'like', 'old-%')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(3);
  });

  it('deduplicates by messageId within a batch and across partitions', async () => {
    const first = await writeEventBatch(handle.db, {
      events: [row('d-1', '2019-03-05Z'), row('d-1', '2019-03-05Z')],
      violations: [],
    });
    expect([...first.inserted]).toEqual(['d-1']);
    // A retry whose corrected timestamp fell in another month is still the same message.
    const retry = await writeEventBatch(handle.db, { events: [row('d-1', '2020-01-01Z')], violations: [] });
    expect(retry.inserted.size).toBe(0);
  });

  it('hashes addresses with a salt kept in the database and rotated away, or truncates them', async () => {
    const a = new IpAnonymizer(handle.db, 'hash', 24);
    const b = new IpAnonymizer(handle.db, 'hash', 24);
    await a.prepare();
    await b.prepare();
    expect(a.anonymize('198.51.100.4')).toBe(b.anonymize('198.51.100.4'));
    expect(a.anonymize('198.51.100.4')).not.toBe(a.anonymize('198.51.100.5'));
    expect(a.anonymize('198.51.100.4')).not.toContain('198');
    // The next period has a new salt, and the old one is deleted.
    await a.prepare(Date.now() + 25 * 3_600_000);
    expect(a.anonymize('198.51.100.4')).not.toBe(b.anonymize('198.51.100.4'));
    const salts = await handle.db.selectFrom('event_ip_salts').select('period').execute();
    expect(salts).toHaveLength(1);
    expect(truncateIp('198.51.100.4')).toBe('198.51.100.0');
    expect(truncateIp('::ffff:198.51.100.4')).toBe('198.51.100.0');
    expect(truncateIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::');
    expect(truncateIp('not an ip')).toBeNull();
    expect(new IpAnonymizer(handle.db, 'none', 24).anonymize('198.51.100.4')).toBeNull();
  });

  it('lets other modules emit plan events server-side, checked against the plan, without waiting', async () => {
    const events = new EventsService(handle.db, CONFIG);
    await events.start();
    try {
      const ok = events.emitServerEvent({
        event: 'Ticket Created',
        anonymousId: 'reader-9',
        properties: { ticket_id: 't-1', source: 'contact_form', locale: 'en' },
        messageId: 'ticket-t-1',
      });
      expect(ok).toEqual({ queued: true, messageId: 'ticket-t-1' });
      expect(events.emitServerEvent({ event: 'Ticket Created', properties: {} })).toMatchObject({
        queued: false,
        reason: 'no_identity',
      });
      const bad = events.emitServerEvent({
        event: 'Article Voted',
        anonymousId: 'r',
        properties: { helpful: 'maybe' },
      });
      expect(bad).toMatchObject({ queued: false, reason: 'dropped_by_plan' });
      // Emitting the same ticket twice stores it once.
      events.emitServerEvent({
        event: 'Ticket Created',
        anonymousId: 'reader-9',
        properties: { ticket_id: 't-1', source: 'contact_form' },
        messageId: 'ticket-t-1',
      });
      await events.flush();
      const rows = await handle.db.selectFrom('events').selectAll().where('message_id', '=', 'ticket-t-1').execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        source: 'server',
        event: 'Ticket Created',
        anonymous_id: 'reader-9',
        flagged: false,
      });
      const violations = await handle.db
        .selectFrom('event_violations')
        .selectAll()
        .where('event', '=', 'Article Voted')
        .execute();
      expect(violations).toHaveLength(1);
    } finally {
      await events.stop();
    }
  });
});

describe('privacy and classification helpers', () => {
  it('reads the reader from the snippet cookie, and nobody when they opted out', () => {
    expect(trackingIdentity({ headers: {}, cookies: { ajs_anonymous_id: '%22abc-123-def%22' } })).toEqual({
      anonymousId: 'abc-123-def',
      optedOut: false,
    });
    expect(trackingIdentity({ headers: { dnt: '1' }, cookies: { ajs_anonymous_id: 'abc-123-def' } })).toEqual({
      anonymousId: null,
      optedOut: true,
    });
    expect(
      trackingIdentity({ headers: {}, cookies: { ajs_anonymous_id: 'abc-123-def', al_consent: 'no' } }).anonymousId,
    ).toBeNull();
    expect(trackingIdentity({ headers: {}, cookies: { ajs_anonymous_id: '<script>' } }).anonymousId).toBeNull();
  });

  it('knows consent, languages and device classes', () => {
    expect(messageLacksConsent({ consent: false })).toBe(true);
    expect(messageLacksConsent({ consent: { analytics: false } })).toBe(true);
    expect(messageLacksConsent({ consent: { categoryPreferences: { analytics: true } } })).toBe(false);
    expect(messageLacksConsent(undefined)).toBe(false);
    expect(primaryLanguage('pt-BR')).toBe('pt');
    expect(primaryLanguage('he')).toBe('he');
    expect(primaryLanguage('english please')).toBeNull();
    expect(deviceClassOf(undefined, 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36')).toBe('mobile');
    expect(deviceClassOf(undefined, 'Mozilla/5.0 (Linux; Android 13; SM-X700) Safari/537.36')).toBe('tablet');
    expect(deviceClassOf(undefined, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Safari/605.1.15')).toBe('desktop');
    expect(deviceClassOf(undefined, 'Googlebot/2.1 (+http://www.google.com/bot.html)')).toBe('bot');
    expect(deviceClassOf('ios', undefined)).toBe('mobile');
    expect(deviceClassOf(undefined, undefined)).toBeNull();
  });
});
