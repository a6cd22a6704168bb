import type { DB } from '../../db/client.js';
import { enqueueJob } from '../../jobs/index.js';
import { AppError, notFound } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { CATEGORISE_QUEUE } from './categorise-feedback.js';

/**
 * Makes a ready model version the active one and queues the reclassification of every item no person has
 * labeled (the categorisation job classifies whatever the active version has not). After commit,
 * 'classify.model.activated' drops every process's cached model and wakes its job runner.
 */
export async function activateModel(
  db: DB,
  version: number,
  options: { bus?: Bus | undefined } = {},
): Promise<{ version: number; previous: number | null }> {
  const result = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('model_versions')
      .select(['id', 'status', 'progress', 'is_active'])
      .where('id', '=', version)
      .executeTakeFirst();
    if (!row) throw notFound(`model version ${version}`);
    if (row.status !== 'ready') {
      const state =
        row.status === 'training' ? `is still training (${Math.round(row.progress * 100)}%)` : `is ${row.status}`;
      throw new AppError('CONFLICT', `model version ${version} ${state}; only a ready version can be activated`);
    }
    const previous = await trx
      .selectFrom('model_versions')
      .select('id')
      .where('is_active', '=', true)
      .executeTakeFirst();
    if (previous?.id === version) return { version, previous: version };
    await trx.updateTable('model_versions').set({ is_active: false }).where('is_active', '=', true).execute();
    await trx
      .updateTable('model_versions')
      .set({ is_active: true, activated_at: new Date() })
      .where('id', '=', version)
      .execute();
    await enqueueJob(trx, { queue: CATEGORISE_QUEUE, dedupeKey: 'pending' });
    return { version, previous: previous?.id ?? null };
  });
  if (result.previous !== version) options.bus?.emit('classify.model.activated', { version });
  return result;
}
