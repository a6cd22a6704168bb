import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { LIMITS } from '../../shared/limits.js';
import { analyzerFor } from './analyze-text.js';
import { containsPersonalData, redactPersonalData } from './detect-personal-data.js';
import type { ClickKind, SearchSource } from './search.tables.js';

export interface RecordSearchInput {
  locale: string;
  query: string;
  results: number;
  /** Results matched but none answered the query (a content gap behind results); false when not measured. */
  weak?: boolean | undefined;
  source: SearchSource;
  sessionId?: string | null | undefined;
  readerId?: string | null | undefined;
  at?: Date;
}

/** The grouping key of a query: its folded words, so "Reset  Password" and "reset password" count together. */
export function normalizeQuery(locale: string, query: string): string {
  return analyzerFor(locale)
    .analyze(query)
    .map((w) => w.word)
    .join(' ')
    .slice(0, LIMITS.searchQuery * 2);
}

/** Stores one search (personal data replaced) and returns its id, or null when the query is empty. */
export async function recordSearch(db: DB, input: RecordSearchInput): Promise<string | null> {
  const trimmed = input.query.trim().slice(0, LIMITS.searchQuery);
  if (trimmed.length === 0) return null;
  const personal = containsPersonalData(trimmed);
  const stored = (personal ? redactPersonalData(trimmed) : trimmed).slice(0, LIMITS.searchQuery) || '[redacted]';
  const { rows } = await sql<{ id: string }>`
    INSERT INTO search_queries (locale, query, normalized, results, source, session_id, reader_id, had_personal_data,
                                created_at, weak)
    VALUES (${input.locale}, ${stored}, ${normalizeQuery(input.locale, stored)}, ${Math.max(0, input.results)},
            ${input.source}, ${input.sessionId ?? null}, ${input.readerId ?? null}, ${personal},
            ${input.at ?? new Date()}, ${input.weak ?? false})
    RETURNING id::text AS id`.execute(db);
  return rows[0]?.id ?? null;
}

export interface RecordClickInput {
  searchId?: string | null | undefined;
  locale: string;
  slug: string;
  position: number;
  kind: ClickKind;
  sessionId?: string | null | undefined;
  at?: Date;
}

/** Stores a click on a suggested article or a result. An unknown search id is dropped, not an error. */
export async function recordClick(db: DB, input: RecordClickInput): Promise<void> {
  let searchId: string | null = input.searchId ?? null;
  if (searchId !== null) {
    // A forged or expired id must not fail the click nor point at another reader's search.
    const found = await sql<{ ok: number }>`
      SELECT 1 AS ok FROM search_queries
       WHERE id = ${searchId}::bigint AND (session_id IS NOT DISTINCT FROM ${input.sessionId ?? null})`.execute(db);
    if (found.rows.length === 0) searchId = null;
  }
  await sql`
    INSERT INTO search_clicks (search_id, locale, slug, position, kind, session_id, created_at)
    VALUES (${searchId}::bigint, ${input.locale}, ${input.slug}, ${input.position}, ${input.kind},
            ${input.sessionId ?? null}, ${input.at ?? new Date()})`.execute(db);
}

/** Notes that a reader's session reached the contact page after searching (the search did not help). */
export async function recordContact(
  db: DB,
  input: { sessionId: string; locale?: string | null; at?: Date },
): Promise<void> {
  await sql`
    INSERT INTO search_contacts (session_id, locale, created_at)
    VALUES (${input.sessionId}, ${input.locale ?? null}, ${input.at ?? new Date()})`.execute(db);
}

/** True when the session ran a search within the last `minutes` minutes. */
export async function searchedRecently(db: DB, sessionId: string, minutes = 60): Promise<boolean> {
  const { rows } = await sql<{ ok: number }>`
    SELECT 1 AS ok FROM search_queries
     WHERE session_id = ${sessionId} AND created_at > now() - make_interval(mins => ${minutes}::int)
     LIMIT 1`.execute(db);
  return rows.length > 0;
}
