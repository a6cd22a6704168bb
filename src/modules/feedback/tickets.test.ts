import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { buildLabeledData } from '../classify/classify.factories.js';
import { activateModel, createModelVersion, inProcessTrainer, trainModelVersion } from '../classify/index.js';
import { buildArticle } from '../content/content.factories.js';
import { requesterValue } from './create-ticket.js';
import { importTickets, readTicketFile, TicketFileError } from './import-tickets.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-tickets-'));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

/** The problems a bad file is reported with. */
async function problemsOf(promise: Promise<unknown>): Promise<{ line: number; message: string }[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TicketFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('tickets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      prepare: async ({ db }) => {
        await buildArticle(db, { slug: 'cancel-plus', title: 'Cancel Plus' });
        await buildLabeledData(db);
        const { version } = await createModelVersion(db, { seed: 1 }, { enqueue: false });
        await trainModelVersion(db, version, { trainer: inProcessTrainer });
        await activateModel(db, version);
      },
    });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const create = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/tickets', headers: t.operator, payload });

  it('creates a ticket through the operator API, hashing the requester email, idempotent on externalId', async () => {
    const payload = {
      externalId: 'zd-1001',
      subject: 'Refund please',
      body: 'I want my money back for the yearly plan',
      channel: 'Email',
      locale: 'pt-BR',
      requesterEmail: 'Ana@Example.com',
      sourceArticle: 'cancel-plus',
    };
    const first = await create(payload);
    expect(first.statusCode).toBe(201);
    const ticket = first.json();
    expect(ticket).toMatchObject({
      externalId: 'zd-1001',
      channel: 'email',
      locale: 'pt',
      status: 'new',
      source: 'api',
    });
    expect(ticket.sourceArticle).toBe('cancel-plus');
    expect(ticket.requester).toMatch(/^hmac:[0-9a-f]{64}$/);
    expect(ticket.requester).toBe(requesterValue('ana@example.com', t.config.feedback, t.ctx.keys.requesterEmail));
    expect(JSON.stringify(ticket)).not.toContain('Ana@Example.com');
    const again = await create({ ...payload, subject: 'Changed' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: ticket.id, subject: 'Refund please' });
  });

  it('classifies a new ticket in the background, and keeps categories given with it as human labels', async () => {
    const created = (await create({ subject: 'Charged twice', body: 'My card was charged twice this month' })).json();
    let predicted = null;
    for (let i = 0; i < 100 && !predicted; i++) {
      const got = await t.app.inject({ method: 'GET', url: `/api/tickets/${created.id}`, headers: t.operator });
      predicted = got.json().labels.predicted;
      if (!predicted) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(predicted).toMatchObject({ modelVersion: 1, category: 'charges' });
    const labeled = (await create({ subject: 'Close my account', categories: ['delete-account'] })).json();
    expect(labeled.labels.human.map((h: { category: string }) => h.category)).toEqual(['delete-account']);
    expect(labeled.labels.human[0].labeledBy).toBe('api');
    const byCategory = await t.app.inject({ method: 'GET', url: '/api/tickets?category=account', headers: t.operator });
    expect(byCategory.json().tickets.map((x: { id: number }) => x.id)).toContain(labeled.id);
    const unknown = await create({ subject: 'x', categories: ['nope'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('nope');
    const status = await t.app.inject({
      method: 'PATCH',
      url: `/api/tickets/${labeled.id}`,
      headers: t.operator,
      payload: { status: 'solved' },
    });
    expect(status.json().status).toBe('solved');
  });

  it('stores plain emails only when configured to', () => {
    const config = { requesterHashKey: undefined, redactTickets: true };
    const key = Buffer.alloc(32, 1);
    expect(requesterValue('A@b.co', { ...config, requesterEmails: 'plain' }, key)).toBe('a@b.co');
    const keyed = requesterValue(
      'a@b.co',
      { ...config, requesterEmails: 'hash', requesterHashKey: 'k'.repeat(16) },
      key,
    );
    expect(keyed).toMatch(/^hmac:/);
    expect(keyed).not.toBe(
      requesterValue('a@b.co', { ...config, requesterEmails: 'hash', requesterHashKey: 'j'.repeat(16) }, key),
    );
    // A configured key wins over the installation's, so installations that share it group requesters alike.
    expect(keyed).toBe(
      requesterValue(
        'a@b.co',
        { ...config, requesterEmails: 'hash', requesterHashKey: 'k'.repeat(16) },
        Buffer.alloc(32, 2),
      ),
    );
  });

  it('hashes requester emails with a key of its own: another installation, or a guess, gets a different value', async () => {
    const other = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false' } });
    try {
      const payload = { subject: 'Where is my invoice?', requesterEmail: 'same.person@example.com' };
      const here = (await create(payload)).json().requester as string;
      const there = (
        await other.app.inject({ method: 'POST', url: '/api/tickets', headers: other.operator, payload })
      ).json().requester as string;
      expect(here).toMatch(/^hmac:[0-9a-f]{64}$/);
      expect(there).toMatch(/^hmac:[0-9a-f]{64}$/);
      expect(here).not.toBe(there);
      // The old unkeyed hash anyone could compute from a guessed address is gone.
      const guessable = createHash('sha256').update('answerloop:requester:same.person@example.com').digest('hex');
      expect(here).not.toContain(guessable);
      // The CLI import path (importTickets on the database) hashes with the same installation key as the API.
      const csv = file('same-person.csv', 'id,subject,requester_email\nsp-1,Invoice again,Same.Person@example.com\n');
      await importTickets(t.database.db, csv, await readTicketFile(csv), { config: t.config.feedback });
      const imported = await t.database.db
        .selectFrom('tickets')
        .select('requester')
        .where('external_id', '=', 'sp-1')
        .executeTakeFirstOrThrow();
      expect(imported.requester).toBe(here);
    } finally {
      await other.close();
    }
  });

  it('stores emails and phone numbers in ticket subjects and bodies redacted, through the API and imports', async () => {
    const created = await create({
      externalId: 'pii-1',
      subject: 'Call me on +1 415 555 0100',
      body: 'Hello,\nmy login is ana.silva@example.com and it fails.\n\nThanks',
    });
    expect(created.statusCode).toBe(201);
    const row = await t.database.db
      .selectFrom('tickets')
      .select(['id', 'subject', 'body'])
      .where('external_id', '=', 'pii-1')
      .executeTakeFirstOrThrow();
    expect(row.subject).toBe('Call me on [number]');
    expect(row.body).toBe('Hello,\nmy login is [email] and it fails.\n\nThanks');
    const item = await t.database.db
      .selectFrom('feedback_items')
      .select('text')
      .where('kind', '=', 'ticket')
      .where('source_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(item.text).not.toContain('ana.silva@example.com');
    expect(item.text).not.toContain('555 0100');

    const csv = file('pii.csv', 'id,subject,body\npii-2,Refund,"Send it to bob@example.org please"\n');
    await importTickets(t.database.db, csv, await readTicketFile(csv), { config: t.config.feedback });
    const imported = await t.database.db
      .selectFrom('tickets')
      .select('body')
      .where('external_id', '=', 'pii-2')
      .executeTakeFirstOrThrow();
    expect(imported.body).toBe('Send it to [email] please');
  });

  it('keeps ticket text as written when the operator opts out (ANSWERLOOP_TICKET_REDACT=false)', async () => {
    const plain = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false', ANSWERLOOP_TICKET_REDACT: 'false' } });
    try {
      const res = await plain.app.inject({
        method: 'POST',
        url: '/api/tickets',
        headers: plain.operator,
        payload: { subject: 'Login', body: 'my login is ana.silva@example.com' },
      });
      expect(res.json().body).toBe('my login is ana.silva@example.com');
    } finally {
      await plain.close();
    }
  });

  it('imports CSV, TSV and JSONL with a column mapping, idempotently', async () => {
    const csv = file(
      'export.csv',
      'Ticket ID,Title,Description,Via,Language,Requester,Status,Created,Tags\n' +
        '"501","Refund","I want my money back, please",email,es,a@x.io,hold,2025-01-02 10:00:00,vip\n' +
        '502,Login,"Can\'t log in\nsince the update",web,en,,Resolved,2025-01-03T08:00:00Z,\n',
    );
    const rows = await readTicketFile(csv, { map: { externalId: 'Ticket ID', channel: 'Via' } });
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
    expect(rows[0]!.ticket).toMatchObject({
      externalId: '501',
      subject: 'Refund',
      body: 'I want my money back, please',
      channel: 'email',
      locale: 'es',
      status: 'pending',
    });
    expect(rows[1]!.ticket).toMatchObject({ status: 'solved', body: "Can't log in\nsince the update" });
    const first = await importTickets(t.database.db, csv, rows, { config: t.config.feedback });
    expect(first).toMatchObject({ created: 2, existing: 0 });
    const second = await importTickets(t.database.db, csv, rows, { config: t.config.feedback });
    expect(second).toMatchObject({ created: 0, existing: 2 });

    const tsv = file(
      'export.tsv',
      'id\tsubject\tbody\tcategories\n601\tCharge "twice"\tDouble charge\tcharges|refunds\n',
    );
    const tsvRows = await readTicketFile(tsv);
    expect(tsvRows[0]!.ticket).toMatchObject({ subject: 'Charge "twice"', categories: ['charges', 'refunds'] });
    const jsonl = file(
      'export.jsonl',
      '{"external_id": 701, "subject": "Ad rejected", "body": "Why?", "article": "no-such-article"}\n\n' +
        '{"external_id": "702", "title": "Hi", "categories": ["login"]}\n',
    );
    const jsonRows = await readTicketFile(jsonl);
    expect(jsonRows.map((r) => r.line)).toEqual([1, 3]);
    const imported = await importTickets(t.database.db, jsonl, jsonRows, { config: t.config.feedback });
    expect(imported).toMatchObject({ created: 2, unknownArticles: [1] });
  });

  it('rejects bad files with every problem and its line number, writing nothing', async () => {
    const csv = file(
      'bad.csv',
      'id,subject,body,status,created_at,locale\n' +
        '1,Fine,ok,open,2025-01-01,en\n' +
        '2,,no subject and no body line 3 has body,open,,en\n' +
        '3,Bad status,x,escalated,,en\n' +
        '4,Bad date,x,open,yesterday-ish,en\n' +
        '5,Bad locale,x,open,,english please\n',
    );
    const problems = await problemsOf(readTicketFile(csv));
    const lines = problems.map((p) => p.line);
    expect(lines).toEqual([4, 5, 6]);
    expect(problems[0]!.message).toContain('status');
    expect(problems[1]!.message).toContain('not a date');
    expect(problems[2]!.message).toContain('locale');
    const error = await readTicketFile(csv).catch((e: Error) => e);
    expect((error as Error).message).toContain(`${csv} line 5: createdAt`);

    const quote = file('quote.csv', 'subject,body\nok,fine\n"broken,body\n');
    expect((await problemsOf(readTicketFile(quote)))[0]!.line).toBe(3);
    const columns = file('columns.csv', 'foo,bar\n1,2\n');
    expect((await problemsOf(readTicketFile(columns)))[0]!.message).toContain('no subject or body column');
    const mapped = await problemsOf(readTicketFile(columns, { map: { subject: 'Title' } }));
    expect(mapped[0]!.message).toContain('no column "Title"');
    const json = file('bad.jsonl', '{"subject": "ok"}\n[1,2]\n{oops\n');
    expect((await problemsOf(readTicketFile(json))).map((p) => p.line)).toEqual([2, 3]);
    expect((await problemsOf(readTicketFile(path.join(dir, 'missing.csv'))))[0]!.message).toBe('file not found');
    expect((await problemsOf(readTicketFile(file('x.xlsx', 'a'))))[0]!.message).toContain('cannot tell the format');
    const unknownCategory = file('cat.csv', 'subject,categories\nHello,nope|login\n');
    const rows = await readTicketFile(unknownCategory);
    const before = await t.database.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const categoryProblems = await problemsOf(
      importTickets(t.database.db, unknownCategory, rows, { config: t.config.feedback }),
    );
    expect(categoryProblems).toEqual([
      { line: 2, message: 'categories: no category "nope" in the taxonomy (or archived)' },
    ]);
    const after = await t.database.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
  });
});
