import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../server/test-app.js';
import { orderForImport, readImportItems } from './import-articles.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/answerloop.js', import.meta.url));

const created: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-import-'));
  created.push(dir);
  return dir;
}

function writeMarkdownFolder(): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'es'));
  fs.writeFileSync(
    path.join(dir, 'es', 'dark-mode.md'),
    '---\nslug: dark-mode\ntitle: Activar el modo oscuro\ntopic: display\n---\nEl modo oscuro descansa la vista.\n',
  );
  fs.writeFileSync(
    path.join(dir, 'dark-mode.md'),
    '---\nslug: dark-mode\ntitle: Turn on dark mode\ntopic: display\nlocale: en\n---\nDark mode is easier on the eyes.\n',
  );
  return dir;
}

/** Runs the CLI with its own data directory (never the developer's), returning exit code and output. */
async function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = { ...process.env, DATABASE_URL: '', ANSWERLOOP_ADMIN_TOKEN: '', ...env };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: clean, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('readImportItems', () => {
  it('reads a Markdown folder (locale from front matter or folder) and puts the source language first', () => {
    const items = orderForImport(readImportItems(writeMarkdownFolder()));
    expect(items.map((i) => [i.slug, i.locale, i.topic])).toEqual([
      ['dark-mode', 'en', 'display'],
      ['dark-mode', 'es', 'display'],
    ]);
  });

  it('reads JSONL and names the line of a mistake', () => {
    const dir = tempDir();
    const file = path.join(dir, 'articles.jsonl');
    fs.writeFileSync(file, '{"slug":"a","title":"A","locale":"en","topic":"t","body":"Text"}\n\n');
    expect(readImportItems(file)[0]).toMatchObject({ slug: 'a', body: 'Text', keywords: [] });
    fs.writeFileSync(
      file,
      '{"slug":"a","title":"A","locale":"en","topic":"t","body":"x"}\n{"slug":"B C","title":"B"}\n',
    );
    expect(() => readImportItems(file)).toThrow(/articles\.jsonl:2: slug: must be lowercase/);
    expect(() => readImportItems(path.join(dir, 'missing'))).toThrow(/no such file or folder/);
  });
});

describe('answerloop import articles, search and search evaluate (CLI)', () => {
  let server: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    server = await createTestApp();
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const address = server.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await server.close();
    for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports into the embedded database, updates by slug, then searches and evaluates it', async () => {
    const dataDir = tempDir();
    const folder = writeMarkdownFolder();
    const first = await cli(['import', 'articles', folder], { ANSWERLOOP_DATA_DIR: dataDir });
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('2 new, 0 updated, 0 unchanged; 2 published');
    fs.writeFileSync(
      path.join(folder, 'dark-mode.md'),
      '---\nslug: dark-mode\ntitle: Turn on dark mode\ntopic: display\nlocale: en\n---\nDark mode is easier at night.\n',
    );
    const again = await cli(['import', 'articles', folder, '--draft'], { ANSWERLOOP_DATA_DIR: dataDir });
    expect(again.stdout).toContain('0 new, 1 updated, 1 unchanged');

    const queries = path.join(folder, 'queries.jsonl');
    fs.writeFileSync(
      queries,
      '{"query":"modo oscuro","relevant":["dark-mode"],"locale":"es"}\n{"query":"nothing here","relevant":["dark-mode"]}\n{"query":"drak mode","relevant":["dark-mode"]}\n',
    );
    const evaluated = await cli(['search', 'evaluate', '--queries', queries, '--json'], {
      ANSWERLOOP_DATA_DIR: dataDir,
    });
    const metrics = JSON.parse(evaluated.stdout);
    expect(metrics.overall).toMatchObject({ queries: 3, mrr10: 0.667 });
    expect(metrics.perLocale.es.mrr10).toBe(1);
  });

  it('goes through the running server when it holds the embedded database, or says so clearly', async () => {
    const dataDir = tempDir();
    // The test runner's own pid stands for a server holding the directory.
    fs.writeFileSync(path.join(dataDir, 'answerloop.pid'), String(process.pid));
    const folder = writeMarkdownFolder();
    const refused = await cli(['import', 'articles', folder], { ANSWERLOOP_DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`in use by another Answerloop process (pid ${process.pid})`);
    expect(refused.stderr).toContain('set ANSWERLOOP_ADMIN_TOKEN');

    const through = await cli(['import', 'articles', folder, '--server', baseUrl], {
      ANSWERLOOP_DATA_DIR: dataDir,
      ANSWERLOOP_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    });
    expect(through.stdout).toContain('through the server: 2 new');
    await server.ctx.search.flush();
    const search = await cli(['search', 'dark mode', '--server', baseUrl, '--json'], { ANSWERLOOP_DATA_DIR: dataDir });
    expect(search.stderr).toContain('searching through');
    expect(JSON.parse(search.stdout).hits[0].slug).toBe('dark-mode');
  });
});
