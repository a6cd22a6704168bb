import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
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

/** After commit, 'search.synonyms.changed' tells every process's search index to reload the synonyms. */
export interface SaveSynonymsOptions {
  bus?: Bus | undefined;
}

/** Creates a synonym group (words or phrases that mean the same in one locale). */
export async function createSynonymGroup(
  db: DB,
  input: { locale: string; terms: string[] },
  options: SaveSynonymsOptions = {},
): Promise<SynonymGroup> {
  const row = await db
    .insertInto('search_synonyms')
    .values({ locale: input.locale, terms: clean(input.terms) })
    .returning(['id', 'locale', 'terms'])
    .executeTakeFirstOrThrow();
  options.bus?.emit('search.synonyms.changed', { locale: row.locale });
  return row;
}

/** Replaces the words of a synonym group (and its locale: then both locales change). */
export async function updateSynonymGroup(
  db: DB,
  id: number,
  input: { locale: string; terms: string[] },
  options: SaveSynonymsOptions = {},
): Promise<SynonymGroup> {
  const result = await db
    .with('before', (w) => w.selectFrom('search_synonyms').select(['id', 'locale']).where('id', '=', id))
    .updateTable('search_synonyms')
    .from('before')
    .set({ locale: input.locale, terms: clean(input.terms), updated_at: sql`now()` })
    .whereRef('search_synonyms.id', '=', 'before.id')
    .returning(['search_synonyms.id', 'search_synonyms.locale', 'search_synonyms.terms', 'before.locale as previous'])
    .executeTakeFirst();
  if (!result) throw notFound(`synonym group ${id}`);
  const { previous, ...row } = result;
  options.bus?.emit('search.synonyms.changed', { locale: row.locale });
  if (previous !== row.locale) options.bus?.emit('search.synonyms.changed', { locale: previous });
  return row;
}

/** Deletes a synonym group. */
export async function deleteSynonymGroup(db: DB, id: number, options: SaveSynonymsOptions = {}): Promise<void> {
  const row = await db.deleteFrom('search_synonyms').where('id', '=', id).returning('locale').executeTakeFirst();
  if (!row) throw notFound(`synonym group ${id}`);
  options.bus?.emit('search.synonyms.changed', { locale: row.locale });
}
