import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import type { ItemKind } from './classify.tables.js';

/** A human label on an item. */
export interface HumanLabel {
  categoryId: number;
  labeledBy: string;
  labeledAt: Date;
}

/** What a model version predicted for an item; `categoryId` is null when the model was unsure. */
export interface ItemPrediction {
  modelVersion: number;
  active: boolean;
  categoryId: number | null;
  level: 'leaf' | 'parent' | null;
  confidence: number;
  margin: number;
  /** Every category past its own threshold (multi-label), best first. */
  labels: { categoryId: number; confidence: number }[];
  top: { categoryId: number; confidence: number }[];
  predictedAt: Date;
}

/** Human labels and the prediction shown for an item, kept apart. */
export interface ItemLabels {
  human: HumanLabel[];
  /** The active model's prediction, or the most recent one when the active model has not classified it. */
  predicted: ItemPrediction | null;
}

/** Labels of many items at once (by item id). */
export async function labelsOfItems(db: DB, itemIds: readonly number[]): Promise<Map<number, ItemLabels>> {
  const result = new Map<number, ItemLabels>();
  if (itemIds.length === 0) return result;
  const ids = [...new Set(itemIds)];
  for (const id of ids) result.set(id, { human: [], predicted: null });
  const human = await sql<{ item_id: string; category_id: number; labeled_by: string; labeled_at: Date }>`
    SELECT item_id::text AS item_id, category_id, labeled_by, labeled_at
      FROM human_labels WHERE item_id = ANY(${ids}::bigint[])
     ORDER BY labeled_at, category_id`.execute(db);
  for (const row of human.rows) {
    result.get(Number(row.item_id))?.human.push({
      categoryId: row.category_id,
      labeledBy: row.labeled_by,
      labeledAt: row.labeled_at,
    });
  }
  const predictions = await sql<{
    item_id: string;
    model_version_id: number;
    active: boolean;
    category_id: number | null;
    level: 'leaf' | 'parent' | null;
    confidence: number;
    margin: number;
    top: { categoryId: number; confidence: number }[];
    predicted_at: Date;
    labels: { categoryId: number; confidence: number }[] | null;
  }>`
    SELECT DISTINCT ON (p.item_id) p.item_id::text AS item_id, p.model_version_id, m.is_active AS active, p.category_id,
           p.level, p.confidence, p.margin, p.top, p.predicted_at,
           (SELECT jsonb_agg(jsonb_build_object('categoryId', l.category_id, 'confidence', l.confidence)
                             ORDER BY l.confidence DESC)
              FROM predicted_labels l
             WHERE l.item_id = p.item_id AND l.model_version_id = p.model_version_id) AS labels
      FROM predictions p
      JOIN model_versions m ON m.id = p.model_version_id
     WHERE p.item_id = ANY(${ids}::bigint[])
     ORDER BY p.item_id, m.is_active DESC, p.predicted_at DESC, p.model_version_id DESC`.execute(db);
  for (const row of predictions.rows) {
    const entry = result.get(Number(row.item_id));
    if (!entry) continue;
    entry.predicted = {
      modelVersion: row.model_version_id,
      active: row.active,
      categoryId: row.category_id,
      level: row.level,
      confidence: row.confidence,
      margin: row.margin,
      labels: row.labels ?? [],
      top: row.top,
      predictedAt: row.predicted_at,
    };
  }
  return result;
}

/** A feedback item with its text. */
export interface FeedbackItem {
  id: number;
  kind: ItemKind;
  sourceId: number | null;
  locale: string | null;
  /** Detected language of the text (null until detected). */
  language: string | null;
  text: string;
  createdAt: Date;
}

/** Finds an item by what it is: (vote|ticket|search, source id), or (example, item id). */
export async function findItem(db: DB, kind: ItemKind, id: number): Promise<FeedbackItem | null> {
  const { rows } = await sql<{
    id: string;
    kind: ItemKind;
    source_id: string | null;
    locale: string | null;
    language: string | null;
    text: string;
    created_at: Date;
  }>`
    SELECT id::text AS id, kind, source_id::text AS source_id, locale, language, text, created_at
      FROM feedback_items
     WHERE kind = ${kind} AND ${kind === 'example' ? sql`id = ${id}` : sql`source_id = ${id}`}`.execute(db);
  const row = rows[0];
  return row
    ? {
        id: Number(row.id),
        kind: row.kind,
        sourceId: row.source_id === null ? null : Number(row.source_id),
        locale: row.locale,
        language: row.language,
        text: row.text,
        createdAt: row.created_at,
      }
    : null;
}
