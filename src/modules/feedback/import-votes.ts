/**
 * Imports "was this helpful?" votes from another help center (CSV with a header, or JSONL), idempotent on their `id`.
 * Each vote lands on the revision the reader saw: the one named (`revision`), else the one live in that locale at
 * `createdAt` (the publication history), else the translation's first. Bad rows are reported by line; the good ones
 * are imported, 1,000 to a transaction, in set-based statements.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/client.js';
import { LIMITS } from '../../shared/limits.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import { addFeedbackItems, requestCategorisation } from '../classify/index.js';
import { ZLocale, ZSlug } from '../content/index.js';
import { VOTE_REASONS, type VoteReason } from './feedback.tables.js';
import { type FileRecord, type RecordFormat, readRecords } from './read-records.js';
import { queueInsightsRefresh } from './refresh-insights.js';
import { cleanComment } from './submit-vote.js';

/** A vote as read from a file, checked. */
export interface VoteImportRow {
  line: number;
  id: string;
  article: string;
  locale: string;
  helpful: boolean;
  reason: VoteReason | null;
  comment: string | null;
  createdAt: Date;
  /** The revision number read, when the file names it. */
  revision: number | null;
}

export interface VoteImportProblem {
  line: number;
  message: string;
}

export interface ReadVotesResult {
  rows: VoteImportRow[];
  problems: VoteImportProblem[];
}

/** Column (or JSON key) names accepted for each field, compared lowercase without spaces, dashes and underscores. */
const FIELD_NAMES = {
  id: ['id', 'externalid', 'voteid'],
  article: ['article', 'slug', 'articleslug'],
  locale: ['locale', 'language', 'lang'],
  helpful: ['helpful', 'vote'],
  reason: ['reason'],
  comment: ['comment', 'text'],
  createdAt: ['createdat', 'created', 'date'],
  revision: ['revision', 'revisionnumber'],
} as const;
type Field = keyof typeof FIELD_NAMES;

const normalizeName = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/** Clock skew tolerated for `createdAt` (a vote from the future is a mistake in the file). */
const FUTURE_SKEW_MS = 5 * 60_000;

const blankToNull = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? null : value;

const ZVoteImportRecord = z
  .object({
    id: z.union([z.string(), z.number().int()]).transform((v) => String(v).trim()),
    article: ZSlug,
    locale: ZLocale,
    helpful: z.preprocess(
      (v) => {
        if (typeof v !== 'string') return v;
        const word = v.trim().toLowerCase();
        return ['true', 'yes', '1'].includes(word) ? true : ['false', 'no', '0'].includes(word) ? false : v;
      },
      z.boolean({ error: 'must be true or false' }),
    ),
    reason: z.preprocess(blankToNull, z.enum(VOTE_REASONS).nullable()),
    comment: z.preprocess(blankToNull, z.string().max(LIMITS.voteComment).nullable()),
    createdAt: z.union([z.string(), z.number()]).transform((v, ctx) => {
      const text = String(v).trim();
      const date = new Date(/^\d{4}-\d{2}-\d{2} \d/.test(text) ? text.replace(' ', 'T') : text);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: 'custom', message: `"${text.slice(0, 40)}" is not a date` });
        return z.NEVER;
      }
      if (date.getTime() > Date.now() + FUTURE_SKEW_MS) {
        ctx.addIssue({ code: 'custom', message: `${date.toISOString()} is in the future` });
        return z.NEVER;
      }
      return date;
    }),
    revision: z.preprocess(
      (v) => (typeof blankToNull(v) === 'string' ? Number(v) : blankToNull(v)),
      z.number().int().min(1).max(1_000_000_000).nullable(),
    ),
  })
  .refine((v) => v.id.length >= 1 && v.id.length <= LIMITS.voteExternalId, {
    path: ['id'],
    message: `must be 1 to ${LIMITS.voteExternalId} characters`,
  })
  .refine((v) => !v.helpful || (v.reason === null && v.comment === null), {
    path: ['helpful'],
    message: 'a helpful vote has no reason or comment (they explain a "no")',
  });

/** Checks records read from a file or a request; each problem names its line. */
export function checkVoteRecords(records: readonly FileRecord[]): ReadVotesResult {
  const rows: VoteImportRow[] = [];
  const problems: VoteImportProblem[] = [];
  for (const record of records) {
    const byName = new Map(Object.keys(record.values).map((k) => [normalizeName(k), k]));
    const candidate: Partial<Record<Field, unknown>> = {};
    for (const field of Object.keys(FIELD_NAMES) as Field[]) {
      const key = FIELD_NAMES[field].map((name) => byName.get(name)).find((k) => k !== undefined);
      if (key !== undefined) candidate[field] = record.values[key];
    }
    const parsed = ZVoteImportRecord.safeParse(candidate);
    if (!parsed.success) {
      const what = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || 'vote'}: ${issue.message}`)
        .join('; ');
      problems.push({ line: record.line, message: what });
      continue;
    }
    rows.push({ line: record.line, ...parsed.data });
  }
  return { rows, problems };
}

/** Reads and checks votes from a file's text (CSV with a header, or JSONL). */
export function readVotes(content: string, format: Extract<RecordFormat, 'csv' | 'jsonl'>): ReadVotesResult {
  const { records, problems } = readRecords(content, format);
  const checked = checkVoteRecords(records);
  return { rows: checked.rows, problems: [...problems, ...checked.problems] };
}

export interface ImportVotesResult {
  imported: number;
  /** Already there (same id): left as they are. */
  unchanged: number;
  failed: number;
  /** Every failed line, in line order. */
  errors: VoteImportProblem[];
}

export interface ImportVotesOptions {
  actor: AuditActor;
  /** Where the votes came from, for the audit entry (a file name, "api"). */
  origin: string;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Wakes this process's job runner after commit (categorisation, the rollup); the CLI has none. */
  jobs?: { poke(): void } | undefined;
}

interface Resolved {
  ord: number;
  article_id: number | null;
  translation_id: number | null;
  revision_id: number | null;
  number: number | null;
}

/**
 * Imports checked votes (`read.problems` count as failed). A vote whose `id` was imported before is left as it is;
 * comments become feedback items for the classifier; the days touched are marked for the insights rollup. One audit
 * entry with the counts is written with the last batch.
 */
export async function importVotes(
  db: DB,
  read: ReadVotesResult,
  options: ImportVotesOptions,
): Promise<ImportVotesResult> {
  const errors: VoteImportProblem[] = [...read.problems];
  const result = { imported: 0, unchanged: 0 };
  const seen = new Map<string, number>();
  const unique: VoteImportRow[] = [];
  for (const row of read.rows) {
    const first = seen.get(row.id);
    if (first !== undefined) {
      errors.push({ line: row.line, message: `id: "${row.id}" is also on line ${first}` });
      continue;
    }
    seen.set(row.id, row.line);
    unique.push(row);
  }
  const size = options.batchSize ?? 1000;
  const batches = Math.max(1, Math.ceil(unique.length / size));
  let addedItems = false;
  for (let b = 0; b < batches; b += 1) {
    const part = unique.slice(b * size, (b + 1) * size);
    await db.transaction().execute(async (trx) => {
      if (part.length > 0) {
        const outcome = await importBatch(trx, part);
        result.imported += outcome.imported;
        result.unchanged += outcome.unchanged;
        errors.push(...outcome.errors);
        addedItems ||= outcome.items > 0;
      }
      if (b === batches - 1) {
        await recordAudit(trx, {
          actor: options.actor,
          action: 'votes.import',
          object: { type: 'votes', id: options.origin },
          after: { imported: result.imported, unchanged: result.unchanged, failed: errors.length },
        });
      }
    });
    options.onProgress?.(Math.min(unique.length, (b + 1) * size), unique.length);
  }
  if (result.imported > 0 || addedItems) options.jobs?.poke();
  errors.sort((a, b) => a.line - b.line);
  return { ...result, failed: errors.length, errors };
}

async function importBatch(
  trx: DB,
  part: VoteImportRow[],
): Promise<{ imported: number; unchanged: number; errors: VoteImportProblem[]; items: number }> {
  const at = part.map((r) => r.createdAt.toISOString());
  // The revision of each vote, in one pass: the number given, else the one live at createdAt, else the first.
  const { rows: resolved } = await sql<Resolved>`
    SELECT i.ord::int AS ord, a.id AS article_id, t.id AS translation_id, r.id AS revision_id, r.number
    FROM unnest(${part.map((r) => r.article)}::text[], ${part.map((r) => r.locale)}::text[], ${at}::timestamptz[],
                ${part.map((r) => r.revision)}::int[]) WITH ORDINALITY AS i(slug, locale, at, revision, ord)
    LEFT JOIN articles a ON a.slug = i.slug
    LEFT JOIN article_translations t ON t.article_id = a.id AND t.locale = i.locale
    LEFT JOIN article_revisions r ON r.id = CASE
      WHEN i.revision IS NOT NULL THEN
        (SELECT x.id FROM article_revisions x WHERE x.translation_id = t.id AND x.number = i.revision)
      ELSE coalesce(
        (SELECT p.revision_id FROM revision_publications p
          WHERE p.translation_id = t.id AND p.started_at <= i.at ORDER BY p.started_at DESC, p.id DESC LIMIT 1),
        (SELECT x.id FROM article_revisions x WHERE x.translation_id = t.id ORDER BY x.number LIMIT 1))
      END`.execute(trx);
  const errors: VoteImportProblem[] = [];
  const good: { row: VoteImportRow; articleId: number; revisionId: number; number: number; comment: string | null }[] =
    [];
  for (const res of resolved) {
    const row = part[res.ord - 1]!;
    if (res.article_id === null) errors.push({ line: row.line, message: `article: no article "${row.article}"` });
    else if (res.translation_id === null) {
      errors.push({ line: row.line, message: `locale: "${row.article}" has no ${row.locale} translation` });
    } else if (res.revision_id === null || res.number === null) {
      errors.push({
        line: row.line,
        message:
          row.revision === null
            ? `"${row.article}" has no revision in ${row.locale}`
            : `revision: "${row.article}" has no revision ${row.revision} in ${row.locale}`,
      });
    } else {
      good.push({
        row,
        articleId: res.article_id,
        revisionId: res.revision_id,
        number: res.number,
        comment: row.helpful ? null : cleanComment(row.comment),
      });
    }
  }
  if (good.length === 0) return { imported: 0, unchanged: 0, errors, items: 0 };
  // Idempotent on the other system's id; the reader is derived from it, so two imported votes never collide.
  const { rows: inserted } = await sql<{ id: string; external_id: string }>`
    INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful, reason,
                               comment, source, created_at, updated_at, external_id)
    SELECT v.article_id, v.revision_id, v.revision, v.locale, v.locale, 'import:' || v.external_id, v.helpful,
           v.reason, v.comment, 'import', v.at, v.at, v.external_id
    FROM unnest(${good.map((g) => g.articleId)}::int[], ${good.map((g) => g.revisionId)}::int[],
                ${good.map((g) => g.number)}::int[], ${good.map((g) => g.row.locale)}::text[],
                ${good.map((g) => g.row.helpful)}::boolean[], ${good.map((g) => g.row.reason)}::text[],
                ${good.map((g) => g.comment)}::text[], ${good.map((g) => g.row.createdAt.toISOString())}::timestamptz[],
                ${good.map((g) => g.row.id)}::text[])
      AS v(article_id, revision_id, revision, locale, helpful, reason, comment, at, external_id)
    ON CONFLICT DO NOTHING
    RETURNING id::text AS id, external_id`.execute(trx);
  const byId = new Map(good.map((g) => [g.row.id, g]));
  const fresh = inserted.map((r) => ({ voteId: Number(r.id), vote: byId.get(r.external_id)! }));
  const items = await addFeedbackItems(
    trx,
    fresh.flatMap(({ voteId, vote }) =>
      vote.comment === null
        ? []
        : [
            {
              kind: 'vote' as const,
              sourceId: voteId,
              text: vote.comment,
              locale: vote.row.locale,
              createdAt: vote.row.createdAt,
            },
          ],
    ),
  );
  if (items > 0) await requestCategorisation(trx);
  await queueInsightsRefresh(
    trx,
    fresh.map((f) => f.vote.row.createdAt),
  );
  return { imported: fresh.length, unchanged: good.length - fresh.length, errors, items };
}
