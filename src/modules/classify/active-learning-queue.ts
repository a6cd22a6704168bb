import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import type { ItemKind } from './classify.tables.js';

/** How long an item an analyst skipped stays out of the queue. */
const SKIP_DAYS = 7;

export interface QueueItem {
  itemId: number;
  kind: ItemKind;
  /** The vote, ticket or search id (the item id for examples): how the labels API addresses it. */
  id: number;
  locale: string | null;
  /** Detected language of the text (null until detected). */
  language: string | null;
  text: string;
  createdAt: Date;
  /** 1 − (top probability − second probability): near 1, the model cannot tell two categories apart. */
  uncertainty: number | null;
  predicted: {
    categoryId: number | null;
    confidence: number;
    top: { categoryId: number; confidence: number }[];
  } | null;
}

/**
 * The active-learning queue: unlabeled items the active model is least sure about first (margin sampling: the
 * smallest gap between its two most likely categories), since a person's label there teaches it the most. Items
 * the model has not classified yet come after; without an active model, the newest items first.
 */
export async function reviewQueue(
  db: DB,
  options: {
    limit: number;
    kind?: ItemKind | undefined;
    locale?: string | undefined;
    language?: string | undefined;
  },
): Promise<{ modelVersion: number | null; items: QueueItem[] }> {
  const active = await db.selectFrom('model_versions').select('id').where('is_active', '=', true).executeTakeFirst();
  const version = active?.id ?? -1;
  const { rows } = await sql<{
    item_id: string;
    kind: ItemKind;
    source_id: string | null;
    locale: string | null;
    language: string | null;
    text: string;
    created_at: Date;
    category_id: number | null;
    confidence: number | null;
    margin: number | null;
    top: { categoryId: number; confidence: number }[] | null;
  }>`
    SELECT i.id::text AS item_id, i.kind, i.source_id::text AS source_id, i.locale, i.language, i.text, i.created_at,
           p.category_id, p.confidence, p.margin, p.top
      FROM feedback_items i
      LEFT JOIN predictions p ON p.item_id = i.id AND p.model_version_id = ${version}
     WHERE NOT EXISTS (SELECT 1 FROM human_labels h WHERE h.item_id = i.id)
       AND (i.review_skipped_at IS NULL OR i.review_skipped_at < now() - ${`${SKIP_DAYS} days`}::interval)
       ${options.kind ? sql`AND i.kind = ${options.kind}` : sql``}
       ${options.locale ? sql`AND i.locale = ${options.locale}` : sql``}
       ${options.language ? sql`AND i.language = ${options.language}` : sql``}
     ORDER BY p.margin ASC NULLS LAST, i.created_at DESC, i.id DESC
     LIMIT ${options.limit}`.execute(db);
  return {
    modelVersion: active?.id ?? null,
    items: rows.map((r) => ({
      itemId: Number(r.item_id),
      kind: r.kind,
      id: r.kind === 'example' || r.source_id === null ? Number(r.item_id) : Number(r.source_id),
      locale: r.locale,
      language: r.language,
      text: r.text,
      createdAt: r.created_at,
      uncertainty: r.margin === null ? null : 1 - r.margin,
      predicted:
        r.confidence === null ? null : { categoryId: r.category_id, confidence: r.confidence, top: r.top ?? [] },
    })),
  };
}

/** Takes an item out of the queue for a while (an analyst could not decide). */
export async function skipReviewItem(db: DB, itemId: number): Promise<boolean> {
  const result = await db
    .updateTable('feedback_items')
    .set({ review_skipped_at: new Date() })
    .where('id', '=', itemId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
