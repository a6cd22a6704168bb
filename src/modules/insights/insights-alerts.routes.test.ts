import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { tokenFor } from '../accounts/accounts.test-support.js';
import { buildArticle } from '../content/content.factories.js';
import { type AlertDetector, runAlertDetectors } from './detect-alerts.js';

type Headers = { authorization: string };

const SECRET = 'the-secret-that-signs-every-body';

const findings: AlertDetector = async () => [
  {
    kind: 'reason_rising',
    slug: 'reset-password',
    locale: 'en',
    dedupeKey: 'reason_rising:reset-password:en:inaccurate',
    title: '“Inaccurate” is rising',
    message: '=HYPERLINK("http://evil.example") rose from 5 % to 30 %',
    severity: 'warning',
    data: { reason: 'inaccurate', qValue: 0.004 },
  },
  {
    kind: 'declining',
    slug: 'billing',
    locale: 'es',
    dedupeKey: 'declining:billing:es',
    title: 'Declining',
    message: 'Helpful rate fell from 81 % to 62 % (q = 0.01).',
    severity: 'critical',
    data: {},
  },
];

describe('the alerts API', () => {
  let t: TestApp;
  let analyst: Headers;
  let editor: Headers;
  let viewer: Headers;
  const settings = (headers: Headers) => t.app.inject({ url: '/api/insights/alert-settings', headers });
  const put = (headers: Headers, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PUT', url: '/api/insights/alert-settings', headers, payload });

  beforeAll(async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_JOBS: 'false' },
      prepare: async ({ db }) => {
        await buildArticle(db, { slug: 'reset-password' });
        await buildArticle(db, { slug: 'billing', locale: 'es' });
      },
    });
    analyst = (await tokenFor(t, 'analyst')).headers;
    editor = (await tokenFor(t, 'editor')).headers;
    viewer = (await tokenFor(t, 'viewer')).headers;
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  it('shows the defaults, lets an analyst change them, and refuses an editor', async () => {
    const defaults = await settings(viewer);
    expect(defaults.statusCode).toBe(200);
    expect(defaults.json()).toEqual({
      fdr: 0.1,
      minVotes: 30,
      minDrop: 0.05,
      reasonRise: 0.15,
      minGapVolume: 10,
      webhookUrl: null,
      webhookSecretSet: false,
      dailyDigest: false,
    });
    const denied = await put(editor, { minVotes: 50 });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('FORBIDDEN');
    expect((await put(viewer, { minVotes: 50 })).statusCode).toBe(403);

    const changed = await put(analyst, {
      minVotes: 50,
      fdr: 0.05,
      webhookUrl: 'https://hooks.example.com/services/T000/B000/XXXXSECRETPATH',
      webhookSecret: SECRET,
      dailyDigest: true,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ minVotes: 50, fdr: 0.05, reasonRise: 0.15, webhookSecretSet: true });
    expect(changed.body).not.toContain(SECRET);
    // A partial change keeps the rest (and the secret).
    expect((await put(analyst, { reasonRise: 0.2 })).json()).toMatchObject({
      minVotes: 50,
      reasonRise: 0.2,
      webhookSecretSet: true,
    });

    // Readers see that a webhook is set, not its secret nor the credential-bearing path.
    const read = await settings(viewer);
    expect(read.json()).toMatchObject({
      webhookUrl: 'https://hooks.example.com/…',
      webhookSecretSet: true,
      minVotes: 50,
    });
    expect(read.body).not.toContain(SECRET);
    expect(read.body).not.toContain('SECRETPATH');
    expect((await settings(analyst)).json().webhookUrl).toBe(
      'https://hooks.example.com/services/T000/B000/XXXXSECRETPATH',
    );
  });

  it('refuses loopback and private webhook addresses, other schemes, credentials and bad values', async () => {
    for (const webhookUrl of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://2130706433/hook',
      'http://intranet/hook',
      'ftp://example.com/hook',
      'javascript:alert(1)',
      'https://user:pass@example.com/hook',
    ]) {
      const response = await put(analyst, { webhookUrl });
      expect(response.statusCode, webhookUrl).toBe(400);
      expect(response.json().error.code, webhookUrl).toBe('WEBHOOK_URL_REFUSED');
    }
    for (const payload of [
      { fdr: 0.9 },
      { minVotes: 0 },
      { webhookSecret: 'short' },
      { webhookUrl: `https://example.com/${'a'.repeat(2001)}` },
      { unknown: true },
    ]) {
      const response = await put(analyst, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
    // The refused values changed nothing.
    expect((await settings(analyst)).json()).toMatchObject({
      fdr: 0.05,
      webhookUrl: expect.stringContaining('hooks.example.com'),
    });
  });

  it('needs a secret with a webhook, and audits each change with the secret redacted', async () => {
    const cleared = await put(analyst, { webhookUrl: null, webhookSecret: null });
    expect(cleared.json()).toMatchObject({ webhookUrl: null, webhookSecretSet: false });
    const refused = await put(analyst, { webhookUrl: 'https://hooks.example.com/x' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'webhookSecret' }] });
    const audit = await t.app.inject({
      url: '/api/audit?action=insights.alert_settings.update',
      headers: t.operator,
    });
    expect(audit.statusCode).toBe(200);
    expect(audit.body).not.toContain(SECRET);
    const entries = audit.json().entries as {
      actor: { label: string };
      changes: Record<string, { before: unknown; after: unknown }>;
    }[];
    const withSecret = entries.at(-1); // newest first: the change that set the webhook is the oldest
    expect(withSecret?.changes.webhookSecret).toEqual({ before: null, after: '(redacted)' });
    expect(withSecret?.changes.minVotes).toEqual({ before: 30, after: 50 });
    expect(withSecret?.actor.label).toMatch(/^analyst-/);
    expect(entries).toHaveLength(3);
    expect(entries[0]?.changes.webhookSecret).toEqual({ before: '(redacted)', after: null });
  });

  it('lists alerts with filters and as CSV, and lets an analyst acknowledge one (audited)', async () => {
    await runAlertDetectors(t.database.db, [findings], new Date('2026-05-01T10:00:00Z'));
    const list = await t.app.inject({ url: '/api/insights/alerts', headers: viewer });
    expect(list.statusCode).toBe(200);
    const alerts = list.json().alerts as { id: number; slug: string; kind: string; locale: string }[];
    expect(alerts.map((a) => [a.kind, a.slug, a.locale])).toEqual([
      ['declining', 'billing', 'es'],
      ['reason_rising', 'reset-password', 'en'],
    ]);
    const bySlug = await t.app.inject({
      url: '/api/insights/alerts?slug=reset-password&kind=reason_rising',
      headers: viewer,
    });
    expect(bySlug.json().alerts).toHaveLength(1);
    expect((await t.app.inject({ url: '/api/insights/alerts?locale=es', headers: viewer })).json().alerts).toHaveLength(
      1,
    );
    expect((await t.app.inject({ url: '/api/insights/alerts?kind=nonsense', headers: viewer })).statusCode).toBe(400);

    const csv = await t.app.inject({ url: '/api/insights/alerts', headers: { ...viewer, accept: 'text/csv' } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(csv.body, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.kind, r.slug, r.severity])).toEqual([
      ['declining', 'billing', 'critical'],
      ['reason_rising', 'reset-password', 'warning'],
    ]);
    // A message starting like a spreadsheet formula stays text.
    expect(rows[1]?.message).toBe(`'=HYPERLINK("http://evil.example") rose from 5 % to 30 %`);
    expect(JSON.parse(rows[1]?.data ?? '')).toEqual({ reason: 'inaccurate', qValue: 0.004 });

    const target = alerts[1] as { id: number };
    const ack = (headers: Headers, id = target.id) =>
      t.app.inject({ method: 'POST', url: `/api/insights/alerts/${id}/acknowledge`, headers });
    expect((await ack(editor)).statusCode).toBe(403);
    expect((await ack(viewer)).statusCode).toBe(403);
    expect((await ack(analyst, 999999)).statusCode).toBe(404);
    const done = await ack(analyst);
    expect(done.statusCode, done.body).toBe(200);
    const acknowledgedAt = done.json().alert.acknowledgedAt as string;
    expect(acknowledgedAt).not.toBeNull();
    expect((await ack(analyst)).json().alert.acknowledgedAt).toBe(acknowledgedAt);
    const open = await t.app.inject({ url: '/api/insights/alerts?open=true', headers: viewer });
    expect(open.json().alerts.map((a: { slug: string }) => a.slug)).toEqual(['billing']);
    const closed = await t.app.inject({ url: '/api/insights/alerts?open=false', headers: viewer });
    expect(closed.json().alerts.map((a: { slug: string }) => a.slug)).toEqual(['reset-password']);
    const audit = await t.app.inject({ url: '/api/audit?action=insights.alert.acknowledge', headers: t.operator });
    expect(audit.json().entries).toHaveLength(1);
    expect(audit.json().entries[0].object).toEqual({ type: 'insight_alert', id: String(target.id) });
  });

  it('shows the webhook outbox only to those who may change the settings', async () => {
    expect((await t.app.inject({ url: '/api/insights/alert-deliveries', headers: viewer })).statusCode).toBe(403);
    const outbox = await t.app.inject({ url: '/api/insights/alert-deliveries', headers: analyst });
    expect(outbox.statusCode).toBe(200);
    // The webhook was removed before the alerts were raised: nothing was queued.
    expect(outbox.json().deliveries).toEqual([]);
  });
});
