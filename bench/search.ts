/**
 * Search benchmark: `node --import tsx bench/search.ts [--articles 10000] [--http-seconds 10] [--skip-http]`.
 *
 * - a generated corpus of N articles per locale × 6 locales (default 10,000 × 6), from the demo's sentences and a
 *   Zipf-distributed synthetic vocabulary, so the index has a realistic number of terms;
 * - index build time and memory;
 * - suggest (every prefix a reader types) and search latency p50/p99, in-process;
 * - suggest requests/s over HTTP through the real app (autocannon in a separate process);
 * - relevance (MRR@10, Recall@1/5, nDCG@10) on the demo help center with relevance/demo.jsonl, per locale;
 * - baseline in the same run: PostgreSQL full-text search (to_tsvector/ts_rank, per-locale configuration where one
 *   exists, 'simple' for he and ja) on the same documents and queries, for latency and relevance, and the ratios.
 *
 * PostgreSQL: DATABASE_URL (a fresh database is created and dropped); without it, embedded PGlite (slower).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'kysely';
import { seedContent } from '../src/cli/seed/seed-content.js';
import { loadConfig } from '../src/config/env.js';
import type { DB } from '../src/db/client.js';
import { createTestDatabase } from '../src/db/test-database.js';
import { readArticleFiles, renderMarkdown } from '../src/modules/content/index.js';
import {
  analyzerFor,
  averageMetrics,
  type ComputedMetrics,
  evaluateRelevance,
  type IndexableArticle,
  parseRelevanceFile,
  type RelevanceJudgement,
  SearchEngine,
  SearchService,
} from '../src/modules/search/index.js';
import { buildApp } from '../src/server/app.js';
import { mulberry32 } from '../src/shared/random.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const LOCALES = ['en', 'es', 'ru', 'ar', 'he', 'ja'] as const;
const PG_CONFIG: Record<string, string> = {
  en: 'english',
  es: 'spanish',
  ru: 'russian',
  ar: 'arabic',
  he: 'simple',
  ja: 'simple',
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function timings(samples: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: samples.reduce((s, x) => s + x, 0) / Math.max(1, samples.length),
  };
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

// --- the generated corpus ---------------------------------------------------------------------------------------

const ALPHABETS: Record<string, { consonants: string[]; vowels: string[]; join: string }> = {
  en: { consonants: [...'bcdfghklmnprstvwz'], vowels: [...'aeiou'], join: '' },
  es: { consonants: [...'bcdfglmnprstvz', 'ñ', 'ch', 'll'], vowels: [...'aeiouáé'], join: '' },
  ru: { consonants: [...'бвгджзклмнпрстфхцчшщ'], vowels: [...'аеиоуыэюяё'], join: '' },
  ar: { consonants: [...'بتثجحخدذرزسشصضطظعغفقكلمنهوي'], vowels: ['ا', 'و', 'ي', ''], join: '' },
  he: { consonants: [...'בגדהוזחטיכלמנסעפצקרשת'], vowels: ['ו', 'י', 'א', ''], join: '' },
  ja: {
    consonants: [...'カキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロ'],
    vowels: ['ー', '', 'ン', 'ッ'],
    join: '',
  },
};

function syntheticWord(locale: string, random: () => number): string {
  const a = ALPHABETS[locale]!;
  const syllables = 2 + Math.floor(random() * 3);
  let word = '';
  for (let i = 0; i < syllables; i++) {
    word += a.consonants[Math.floor(random() * a.consonants.length)]!;
    word += a.vowels[Math.floor(random() * a.vowels.length)]!;
  }
  return word;
}

interface DemoSource {
  locale: string;
  titles: string[];
  headings: string[];
  sentences: string[];
  keywords: string[];
}

function demoSources(): DemoSource[] {
  return LOCALES.map((locale) => {
    const dir = path.join(ROOT, 'demo', 'articles', locale);
    const files = fs.existsSync(dir) ? readArticleFiles(dir) : [];
    const rendered = files.map((f) => ({ f, r: renderMarkdown(f.body) }));
    return {
      locale,
      titles: files.map((f) => f.title),
      headings: rendered.flatMap(({ r }) => r.headings),
      keywords: files.flatMap((f) => f.keywords),
      sentences: rendered.flatMap(({ r }) =>
        r.plainText
          .split(/(?<=[.!?。؟])\s*|\n+/u)
          .map((s) => s.trim())
          .filter((s) => s.length > 10),
      ),
    };
  });
}

/** N generated articles in one locale: demo sentences plus Zipf-sampled synthetic words, deterministic. */
function generateLocale(source: DemoSource, n: number, seed: number): IndexableArticle[] {
  const random = mulberry32(seed);
  const vocabulary = Array.from({ length: 25_000 }, () => syntheticWord(source.locale, random));
  // Zipf-like: index ~ u^3 favours the first words.
  const zipf = () => vocabulary[Math.floor(random() ** 3 * vocabulary.length)]!;
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const space = source.locale === 'ja' ? '' : ' ';
  const out: IndexableArticle[] = [];
  for (let i = 0; i < n; i++) {
    const sentences: string[] = [];
    const count = 8 + Math.floor(random() * 10);
    for (let s = 0; s < count; s++) {
      sentences.push(`${pick(source.sentences)}${space}${zipf()}${space}${zipf()}`);
    }
    out.push({
      slug: `gen-${source.locale}-${i}`,
      locale: source.locale,
      title: `${pick(source.titles)}${space}${zipf()}`,
      keywords: [pick(source.keywords), zipf()],
      headings: [pick(source.headings), `${pick(source.headings)}${space}${zipf()}`],
      body: sentences.join('\n'),
    });
  }
  return out;
}

// --- PostgreSQL full-text search baseline -------------------------------------------------------------------

class PostgresBaseline {
  constructor(private readonly db: DB) {}

  async load(docs: IndexableArticle[]): Promise<number> {
    const started = performance.now();
    await sql`DROP TABLE IF EXISTS bench_fts`.execute(this.db);
    await sql`CREATE TABLE bench_fts (locale text, slug text, title text, cfg regconfig, tsv tsvector)`.execute(
      this.db,
    );
    for (let i = 0; i < docs.length; i += 400) {
      const chunk = docs.slice(i, i + 400);
      await sql`
        INSERT INTO bench_fts (locale, slug, title, cfg, tsv)
        SELECT d.locale, d.slug, d.title, d.cfg::regconfig,
               setweight(to_tsvector(d.cfg::regconfig, d.title), 'A') ||
               setweight(to_tsvector(d.cfg::regconfig, d.keywords), 'B') ||
               setweight(to_tsvector(d.cfg::regconfig, d.headings), 'C') ||
               setweight(to_tsvector(d.cfg::regconfig, d.body), 'D')
          FROM (VALUES ${sql.join(
            chunk.map(
              (d) =>
                sql`(${d.locale}, ${d.slug}, ${d.title}, ${PG_CONFIG[d.locale] ?? 'simple'}, ${d.keywords.join(' ')},
                     ${d.headings.join(' ')}, ${d.body})`,
            ),
          )}) AS d (locale, slug, title, cfg, keywords, headings, body)`.execute(this.db);
    }
    await sql`CREATE INDEX bench_fts_tsv ON bench_fts USING gin (tsv)`.execute(this.db);
    await sql`CREATE INDEX bench_fts_locale ON bench_fts (locale)`.execute(this.db);
    await sql`ANALYZE bench_fts`.execute(this.db);
    return performance.now() - started;
  }

  /** Ranked slugs: websearch_to_tsquery (all words, "AND") or the same words with OR. */
  async search(locale: string, query: string, mode: 'and' | 'or', limit = 10): Promise<string[]> {
    const cfg = PG_CONFIG[locale] ?? 'simple';
    const q =
      mode === 'and'
        ? sql`websearch_to_tsquery(${cfg}::regconfig, ${query})`
        : sql`NULLIF(replace(plainto_tsquery(${cfg}::regconfig, ${query})::text, ' & ', ' | '), '')::tsquery`;
    const { rows } = await sql<{ slug: string }>`
      SELECT slug FROM bench_fts, (SELECT ${q} AS q) x
       WHERE locale = ${locale} AND tsv @@ x.q
       ORDER BY ts_rank(tsv, x.q) DESC, slug
       LIMIT ${limit}`.execute(this.db);
    return rows.map((r) => r.slug);
  }

  /** Typeahead as PostgreSQL can do it: earlier words as typed, the last one as a prefix (`word:*`). */
  async suggest(locale: string, typed: string): Promise<string[]> {
    const cfg = PG_CONFIG[locale] ?? 'simple';
    const words = typed.split(/\s+/).filter(Boolean);
    const last = (words.pop() ?? '').replace(/[^\p{L}\p{N}]/gu, '');
    if (!last) return [];
    const head = words.join(' ');
    const { rows } = await sql<{ slug: string; title: string }>`
      SELECT slug, title FROM bench_fts,
             (SELECT plainto_tsquery(${cfg}::regconfig, ${head}) && to_tsquery(${cfg}::regconfig, ${`'${last}':*`}) AS q) x
       WHERE locale = ${locale} AND tsv @@ x.q
       ORDER BY ts_rank(tsv, x.q) DESC
       LIMIT 5`.execute(this.db);
    return rows.map((r) => r.slug);
  }
}

// --- helpers ------------------------------------------------------------------------------------------------

function heapUsed(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function prefixesOf(query: string): string[] {
  const chars = Array.from(query);
  const out: string[] = [];
  for (let i = 1; i <= chars.length; i++) out.push(chars.slice(0, i).join(''));
  return out;
}

function docsOf(engine: SearchEngine, locale: string): IndexableArticle[] {
  const index = engine.index(locale);
  return index.slugs().map((slug) => {
    const doc = index.docBySlug(slug)!;
    // A fallback (untranslated article) is indexed by its link texts in both engines.
    return {
      slug,
      locale,
      title: doc.title,
      keywords: doc.keywords,
      headings: doc.headings,
      body: doc.fallback ? [doc.title, ...doc.keywords].join('\n') : doc.body,
    };
  });
}

async function loadChild(
  url: string,
  pathsFile: string,
  seconds: number,
): Promise<{ rps: number; p99: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--load-child', url, pathsFile, String(seconds)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}

// --- the load generator, in its own process so it does not share the server's core ----------------------------

async function runLoadChild(): Promise<void> {
  const i = process.argv.indexOf('--load-child');
  const [url, pathsFile, seconds] = process.argv.slice(i + 1);
  const { default: autocannon } = await import('autocannon');
  const paths = JSON.parse(fs.readFileSync(pathsFile!, 'utf8')) as string[];
  const result = await autocannon({
    url: url!,
    connections: 16,
    duration: Number(seconds),
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  });
  console.log(
    JSON.stringify({
      rps: result.requests.average,
      p99: result.latency.p99,
      errors: result.errors + result.non2xx,
    }),
  );
}

// --- main -----------------------------------------------------------------------------------------------------

/** Runs the benchmark (also called by bench/run.ts). */
export async function main(): Promise<void> {
  const perLocale = Number(arg('articles', '10000'));
  const httpSeconds = Number(arg('http-seconds', '10'));
  const skipHttp = process.argv.includes('--skip-http');
  const relevancePath = path.join(ROOT, 'relevance', 'demo.jsonl');
  const judgements: RelevanceJudgement[] = parseRelevanceFile(fs.readFileSync(relevancePath, 'utf8'), relevancePath);
  const config = loadConfig();
  console.log(
    `# search bench: ${perLocale} articles × ${LOCALES.length} locales; ${os.cpus().length} cores; node ${process.version}; ` +
      `load average at start ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (other work on the machine skews latencies)`,
  );
  console.log(`PostgreSQL baseline: ${config.databaseUrl ? 'server (DATABASE_URL)' : 'embedded PGlite'}\n`);

  // 1. Relevance on the demo help center (what the site serves, including untranslated articles found by link text).
  const database = await createTestDatabase();
  try {
    await seedContent(database.db);
    const demo = await SearchService.start({ db: database.db });
    const pg = new PostgresBaseline(database.db);
    await pg.load(LOCALES.flatMap((l) => docsOf(demo.engine, l)));
    const ours = await evaluateRelevance(judgements, (j) =>
      demo.engine.search(j.locale ?? 'en', j.query, { limit: 10 }).hits.map((h) => h.slug),
    );
    const pgAnd = await evaluateRelevance(judgements, (j) => pg.search(j.locale ?? 'en', j.query, 'and'));
    const pgOr = await evaluateRelevance(judgements, (j) => pg.search(j.locale ?? 'en', j.query, 'or'));
    console.log('## Relevance on the demo help center (relevance/demo.jsonl; text ranking only, no learned analytics)');
    console.log(
      'locale  queries | ours MRR@10 R@1  R@5  nDCG | pg-and MRR@10 nDCG | pg-or MRR@10 R@1  R@5  nDCG | MRR ratio vs best pg',
    );
    const by = (list: typeof ours, locale?: string): ComputedMetrics =>
      averageMetrics(locale ? list.filter((e) => (e.judgement.locale ?? 'en') === locale) : list);
    for (const locale of [...LOCALES, undefined]) {
      const a = by(ours, locale);
      const b = by(pgAnd, locale);
      const c = by(pgOr, locale);
      const best = Math.max(b.mrr10, c.mrr10);
      console.log(
        `${(locale ?? 'all').padEnd(6)} ${String(a.queries).padStart(5)}   |   ${a.mrr10.toFixed(3)}  ${a.recall1.toFixed(2)} ${a.recall5.toFixed(2)} ${a.ndcg10.toFixed(3)} |   ${b.mrr10.toFixed(3)}  ${b.ndcg10.toFixed(3)} |   ${c.mrr10.toFixed(3)}  ${c.recall1.toFixed(2)} ${c.recall5.toFixed(2)} ${c.ndcg10.toFixed(3)} | ${best > 0 ? `${(a.mrr10 / best).toFixed(2)}×` : '∞'}`,
      );
    }
    await demo.stop();
  } finally {
    await database.close();
  }

  // 2. The generated corpus: build time and memory, for our index and for MiniSearch on the same analysis.
  const sources = demoSources();
  const corpus = sources.map((s, i) => generateLocale(s, perLocale, 1000 + i));
  const total = corpus.reduce((s, c) => s + c.length, 0);
  const suggestWork = judgements.flatMap((j) => prefixesOf(j.query).map((p) => ({ locale: j.locale ?? 'en', q: p })));

  // Analysis (folding, stemming) is shared and memoised per word: run it once so neither index build pays for it.
  for (const docs of corpus) {
    for (const doc of docs) {
      const analyzer = analyzerFor(doc.locale);
      analyzer.analyze([doc.title, ...doc.keywords, ...doc.headings, doc.body].join('\n'));
    }
  }

  const measure = (backend: 'typed' | 'minisearch') => {
    const before = heapUsed();
    // No suggest cache: this measures the engine itself, every keystroke computed.
    const engine = new SearchEngine({ backend, suggestCacheSize: 0 });
    const buildStarted = performance.now();
    for (const docs of corpus) for (const doc of docs) engine.upsert(doc);
    engine.warmSuggestions();
    const buildMs = performance.now() - buildStarted;
    const memory = heapUsed() - before;
    const terms = LOCALES.map((l) => engine.index(l).postings.termCount).reduce((s, x) => s + x, 0);
    // 3. In-process latency: every prefix of every relevance query (suggest), the full queries (search).
    // Steady state: one full pass warms the JIT and lets the heap settle after the build; the next pass is measured.
    for (const w of suggestWork) engine.suggest(w.locale, w.q, { limit: 5, articles: 5 });
    for (const j of judgements) engine.search(j.locale ?? 'en', j.query, { limit: 10 });
    const suggestTimes: number[] = [];
    for (const w of suggestWork) {
      const t0 = performance.now();
      engine.suggest(w.locale, w.q, { limit: 5, articles: 5 });
      suggestTimes.push(performance.now() - t0);
    }
    const searchTimes: number[] = [];
    for (const j of judgements) {
      const t0 = performance.now();
      engine.search(j.locale ?? 'en', j.query, { limit: 10 });
      searchTimes.push(performance.now() - t0);
    }
    // Only our engine is kept (the HTTP part reuses nothing of it; MiniSearch's is dropped to free its memory).
    return {
      engine: backend === 'typed' ? engine : undefined,
      buildMs,
      memory,
      terms,
      suggestTimes,
      st: timings(suggestTimes),
      se: timings(searchTimes),
    };
  };

  const ours = measure('typed');
  const mini = process.argv.includes('--skip-minisearch') ? undefined : measure('minisearch');
  const { st, se, suggestTimes } = ours;
  console.log(`\n## Index of the generated corpus (${total} articles, ${ours.terms} distinct index terms)`);
  console.log('index                 build           articles/s   heap     suggest p50 / p99     search p50 / p99');
  for (const [name, m] of [
    ['ours (typed arrays)', ours],
    ['MiniSearch 7', mini],
  ] as const) {
    if (!m) continue;
    console.log(
      `${name.padEnd(20)} ${(m.buildMs / 1000).toFixed(1).padStart(6)} s ${((total / m.buildMs) * 1000).toFixed(0).padStart(12)} ${(m.memory / 2 ** 20).toFixed(0).padStart(6)} MiB  ${ms(m.st.p50).padStart(9)} / ${ms(m.st.p99).padEnd(10)} ${ms(m.se.p50).padStart(9)} / ${ms(m.se.p99)}`,
    );
  }
  if (mini) {
    console.log(
      `ours vs MiniSearch: suggest p99 ${(mini.st.p99 / st.p99).toFixed(1)}× faster, search p99 ${(mini.se.p99 / se.p99).toFixed(1)}× faster, build ${(mini.buildMs / ours.buildMs).toFixed(1)}×`,
    );
  }

  // 4. PostgreSQL on the same corpus and queries.
  const pgDatabase = await createTestDatabase();
  let pgSuggest = { p50: 0, p99: 0, mean: 0 };
  let pgSearch = { p50: 0, p99: 0, mean: 0 };
  let pgLoadMs = 0;
  try {
    const pg = new PostgresBaseline(pgDatabase.db);
    pgLoadMs = await pg.load(corpus.flat());
    const sample = suggestWork.filter((_, i) => i % 3 === 0);
    for (const w of sample.slice(0, 50)) await pg.suggest(w.locale, w.q);
    const pgSuggestTimes: number[] = [];
    for (const w of sample) {
      const t0 = performance.now();
      await pg.suggest(w.locale, w.q);
      pgSuggestTimes.push(performance.now() - t0);
    }
    const pgSearchTimes: number[] = [];
    for (const j of judgements) {
      const t0 = performance.now();
      await pg.search(j.locale ?? 'en', j.query, 'or');
      pgSearchTimes.push(performance.now() - t0);
    }
    pgSuggest = timings(pgSuggestTimes);
    pgSearch = timings(pgSearchTimes);
  } finally {
    await pgDatabase.close();
  }
  console.log(
    `\n## Latency on the generated corpus (${suggestWork.length} suggest prefixes, ${judgements.length} searches)`,
  );
  console.log(`                 ours p50 / p99           postgres p50 / p99       p99 ratio`);
  console.log(
    `suggest   ${ms(st.p50).padStart(12)} / ${ms(st.p99).padEnd(10)}  ${ms(pgSuggest.p50).padStart(10)} / ${ms(pgSuggest.p99).padEnd(10)}  ${(pgSuggest.p99 / st.p99).toFixed(1)}× faster`,
  );
  console.log(
    `search    ${ms(se.p50).padStart(12)} / ${ms(se.p99).padEnd(10)}  ${ms(pgSearch.p50).padStart(10)} / ${ms(pgSearch.p99).padEnd(10)}  ${(pgSearch.p99 / se.p99).toFixed(1)}× faster`,
  );
  console.log(
    `(PostgreSQL: load + GIN index ${(pgLoadMs / 1000).toFixed(1)} s; its times include the query round trip)`,
  );
  const perLocaleSuggest = LOCALES.map((l) => {
    const times = suggestWork.map((w, i) => (w.locale === l ? suggestTimes[i]! : -1)).filter((x) => x >= 0);
    return `${l} ${ms(timings(times).p99)}`;
  });
  console.log(`suggest p99 per locale: ${perLocaleSuggest.join(', ')}`);

  // 5. HTTP requests/s for suggest through the real app (routes, validation, serialisation, compression).
  if (!skipHttp) {
    const httpDb = await createTestDatabase();
    const built = await buildApp({
      config: loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' }),
      database: httpDb,
    });
    try {
      for (const docs of corpus) for (const doc of docs) built.ctx.search.engine.upsert(doc);
      built.ctx.search.engine.warmSuggestions();
      await built.app.listen({ port: 0, host: '127.0.0.1' });
      const address = built.app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const paths = suggestWork.map((w) => `/api/search/suggest?locale=${w.locale}&q=${encodeURIComponent(w.q)}`);
      const file = path.join(os.tmpdir(), `answerloop-bench-paths-${process.pid}.json`);
      fs.writeFileSync(file, JSON.stringify(paths));
      fs.writeFileSync(`${file}.health`, '["/api/health"]');
      const health = await loadChild(`${url}/api/health`, `${file}.health`, Math.max(3, Math.round(httpSeconds / 2)));
      built.ctx.search.engine.setSuggestCacheSize(0);
      const cold = await loadChild(url, file, httpSeconds);
      built.ctx.search.engine.setSuggestCacheSize(20_000);
      const warm = await loadChild(url, file, httpSeconds);
      console.log(`\n## HTTP (autocannon, 16 connections, ${httpSeconds} s each, load generator in its own process)`);
      console.log(
        `suggest, every keystroke computed (cache off): ${cold.rps.toFixed(0)} req/s, p99 ${cold.p99} ms, errors ${cold.errors}`,
      );
      console.log(
        `suggest, as served (LRU of answers; the ${paths.length} distinct prefixes cycle): ${warm.rps.toFixed(0)} req/s, p99 ${warm.p99} ms, errors ${warm.errors}`,
      );
      console.log(
        `/api/health on the same app (the HTTP stack's ceiling): ${health.rps.toFixed(0)} req/s → suggest as served reaches ${((warm.rps / health.rps) * 100).toFixed(0)}% of it`,
      );
      fs.rmSync(file, { force: true });
      fs.rmSync(`${file}.health`, { force: true });
    } finally {
      await built.shutdown();
      await httpDb.close();
    }
  }
}

// Run directly: the benchmark, or the child process it spawns; imported by bench/run.ts: nothing until main().
if (process.argv.includes('--load-child')) await runLoadChild();
else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
