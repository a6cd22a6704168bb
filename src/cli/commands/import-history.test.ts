import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/env.js';
import { type DatabaseHandle, openDatabase } from '../../db/client.js';
import { rollUpInsights } from '../../modules/insights/index.js';
import { type BuiltApp, buildApp } from '../../server/app.js';
import { TEST_ADMIN_TOKEN } from '../../server/test-app.js';
import { registerImportArticlesCommand } from './import-articles.js';
import { registerImportTicketsCommand } from './import-tickets.js';
import { registerImportVotesCommand } from './import-votes.js';

// These commands write to the configured database: only on a throwaway embedded one.
const embedded = !loadConfig().databaseUrl;

async function run(args: string[]): Promise<{ out: string; error: Error | null }> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerImportArticlesCommand(program);
  registerImportVotesCommand(program);
  registerImportTicketsCommand(program);
  const lines: string[] = [];
  const capture = (...parts: unknown[]) => {
    lines.push(parts.join(' '));
  };
  const log = vi.spyOn(console, 'log').mockImplementation(capture);
  const err = vi.spyOn(console, 'error').mockImplementation(capture);
  try {
    await program.parseAsync(['node', 'answerloop', ...args]);
    return { out: lines.join('\n'), error: null };
  } catch (error) {
    return { out: lines.join('\n'), error: error as Error };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

/** Two articles, three revisions each: the dates each revision went live. */
const HISTORY = {
  'reset-password': ['2025-01-01T09:00:00.000Z', '2025-02-01T09:00:00.000Z', '2025-03-01T09:00:00.000Z'],
  'billing-cycle': ['2025-01-10T12:00:00.000Z', '2025-02-10T12:00:00.000Z', '2025-03-10T12:00:00.000Z'],
} as const;
type Slug = keyof typeof HISTORY;

function articleLine(slug: Slug): string {
  return JSON.stringify({
    slug,
    locale: 'en',
    topic: 'account',
    keywords: ['help'],
    revisions: HISTORY[slug].map((createdAt, i) => ({
      title: `${slug} v${i + 1}`,
      body: `How to ${slug}, take ${i + 1}.`,
      createdAt,
      author: `writer-${i + 1}@old-desk`,
    })),
  });
}

interface PlantedVote {
  id: string;
  article: Slug;
  helpful: boolean;
  reason: string;
  comment: string;
  createdAt: string;
  revision?: number;
  /** The revision the vote must land on. */
  expected: number;
}

const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** Votes spread over each article's history, with the revision each must land on. */
function plantedVotes(): PlantedVote[] {
  const votes: PlantedVote[] = [];
  let n = 0;
  for (const slug of Object.keys(HISTORY) as Slug[]) {
    const dates = HISTORY[slug];
    // Per revision: helpful and unhappy votes in different shares, so a wrong attribution changes the totals.
    const plan = [
      { helpful: 3, unhappy: 1 },
      { helpful: 1, unhappy: 4 },
      { helpful: 5, unhappy: 1 },
    ];
    plan.forEach((p, r) => {
      for (let k = 0; k < p.helpful + p.unhappy; k += 1) {
        n += 1;
        const helpful = k < p.helpful;
        votes.push({
          id: `zd-${n}`,
          article: slug,
          helpful,
          reason: helpful ? '' : k % 2 === 0 ? 'missing_information' : 'hard_to_understand',
          comment: helpful ? '' : `Still stuck, write me at reader${n}@example.com`,
          // From one minute after the revision went live to a day before the next one.
          createdAt: at(dates[r]!, 1 + k * 60 * 24),
          expected: r + 1,
        });
      }
    });
    // One minute before the second revision went live: still the first.
    n += 1;
    votes.push({
      id: `zd-${n}`,
      article: slug,
      helpful: true,
      reason: '',
      comment: '',
      createdAt: at(dates[1]!, -1),
      expected: 1,
    });
    // A revision named in the file wins over the date.
    n += 1;
    votes.push({
      id: `zd-${n}`,
      article: slug,
      helpful: false,
      reason: 'inaccurate',
      comment: '',
      createdAt: at(dates[2]!, 60),
      revision: 1,
      expected: 1,
    });
  }
  return votes;
}

function votesCsv(votes: PlantedVote[], bad: string[]): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = votes.map((v) =>
    [v.id, v.article, 'en', String(v.helpful), v.reason, v.comment, v.createdAt, v.revision ?? '']
      .map(String)
      .map(quote)
      .join(','),
  );
  // The bad lines go after the third vote: lines 5.. of the file.
  lines.splice(3, 0, ...bad);
  return `id,article,locale,helpful,reason,comment,createdAt,revision\n${lines.join('\n')}\n`;
}

describe.runIf(embedded)('answerloop import articles with history, votes and tickets', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-history-'));
  const dataDir = path.join(dir, 'data');
  const previous = process.env.ANSWERLOOP_DATA_DIR;
  const votes = plantedVotes();
  const articles = path.join(dir, 'articles.jsonl');
  const votesFile = path.join(dir, 'votes.csv');
  const bad = [
    'zd-bad-1,no-such-article,en,false,other,,2025-02-02T10:00:00Z,',
    'zd-bad-2,reset-password,en,maybe,,,2025-02-02T10:00:00Z,',
  ];

  beforeAll(() => {
    process.env.ANSWERLOOP_DATA_DIR = dataDir;
    fs.writeFileSync(articles, `${articleLine('reset-password')}\n${articleLine('billing-cycle')}\n`);
    fs.writeFileSync(votesFile, votesCsv(votes, bad));
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.ANSWERLOOP_DATA_DIR;
    else process.env.ANSWERLOOP_DATA_DIR = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports the history and the votes once, reporting bad lines by number, and again changes nothing', async () => {
    const first = await run(['import', 'articles', articles]);
    expect(first.error).toBeNull();
    expect(first.out).toContain('2 new, 0 updated, 0 unchanged; 2 published; 6 revision(s) with their original dates');

    const imported = await run(['import', 'votes', votesFile]);
    expect(imported.out).toContain(`${votes.length} vote(s) imported, 0 unchanged (same id), 2 failed`);
    expect(imported.error?.message).toContain('line 5: article: no article "no-such-article"');
    expect(imported.error?.message).toContain('line 6: helpful: must be true or false');

    const articlesAgain = await run(['import', 'articles', articles]);
    expect(articlesAgain.error).toBeNull();
    expect(articlesAgain.out).toContain('0 new, 0 updated, 2 unchanged; 0 published');
    const votesAgain = await run(['import', 'votes', votesFile]);
    expect(votesAgain.out).toContain(`0 vote(s) imported, ${votes.length} unchanged (same id), 2 failed`);

    // A ticket filed from an article, with its own date.
    const tickets = path.join(dir, 'tickets.csv');
    fs.writeFileSync(
      tickets,
      'id,subject,body,locale,createdAt,article\nT-1,Reset link,The reset link expired,en,2025-02-15T10:00:00Z,reset-password\n',
    );
    const ticketRun = await run(['import', 'tickets', tickets]);
    expect(ticketRun.error).toBeNull();
    expect(ticketRun.out).toContain('1 new ticket(s)');
  }, 300_000);

  describe('then, on that database', () => {
    let database: DatabaseHandle;
    let app: BuiltApp;
    beforeAll(async () => {
      database = await openDatabase({ dataDir });
      const config = loadConfig({
        NODE_ENV: 'test',
        ANSWERLOOP_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        ANSWERLOOP_JOBS: 'false',
      });
      app = await buildApp({ config, database });
    }, 60_000);
    afterAll(async () => {
      await app?.shutdown();
      await database?.close();
    });

    it('puts every vote on the revision live at its date (or the one named)', async () => {
      const { rows } = await sql<{ external_id: string; revision: number; source: string; reader_id: string }>`
        SELECT external_id, revision, source, reader_id FROM article_votes ORDER BY id`.execute(database.db);
      expect(rows).toHaveLength(votes.length);
      const landed = new Map(rows.map((r) => [r.external_id, r.revision]));
      expect(votes.filter((v) => landed.get(v.id) !== v.expected).map((v) => v.id)).toEqual([]);
      expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['import']));
      expect(rows[0]?.reader_id).toBe(`import:${rows[0]?.external_id}`);
      // Comments are redacted and handed to the classifier.
      const items = await sql<{ text: string }>`
        SELECT i.text FROM feedback_items i JOIN article_votes v ON v.id = i.source_id AND i.kind = 'vote'`.execute(
        database.db,
      );
      expect(items.rows.length).toBe(votes.filter((v) => v.comment !== '').length);
      expect(items.rows.every((r) => !r.text.includes('@example.com'))).toBe(true);
    });

    it('keeps the publication history: each revision live from its date until the next', async () => {
      const { rows } = await sql<{ slug: string; number: number; started_at: Date; ended_at: Date | null }>`
        SELECT a.slug, r.number, p.started_at, p.ended_at
        FROM revision_publications p JOIN article_revisions r ON r.id = p.revision_id
        JOIN article_translations t ON t.id = p.translation_id JOIN articles a ON a.id = t.article_id
        ORDER BY a.slug, r.number`.execute(database.db);
      for (const slug of Object.keys(HISTORY) as Slug[]) {
        const dates = HISTORY[slug];
        expect(
          rows
            .filter((r) => r.slug === slug)
            .map((r) => [r.number, r.started_at.toISOString(), r.ended_at?.toISOString() ?? null]),
        ).toEqual([
          [1, dates[0], dates[1]],
          [2, dates[1], dates[2]],
          [3, dates[2], null],
        ]);
      }
      const dirty = await sql<{
        day: string;
      }>`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM insight_dirty_days`.execute(database.db);
      const days = new Set(dirty.rows.map((r) => r.day));
      for (const day of ['2025-01-01', '2025-02-02', '2025-02-15', '2025-03-10']) expect(days.has(day)).toBe(true);
    });

    it('rolls up to the file’s totals per revision, with the ticket on the revision live that day', async () => {
      await rollUpInsights(database.db, { from: '2024-12-31', to: '2025-04-30' });
      const { rows } = await sql<{
        slug: string;
        number: number;
        votes: number;
        helpful: number;
        missing: number;
        hard: number;
        inaccurate: number;
        tickets: number;
      }>`
        SELECT a.slug, r.number, sum(d.votes)::int AS votes, sum(d.helpful)::int AS helpful,
               sum(d.reason_missing_information)::int AS missing, sum(d.reason_hard_to_understand)::int AS hard,
               sum(d.reason_inaccurate)::int AS inaccurate, sum(d.tickets)::int AS tickets
        FROM insight_article_daily d JOIN articles a ON a.id = d.article_id JOIN article_revisions r ON r.id = d.revision_id
        GROUP BY a.slug, r.number ORDER BY a.slug, r.number`.execute(database.db);
      const expected = (Object.keys(HISTORY) as Slug[]).sort().flatMap((slug) =>
        [1, 2, 3].map((number) => {
          const mine = votes.filter((v) => v.article === slug && v.expected === number);
          return {
            slug,
            number,
            votes: mine.length,
            helpful: mine.filter((v) => v.helpful).length,
            missing: mine.filter((v) => v.reason === 'missing_information').length,
            hard: mine.filter((v) => v.reason === 'hard_to_understand').length,
            inaccurate: mine.filter((v) => v.reason === 'inaccurate').length,
            tickets: slug === 'reset-password' && number === 2 ? 1 : 0,
          };
        }),
      );
      expect(rows).toEqual(expected);
    });

    it('shows the history with its original dates and authors in the back office', async () => {
      const res = await app.app.inject({
        method: 'GET',
        url: '/api/content/articles/reset-password/translations/en/revisions',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      expect(res.statusCode).toBe(200);
      expect(
        res
          .json()
          .revisions.map((r: { number: number; createdAt: string; author: string; published: boolean }) => [
            r.number,
            r.createdAt,
            r.author,
            r.published,
          ]),
      ).toEqual([
        [3, HISTORY['reset-password'][2], 'writer-3@old-desk', true],
        [2, HISTORY['reset-password'][1], 'writer-2@old-desk', false],
        [1, HISTORY['reset-password'][0], 'writer-1@old-desk', false],
      ]);
      const page = await app.app.inject({ method: 'GET', url: '/api/articles/reset-password?locale=en' });
      expect(page.json()).toMatchObject({ title: 'reset-password v3' });
    });
  });
});
