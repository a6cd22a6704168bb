import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { enqueueJob } from '../../jobs/index.js';
import type { ActiveModelCache } from './active-model-cache.js';
import type { Prediction } from './classify.types.js';
import { fillItemLanguages } from './fill-item-languages.js';
import { predictBatch } from './predict.js';

/** The job queue that classifies pending feedback with the active model. */
export const CATEGORISE_QUEUE = 'classify.categorise';

/** Asks for a categorisation run (one queued run serves every item written before it starts). */
export async function requestCategorisation(db: DB): Promise<void> {
  await enqueueJob(db, { queue: CATEGORISE_QUEUE, dedupeKey: 'pending' });
}

export interface CategoriseResult {
  modelVersion: number | null;
  classified: number;
  /** Searches without results that became items in this run. */
  searchesAdded: number;
  /** True when the run stopped at maxItems with more waiting (a new run is queued). */
  more: boolean;
}

/**
 * Zero-result searches become feedback items, so the gaps readers hit are classified beside votes and tickets.
 * Reads the search module's table (read-only); a bounded number per run.
 */
async function collectFailedSearches(db: DB, limit: number): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    WITH added AS (
      INSERT INTO feedback_items (kind, source_id, locale, text, created_at)
      SELECT 'search', q.id, q.locale, left(q.query, 20000), q.created_at
        FROM search_queries q
       WHERE q.results = 0 AND length(trim(q.query)) > 0
         AND NOT EXISTS (SELECT 1 FROM feedback_items i WHERE i.kind = 'search' AND i.source_id = q.id)
       ORDER BY q.id
       LIMIT ${limit}
      ON CONFLICT (kind, source_id) DO NOTHING
      RETURNING 1)
    SELECT count(*)::text AS n FROM added`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Predicted category id of a model label (labels are category ids). */
function categoryOf(label: string | null): number | null {
  if (label === null) return null;
  const id = Number(label);
  return Number.isInteger(id) ? id : null;
}

/** Writes one batch of predictions (replacing any earlier ones of the same version). */
export async function writePredictions(
  db: DB,
  version: number,
  items: readonly { id: number }[],
  predictions: readonly Prediction[],
): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map((item, i) => {
    const p = predictions[i]!;
    const top = p.top.slice(0, 5).map((t) => ({ categoryId: categoryOf(t.label)!, confidence: t.confidence }));
    return {
      item_id: item.id,
      model_version_id: version,
      category_id: categoryOf(p.label),
      level: p.level,
      confidence: p.confidence,
      margin: (p.top[0]?.confidence ?? 0) - (p.top[1]?.confidence ?? 0),
      top: JSON.stringify(top),
    };
  });
  const labels = items.flatMap((item, i) => {
    const p = predictions[i]!;
    const byCategory = new Map<number, number>();
    for (const l of p.labels) {
      const id = categoryOf(l.label);
      if (id !== null) byCategory.set(id, l.confidence);
    }
    // The answer is a predicted label too, also when only its parent category was sure enough.
    const answer = categoryOf(p.label);
    if (answer !== null && !byCategory.has(answer)) byCategory.set(answer, p.confidence);
    return [...byCategory].map(([category_id, confidence]) => ({
      item_id: item.id,
      model_version_id: version,
      category_id,
      confidence,
    }));
  });
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('predictions')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['item_id', 'model_version_id']).doUpdateSet((eb) => ({
          category_id: eb.ref('excluded.category_id'),
          level: eb.ref('excluded.level'),
          confidence: eb.ref('excluded.confidence'),
          margin: eb.ref('excluded.margin'),
          top: eb.ref('excluded.top'),
          predicted_at: sql`now()`,
        })),
      )
      .execute();
    await trx
      .deleteFrom('predicted_labels')
      .where('model_version_id', '=', version)
      .where(
        'item_id',
        'in',
        items.map((i) => i.id),
      )
      .execute();
    if (labels.length > 0) await trx.insertInto('predicted_labels').values(labels).execute();
  });
}

/**
 * Classifies, with the active model, every item that no person has labeled and that this model version has not
 * classified yet: new vote comments and tickets, and after an activation everything the new version has not seen.
 */
export async function categorisePending(
  db: DB,
  models: ActiveModelCache,
  options: { batchSize?: number; maxItems?: number; signal?: AbortSignal; failedSearches?: boolean } = {},
): Promise<CategoriseResult> {
  const batchSize = options.batchSize ?? 500;
  const maxItems = options.maxItems ?? 20_000;
  const searchesAdded = options.failedSearches === false ? 0 : await collectFailedSearches(db, 5_000);
  // Every incoming text gets its language, also when no model is active yet.
  await fillItemLanguages(db, { maxItems });
  const active = await models.current();
  if (!active) return { modelVersion: null, classified: 0, searchesAdded, more: false };
  let classified = 0;
  while (classified < maxItems && !options.signal?.aborted) {
    const { rows } = await sql<{ id: string; text: string }>`
      SELECT i.id::text AS id, i.text
        FROM feedback_items i
       WHERE NOT EXISTS (SELECT 1 FROM human_labels h WHERE h.item_id = i.id)
         AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.item_id = i.id AND p.model_version_id = ${active.version})
       ORDER BY i.id DESC
       LIMIT ${batchSize}`.execute(db);
    if (rows.length === 0) return { modelVersion: active.version, classified, searchesAdded, more: false };
    const items = rows.map((r) => ({ id: Number(r.id) }));
    const predictions = predictBatch(
      active.model,
      rows.map((r) => r.text),
    );
    await writePredictions(db, active.version, items, predictions);
    classified += rows.length;
  }
  return { modelVersion: active.version, classified, searchesAdded, more: true };
}
