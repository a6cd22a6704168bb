import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import type { SynonymGroup } from './search.queries.js';

function clean(terms: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const term of terms) {
    const t = term.trim().replace(/\s+/g, ' ');
    const key = t.toLowerCase();
    if (t.length > 0 && !seen.has(key)) {
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}

/** Creates a synonym group (words or phrases that mean the same in one locale). */
export async function createSynonymGroup(db: DB, input: { locale: string; terms: string[] }): Promise<SynonymGroup> {
  return db
    .insertInto('search_synonyms')
    .values({ locale: input.locale, terms: clean(input.terms) })
    .returning(['id', 'locale', 'terms'])
    .executeTakeFirstOrThrow();
}

/** Replaces the words of a synonym group. */
export async function updateSynonymGroup(
  db: DB,
  id: number,
  input: { locale: string; terms: string[] },
): Promise<SynonymGroup> {
  const row = await db
    .updateTable('search_synonyms')
    .set({ locale: input.locale, terms: clean(input.terms), updated_at: sql`now()` })
    .where('id', '=', id)
    .returning(['id', 'locale', 'terms'])
    .executeTakeFirst();
  if (!row) throw notFound(`synonym group ${id}`);
  return row;
}

/** Deletes a synonym group. */
export async function deleteSynonymGroup(db: DB, id: number): Promise<void> {
  const result = await db.deleteFrom('search_synonyms').where('id', '=', id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound(`synonym group ${id}`);
}
