import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { identityAgeMs } from '../../shared/reader-identity.js';
import { clickSuspicion, type EvidencePolicy } from './click-evidence.js';
import type { Searcher } from './observe-searcher.js';
import { insertSearch } from './record-search.js';
import type { ClickKind, ClickSuspicion } from './search.tables.js';
import { type TypeaheadTokens, typeaheadPublicId } from './search-tokens.js';

export interface RecordClickInput {
  /** The `searchId` of a search answer, or of a typeahead answer the reader picked an article from. */
  searchId: string;
  locale: string;
  slug: string;
  searcher: Searcher;
  tokens: TypeaheadTokens;
  policy: EvidencePolicy;
  at?: Date;
}

export interface RecordedClick {
  searchId: string;
  /** Whether the click counts as evidence (false: stored, flagged, excluded from suggestions and boosts). */
  counted: boolean;
  suspect: ClickSuspicion | null;
}

interface BoundSearch {
  id: string;
  publicId: string;
  locale: string;
  returned: string[];
  readerId: string | null;
  createdAt: Date;
  source: string;
}

const unknown = () =>
  new AppError(
    'SEARCH_UNKNOWN',
    'searchId must be the one a search or typeahead answer gave this browser in the last 2 hours',
  );

/** The search a click names: a stored one by its public id, or a typeahead answer recorded now as a search. */
async function bindSearch(db: DB, input: RecordClickInput, at: Date): Promise<BoundSearch> {
  if (input.tokens.isToken(input.searchId)) {
    const answer = input.tokens.verify(input.searchId);
    if (!answer || answer.locale !== input.locale) throw unknown();
    if (answer.readerId !== '' && answer.readerId !== input.searcher.readerId) throw unknown();
    if (at.getTime() - answer.issuedAt.getTime() > input.policy.clickWithinMs) throw unknown();
    if (!answer.slugs.includes(input.slug)) throw notReturned();
    // The pick is the evidence that the typed query was a search: stored once per answer, however often replayed.
    const recorded = await insertSearch(db, {
      locale: answer.locale,
      query: answer.query,
      results: answer.slugs.length,
      returned: answer.slugs,
      source: 'typeahead',
      sessionId: input.searcher.sessionId,
      readerId: input.searcher.readerId,
      networkKey: input.searcher.networkKey,
      publicId: typeaheadPublicId(input.searchId),
      at,
    });
    if (!recorded) throw unknown();
    input = { ...input, searchId: recorded.publicId };
  }
  const row = await db
    .selectFrom('search_queries')
    .select([
      sql<string>`id::text`.as('id'),
      'public_id',
      'locale',
      'returned_slugs',
      'reader_id',
      'created_at',
      'source',
    ])
    .where('public_id', '=', input.searchId)
    .executeTakeFirst();
  if (!row || row.public_id === null) throw unknown();
  // Another reader's search id (leaked or shared) is not this reader's search.
  if (row.reader_id !== input.searcher.readerId || row.locale !== input.locale) throw unknown();
  if (at.getTime() - new Date(row.created_at).getTime() > input.policy.clickWithinMs) throw unknown();
  return {
    id: row.id,
    publicId: row.public_id,
    locale: row.locale,
    returned: row.returned_slugs,
    readerId: row.reader_id,
    createdAt: new Date(row.created_at),
    source: row.source,
  };
}

function notReturned(): AppError {
  return new AppError('CLICK_NOT_IN_RESULTS', 'slug must be one of the articles this search returned');
}

/**
 * Records a click on an article a search returned. The search must be one the server ran for this reader, and the
 * article one it returned; the click counts as evidence only from an aged reader identity within the reader's and
 * the network's daily budgets (otherwise it is stored flagged, so the operator sees it and nothing learns from it).
 */
export async function recordClick(db: DB, input: RecordClickInput): Promise<RecordedClick> {
  const at = input.at ?? new Date();
  const search = await bindSearch(db, input, at);
  const position = search.returned.indexOf(input.slug) + 1;
  if (position === 0) throw notReturned();
  // One network's clicks take turns (as its deflections do): a burst sent to several processes at once can't all
  // read the same counts and all pass the daily budgets.
  const suspect = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`search-click:${input.searcher.networkKey}`}))`.execute(trx);
    const { rows } = await sql<{ reader: number; network: number }>`
      SELECT count(*) FILTER (WHERE reader_id = ${input.searcher.readerId})::int AS reader,
             count(*) FILTER (WHERE network_key = ${input.searcher.networkKey})::int AS network
        FROM search_clicks
       WHERE (suspect IS NULL OR suspect = 'young-reader')
         AND (reader_id = ${input.searcher.readerId} OR network_key = ${input.searcher.networkKey})
         AND created_at > ${new Date(at.getTime() - 86_400_000)}`.execute(trx);
    const verdict = clickSuspicion(
      {
        readerAgeMs: identityAgeMs(input.searcher, at),
        readerCountedToday: Number(rows[0]?.reader ?? 0),
        networkCountedToday: Number(rows[0]?.network ?? 0),
      },
      input.policy,
    );
    const kind: ClickKind = search.source === 'typeahead' ? 'suggestion' : 'result';
    await trx
      .insertInto('search_clicks')
      .values({
        search_id: search.id,
        locale: search.locale,
        slug: input.slug,
        position: Math.min(100, position),
        kind,
        session_id: input.searcher.sessionId,
        reader_id: input.searcher.readerId,
        network_key: input.searcher.networkKey,
        suspect: verdict,
        created_at: at,
      })
      .execute();
    return verdict;
  });
  return { searchId: search.publicId, counted: suspect === null, suspect };
}
