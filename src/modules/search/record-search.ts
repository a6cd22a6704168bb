import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { LIMITS } from '../../shared/limits.js';
import { analyzerFor } from './analyze-text.js';
import { containsPersonalData, redactPersonalData } from './detect-personal-data.js';
import type { SearchSource } from './search.tables.js';
import { newSearchPublicId } from './search-tokens.js';

export interface RecordSearchInput {
  locale: string;
  query: string;
  /** The server's own count of matching articles. */
  results: number;
  /** The article slugs the server returned, in order: the only ones a click on this search may name. */
  returned: readonly string[];
  /** Results matched but none answered the query (a content gap behind results); false when not measured. */
  weak?: boolean | undefined;
  source: SearchSource;
  sessionId?: string | null | undefined;
  readerId?: string | null | undefined;
  /** Keyed hash of the client's network (see observe-searcher.ts). */
  networkKey?: string | null | undefined;
  /** The id to hand out; a random one by default. */
  publicId?: string;
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

/** A stored search: its row id (internal) and the unguessable id the client may send back with a click. */
export interface RecordedSearch {
  id: string;
  publicId: string;
}

/**
 * Stores one search the server ran (personal data replaced) with the articles it returned; null when the query is
 * empty. With a `publicId` that is already stored (a replayed typeahead token) the existing search is returned.
 */
export async function insertSearch(db: DB, input: RecordSearchInput): Promise<RecordedSearch | null> {
  const trimmed = input.query.trim().slice(0, LIMITS.searchQuery);
  if (trimmed.length === 0) return null;
  const personal = containsPersonalData(trimmed);
  const stored = (personal ? redactPersonalData(trimmed) : trimmed).slice(0, LIMITS.searchQuery) || '[redacted]';
  const publicId = input.publicId ?? newSearchPublicId();
  const returned = input.returned.slice(0, 100);
  const { rows } = await sql<{ id: string }>`
    INSERT INTO search_queries (locale, query, normalized, results, source, session_id, reader_id, had_personal_data,
                                public_id, returned_slugs, network_key, created_at, weak)
    VALUES (${input.locale}, ${stored}, ${normalizeQuery(input.locale, stored)}, ${Math.max(0, input.results)},
            ${input.source}, ${input.sessionId ?? null}, ${input.readerId ?? null}, ${personal},
            ${publicId}, ${sql.val(returned)}::text[], ${input.networkKey ?? null}, ${input.at ?? new Date()},
            ${input.weak ?? false})
    ON CONFLICT (public_id) DO NOTHING
    RETURNING id::text AS id`.execute(db);
  if (rows[0]) return { id: rows[0].id, publicId };
  const existing = await db
    .selectFrom('search_queries')
    .select(sql<string>`id::text`.as('id'))
    .where('public_id', '=', publicId)
    .executeTakeFirst();
  return existing ? { id: existing.id, publicId } : null;
}

/** Stores one search the server ran and returns the id to give the client, or null when the query is empty. */
export async function recordSearch(db: DB, input: RecordSearchInput): Promise<string | null> {
  return (await insertSearch(db, input))?.publicId ?? null;
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
