import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildArticle } from '../content/content.factories.js';
import { queueDailyDigest } from './alert-digest.js';
import { plantVotes } from './alerts.test-support.js';
import { deliverDueAlerts } from './deliver-alerts.js';
import { type AlertDetector, runAlertDetectors } from './detect-alerts.js';
import { rollUpInsights } from './roll-up-insights.js';

const SECRET = 'a-webhook-secret-of-32-characters!';
const HOUR = 3_600_000;

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
}

/** A real receiver on 127.0.0.1: answers each request with the next planned status (200 when none is planned). */
class Receiver {
  readonly received: Received[] = [];
  planned: number[] = [];
  /** Never answer (for the timeout). */
  hang = false;
  private server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.received.push({ headers: request.headers, raw: Buffer.concat(chunks).toString('utf8') });
      if (this.hang) return;
      response.statusCode = this.planned.shift() ?? 200;
      response.end('thanks');
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/answerloop`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** What a receiver does: recompute the HMAC over the raw body with the shared secret, compare in constant time. */
function verifies(received: Received, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(received.raw).digest('hex')}`);
  const given = Buffer.from(String(received.headers['x-answerloop-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function finding(slug: string, key: string): AlertDetector {
  return async () => [
    {
      kind: 'declining',
      slug,
      locale: 'en',
      dedupeKey: key,
      title: `“${slug}” is declining`,
      message: 'Helpful rate fell from 81 % to 62 % (q = 0.01).',
      severity: 'critical',
      data: { baselineRate: 0.81, recentRate: 0.62 },
    },
  ];
}

describe('the alerts webhook', () => {
  let t: TestApp;
  const receiver = new Receiver();
  let url = '';
  const put = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PUT', url: '/api/insights/alert-settings', headers: t.operator, payload });
  const deliveries = async () =>
    (await t.app.inject({ url: '/api/insights/alert-deliveries', headers: t.operator })).json().deliveries as {
      id: number;
      kind: string;
      status: string;
      attempts: number;
      lastError: string | null;
      lastStatus: number | null;
    }[];

  beforeAll(async () => {
    url = await receiver.start();
    t = await createTestApp({
      env: { ANSWERLOOP_JOBS: 'false', ANSWERLOOP_ALERT_WEBHOOK_ALLOW_PRIVATE: 'true' },
      prepare: async ({ db }) => {
        for (const slug of ['reset-password', 'billing', 'export-data']) await buildArticle(db, { slug });
      },
    });
    const saved = await put({ webhookUrl: url, webhookSecret: SECRET });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ webhookUrl: url, webhookSecretSet: true });
    expect(saved.json()).not.toHaveProperty('webhookSecret');
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('posts a new alert signed with the secret, and retries a failure with the same delivery id and body', async () => {
    receiver.planned = [500];
    const now = new Date();
    const detected = await runAlertDetectors(
      t.database.db,
      [finding('reset-password', 'declining:reset-password:en')],
      now,
    );
    expect(detected.created).toBe(1);
    // The detection queued the delivery job in its transaction; the app's own job runner sends it.
    expect(await t.ctx.jobs.drain({ queues: ['insights.alert-deliveries'] })).toBe(1);
    expect(receiver.received).toHaveLength(1);
    let [row] = await deliveries();
    expect(row).toMatchObject({ kind: 'alert', status: 'pending', attempts: 1, lastStatus: 500 });

    // Not due yet a second later; due after the backoff (at most 30 s for the first retry).
    expect(await deliverDueAlerts(t.database.db, { allowPrivate: true, now: new Date(Date.now() + 1_000) })).toEqual({
      sent: 0,
      retrying: 0,
      dead: 0,
    });
    expect(await deliverDueAlerts(t.database.db, { allowPrivate: true, now: new Date(Date.now() + 31_000) })).toEqual({
      sent: 1,
      retrying: 0,
      dead: 0,
    });
    const [first, second] = receiver.received as [Received, Received];
    expect(receiver.received).toHaveLength(2);
    for (const attempt of [first, second]) {
      expect(verifies(attempt, SECRET)).toBe(true);
      expect(verifies(attempt, 'another-secret-of-enough-length')).toBe(false);
      expect(attempt.headers['x-answerloop-event']).toBe('insights.alert');
      expect(attempt.headers['content-type']).toMatch(/^application\/json/);
    }
    expect(second.headers['x-answerloop-delivery']).toBe(first.headers['x-answerloop-delivery']);
    expect(second.raw).toBe(first.raw);
    const body = JSON.parse(first.raw) as { event: string; alert: Record<string, unknown> };
    expect(body).toMatchObject({
      event: 'insights.alert',
      alert: { kind: 'declining', slug: 'reset-password', locale: 'en', severity: 'critical', acknowledgedAt: null },
    });
    [row] = await deliveries();
    expect(row).toMatchObject({ id: Number(first.headers['x-answerloop-delivery']), status: 'sent', attempts: 2 });
    expect(await deliveries()).toHaveLength(1);
    // Nothing more to send.
    expect((await deliverDueAlerts(t.database.db, { allowPrivate: true, now: new Date(Date.now() + HOUR) })).sent).toBe(
      0,
    );
    expect(receiver.received).toHaveLength(2);
  });

  it('marks a delivery dead after the last attempt, and sends it again, same id, when retried by hand', async () => {
    receiver.received.length = 0;
    receiver.planned = [503, 503, 503];
    await runAlertDetectors(t.database.db, [finding('billing', 'declining:billing:en')]);
    let at = Date.now();
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(await deliverDueAlerts(t.database.db, { allowPrivate: true, maxAttempts: 3, now: new Date(at) }));
      at += 2 * HOUR;
    }
    expect(results.map((r) => [r.retrying, r.dead])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(receiver.received).toHaveLength(3);
    const dead = (await deliveries()).find((d) => d.status === 'dead');
    expect(dead).toMatchObject({ attempts: 3, lastStatus: 503, lastError: 'the receiver answered 503' });

    const viewer = await t.app.inject({
      method: 'GET',
      url: '/api/insights/alert-deliveries?status=dead',
      headers: t.operator,
    });
    expect(viewer.json().deliveries.map((d: { id: number }) => d.id)).toEqual([dead?.id]);
    const retried = await t.app.inject({
      method: 'POST',
      url: `/api/insights/alert-deliveries/${dead?.id}/retry`,
      headers: t.operator,
    });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().delivery).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await t.ctx.jobs.drain({ queues: ['insights.alert-deliveries'] })).toBe(1);
    expect(receiver.received).toHaveLength(4);
    expect(receiver.received[3]?.headers['x-answerloop-delivery']).toBe(String(dead?.id));
    expect((await deliveries()).find((d) => d.id === dead?.id)).toMatchObject({ status: 'sent', attempts: 1 });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/insights/alert-deliveries/${dead?.id}/retry`,
      headers: t.operator,
    });
    expect(again.statusCode).toBe(409);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/insights/alert-deliveries/999999/retry', headers: t.operator }))
        .statusCode,
    ).toBe(404);
  });

  it('gives up on a receiver that does not answer in time, and refuses a private address at delivery', async () => {
    receiver.received.length = 0;
    receiver.hang = true;
    await runAlertDetectors(t.database.db, [finding('export-data', 'declining:export-data:en')]);
    const slow = await deliverDueAlerts(t.database.db, { allowPrivate: true, timeoutMs: 300 });
    expect(slow.retrying).toBe(1);
    expect(receiver.received).toHaveLength(1);
    receiver.hang = false;
    let [row] = await deliveries();
    expect(row?.lastError).toBe('no answer within 0.3 s');
    // Settings saved while private addresses were allowed; a process without the flag does not post there.
    const refused = await deliverDueAlerts(t.database.db, { allowPrivate: false, now: new Date(Date.now() + HOUR) });
    expect(refused.retrying).toBe(1);
    expect(receiver.received).toHaveLength(1);
    [row] = await deliveries();
    expect(row?.lastError).toBe('127.0.0.1 is not a public address');
    await deliverDueAlerts(t.database.db, { allowPrivate: true, now: new Date(Date.now() + 2 * HOUR) });
    expect(receiver.received).toHaveLength(2);
  });

  it('sends one digest a day with the day’s figures, the new open alerts and the most "no" votes', async () => {
    receiver.received.length = 0;
    // Not later than 22:00 UTC, so that an hour later is still the same day (the test once ran at 23:49).
    const today = new Date().toISOString().slice(0, 10);
    const now = new Date(Math.min(Date.now(), Date.parse(`${today}T22:00:00Z`)));
    const yesterday = new Date(now.getTime() - 24 * HOUR).toISOString().slice(0, 10);
    expect(await queueDailyDigest(t.database.db, now)).toEqual({ day: null }); // off by default
    expect((await put({ dailyDigest: true })).statusCode).toBe(200);
    await plantVotes(t.database.db, { slug: 'billing', from: yesterday, days: 1, helpful: 3, no: { inaccurate: 5 } });
    await plantVotes(t.database.db, { slug: 'export-data', from: yesterday, days: 1, helpful: 4, no: { other: 1 } });
    await rollUpInsights(t.database.db, { from: yesterday, to: yesterday });
    await runAlertDetectors(
      t.database.db,
      [finding('billing', 'declining:billing:yesterday')],
      new Date(`${yesterday}T09:00:00Z`),
    );

    expect(await queueDailyDigest(t.database.db, now)).toEqual({ day: yesterday });
    expect(await queueDailyDigest(t.database.db, new Date(now.getTime() + HOUR))).toEqual({ day: null });
    await t.ctx.jobs.drain({ queues: ['insights.alert-deliveries'] });
    const digests = receiver.received.filter((r) => r.headers['x-answerloop-event'] === 'insights.digest');
    expect(digests).toHaveLength(1);
    const [digest] = digests as [Received];
    expect(verifies(digest, SECRET)).toBe(true);
    const body = JSON.parse(digest.raw);
    expect(body).toMatchObject({
      event: 'insights.digest',
      day: yesterday,
      helpCenter: { votes: 13, helpful: 7, helpfulRate: 7 / 13 },
      openAlerts: { declining: 4, reason_rising: 0 },
      newAlerts: { count: 1, alerts: [{ slug: 'billing', kind: 'declining' }] },
      mostNotHelpful: [
        { slug: 'billing', locale: 'en', votes: 8, helpful: 3, notHelpful: 5 },
        { slug: 'export-data', locale: 'en', votes: 5, helpful: 4, notHelpful: 1 },
      ],
    });
    expect((await deliveries()).filter((d) => d.kind === 'digest')).toMatchObject([{ status: 'sent' }]);
  });
});
