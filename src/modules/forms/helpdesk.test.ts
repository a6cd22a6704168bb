import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { createTestUser, signIn } from '../accounts/accounts.test-support.js';
import type { TicketView } from '../feedback/index.js';
import { fileFormTicket } from './file-ticket.js';
import { validateAnswers } from './form-logic.js';
import { buildForm } from './forms.factories.js';
import type { LoadedForm } from './forms.queries.js';
import type { DeliveryView, HelpdeskStatus } from './helpdesk.schema.js';
import { createConnector, type DeliveryDocument } from './helpdesk-connectors.js';
import { HelpdeskStandin } from './testing/helpdesk-standin.js';

const SECRET = 'helpdesk-test-secret-0123456789';

/** Files a billing-form ticket as the submit endpoint does (fileFormTicket, then 'ticket.filed' after commit). */
async function fileTicket(t: TestApp, form: LoadedForm, n: number, extra: Record<string, unknown> = {}) {
  const { answers, problems } = validateAnswers(form.definition, {
    problem: 'charged_twice',
    charge_date: '2026-11-30',
    amount: 10 + n,
    subject: `Charged twice #${n}`,
    description: `Two charges on my card, case ${n}`,
    email: `reader${n}@example.com`,
    ...extra,
  });
  expect(problems).toEqual([]);
  const filed = await fileFormTicket(
    t.ctx.db,
    {
      form: { id: form.id, key: form.key, version: form.version },
      locale: 'en',
      answers,
      context: { query: 'double charge' },
      subject: `Charged twice #${n}`,
      body: `Two charges on my card, case ${n}`,
      requesterEmail: `reader${n}@example.com`,
      prediction: { category: 'billing', confidence: 0.8, modelVersion: null },
      networkKey: 'net:test',
      attachments: [],
    },
    { config: t.config.feedback, requesterKey: t.ctx.keys.requesterEmail, forward: Boolean(t.config.helpdesk.url) },
  );
  t.ctx.bus.emit('ticket.filed', filed);
  return filed;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function deliveries(t: TestApp) {
  return t.ctx.db.selectFrom('helpdesk_deliveries').selectAll().orderBy('id').execute();
}

async function ticketView(t: TestApp, id: number): Promise<TicketView> {
  const response = await t.app.inject({ method: 'GET', url: `/api/tickets/${id}`, headers: t.operator });
  expect(response.statusCode).toBe(200);
  return response.json() as TicketView;
}

/**
 * Watches the schedule the forwarder writes: after a failed attempt n a row waits `next_attempt_at - updated_at`
 * (both set by the same statement). Rows in flight (leased for 17 s here) are left out.
 */
function watchSchedule(t: TestApp) {
  const delays = new Map<string, { attempt: number; delay: number }>();
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const { rows } = await sql<{ id: string; attempts: number; delay: number }>`
        SELECT id::text AS id, attempts, extract(epoch FROM next_attempt_at - updated_at) * 1000 AS delay
          FROM helpdesk_deliveries WHERE status = 'pending' AND attempts > 0`.execute(t.ctx.db);
      for (const r of rows) {
        const delay = Number(r.delay);
        if (delay < 10_000) delays.set(`${r.id}:${r.attempts}`, { attempt: r.attempts, delay });
      }
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  return {
    delays,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

describe('forwarding to a webhook help desk', () => {
  let t: TestApp;
  let desk: HelpdeskStandin;
  let form: LoadedForm;
  beforeAll(async () => {
    desk = await HelpdeskStandin.start({ secret: SECRET, mode: { kind: 'closed' } });
    t = await createTestApp({
      env: {
        ANSWERLOOP_HELPDESK_URL: desk.url,
        ANSWERLOOP_HELPDESK_SECRET: SECRET,
        ANSWERLOOP_HELPDESK_RETRY_MS: '20',
        ANSWERLOOP_HELPDESK_RETRY_MAX_MS: '400',
        ANSWERLOOP_HELPDESK_MAX_ATTEMPTS: '40',
        ANSWERLOOP_HELPDESK_TIMEOUT_MS: '2000',
        ANSWERLOOP_JOBS_POLL_MS: '50',
      },
    });
    form = await buildForm(t.ctx.db);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await desk?.stop();
  });

  it('delivers 100 tickets filed while the desk refused connections, then answered 503, exactly once, signed', async () => {
    const schedule = watchSchedule(t);
    const filed = [];
    for (let n = 0; n < 100; n++) filed.push(await fileTicket(t, form, n));
    const ids = new Set(filed.map((f) => f.deliveryId!));
    expect(ids.size).toBe(100);

    // Down: connection refused. Every delivery is tried and scheduled again, none is lost or given up.
    await until('every delivery tried twice while the desk is down', async () =>
      (await deliveries(t)).every((d) => d.attempts >= 2),
    );
    const down = await ticketView(t, filed[0]!.ticketId);
    expect(down.reference).toBe(filed[0]!.reference);
    expect(down.delivery).toMatchObject({ status: 'pending', lastStatus: null, deliveryId: filed[0]!.deliveryId });
    expect(down.delivery!.lastError).toMatch(/refused/);
    expect(down.delivery!.attempts).toBeGreaterThanOrEqual(2);
    expect(desk.requests).toHaveLength(0);

    // 503 for a while: every delivery is answered 503 at least three times.
    await desk.setMode({ kind: 'status', status: 503 });
    await until('three 503s per delivery', async () => {
      const seen = new Map<string, number>();
      for (const r of desk.requests) seen.set(r.deliveryId!, (seen.get(r.deliveryId!) ?? 0) + 1);
      return seen.size === 100 && [...seen.values()].every((n) => n >= 3);
    });
    const unavailable = await ticketView(t, filed[1]!.ticketId);
    expect(unavailable.delivery).toMatchObject({ status: 'pending', lastStatus: 503 });

    await schedule.stop();

    // Backoff: the wait after failed attempt n is drawn in [0, min(400, 20 · 2^(n-1))] ms (full jitter), so the
    // waits grow with n and are spread, not equal.
    const samples = [...schedule.delays.values()];
    for (const { attempt, delay } of samples)
      expect(delay).toBeLessThanOrEqual(Math.min(400, 20 * 2 ** (attempt - 1)) + 1);
    const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
    const afterFirst = samples.filter((x) => x.attempt === 1).map((x) => x.delay);
    const later = samples.filter((x) => x.attempt >= 5).map((x) => x.delay);
    console.log(
      `backoff: ${afterFirst.length} waits after attempt 1, mean ${mean(afterFirst).toFixed(1)} ms; ${later.length} after attempts 5+, mean ${mean(later).toFixed(1)} ms`,
    );
    expect(afterFirst.length).toBeGreaterThanOrEqual(20);
    expect(later.length).toBeGreaterThanOrEqual(20);
    expect(mean(later)).toBeGreaterThan(4 * mean(afterFirst) + 20);
    expect(new Set(later.map((d) => Math.round(d))).size).toBeGreaterThan(10);

    // Up: everything goes through.
    await desk.setMode({ kind: 'accept' });
    await until('all delivered', async () => (await deliveries(t)).every((d) => d.status === 'delivered'));

    // Exactly once: one created ticket per delivery id, no other; every request signed correctly.
    expect(desk.tickets.size).toBe(100);
    for (const id of ids) expect(desk.createdBy(id)).toHaveLength(1);
    expect(desk.requests.every((r) => r.signatureValid === true)).toBe(true);
    expect(desk.requests.every((r) => r.idempotencyKey === r.deliveryId)).toBe(true);
    // Every attempt of a delivery carried the same bytes.
    const bodies = new Map<string, Set<string>>();
    for (const r of desk.requests) bodies.set(r.deliveryId!, (bodies.get(r.deliveryId!) ?? new Set()).add(r.body));
    expect([...bodies.values()].every((set) => set.size === 1)).toBe(true);

    const rows = await deliveries(t);
    expect(rows.every((d) => d.attempts > 3 && d.connector === 'webhook' && d.delivered_at !== null)).toBe(true);
    expect(rows.every((d) => d.external_id === desk.tickets.get(d.delivery_id)!.externalId)).toBe(true);

    // The webhook body.
    const first = desk.createdBy(filed[0]!.deliveryId!)[0]!;
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers['x-answerloop-timestamp']).toMatch(/^\d{10}$/);
    expect(JSON.parse(first.body)).toEqual({
      type: 'ticket.created',
      deliveryId: filed[0]!.deliveryId,
      ticket: {
        reference: filed[0]!.reference,
        subject: 'Charged twice #0',
        body: 'Two charges on my card, case 0',
        locale: 'en',
        status: 'new',
        createdAt: expect.any(String),
        requester: expect.stringMatching(/^hmac:/),
        sourceArticle: null,
        form: {
          key: 'billing',
          version: 1,
          answers: expect.objectContaining({ problem: 'charged_twice', amount: 10, email: 'reader0@example.com' }),
          context: { query: 'double charge' },
        },
        prediction: { category: 'billing', confidence: 0.8, modelVersion: null },
        attachments: [],
      },
    });

    // The operator's view.
    const view = await ticketView(t, filed[0]!.ticketId);
    expect(view.delivery).toMatchObject({
      status: 'delivered',
      connector: 'webhook',
      lastError: null,
      lastStatus: 201,
    });
    expect(view.form).toMatchObject({ key: 'billing', version: 1, locale: 'en', context: { query: 'double charge' } });
    expect(view.form!.fields.find((f) => f.name === 'problem')).toEqual({
      name: 'problem',
      type: 'radio',
      label: 'What is the problem?',
    });
    const status = await t.app.inject({ method: 'GET', url: '/api/helpdesk', headers: t.operator });
    expect(status.json()).toMatchObject({
      configured: true,
      kind: 'webhook',
      host: `127.0.0.1:${desk.port}`,
      counts: { pending: 0, delivered: 100, failed: 0 },
      oldestPendingAgeSeconds: null,
    } satisfies Partial<HelpdeskStatus>);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/tickets?delivery=delivered&form=billing&limit=200',
      headers: t.operator,
    });
    expect((list.json() as { tickets: TicketView[] }).tickets).toHaveLength(100);
    const none = await t.app.inject({ method: 'GET', url: '/api/tickets?delivery=failed', headers: t.operator });
    expect((none.json() as { tickets: TicketView[] }).tickets).toHaveLength(0);
  }, 180_000);

  it('gives up at once on a 400 from the desk (a retry would be refused again)', async () => {
    await desk.setMode({ kind: 'status', status: 400 });
    const filed = await fileTicket(t, form, 1000);
    const row = await until('the delivery failed', async () => {
      const d = (await deliveries(t)).find((r) => r.delivery_id === filed.deliveryId);
      return d?.status === 'failed' ? d : undefined;
    });
    expect(row).toMatchObject({ attempts: 1, last_status: 400 });
    expect(row.last_error).toMatch(/^HTTP 400/);
    const list = await t.app.inject({ method: 'GET', url: '/api/tickets?delivery=failed', headers: t.operator });
    expect((list.json() as { tickets: TicketView[] }).tickets.map((x) => x.id)).toEqual([filed.ticketId]);
  }, 60_000);
});

describe('forwarding to a Zendesk-compatible help desk', () => {
  let t: TestApp;
  let desk: HelpdeskStandin;
  let form: LoadedForm;
  beforeAll(async () => {
    desk = await HelpdeskStandin.start({ flavor: 'zendesk', mode: { kind: 'status', status: 503 } });
    t = await createTestApp({
      env: {
        ANSWERLOOP_HELPDESK_URL: desk.url,
        ANSWERLOOP_HELPDESK_KIND: 'zendesk',
        ANSWERLOOP_HELPDESK_EMAIL: 'agent@example.com',
        ANSWERLOOP_HELPDESK_TOKEN: 'zendesk-api-token',
        ANSWERLOOP_HELPDESK_ZENDESK_FIELDS: '{"order_id":360001,"amount":360002}',
        ANSWERLOOP_HELPDESK_RETRY_MS: '20',
        ANSWERLOOP_HELPDESK_MAX_ATTEMPTS: '3',
        ANSWERLOOP_JOBS_POLL_MS: '50',
      },
    });
    form = await buildForm(t.ctx.db);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await desk?.stop();
  });

  it('dead-letters after 3 attempts, shows it, and the retry button sends it once (agent yes, viewer no)', async () => {
    const filed = await fileTicket(t, form, 1, { problem: 'refund', order_id: 'A-123' });
    const failed = await until('the dead letter', async () => {
      const view = await ticketView(t, filed.ticketId);
      return view.delivery?.status === 'failed' ? view : undefined;
    });
    expect(failed.delivery).toMatchObject({ status: 'failed', attempts: 3, lastStatus: 503, nextAttemptAt: null });
    expect(failed.delivery!.lastError).toMatch(/^HTTP 503/);
    expect(desk.requests).toHaveLength(3);

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/helpdesk/deliveries?status=failed',
      headers: t.operator,
    });
    expect(list.statusCode).toBe(200);
    const [dead] = (list.json() as { deliveries: DeliveryView[] }).deliveries;
    expect(dead).toMatchObject({ ticketId: filed.ticketId, reference: filed.reference, status: 'failed', attempts: 3 });
    const status = await t.app.inject({ method: 'GET', url: '/api/helpdesk', headers: t.operator });
    expect(status.json()).toMatchObject({ kind: 'zendesk', counts: { failed: 1, pending: 0, delivered: 0 } });

    const viewer = await signIn(t, (await createTestUser(t, { role: 'viewer' })).email);
    const agent = await signIn(t, (await createTestUser(t, { role: 'agent' })).email);
    const url = `/api/helpdesk/deliveries/${dead!.id}/retry`;
    const refused = await t.app.inject({ method: 'POST', url, headers: viewer.write });
    expect(refused.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/helpdesk', headers: viewer.read })).statusCode).toBe(403);
    const agentRead = await t.app.inject({ method: 'GET', url: '/api/helpdesk/deliveries', headers: agent.read });
    expect(agentRead.statusCode).toBe(200);

    await desk.setMode({ kind: 'accept' });
    const retried = await t.app.inject({ method: 'POST', url, headers: agent.write });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0 });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'helpdesk.retry')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ object_id: String(dead!.id), actor_user_id: agent.user.id });

    const delivered = await until('delivered after the retry', async () => {
      const view = await ticketView(t, filed.ticketId);
      return view.delivery?.status === 'delivered' ? view : undefined;
    });
    const created = desk.createdBy(filed.deliveryId!);
    expect(created).toHaveLength(1);
    expect(desk.tickets.size).toBe(1);
    expect(delivered.delivery).toMatchObject({
      connector: 'zendesk',
      attempts: 1,
      externalId: desk.tickets.get(filed.deliveryId!)!.externalId,
    });

    const request = created[0]!;
    expect(request.path).toBe('/api/v2/tickets.json');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('agent@example.com/token:zendesk-api-token').toString('base64')}`,
    );
    expect(request.idempotencyKey).toBe(filed.deliveryId);
    expect(JSON.parse(request.body)).toEqual({
      ticket: {
        subject: 'Charged twice #1',
        comment: { body: 'Two charges on my card, case 1' },
        requester: { email: 'reader1@example.com' },
        tags: ['answerloop', 'form_billing', 'en'],
        // The amount is mapped too, but hidden for a refund: its answer was stripped, so it is not sent.
        custom_fields: [{ id: 360001, value: 'A-123' }],
        external_id: filed.reference,
      },
    });

    // A delivered one is not sent again.
    const again = await t.app.inject({ method: 'POST', url, headers: agent.write });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'CONFLICT' } });
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/helpdesk/deliveries/999999/retry',
      headers: t.operator,
    });
    expect(missing.statusCode).toBe(404);
  }, 120_000);

  it('signs in with the agent email and password (basic auth) when no token is set', async () => {
    const connector = createConnector({
      ...t.config.helpdesk,
      token: undefined,
      password: 'agent-password',
    })!;
    const document: DeliveryDocument = {
      deliveryId: '6f1c1f59-2d8e-4f43-9c0a-6c0a3f2b8f11',
      ticket: {
        reference: 'ABC-DEF-GHJ',
        subject: 'Basic auth',
        body: 'Body',
        locale: 'es',
        status: 'new',
        createdAt: new Date().toISOString(),
        requester: 'hmac:x',
        sourceArticle: null,
      },
      form: null,
      prediction: null,
      attachments: [],
      requesterEmail: null,
    };
    const answer = await connector.send(document);
    expect(answer).toMatchObject({ outcome: 'delivered', status: 201 });
    const request = desk.createdBy(document.deliveryId)[0]!;
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('agent@example.com:agent-password').toString('base64')}`,
    );
    expect(JSON.parse(request.body).ticket).toMatchObject({
      requester: { name: 'Help center reader ABC-DEF-GHJ' },
      tags: ['answerloop', 'es'],
    });
  });
});
