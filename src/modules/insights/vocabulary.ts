import { sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import { redactPersonalData } from '../search/index.js';
import { extractTerms, type Term } from './extract-terms.js';
import type { ZVocabularyResponse, ZVocabularyTerm } from './insights.schema.js';
import { combinedPrior, logOddsDirichlet } from './log-odds.js';
import { loadPublishedTexts, PeriodCache, periodBounds } from './words.queries.js';

export type VocabularyResponse = z.infer<typeof ZVocabularyResponse>;
type VocabularyTerm = z.infer<typeof ZVocabularyTerm>;

export interface VocabularyOptions {
  locale: string;
  from: string;
  to: string;
  limit?: number;
  /** Skip the five-minute cache (a caller that just wrote data). */
  fresh?: boolean;
}

/** What the reader corpus reads per source: the newest items beyond these are left out (one period's sample). */
export const VOCABULARY_SAMPLE = { queries: 20_000, comments: 20_000, tickets: 20_000, ticketChars: 2_000 } as const;
/** A term counts only when this many distinct searches (sessions), comments or tickets used it. */
export const MIN_TERM_SOURCES = 3;
/** The z-score a term needs: the 95 % line. */
export const VOCABULARY_MIN_Z = 1.96;
const EXAMPLES = 3;
const CACHE_MS = 5 * 60 * 1000; // 5 minutes

type Source = 'search' | 'comment' | 'ticket';
interface ReaderItem {
  source: Source;
  /** What a person wrote, shown as an example (redacted). */
  example: string;
  /** The text analysed. */
  text: string;
  /** How many sources it stands for (sessions that searched the same words). */
  weight: number;
}

interface TermStats {
  displays: Map<string, number>;
  count: number;
  sources: Record<Source, number>;
  /** Distinct searches (sessions), comments and tickets using it. */
  documents: number;
  examples: string[];
}

/** Counts of unigrams and bigrams, kept apart: each is compared within its own kind. */
interface Corpus {
  unigrams: Map<string, number>;
  bigrams: Map<string, number>;
}

async function loadReaderItems(db: DB, locale: string, start: Date, end: Date): Promise<ReaderItem[]> {
  // One grouped scan: a million searches become the distinct queries, each counted once per session.
  const [queries, comments, tickets] = await Promise.all([
    sql<{ normalized: string; query: string; sessions: number }>`
      SELECT normalized, mode() WITHIN GROUP (ORDER BY query) AS query,
             count(DISTINCT coalesce(session_id, id::text))::int AS sessions
        FROM search_queries
       WHERE locale = ${locale} AND created_at >= ${start} AND created_at < ${end} AND normalized <> ''
       GROUP BY normalized
       ORDER BY sessions DESC, normalized
       LIMIT ${VOCABULARY_SAMPLE.queries}`.execute(db),
    sql<{ comment: string }>`
      SELECT comment FROM article_votes
       WHERE locale = ${locale} AND NOT helpful AND comment IS NOT NULL AND suspect IS NULL
         AND created_at >= ${start} AND created_at < ${end}
       ORDER BY created_at DESC
       LIMIT ${VOCABULARY_SAMPLE.comments}`.execute(db),
    sql<{ subject: string; body: string }>`
      SELECT subject, left(body, ${VOCABULARY_SAMPLE.ticketChars}) AS body FROM tickets
       WHERE locale = ${locale} AND created_at >= ${start} AND created_at < ${end}
       ORDER BY created_at DESC
       LIMIT ${VOCABULARY_SAMPLE.tickets}`.execute(db),
  ]);
  return [
    ...queries.rows.map((r) => ({
      source: 'search' as const,
      example: r.query,
      text: r.normalized,
      weight: Number(r.sessions),
    })),
    ...comments.rows.map((r) => ({ source: 'comment' as const, example: r.comment, text: r.comment, weight: 1 })),
    ...tickets.rows.map((r) => ({
      source: 'ticket' as const,
      example: r.subject,
      text: `${r.subject}\n${r.body}`,
      weight: 1,
    })),
  ];
}

function add(counts: Map<string, number>, key: string, n: number): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

function mostUsed(displays: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [display, n] of displays) {
    if (n > bestCount || (n === bestCount && display < best)) {
      best = display;
      bestCount = n;
    }
  }
  return best;
}

/** Shortens an example to a readable length, on a word boundary where there is one. */
function excerpt(text: string, max = 160): string {
  const clean = redactPersonalData(text);
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * The words and phrases readers and customers use (searches, "no" vote comments, tickets) that the help center's
 * articles in the locale do not, by the log-odds ratio with an informative Dirichlet prior (readers against the
 * published articles). Terms used by fewer than MIN_TERM_SOURCES sources are dropped; those with z ≥ 1.96 are
 * returned, most distinctive first, with their volume per source and redacted examples.
 */
export function customerVocabulary(db: DB, options: VocabularyOptions): Promise<VocabularyResponse> {
  const limit = options.limit ?? 100;
  const compute = () => computeVocabulary(db, { ...options, limit });
  if (options.fresh) return compute();
  return cache.get(db, `${options.locale}|${options.from}|${options.to}|${limit}`, compute);
}

const cache = new PeriodCache<VocabularyResponse>(CACHE_MS);

async function computeVocabulary(db: DB, options: VocabularyOptions & { limit: number }): Promise<VocabularyResponse> {
  const { locale } = options;
  const { start, end } = periodBounds(options);
  const [items, articles] = await Promise.all([
    loadReaderItems(db, locale, start, end),
    loadPublishedTexts(db, { locale }),
  ]);

  const readers: Corpus = { unigrams: new Map(), bigrams: new Map() };
  const stats = new Map<string, TermStats>();
  for (const item of items) {
    const terms = extractTerms(locale, item.text);
    const seen = new Set<string>();
    const record = (kind: keyof Corpus, term: Term) => {
      const key = `${kind}:${term.key}`;
      add(readers[kind], term.key, item.weight);
      let s = stats.get(key);
      if (!s) {
        s = {
          displays: new Map(),
          count: 0,
          sources: { search: 0, comment: 0, ticket: 0 },
          documents: 0,
          examples: [],
        };
        stats.set(key, s);
      }
      s.count += item.weight;
      s.sources[item.source] += item.weight;
      add(s.displays, term.display, item.weight);
      if (!seen.has(key)) {
        seen.add(key);
        s.documents += item.weight;
        const example = excerpt(item.example);
        if (s.examples.length < EXAMPLES && example && !s.examples.includes(example)) s.examples.push(example);
      }
    };
    for (const term of terms.unigrams) record('unigrams', term);
    for (const term of terms.bigrams) record('bigrams', term);
  }

  const reference: Corpus = { unigrams: new Map(), bigrams: new Map() };
  for (const article of articles) {
    const terms = extractTerms(locale, article.text);
    for (const term of terms.unigrams) add(reference.unigrams, term.key, 1);
    for (const term of terms.bigrams) add(reference.bigrams, term.key, 1);
  }

  const out: VocabularyTerm[] = [];
  for (const kind of ['unigrams', 'bigrams'] as const) {
    const target = readers[kind];
    const scores = logOddsDirichlet(target, reference[kind], combinedPrior(target, reference[kind]));
    for (const [key, score] of scores) {
      const s = stats.get(`${kind}:${key}`);
      if (!s || s.documents < MIN_TERM_SOURCES || score.zScore < VOCABULARY_MIN_Z) continue;
      out.push({
        term: mostUsed(s.displays),
        count: s.count,
        logOdds: Math.round(score.logOdds * 1000) / 1000,
        zScore: Math.round(score.zScore * 1000) / 1000,
        sources: s.sources,
        examples: s.examples,
      });
    }
  }
  out.sort((a, b) => b.zScore - a.zScore || b.count - a.count || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return { locale, from: options.from, to: options.to, terms: out.slice(0, options.limit) };
}
