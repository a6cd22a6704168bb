import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { LIMITS } from '../../shared/limits.js';
import type { ItemKind } from './classify.tables.js';

export interface RecordFeedbackItemInput {
  kind: Exclude<ItemKind, 'example'>;
  /** The vote, ticket or search query id. */
  sourceId: number;
  text: string;
  locale: string | null;
  createdAt?: Date;
}

/** Text as the classifier stores it: trimmed, within the size limit; null when nothing is left. */
export function classifiableText(text: string): string | null {
  const trimmed = text.trim().slice(0, LIMITS.classifyText).trim();
  return trimmed.length > 0 ? trimmed : null;
}

/**
 * Creates or updates the classifiable item of a vote comment, a ticket or a search. When the text changes, the
 * item's predictions are dropped, so the next categorisation run classifies it again. Call inside the transaction
 * that writes the source row.
 */
export async function recordFeedbackItem(
  trx: DB,
  input: RecordFeedbackItemInput,
): Promise<{ id: number; changed: boolean } | null> {
  const text = classifiableText(input.text);
  if (text === null) {
    await removeFeedbackItem(trx, input.kind, input.sourceId);
    return null;
  }
  const { rows } = await sql<{ id: string; inserted: boolean }>`
    INSERT INTO feedback_items (kind, source_id, locale, text, created_at)
    VALUES (${input.kind}, ${input.sourceId}, ${input.locale}, ${text}, ${input.createdAt ?? new Date()})
    ON CONFLICT (kind, source_id) DO UPDATE SET text = excluded.text, locale = excluded.locale, language = NULL
      WHERE feedback_items.text IS DISTINCT FROM excluded.text OR feedback_items.locale IS DISTINCT FROM excluded.locale
    RETURNING id::text AS id, (xmax = 0) AS inserted`.execute(trx);
  const row = rows[0];
  if (!row) {
    const existing = await trx
      .selectFrom('feedback_items')
      .select(sql<string>`id::text`.as('id'))
      .where('kind', '=', input.kind)
      .where('source_id', '=', input.sourceId)
      .executeTakeFirstOrThrow();
    return { id: Number(existing.id), changed: false };
  }
  const id = Number(row.id);
  if (!row.inserted) await trx.deleteFrom('predictions').where('item_id', '=', id).execute();
  return { id, changed: true };
}

/** Removes the item of a source (a vote whose comment was withdrawn); its labels and predictions go with it. */
export async function removeFeedbackItem(trx: DB, kind: ItemKind, sourceId: number): Promise<void> {
  await trx.deleteFrom('feedback_items').where('kind', '=', kind).where('source_id', '=', sourceId).execute();
}

/** Adds a labeled example (imported training text with no vote or ticket behind it); returns its item id. */
export async function addExampleItem(
  trx: DB,
  input: { text: string; locale: string | null; categoryIds: number[]; labeledBy: string; createdAt?: Date },
): Promise<number | null> {
  const text = classifiableText(input.text);
  if (text === null || input.categoryIds.length === 0) return null;
  const row = await trx
    .insertInto('feedback_items')
    .values({ kind: 'example', source_id: null, locale: input.locale, text, created_at: input.createdAt ?? new Date() })
    .returning(sql<string>`id::text`.as('id'))
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  await trx
    .insertInto('human_labels')
    .values(
      [...new Set(input.categoryIds)].map((category_id) => ({ item_id: id, category_id, labeled_by: input.labeledBy })),
    )
    .execute();
  return id;
}

/**
 * Creates the items of many new sources in one statement (an import of votes or tickets); a source that already has
 * an item keeps it. Returns how many were created; call requestCategorisation when any were.
 */
export async function addFeedbackItems(trx: DB, inputs: readonly RecordFeedbackItemInput[]): Promise<number> {
  const kept = inputs.flatMap((input) => {
    const text = classifiableText(input.text);
    return text === null ? [] : [{ ...input, text }];
  });
  if (kept.length === 0) return 0;
  const { rows } = await sql<{ n: string }>`
    WITH added AS (
      INSERT INTO feedback_items (kind, source_id, locale, text, created_at)
      SELECT * FROM unnest(${kept.map((i) => i.kind)}::text[], ${kept.map((i) => i.sourceId)}::bigint[],
                           ${kept.map((i) => i.locale)}::text[], ${kept.map((i) => i.text)}::text[],
                           ${kept.map((i) => (i.createdAt ?? new Date()).toISOString())}::timestamptz[])
      ON CONFLICT (kind, source_id) DO NOTHING
      RETURNING 1)
    SELECT count(*)::text AS n FROM added`.execute(trx);
  return Number(rows[0]?.n ?? 0);
}
