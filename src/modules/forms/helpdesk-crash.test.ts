import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.js';
import { migrate } from '../../db/migrate.js';
import { freshDatabase, startServer } from '../events/testing/server-process.js';
import { fileFormTicket } from './file-ticket.js';
import { validateAnswers } from './form-logic.js';
import { buildForm } from './forms.factories.js';
import { HelpdeskStandin } from './testing/helpdesk-standin.js';

const SECRET = 'helpdesk-crash-secret-0123456789';
const TICKETS = 30;

async function until(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('forwarding survives kill -9', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('loses nothing and duplicates nothing when Answerloop is killed while posts are in flight', async () => {
    const { env, reopen } = await freshDatabase(cleanups);
    // The tickets are filed before the server starts (a PGlite directory has one process at a time).
    const seed = await reopen();
    await migrate(seed);
    const form = await buildForm(seed.db);
    const { answers } = validateAnswers(form.definition, {
      problem: 'other',
      subject: 'Crash test',
      description: 'Filed before the crash',
      email: 'reader@example.com',
    });
    const deliveryIds: string[] = [];
    for (let n = 0; n < TICKETS; n++) {
      const filed = await fileFormTicket(
        seed.db,
        {
          form: { id: form.id, key: form.key, version: form.version },
          locale: 'en',
          answers,
          context: {},
          subject: `Crash test ${n}`,
          body: 'Filed before the crash',
          prediction: null,
          networkKey: 'net:test',
          attachments: [],
        },
        { config: loadConfig({ NODE_ENV: 'test' }).feedback, requesterKey: randomBytes(32), forward: true },
      );
      deliveryIds.push(filed.deliveryId!);
    }
    await seed.close();

    const desk = await HelpdeskStandin.start({ secret: SECRET, mode: { kind: 'hold' } });
    cleanups.push(() => desk.stop());
    const serverEnv = {
      ...env,
      ANSWERLOOP_HELPDESK_URL: desk.url,
      ANSWERLOOP_HELPDESK_SECRET: SECRET,
      ANSWERLOOP_HELPDESK_RETRY_MS: '50',
      // The lease is this plus 15 s: the rows in flight at the kill are sent again about 20 s later.
      ANSWERLOOP_HELPDESK_TIMEOUT_MS: '5000',
      ANSWERLOOP_JOBS_POLL_MS: '50',
    };
    const first = await startServer(serverEnv);
    // The first batch is posted and held open by the desk.
    await until('posts in flight', () => desk.requests.length >= 10, 20_000);
    const inFlight = new Set(desk.requests.map((r) => r.deliveryId!));
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;
    // The desk finishes what it was sent (it creates those tickets), but Answerloop never hears the answers.
    desk.release();
    await desk.setMode({ kind: 'accept' });
    expect(desk.tickets.size).toBe(inFlight.size);

    const second = await startServer(serverEnv);
    const stopped = new Promise((r) => second.child.once('exit', r));
    cleanups.push(async () => {
      if (second.child.exitCode === null) second.child.kill('SIGKILL');
    });
    // Everything arrives: the rows never claimed at once, the rows in flight at the kill after their lease.
    await until(
      'every ticket at the desk, the in-flight ones sent again',
      () =>
        desk.tickets.size === TICKETS &&
        [...inFlight].every((id) => desk.requests.filter((r) => r.deliveryId === id).length >= 2),
      50_000,
    );
    second.child.kill('SIGTERM');
    await stopped;

    // Exactly one ticket per Answerloop ticket; the resends carried the same delivery id and were recognised.
    for (const id of deliveryIds) expect(desk.createdBy(id)).toHaveLength(1);
    expect(desk.requests.every((r) => r.signatureValid === true)).toBe(true);
    const resent = desk.requests.filter((r) => r.duplicate);
    expect(new Set(resent.map((r) => r.deliveryId))).toEqual(inFlight);

    const database = await reopen();
    try {
      const rows = await database.db.selectFrom('helpdesk_deliveries').selectAll().execute();
      expect(rows).toHaveLength(TICKETS);
      expect(rows.every((r) => r.status === 'delivered')).toBe(true);
      // Sent twice: the rows posted before the kill (claimed but not yet posted ones may have been leased too).
      for (const row of rows) expect(row.attempts).toBe(inFlight.has(row.delivery_id) ? 2 : row.attempts === 2 ? 2 : 1);
    } finally {
      await database.close();
    }
  }, 90_000);
});
