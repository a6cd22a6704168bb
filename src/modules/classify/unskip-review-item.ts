import type { DB } from '../../db/client.js';

/** Puts a skipped item back in the labeling queue (an analyst's undo of a skip); false when there is no such item. */
export async function unskipReviewItem(db: DB, itemId: number): Promise<boolean> {
  const result = await db
    .updateTable('feedback_items')
    .set({ review_skipped_at: null })
    .where('id', '=', itemId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
