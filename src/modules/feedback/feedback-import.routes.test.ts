import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { LIMITS } from '../../shared/limits.js';
import { tokenFor } from '../accounts/accounts.test-support.js';
import { CLI_ACTOR } from '../accounts/index.js';
import { importArticleHistory } from '../content/index.js';

const URL = '/api/feedback/votes/import';
const LIVE = ['2025-05-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'];

describe('POST /api/feedback/votes/import', () => {
  let t: TestApp;
  let analyst: { authorization: string };
  let editor: { authorization: string };

  beforeAll(async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_JOBS: 'false' },
      prepare: async ({ db }) => {
        await importArticleHistory(
          db,
          {
            slug: 'export-boards',
            locale: 'en',
            topic: 'boards',
            keywords: [],
            publish: true,
            revisions: LIVE.map((iso, i) => ({
              title: `Export boards ${i + 1}`,
              body: `Step ${i + 1}`,
              createdAt: new Date(iso),
              author: 'old desk',
            })),
          },
          { actor: CLI_ACTOR },
        );
      },
    });
    analyst = (await tokenFor(t, 'analyst')).headers;
    editor = (await tokenFor(t, 'editor')).headers;
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const post = (headers: Record<string, string>, payload: string | object, type?: string) =>
    t.app.inject({
      method: 'POST',
      url: URL,
      headers: { ...headers, ...(type ? { 'content-type': type } : {}) },
      payload,
    });

  it('imports CSV onto the revision live at each date, idempotently, with line-numbered errors', async () => {
    const body =
      'id,article,locale,helpful,reason,comment,createdAt\n' +
      'a-1,export-boards,en,true,,,2025-05-20T10:00:00Z\n' +
      'a-2,export-boards,en,false,missing_information,"Where is the CSV, call 555 123 4567",2025-06-03T10:00:00Z\n' +
      'a-3,export-boards,fr,true,,,2025-06-03T10:00:00Z\n' +
      'a-4,export-boards,en,false,angry,,2025-06-03T10:00:00Z\n';
    const first = await post(analyst, body, 'text/csv; charset=utf-8');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ imported: 2, unchanged: 0, failed: 2 });
    expect(first.json().errors.map((e: { line: number; message: string }) => e.line)).toEqual([4, 5]);
    expect(first.json().errors[0].message).toContain('has no fr translation');
    expect(first.json().errors[1].message).toMatch(/^reason:/);

    const { rows } = await sql<{ external_id: string; revision: number; comment: string | null }>`
      SELECT external_id, revision, comment FROM article_votes ORDER BY external_id`.execute(t.database.db);
    expect(rows.map((r) => [r.external_id, r.revision])).toEqual([
      ['a-1', 1],
      ['a-2', 2],
    ]);
    expect(rows[1]?.comment).not.toContain('555 123 4567');

    const again = await post(analyst, body, 'text/csv');
    expect(again.json()).toMatchObject({ imported: 0, unchanged: 2, failed: 2 });

    // Backdated: both days marked for the rollup, a rollup and a categorisation queued, the comment an item.
    const days = await sql<{ day: string }>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day FROM insight_dirty_days ORDER BY day`.execute(t.database.db);
    expect(days.rows.map((r) => r.day)).toEqual(expect.arrayContaining(['2025-05-20', '2025-06-03']));
    const jobs = await sql<{ queue: string }>`SELECT DISTINCT queue FROM jobs WHERE status = 'queued'`.execute(
      t.database.db,
    );
    expect(jobs.rows.map((r) => r.queue)).toEqual(expect.arrayContaining(['insights.rollup', 'classify.categorise']));
    const items = await sql<{ n: number }>`SELECT count(*)::int AS n FROM feedback_items WHERE kind = 'vote'`.execute(
      t.database.db,
    );
    expect(items.rows[0]?.n).toBe(1);

    const audit = await sql<{ action: string; changes: string }>`
      SELECT action, changes::text AS changes FROM audit_log WHERE action = 'votes.import' ORDER BY id`.execute(
      t.database.db,
    );
    expect(audit.rows).toHaveLength(2);
    expect(JSON.parse(audit.rows[0]!.changes)).toMatchObject({ imported: { after: 2 }, failed: { after: 2 } });
  });

  it('takes JSON lines and JSON, naming a vote by its position, and a revision given wins', async () => {
    const ndjson =
      '{"id":"b-1","article":"export-boards","locale":"en","helpful":false,"reason":"other","createdAt":"2025-06-10T00:00:00Z","revision":1}\n' +
      'not json\n';
    const lines = await post(analyst, ndjson, 'application/x-ndjson');
    expect(lines.json()).toMatchObject({ imported: 1, failed: 1, errors: [{ line: 2 }] });
    const json = await post(analyst, {
      votes: [
        { id: 'c-1', article: 'export-boards', locale: 'en', helpful: 'yes', createdAt: '2025-05-02 08:00:00' },
        { id: 'c-2', article: 'export-boards', locale: 'en', helpful: true, comment: 'nice', createdAt: '2025-05-02' },
        { id: 'c-3', article: 'export-boards', locale: 'en', helpful: false, createdAt: '2999-01-01T00:00:00Z' },
      ],
    });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ imported: 1, failed: 2 });
    expect(json.json().errors).toEqual([
      { line: 2, message: expect.stringContaining('a helpful vote has no reason or comment') },
      { line: 3, message: expect.stringContaining('in the future') },
    ]);
    const { rows } = await sql<{ external_id: string; revision: number }>`
      SELECT external_id, revision FROM article_votes WHERE external_id IN ('b-1', 'c-1') ORDER BY 1`.execute(
      t.database.db,
    );
    expect(rows).toEqual([
      { external_id: 'b-1', revision: 1 },
      { external_id: 'c-1', revision: 1 },
    ]);
  });

  it('refuses callers without feedback.import, and bad or oversized bodies with their codes', async () => {
    const one = {
      votes: [{ id: 'x', article: 'export-boards', locale: 'en', helpful: true, createdAt: '2025-05-02' }],
    };
    expect((await post({}, one)).statusCode).toBe(401);
    const forbidden = await post(editor, one);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');

    const tooBig = await post(analyst, `id\n${'x'.repeat(LIMITS.voteImportBytes)}\n`, 'text/csv');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const tooMany = await post(analyst, { votes: Array.from({ length: LIMITS.voteImportRows + 1 }, () => ({})) });
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().error.message).toContain(`at most ${LIMITS.voteImportRows}`);

    const plain = await post(analyst, 'id,article\n', 'text/plain');
    expect(plain.statusCode).toBe(415);
    expect(plain.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const broken = await post(analyst, '{"votes": [', 'application/json');
    expect(broken.statusCode).toBe(400);
    const empty = await post(analyst, 'id,article,locale,helpful,createdAt\n', 'text/csv');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('VALIDATION_FAILED');
    const notVotes = await post(analyst, { votes: 'all of them' });
    expect(notVotes.statusCode).toBe(400);
    expect(notVotes.json().error.code).toBe('VALIDATION_FAILED');
  });
});
