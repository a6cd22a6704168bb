import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config/env.js';
import { DatabaseLockedError, openDatabase } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import {
  averageMetrics,
  type ComputedMetrics,
  evaluateRelevance,
  parseRelevanceFile,
  type RelevanceJudgement,
  SearchService,
} from '../../modules/search/index.js';
import { isLocale, SUPPORTED_LOCALES } from '../../shared/locales.js';
import { serverUrl } from '../database-or-server.js';

/** One search as the CLI shows it, from the engine or from a running server. */
interface CliHit {
  slug: string;
  title: string;
  score: number;
  snippet: string;
}

interface CliSearch {
  total: number;
  didYouMean: string | null;
  hits: CliHit[];
}

type Searcher = (locale: string, query: string, limit: number) => Promise<CliSearch>;

/**
 * Runs `work` with a searcher on the configured database; when a running server holds the embedded database, goes
 * through that server's public search API instead (with `track=0`, so it does not count as readers' searches).
 */
async function withSearcher<T>(
  options: { server?: string; log: (line: string) => void },
  work: (search: Searcher) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    const base = serverUrl(config, options.server);
    options.log(`the embedded database is held by a running server (pid ${error.pid}); searching through ${base}`);
    return work(async (locale, query, limit) => {
      const url = `${base}/api/search?locale=${encodeURIComponent(locale)}&limit=${limit}&track=0&q=${encodeURIComponent(query)}`;
      let res: Response;
      try {
        res = await fetch(url);
      } catch (cause) {
        throw new Error(`could not reach the server at ${base} (${(cause as Error).message}); pass --server URL`);
      }
      const body = (await res.json()) as CliSearch & { error?: { message: string } };
      if (!res.ok) throw new Error(`the server answered ${res.status}: ${body.error?.message ?? 'unknown error'}`);
      return { total: body.total, didYouMean: body.didYouMean, hits: body.hits };
    });
  }
  try {
    await migrate(database);
    const service = await SearchService.start({ db: database.db });
    return await work(async (locale, query, limit) => {
      const outcome = service.engine.search(locale, query, { limit });
      return {
        total: outcome.total,
        didYouMean: outcome.didYouMean,
        hits: outcome.hits.map((h) => ({ slug: h.slug, title: h.title, score: h.score, snippet: h.snippetHtml })),
      };
    });
  } finally {
    await database.close();
  }
}

function stripTags(html: string): string {
  return html
    .replace(/<\/?mark>/g, '*')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function parseLocale(value: string): string {
  if (!isLocale(value)) throw new Error(`--locale must be one of ${SUPPORTED_LOCALES.join(', ')} (got "${value}")`);
  return value;
}

function formatMetrics(label: string, m: ComputedMetrics): string {
  return `${label.padEnd(8)} ${String(m.queries).padStart(5)}  ${m.mrr10.toFixed(3)}   ${m.recall1.toFixed(3)}     ${m.recall5.toFixed(3)}     ${m.ndcg10.toFixed(3)}`;
}

/** Registers `answerloop search "QUERY"` and `answerloop search evaluate --queries FILE.jsonl`. */
export function registerSearchCommands(program: Command): void {
  const search = program
    .command('search')
    .description('search the help center index (or evaluate it: see "search evaluate --help")')
    .argument('[query]', 'what a reader would type')
    .option('--locale <locale>', 'locale to search in', 'en')
    .option('--limit <n>', 'results to show', '10')
    .option('--json', 'print JSON')
    .option('--server <url>', 'server to ask when a running server holds the embedded database')
    .action(
      async (
        query: string | undefined,
        options: { locale: string; limit: string; json?: boolean; server?: string },
      ) => {
        if (!query || query.trim().length === 0)
          throw new Error('give a query, e.g. answerloop search "reset password"');
        const locale = parseLocale(options.locale);
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 50)
          throw new Error('--limit must be a whole number from 1 to 50');
        await withSearcher({ server: options.server, log: (l) => console.error(l) }, async (searcher) => {
          const result = await searcher(locale, query, limit);
          if (options.json) {
            console.log(JSON.stringify({ query, locale, ...result }, null, 2));
            return;
          }
          if (result.didYouMean) console.log(`did you mean: ${result.didYouMean}`);
          if (result.hits.length === 0) {
            console.log(`no articles match "${query}" in ${locale}`);
            return;
          }
          console.log(`${result.total} article(s) match; top ${result.hits.length}:`);
          result.hits.forEach((hit, i) => {
            console.log(`${String(i + 1).padStart(2)}. ${hit.title}  [${hit.slug}]  score ${hit.score.toFixed(2)}`);
            console.log(`    ${stripTags(hit.snippet)}`);
          });
        });
      },
    );

  search
    .command('evaluate')
    .description('measure ranking quality on a JSONL file of {"query", "relevant": [slug...], "locale"?} lines')
    .requiredOption('--queries <file>', 'the relevance file (JSONL)')
    .option('--locale <locale>', 'locale for lines without one', 'en')
    .option('--json', 'print JSON')
    .option('--verbose', 'list the queries whose first relevant article is not ranked first')
    .option('--server <url>', 'server to ask when a running server holds the embedded database')
    .action(async (_local: unknown, command: Command) => {
      // Options shared with "search" (--locale, --json, --server) may be parsed by the parent: read both.
      const options = command.optsWithGlobals<{
        queries: string;
        locale: string;
        json?: boolean;
        verbose?: boolean;
        server?: string;
      }>();
      const fallback = parseLocale(options.locale);
      if (!fs.existsSync(options.queries)) throw new Error(`no such file: ${options.queries}`);
      const judgements = parseRelevanceFile(fs.readFileSync(options.queries, 'utf8'), options.queries);
      if (judgements.length === 0) throw new Error(`${options.queries} has no queries`);
      for (const j of judgements) if (j.locale !== undefined) parseLocale(j.locale);
      await withSearcher({ server: options.server, log: (l) => console.error(l) }, async (searcher) => {
        const rank = async (j: RelevanceJudgement) =>
          (await searcher(j.locale ?? fallback, j.query, 10)).hits.map((h) => h.slug);
        const evaluated = await evaluateRelevance(judgements, rank);
        const locales = [...new Set(judgements.map((j) => j.locale ?? fallback))].sort();
        const perLocale: Record<string, ComputedMetrics> = {};
        for (const locale of locales) {
          perLocale[locale] = averageMetrics(evaluated.filter((e) => (e.judgement.locale ?? fallback) === locale));
        }
        const all = averageMetrics(evaluated);
        if (options.json) {
          console.log(JSON.stringify({ file: options.queries, overall: all, perLocale }, null, 2));
          return;
        }
        console.log('locale   queries MRR@10  Recall@1  Recall@5  nDCG@10');
        for (const locale of locales) console.log(formatMetrics(locale, perLocale[locale]!));
        console.log(formatMetrics('all', all));
        if (options.verbose) {
          for (const p of evaluated.filter((e) => e.metrics.mrr10 < 1)) {
            console.log(
              `  [${p.judgement.locale ?? fallback}] "${p.judgement.query}" wants ${p.judgement.relevant.join(', ')}; got ${p.ranked.slice(0, 3).join(', ') || '(nothing)'}`,
            );
          }
        }
      });
    });
}
