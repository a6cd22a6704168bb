import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { DatabaseHandle } from '../../db/client.js';
import { CLI_ACTOR } from '../../modules/accounts/index.js';
import {
  type HistoryRevision,
  importArticleHistory,
  readArticleFiles,
  saveArticle,
  ZHistoryRevision,
  ZLocale,
  ZSlug,
} from '../../modules/content/index.js';
import type { Bus } from '../../shared/bus.js';
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
  /** The translation's history, oldest first (JSONL only); the last is the text above. */
  revisions?: HistoryRevision[] | undefined;
}

const ZJsonlArticle = z
  .object({
    slug: ZSlug,
    title: z.string().trim().min(1).max(LIMITS.articleTitle).optional(),
    locale: ZLocale,
    topic: ZSlug,
    body: z.string().max(LIMITS.articleBody).optional(),
    keywords: z.array(z.string().trim().min(1).max(LIMITS.keyword)).max(LIMITS.keywords).default([]),
    position: z.number().int().min(0).optional(),
    /** Oldest first; the last is published. Without it, `title` and `body` are the article's one new revision. */
    revisions: z.array(ZHistoryRevision).min(1).max(LIMITS.importRevisions).optional(),
  })
  .superRefine((a, ctx) => {
    const last = a.revisions?.at(-1);
    if (!last) {
      if (a.title === undefined) ctx.addIssue({ code: 'custom', path: ['title'], message: 'required (or revisions)' });
      if (a.body === undefined) ctx.addIssue({ code: 'custom', path: ['body'], message: 'required (or revisions)' });
      return;
    }
    if ((a.title !== undefined && a.title !== last.title) || (a.body !== undefined && a.body !== last.body)) {
      ctx.addIssue({
        code: 'custom',
        path: ['revisions'],
        message: "title and body, when given with revisions, must be the last revision's",
      });
    }
    a.revisions?.forEach((r, i) => {
      const previous = a.revisions?.[i - 1];
      if (previous && r.createdAt.getTime() <= previous.createdAt.getTime()) {
        ctx.addIssue({
          code: 'custom',
          path: ['revisions', i, 'createdAt'],
          message: 'revisions go oldest first, each dated after the one before',
        });
      }
    });
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
      const { revisions, ...article } = parsed.data;
      const last = revisions?.at(-1);
      items.push({
        origin,
        ...article,
        title: last?.title ?? article.title ?? '',
        body: last?.body ?? article.body ?? '',
        revisions,
      });
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
  /** Revisions written with their original dates (lines with `revisions`). */
  historyRevisions: number;
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
  if (items.some((i) => i.revisions)) {
    throw new Error(
      'articles with revisions (history) are imported into the database directly: stop the server for the import, ' +
        'or run it with DATABASE_URL pointing at the shared PostgreSQL',
    );
  }
  const summary: ImportSummary = {
    created: 0,
    updated: 0,
    unchanged: 0,
    published: 0,
    historyRevisions: 0,
    via: 'server',
  };
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
  bus: Bus,
  items: ImportItem[],
  publish: boolean,
  onProgress: (done: number) => void,
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    created: 0,
    updated: 0,
    unchanged: 0,
    published: 0,
    historyRevisions: 0,
    via: 'database',
  };
  let done = 0;
  for (const item of items) {
    const { origin, revisions, ...article } = item;
    try {
      if (revisions) {
        // One transaction per line: a line is imported whole or not at all.
        const result = await importArticleHistory(
          database.db,
          { ...article, revisions, publish },
          { actor: CLI_ACTOR, bus },
        );
        if (result.added === 0) summary.unchanged += 1;
        else if (result.kept === 0) summary.created += 1;
        else summary.updated += 1;
        if (result.published !== null) summary.published += 1;
        summary.historyRevisions += result.added;
        done += 1;
        onProgress(done);
        continue;
      }
      countResult(
        summary,
        await saveArticle(
          database.db,
          { ...article, publish, author: 'import' },
          { createMissingTopic: true, actor: CLI_ACTOR, bus },
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
        'file with the same fields and body, or with revisions [{title, body, createdAt, author}] (oldest first, the ' +
        'last published) to keep their history; missing topics are created, re-importing updates by slug',
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
        (database, bus) => importIntoDatabase(database, bus, items, publish, progress),
        (call) => importThroughServer(call, items, publish, progress),
      );
      bar.stop();
      const s = summary;
      console.log(
        `imported ${items.length} article translation(s) ${s.via === 'server' ? 'through the server' : 'into the database'}: ` +
          `${s.created} new, ${s.updated} updated, ${s.unchanged} unchanged; ${s.published} published` +
          (s.historyRevisions > 0 ? `; ${s.historyRevisions} revision(s) with their original dates` : '') +
          (publish ? '' : ' (--draft: new revisions saved as drafts)'),
      );
    });
}
