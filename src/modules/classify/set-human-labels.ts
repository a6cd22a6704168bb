import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import { LIMITS } from '../../shared/limits.js';
import type { ItemKind } from './classify.tables.js';
import { findItem } from './labels.queries.js';
import { classifiableText } from './record-feedback-item.js';

export interface SetHumanLabelsInput {
  kind: ItemKind;
  /** Source id (vote, ticket, search query), or the item id of an example. */
  id: number;
  /** Category slugs. */
  categories: string[];
  labeledBy: string;
  /** replace: the item's human labels become exactly these; add / remove: change only these. */
  mode: 'replace' | 'add' | 'remove';
}

/**
 * Sets a person's labels on a feedback item. A search query becomes an item the first time it is labeled. Labels
 * point at category ids, so later renames and moves keep them valid.
 */
export async function setHumanLabels(
  db: DB,
  input: SetHumanLabelsInput,
): Promise<{ itemId: number; categoryIds: number[] }> {
  const slugs = [...new Set(input.categories)];
  return db.transaction().execute(async (trx) => {
    const item = (await findItem(trx, input.kind, input.id)) ?? (await itemForSource(trx, input.kind, input.id));
    const categories =
      slugs.length === 0
        ? []
        : await trx
            .selectFrom('taxonomy_categories')
            .select(['id', 'slug', 'archived_at'])
            .where('slug', 'in', slugs)
            .execute();
    const unknown = slugs.filter((slug) => !categories.some((c) => c.slug === slug));
    if (unknown.length > 0) {
      throw new AppError('VALIDATION_FAILED', `unknown categories: ${unknown.join(', ')}`);
    }
    const archived = categories.filter((c) => c.archived_at !== null);
    if (input.mode !== 'remove' && archived.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        `archived categories cannot be used: ${archived.map((c) => c.slug).join(', ')}`,
      );
    }
    const ids = categories.map((c) => c.id);
    if (input.mode === 'replace') {
      await trx
        .deleteFrom('human_labels')
        .where('item_id', '=', item.id)
        .where((eb) => (ids.length > 0 ? eb('category_id', 'not in', ids) : eb.lit(true)))
        .execute();
    }
    if (input.mode === 'remove') {
      if (ids.length > 0)
        await trx.deleteFrom('human_labels').where('item_id', '=', item.id).where('category_id', 'in', ids).execute();
    } else if (ids.length > 0) {
      await trx
        .insertInto('human_labels')
        .values(ids.map((category_id) => ({ item_id: item.id, category_id, labeled_by: input.labeledBy })))
        .onConflict((oc) => oc.columns(['item_id', 'category_id']).doNothing())
        .execute();
    }
    const now = await trx
      .selectFrom('human_labels')
      .select('category_id')
      .where('item_id', '=', item.id)
      .orderBy('category_id')
      .execute();
    if (now.length > LIMITS.labelsPerItem) {
      throw new AppError('VALIDATION_FAILED', `an item may have at most ${LIMITS.labelsPerItem} labels`);
    }
    return { itemId: item.id, categoryIds: now.map((r) => r.category_id) };
  });
}

/** The item of a search query that has none yet (created on first labeling); 404 for anything else. */
async function itemForSource(trx: DB, kind: ItemKind, id: number): Promise<{ id: number }> {
  if (kind !== 'search') {
    const what = kind === 'vote' ? `a comment on vote ${id}` : kind === 'ticket' ? `ticket ${id}` : `example ${id}`;
    throw notFound(what);
  }
  const search = await sql<{ query: string; locale: string; created_at: Date }>`
    SELECT query, locale, created_at FROM search_queries WHERE id = ${id}`.execute(trx);
  const row = search.rows[0];
  const text = row ? classifiableText(row.query) : null;
  if (!row || text === null) throw notFound(`search ${id}`);
  const { rows } = await sql<{ id: string }>`
    INSERT INTO feedback_items (kind, source_id, locale, text, created_at)
    VALUES ('search', ${id}, ${row.locale}, ${text}, ${row.created_at})
    ON CONFLICT (kind, source_id) DO UPDATE SET text = feedback_items.text
    RETURNING id::text AS id`.execute(trx);
  return { id: Number(rows[0]!.id) };
}
