import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { DatabaseHandle } from '../../db/client.js';
import { CLI_ACTOR } from '../../modules/accounts/index.js';
import { readArticleFiles, saveArticle, ZLocale, ZSlug } from '../../modules/content/index.js';
import { LIMITS } from '../../shared/limits.js';
import { DEFAULT_LOCALE } from '../../shared/locales.js';
import { apiError, type OperatorCall, withDatabaseOrServer } from '../database-or-server.js';
import { createProgressBar } from '../progress.js';

/** One article to import, from a Markdown file or a JSONL line. */
export interface ImportItem {
  /** Where it came from, for error messages ("file.md" or "file.jsonl:12"). */
  origin: string;
  slug: string;
  title: string;
  /** A content locale code (configured ones only are accepted when saved). */
  locale: string;
  topic: string;
  body: string;
  keywords: string[];
  position?: number | undefined;
}

const ZJsonlArticle = z.object({
  slug: ZSlug,
  title: z.string().trim().min(1).max(LIMITS.articleTitle),
  locale: ZLocale,
  topic: ZSlug,
  body: z.string().max(LIMITS.articleBody),
  keywords: z.array(z.string().trim().min(1).max(LIMITS.keyword)).max(LIMITS.keywords).default([]),
  position: z.number().int().min(0).optional(),
});

/** Reads a folder of Markdown files with front matter, or a JSONL file; every mistake names its file and line. */
export function readImportItems(path: string): ImportItem[] {
  if (!fs.existsSync(path)) throw new Error(`no such file or folder: ${path}`);
  if (fs.statSync(path).isDirectory()) {
    const files = readArticleFiles(path);
    if (files.length === 0) throw new Error(`${path} has no Markdown (.md) files`);
    return files.map((f) => ({
      origin: f.file,
      slug: f.slug,
      title: f.title,
      locale: f.locale,
      topic: f.topic,
      body: f.body,
      keywords: f.keywords,
      position: f.position,
    }));
  }
  const items: ImportItem[] = [];
  fs.readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim().length === 0) return;
      const origin = `${path}:${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new Error(`${origin}: not valid JSON (${(error as Error).message})`);
      }
      const parsed = ZJsonlArticle.safeParse(value);
      if (!parsed.success) {
        throw new Error(
          `${origin}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'line'}: ${x.message}`).join('; ')}`,
        );
      }
      items.push({ origin, ...parsed.data });
    });
  if (items.length === 0) throw new Error(`${path} has no articles`);
  return items;
}

/** Source-language articles first: the first locale saved for a slug becomes the article's source language. */
export function orderForImport(items: ImportItem[]): ImportItem[] {
  return [...items].sort((a, b) => Number(a.locale !== DEFAULT_LOCALE) - Number(b.locale !== DEFAULT_LOCALE));
}

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  published: number;
  via: 'database' | 'server';
}

async function importThroughServer(
  call: OperatorCall,
  items: ImportItem[],
  publish: boolean,
  onProgress: (done: number) => void,
): Promise<ImportSummary> {
  const request = async (method: string, url: string, body?: unknown) => {
    const res = await call(method, url, body);
    if (res.status >= 400) throw new Error(`${method} ${url}: ${apiError(res.json, res.status)}`);
    return res.json;
  };
  const topics = (await request('GET', '/api/topics?locale=en')) as { topics: { slug: string }[] };
  const known = new Set(topics.topics.map((t) => t.slug));
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, published: 0, via: 'server' };
  let done = 0;
  for (const item of items) {
    if (!known.has(item.topic)) {
      const name = item.topic.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
      await request('PUT', `/api/topics/${item.topic}`, { names: { en: name } });
      known.add(item.topic);
    }
    const { origin: _origin, ...article } = item;
    const result = (await request('POST', '/api/articles', { ...article, publish, author: 'import' })) as {
      revision: number;
      unchanged: boolean;
      published: boolean;
    };
    countResult(summary, result);
    done += 1;
    onProgress(done);
  }
  return summary;
}

async function importIntoDatabase(
  database: DatabaseHandle,
  items: ImportItem[],
  publish: boolean,
  onProgress: (done: number) => void,
): Promise<ImportSummary> {
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, published: 0, via: 'database' };
  let done = 0;
  for (const item of items) {
    const { origin, ...article } = item;
    try {
      countResult(
        summary,
        await saveArticle(
          database.db,
          { ...article, publish, author: 'import' },
          { createMissingTopic: true, actor: CLI_ACTOR },
        ),
      );
    } catch (error) {
      throw new Error(`${origin}: ${(error as Error).message}`);
    }
    done += 1;
    onProgress(done);
  }
  return summary;
}

function countResult(summary: ImportSummary, result: { revision: number; unchanged: boolean; published: boolean }) {
  if (result.unchanged) summary.unchanged += 1;
  else if (result.revision === 1) summary.created += 1;
  else summary.updated += 1;
  if (result.published) summary.published += 1;
}

/** Registers `answerloop import articles PATH`. */
export function registerImportArticlesCommand(program: Command): void {
  const existing = program.commands.find((c) => c.name() === 'import');
  const importCommand = existing ?? program.command('import').description('import content and data');
  importCommand
    .command('articles')
    .description(
      'import articles from a folder of Markdown files with front matter (slug, title, locale, topic) or a JSONL ' +
        'file with the same fields and body; missing topics are created, re-importing updates by slug',
    )
    .argument('<path>', 'a folder of .md files or a .jsonl file')
    .option('--draft', 'save as drafts instead of publishing')
    .option('--server <url>', 'server to send the import to when it holds the embedded database')
    .action(async (path: string, options: { draft?: boolean; server?: string }) => {
      const items = orderForImport(readImportItems(path));
      const publish = !options.draft;
      const bar = createProgressBar('importing articles');
      const progress = (done: number) => bar.update(done, items.length);
      const summary = await withDatabaseOrServer(
        options,
        (database) => importIntoDatabase(database, items, publish, progress),
        (call) => importThroughServer(call, items, publish, progress),
      );
      bar.stop();
      const s = summary;
      console.log(
        `imported ${items.length} article translation(s) ${s.via === 'server' ? 'through the server' : 'into the database'}: ` +
          `${s.created} new, ${s.updated} updated, ${s.unchanged} unchanged; ${s.published} published` +
          (publish ? '' : ' (--draft: new revisions saved as drafts)'),
      );
    });
}
