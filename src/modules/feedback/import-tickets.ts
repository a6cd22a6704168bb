/**
 * Reads tickets from a help desk export (CSV, TSV or JSONL) with a column mapping, and imports them idempotently on
 * their external id. The whole file is checked before anything is written; every problem names its line.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FeedbackConfig } from '../../config/env.js';
import type { DB } from '../../db/client.js';
import { loadInstanceKeys } from '../../shared/instance-keys.js';
import { LIMITS } from '../../shared/limits.js';
import { createTicketIn, type TicketInput } from './create-ticket.js';
import { ZCreateTicketRequest } from './feedback.schema.js';
import { type RecordFormat, readRecords } from './read-records.js';
import { queueInsightsRefresh } from './refresh-insights.js';

export type TicketField =
  | 'externalId'
  | 'subject'
  | 'body'
  | 'channel'
  | 'locale'
  | 'requesterEmail'
  | 'status'
  | 'createdAt'
  | 'sourceArticle'
  | 'categories';

/** Column names tried for each field when no mapping is given (compared lowercase, spaces and dashes as "_"). */
const DEFAULT_COLUMNS: Record<TicketField, string[]> = {
  externalId: ['external_id', 'externalid', 'id', 'ticket_id'],
  subject: ['subject', 'title'],
  body: ['body', 'description', 'text', 'message'],
  channel: ['channel', 'via'],
  locale: ['locale', 'language', 'lang'],
  requesterEmail: ['requester_email', 'requester', 'email'],
  status: ['status', 'state'],
  createdAt: ['created_at', 'createdat', 'created', 'date'],
  sourceArticle: ['source_article', 'sourcearticle', 'article'],
  categories: ['categories', 'category'],
};
export const TICKET_FIELDS = Object.keys(DEFAULT_COLUMNS) as TicketField[];

const STATUS_ALIASES: Record<string, string> = {
  hold: 'pending',
  'on-hold': 'pending',
  on_hold: 'pending',
  waiting: 'pending',
  resolved: 'solved',
  done: 'solved',
};

export interface ReadTicketFileOptions {
  format?: 'csv' | 'tsv' | 'jsonl' | undefined;
  /** field → column (or JSONL key) in the file; unmapped fields use the default column names. */
  map?: Partial<Record<TicketField, string>>;
  /** Values for fields the file does not have. */
  defaults?: { channel?: string; locale?: string; status?: string };
  /** Splits a categories cell into several categories. */
  categorySeparator?: string;
}

export interface TicketFileRow {
  line: number;
  ticket: TicketInput;
}

/** A file that cannot be imported; `problems` name every bad line (up to 50). */
export class TicketFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line: number; message: string }[],
  ) {
    const shown = problems.slice(0, 20).map((p) => `  ${file} line ${p.line}: ${p.message}`);
    const more = problems.length > 20 ? `\n  … and ${problems.length - 20} more` : '';
    super(`cannot import ${file}:\n${shown.join('\n')}${more}`);
    this.name = 'TicketFileError';
  }
}

function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function detectFormat(path: string, format: ReadTicketFileOptions['format']): 'csv' | 'tsv' | 'jsonl' {
  if (format) return format;
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new TicketFileError(path, [
    {
      line: 1,
      message: `cannot tell the format from "${ext || 'no extension'}"; use .csv, .tsv or .jsonl, or --format`,
    },
  ]);
}

/** Raw records with their line numbers and the column names; any problem fails the whole file. */
function parseRecords(
  path: string,
  content: string,
  format: RecordFormat,
): { columns: string[]; records: { line: number; values: Record<string, unknown> }[] } {
  const { columns, records, problems } = readRecords(content, format);
  if (problems.length > 0) throw new TicketFileError(path, problems);
  return { columns, records };
}

/** Which column feeds each field: the explicit mapping, else the first default name the file has. */
function resolveColumns(
  path: string,
  columns: string[],
  map: Partial<Record<TicketField, string>>,
): Partial<Record<TicketField, string>> {
  const byNormalized = new Map(columns.map((c) => [normalizeName(c), c]));
  const resolved: Partial<Record<TicketField, string>> = {};
  const problems: { line: number; message: string }[] = [];
  for (const field of TICKET_FIELDS) {
    const wanted = map[field];
    if (wanted !== undefined) {
      const column = columns.includes(wanted) ? wanted : byNormalized.get(normalizeName(wanted));
      if (!column)
        problems.push({ line: 1, message: `no column "${wanted}" for ${field} (columns: ${columns.join(', ')})` });
      else resolved[field] = column;
      continue;
    }
    const found = DEFAULT_COLUMNS[field].map((name) => byNormalized.get(name)).find((c) => c !== undefined);
    if (found) resolved[field] = found;
  }
  if (!resolved.subject && !resolved.body) {
    problems.push({
      line: 1,
      message: `no subject or body column (columns: ${columns.join(', ')}); map one with --map subject=COLUMN`,
    });
  }
  if (problems.length > 0) throw new TicketFileError(path, problems);
  return resolved;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  const trimmed = s.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Reads and checks a ticket file; throws TicketFileError listing every bad line. */
export async function readTicketFile(path: string, options: ReadTicketFileOptions = {}): Promise<TicketFileRow[]> {
  const format = detectFormat(path, options.format);
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TicketFileError(path, [{ line: 0, message: code === 'ENOENT' ? 'file not found' : String(error) }]);
  }
  const { columns, records } = parseRecords(path, content, format);
  if (records.length > LIMITS.ticketImportRows) {
    throw new TicketFileError(path, [
      { line: 1, message: `${records.length} tickets; import at most ${LIMITS.ticketImportRows} per file` },
    ]);
  }
  const column = resolveColumns(path, columns, options.map ?? {});
  const separator = options.categorySeparator ?? '|';
  const problems: { line: number; message: string }[] = [];
  const rows: TicketFileRow[] = [];
  for (const record of records) {
    const get = (field: TicketField) => {
      const name = column[field];
      if (format === 'jsonl' && options.map?.[field] === undefined) {
        // JSONL lines may differ in their keys: each line's own best match.
        const keys = new Map(Object.keys(record.values).map((k) => [normalizeName(k), k]));
        const own = DEFAULT_COLUMNS[field].map((alias) => keys.get(alias)).find((k) => k !== undefined);
        return own === undefined ? undefined : record.values[own];
      }
      return name === undefined ? undefined : record.values[name];
    };
    const body = text(get('body')) ?? '';
    const subject = text(get('subject')) ?? body.split('\n')[0]?.slice(0, 120);
    const status = text(get('status'))?.toLowerCase() ?? options.defaults?.status;
    const created = text(get('createdAt'));
    let createdAt: string | undefined;
    if (created !== undefined) {
      const date = new Date(/^\d{4}-\d{2}-\d{2} \d/.test(created) ? created.replace(' ', 'T') : created);
      if (Number.isNaN(date.getTime())) {
        problems.push({ line: record.line, message: `createdAt: "${created.slice(0, 40)}" is not a date` });
        continue;
      }
      createdAt = date.toISOString();
    }
    const rawCategories = get('categories');
    const categories = Array.isArray(rawCategories)
      ? rawCategories.map((c) => String(c).trim()).filter((c) => c !== '')
      : (text(rawCategories)
          ?.split(separator)
          .map((c) => c.trim())
          .filter((c) => c !== '') ?? []);
    const candidate = {
      externalId: text(get('externalId')),
      subject,
      body,
      channel: text(get('channel'))?.replace(/\s+/g, '_') ?? options.defaults?.channel ?? 'import',
      locale: text(get('locale')) ?? options.defaults?.locale,
      requesterEmail: text(get('requesterEmail')),
      status: status ? (STATUS_ALIASES[status] ?? status) : undefined,
      sourceArticle: text(get('sourceArticle')),
      categories,
      createdAt,
    };
    const parsed = ZCreateTicketRequest.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 3)) {
        problems.push({ line: record.line, message: `${issue.path.join('.') || 'ticket'}: ${issue.message}` });
      }
      if (problems.length >= 50) break;
      continue;
    }
    rows.push({ line: record.line, ticket: parsed.data });
  }
  if (problems.length > 0) throw new TicketFileError(path, problems);
  if (rows.length === 0) throw new TicketFileError(path, [{ line: 1, message: 'no tickets in the file' }]);
  return rows;
}

export interface ImportTicketsResult {
  created: number;
  /** Already there (same external id): left unchanged. */
  existing: number;
  /** Lines whose source article is unknown (imported without it). */
  unknownArticles: number[];
}

/**
 * Imports checked rows in transactions of a few hundred; re-running the same file adds nothing (external ids).
 * Tickets tied to an article (`article`, with their `createdAt`) mark their days for the insights rollup.
 * Unknown categories fail the import before anything is written; an unknown source article is only dropped.
 */
export async function importTickets(
  db: DB,
  path: string,
  rows: TicketFileRow[],
  options: { config: FeedbackConfig; onProgress?: (done: number, total: number) => void; chunk?: number },
): Promise<ImportTicketsResult> {
  const known = new Set(
    (await db.selectFrom('taxonomy_categories').select('slug').where('archived_at', 'is', null).execute()).map(
      (c) => c.slug,
    ),
  );
  const problems = rows.flatMap((row) =>
    row.ticket.categories
      .filter((slug) => !known.has(slug))
      .map((slug) => ({ line: row.line, message: `categories: no category "${slug}" in the taxonomy (or archived)` })),
  );
  if (problems.length > 0) throw new TicketFileError(path, problems.slice(0, 50));
  const articles = new Set((await db.selectFrom('articles').select('slug').execute()).map((a) => a.slug));
  // The installation's own key, read from the database: the CLI hashes requesters exactly as the server does.
  const requesterKey = (await loadInstanceKeys(db)).requesterEmail;
  const result: ImportTicketsResult = { created: 0, existing: 0, unknownArticles: [] };
  const chunk = options.chunk ?? 250;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    await db.transaction().execute(async (trx) => {
      const touched: Date[] = [];
      for (const row of part) {
        const ticket = { ...row.ticket };
        if (ticket.sourceArticle && !articles.has(ticket.sourceArticle)) {
          result.unknownArticles.push(row.line);
          delete ticket.sourceArticle;
        }
        const outcome = await createTicketIn(trx, ticket, {
          config: options.config,
          requesterKey,
          source: 'import',
          labeledBy: 'import',
        });
        if (outcome.created) result.created += 1;
        else result.existing += 1;
        if (outcome.created && ticket.sourceArticle)
          touched.push(ticket.createdAt ? new Date(ticket.createdAt) : new Date());
      }
      // A ticket tied to an article counts in that article's insights on the day it was filed.
      await queueInsightsRefresh(trx, touched);
    });
    options.onProgress?.(Math.min(rows.length, start + chunk), rows.length);
  }
  return result;
}
