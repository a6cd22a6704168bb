import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate.js';
import { freshDatabase, startServer } from '../modules/events/testing/server-process.js';
import { buildForm } from '../modules/forms/forms.factories.js';
import { LIMITS } from '../shared/limits.js';

// Two real app processes on one PostgreSQL database (and the CLI as a third writer): whatever is changed through
// one must be visible through the other within a second, as behind a load balancer. Each check polls B every
// 50 ms for up to 1 s after A (or the CLI) answered.

const TOKEN = 'two-processes-operator-token-0123';
const BIN = fileURLToPath(new URL('../../bin/answerloop.js', import.meta.url));
const VISIBLE_WITHIN_MS = 1_000;

type Server = { child: ChildProcess; base: string; siteKey: string };

/** Polls `check` (which throws while the answer is not there yet) every 50 ms for up to 1 s. */
async function withinASecond(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + VISIBLE_WITHIN_MS;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function call(server: Server, method: string, url: string, body?: unknown) {
  const res = await fetch(`${server.base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

async function searchSlugs(server: Server, q: string): Promise<string[]> {
  const res = await call(server, 'GET', `/api/search?locale=en&track=0&q=${encodeURIComponent(q)}`);
  return (res.json().hits as { slug: string }[]).map((h) => h.slug);
}

const collect = (server: Server, key: string) =>
  fetch(`${server.base}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch: [{ type: 'track', event: 'Custom Thing', anonymousId: 'reader-1' }] }),
  }).then((res) => res.status);

function runCli(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, NODE_ENV: 'test' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe.runIf(process.env.DATABASE_URL)('two app processes on one PostgreSQL database', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let env: Record<string, string>;
  let a: Server;
  let b: Server;

  beforeAll(async () => {
    const fresh = await freshDatabase(cleanups);
    env = fresh.env;
    const database = await fresh.reopen();
    try {
      await migrate(database);
      await buildForm(database.db);
    } finally {
      await database.close();
    }
    const serverEnv = {
      ...env,
      ANSWERLOOP_ADMIN_TOKEN: TOKEN,
      ANSWERLOOP_EVENTS_ACK: 'queued',
      ANSWERLOOP_JOBS: 'true',
      ANSWERLOOP_FORMS_CHALLENGE: 'off',
      ANSWERLOOP_FORMS_RATE_LIMIT: '3/10m',
    };
    const [first, second] = await Promise.all([startServer(serverEnv), startServer(serverEnv)]);
    a = { child: first.child, base: `http://127.0.0.1:${first.port}`, siteKey: first.key };
    b = { child: second.child, base: `http://127.0.0.1:${second.port}`, siteKey: second.key };
    cleanups.unshift(async () => {
      for (const server of [a, b]) {
        if (server.child.exitCode !== null) continue;
        const exited = new Promise((resolve) => server.child.once('exit', resolve));
        server.child.kill('SIGTERM');
        await exited;
      }
    });
  }, 60_000);

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('an article published, found by a synonym and unpublished through A: B’s page and search follow', async () => {
    expect((await call(a, 'PUT', '/api/topics/cluster', { names: { en: 'Cluster' } })).status).toBe(200);
    const saved = await call(a, 'POST', '/api/articles', {
      slug: 'zebra-crossing',
      title: 'Zebra crossing guide',
      locale: 'en',
      topic: 'cluster',
      body: 'How to cross the street safely.',
      publish: true,
    });
    expect(saved.status, saved.text).toBe(200);
    await withinASecond(async () => {
      expect((await call(b, 'GET', '/en/articles/zebra-crossing')).status).toBe(200);
      expect(await searchSlugs(b, 'zebra')).toEqual(['zebra-crossing']);
    });

    expect(await searchSlugs(b, 'okapi')).toEqual([]);
    const synonym = await call(a, 'POST', '/api/search/synonyms', { locale: 'en', terms: ['zebra', 'okapi'] });
    expect(synonym.status, synonym.text).toBe(200);
    await withinASecond(async () => {
      expect(await searchSlugs(b, 'okapi')).toEqual(['zebra-crossing']);
    });

    const unpublished = await call(a, 'POST', '/api/articles/zebra-crossing/translations/en/unpublish');
    expect(unpublished.status, unpublished.text).toBe(200);
    await withinASecond(async () => {
      expect((await call(b, 'GET', '/en/articles/zebra-crossing')).status).toBe(404);
      expect(await searchSlugs(b, 'zebra')).toEqual([]);
    });
  });

  it('a write key revoked through A is refused by B’s collector', async () => {
    // They started together on an empty database: one created the site key, the other uses the same.
    expect(a.siteKey).toMatch(/^alwk_/);
    expect(b.siteKey).toBe(a.siteKey);
    const created = await call(a, 'POST', '/api/events/write-keys', { name: 'backend' });
    const key = created.json().key as string;
    // B accepts it (and caches the answer).
    expect(await collect(b, key)).toBe(200);
    expect((await call(a, 'POST', '/api/events/write-keys/revoke', { key })).status).toBe(200);
    await withinASecond(async () => {
      expect(await collect(b, key)).toBe(401);
    });
  });

  it('a region changed through A: B’s pages show its new currency and theme', async () => {
    expect((await call(a, 'PUT', '/api/prices/pro', { amounts: { USD: 10, EUR: 9, GBP: 8 } })).status).toBe(200);
    const region = { name: 'Europe', currency: 'EUR', countries: ['FR'], theme: { brand: '#123456' } };
    expect((await call(a, 'PUT', '/api/regions/eu', region)).status).toBe(200);
    const saved = await call(a, 'POST', '/api/articles', {
      slug: 'pricing',
      title: 'Pricing',
      locale: 'en',
      topic: 'cluster',
      body: 'The Pro plan costs {{price:pro}} a month.',
      publish: true,
    });
    expect(saved.status, saved.text).toBe(200);
    const page = async () => (await call(b, 'GET', '/en/articles/pricing?region=eu')).text;
    const theme = async () => (await call(b, 'GET', '/assets/theme/eu.css')).text;
    await withinASecond(async () => {
      expect(await page()).toContain('€9');
      expect(await theme()).toContain('#123456');
    });

    const changed = { ...region, currency: 'GBP', theme: { brand: '#654321' } };
    expect((await call(a, 'PUT', '/api/regions/eu', changed)).status).toBe(200);
    await withinASecond(async () => {
      expect(await page()).toContain('£8');
      expect(await theme()).toContain('#654321');
    });
  });

  it('articles imported by the CLI are on B’s pages and in its search', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-two-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'articles.jsonl');
    const line = { slug: 'quokka-care', title: 'Quokka care', locale: 'en', topic: 'cluster', body: 'Feed them.' };
    fs.writeFileSync(file, `${JSON.stringify(line)}\n`);
    const imported = await runCli(env, 'import', 'articles', file);
    expect(imported.code, imported.output).toBe(0);
    await withinASecond(async () => {
      expect((await call(b, 'GET', '/en/articles/quokka-care')).status).toBe(200);
      expect(await searchSlugs(b, 'quokka')).toEqual(['quokka-care']);
    });
  });

  it('the contact-form budget holds across both: the 4th submission from one network is refused wherever it lands', async () => {
    const answers = {
      problem: 'other',
      subject: 'Question about my invoice',
      description: 'The invoice shows the wrong company name.',
      email: 'ana@example.com',
    };
    const statuses: number[] = [];
    for (const server of [a, b, a, b]) {
      statuses.push((await call(server, 'POST', '/api/forms/billing/submissions', { locale: 'en', answers })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect((await call(a, 'POST', '/api/forms/billing/submissions', { locale: 'en', answers })).status).toBe(429);
  });

  it('the vote budget of one address holds across both (a shared store, not one per process)', async () => {
    // The budget is a fixed one-minute window: start well inside one.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    const vote = (server: Server, i: number) =>
      call(server, 'POST', '/api/feedback/votes', { article: 'pricing', locale: 'en', helpful: i % 2 === 0 });
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.votesPerMinute + 2; i++) statuses.push((await vote(i % 2 === 0 ? a : b, i)).status);
    expect(statuses).toEqual([...Array(LIMITS.votesPerMinute).fill(200), 429, 429]);
  });
});
