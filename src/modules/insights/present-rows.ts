import { stringify } from 'csv-stringify/sync';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../server/errors.js';
import { dayOf } from './roll-up-insights.js';

const DAY_MS = 86_400_000;
/** The default period of every insight: the last 28 days up to today (UTC). */
export const DEFAULT_PERIOD_DAYS = 28;
/** The longest period a request may ask for. */
export const MAX_PERIOD_DAYS = 731;

export interface Period {
  from: string;
  to: string;
  /** Days in the period (≥ 1). */
  days: number;
}

/** Resolves `from`/`to` (UTC days, inclusive) with their defaults; refuses a reversed or over-long period (400). */
export function resolvePeriod(query: { from?: string | undefined; to?: string | undefined }, now = new Date()): Period {
  const to = query.to ?? dayOf(now);
  const from = query.from ?? dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS));
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new AppError('VALIDATION_FAILED', 'from and to must be days');
  if (end < start) throw new AppError('VALIDATION_FAILED', '`from` must not be after `to`');
  const days = Math.round((end - start) / DAY_MS) + 1;
  if (days > MAX_PERIOD_DAYS) throw new AppError('VALIDATION_FAILED', `a period is at most ${MAX_PERIOD_DAYS} days`);
  return { from, to, days };
}

/** True when the client asked for CSV (`Accept: text/csv`, or `?format=csv` for a plain link). */
export function wantsCsv(request: FastifyRequest): boolean {
  const format = (request.query as { format?: unknown } | undefined)?.format;
  if (format === 'csv') return true;
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept.split(',')[0] ?? '');
}

/** A cell as CSV text: nested values as JSON, numbers as they are. Cells starting like a formula are quoted off. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A spreadsheet would run "=HYPERLINK(...)" typed by a reader: prefix it so it stays text (OWASP CSV injection).
  return /^[=+\-@\t\r]/.test(text) && typeof value !== 'number' ? `'${text}` : text;
}

/**
 * Sends list rows as CSV (header row of `columns`, UTF-8 with BOM so spreadsheets read Arabic and Japanese) with a
 * download name. Route handlers call it when `wantsCsv(request)`; the JSON answer is otherwise unchanged.
 */
export function sendCsv(
  reply: FastifyReply,
  name: string,
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
): FastifyReply {
  const body = stringify(
    rows.map((row) => columns.map((c) => cell(row[c]))),
    { header: true, columns: [...columns], bom: true },
  );
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name.replace(/[^a-z0-9._-]/gi, '_')}.csv"`)
    .send(body);
}
