import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { type AuditActor, recordAudit } from '../accounts/record-audit.js';

export interface MergeCategoriesResult {
  /** The category merged away (now archived). */
  from: string;
  /** The category that received its labels and subcategories. */
  into: string;
  /** Items whose human label moved from `from` to `into`. */
  movedLabels: number;
  /** Items that already carried both labels: their label on `from` was dropped, not duplicated. */
  droppedDuplicates: number;
  /** Subcategories of `from` now under `into`. */
  movedChildren: string[];
}

/** The actor of merges not made through a request (tests, scripts). */
const DEFAULT_ACTOR: AuditActor = { via: 'system', userId: null, label: 'system' };

/**
 * Merges category `from` into `into`: every person's label on `from` becomes a label on `into` (an item labeled
 * with both keeps one), `from`'s subcategories move under `into`, and `from` is archived, never deleted, so older
 * model versions and the audit log still name it. One transaction; the taxonomy event follows the commit.
 */
export async function mergeCategories(
  db: DB,
  input: { from: string; into: string },
  options: { actor?: AuditActor | undefined; bus?: Bus | undefined } = {},
): Promise<MergeCategoriesResult> {
  if (input.from === input.into) throw new AppError('VALIDATION_FAILED', 'a category cannot be merged into itself');
  const result = await db.transaction().execute(async (trx) => {
    // The whole (small) taxonomy is read locked: a concurrent move or merge would otherwise act on a stale tree.
    const { rows } = await sql<{ id: number; slug: string; parent_id: number | null; archived_at: Date | null }>`
      SELECT id, slug, parent_id, archived_at FROM taxonomy_categories ORDER BY id FOR UPDATE`.execute(trx);
    const from = rows.find((r) => r.slug === input.from);
    if (!from) throw notFound(`category "${input.from}"`);
    const into = rows.find((r) => r.slug === input.into);
    if (!into) throw new AppError('VALIDATION_FAILED', `category "${input.into}" does not exist`);
    if (from.archived_at) throw new AppError('VALIDATION_FAILED', `"${input.from}" is archived; restore it first`);
    if (into.archived_at) throw new AppError('VALIDATION_FAILED', `"${input.into}" is archived; restore it first`);
    const children = rows.filter((r) => r.parent_id === from.id);
    if (into.parent_id === from.id) {
      throw new AppError(
        'VALIDATION_FAILED',
        `"${input.into}" is a subcategory of "${input.from}"; move it out first, or merge the subcategory into its parent instead`,
      );
    }
    if (children.length > 0 && into.parent_id !== null) {
      throw new AppError(
        'VALIDATION_FAILED',
        `"${input.from}" has subcategories, which would end three levels deep under "${input.into}"; merge it into a top-level category`,
      );
    }

    const duplicates = await trx
      .deleteFrom('human_labels')
      .where('category_id', '=', from.id)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('human_labels as other')
            .select(eb.lit(1).as('one'))
            .whereRef('other.item_id', '=', 'human_labels.item_id')
            .where('other.category_id', '=', into.id),
        ),
      )
      .executeTakeFirst();
    const moved = await trx
      .updateTable('human_labels')
      .set({ category_id: into.id })
      .where('category_id', '=', from.id)
      .executeTakeFirst();

    let position = Number(
      (
        await trx
          .selectFrom('taxonomy_categories')
          .select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(-1)).as('p'))
          .where('parent_id', '=', into.id)
          .executeTakeFirstOrThrow()
      ).p,
    );
    for (const child of children) {
      position++;
      await trx
        .updateTable('taxonomy_categories')
        .set({ parent_id: into.id, position, updated_at: new Date() })
        .where('id', '=', child.id)
        .execute();
    }
    await trx
      .updateTable('taxonomy_categories')
      .set({ archived_at: new Date(), updated_at: new Date() })
      .where('id', '=', from.id)
      .execute();

    const outcome: MergeCategoriesResult = {
      from: input.from,
      into: input.into,
      movedLabels: Number(moved.numUpdatedRows),
      droppedDuplicates: Number(duplicates.numDeletedRows),
      movedChildren: children.map((c) => c.slug),
    };
    await recordAudit(trx, {
      actor: options.actor ?? DEFAULT_ACTOR,
      action: 'category.merge',
      object: { type: 'category', id: input.from },
      before: { archived: false, children: outcome.movedChildren },
      after: {
        archived: true,
        mergedInto: input.into,
        movedLabels: outcome.movedLabels,
        droppedDuplicates: outcome.droppedDuplicates,
        children: [],
      },
    });
    return outcome;
  });
  options.bus?.emit('classify.taxonomy.changed', { slugs: [input.from, input.into, ...result.movedChildren] });
  return result;
}
