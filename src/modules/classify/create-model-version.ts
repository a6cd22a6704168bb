import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { enqueueJob } from '../../jobs/index.js';
import { AppError } from '../../server/errors.js';
import type { ModelCategory, SnapshotExample } from './classify.tables.js';
import { fillItemLanguages } from './fill-item-languages.js';
import { type TrainModelRequest, ZTrainModelRequest } from './model-versions.schema.js';

/** The job queue that trains a model version. */
export const TRAIN_QUEUE = 'classify.train';
/** A worker that crashed gets one more try; bad data fails at once. */
export const TRAIN_MAX_ATTEMPTS = 2;

export interface CreateModelVersionResult {
  version: number;
  jobId: number | null;
  examples: number;
  categories: number;
}

/** Every item people labeled with a category that is not archived: the training data of a new version. */
export async function snapshotTrainingData(db: DB): Promise<SnapshotExample[]> {
  const { rows } = await sql<{ id: string; text: string; language: string | null; labels: number[] }>`
    SELECT i.id::text AS id, i.text, i.language, array_agg(h.category_id ORDER BY h.category_id) AS labels
      FROM feedback_items i
      JOIN human_labels h ON h.item_id = i.id
      JOIN taxonomy_categories c ON c.id = h.category_id AND c.archived_at IS NULL
     GROUP BY i.id, i.text, i.language
     ORDER BY i.id`.execute(db);
  return rows.map((r) => ({
    itemId: Number(r.id),
    text: r.text,
    ...(r.language ? { language: r.language } : {}),
    labels: r.labels.map(Number),
  }));
}

/**
 * Snapshots the labeled data and queues a training job for a new model version. The version is trained in a worker
 * thread by whichever process claims the job; it becomes active only when activated.
 */
export async function createModelVersion(
  db: DB,
  input: TrainModelRequest,
  options: { createdBy?: string; enqueue?: boolean } = {},
): Promise<CreateModelVersionResult> {
  const settings = ZTrainModelRequest.parse(input);
  // Every example carries its language into the snapshot, so the evaluation can be broken down by language.
  await fillItemLanguages(db);
  return db.transaction().execute(async (trx) => {
    const snapshot = await snapshotTrainingData(trx);
    const used = new Set(snapshot.flatMap((e) => e.labels));
    if (used.size < 2 || snapshot.length < 4) {
      throw new AppError(
        'VALIDATION_FAILED',
        `training needs labeled examples of at least two categories; there are ${snapshot.length} labeled item(s) in ` +
          `${used.size} categor${used.size === 1 ? 'y' : 'ies'}. Label more items (GET /api/classify/queue) first.`,
      );
    }
    const categories: ModelCategory[] = (
      await trx
        .selectFrom('taxonomy_categories')
        .select(['id', 'slug', 'parent_id'])
        .where('archived_at', 'is', null)
        .orderBy('id')
        .execute()
    ).map((c) => ({ id: c.id, slug: c.slug, parentId: c.parent_id }));
    const row = await trx
      .insertInto('model_versions')
      .values({
        settings: JSON.stringify(settings),
        note: settings.note,
        examples: snapshot.length,
        categories: JSON.stringify(categories),
        snapshot: JSON.stringify(snapshot),
        created_by: options.createdBy ?? 'operator',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job =
      options.enqueue === false
        ? { id: null }
        : await enqueueJob(trx, { queue: TRAIN_QUEUE, payload: { version: row.id }, maxAttempts: TRAIN_MAX_ATTEMPTS });
    return { version: row.id, jobId: job.id, examples: snapshot.length, categories: used.size };
  });
}
