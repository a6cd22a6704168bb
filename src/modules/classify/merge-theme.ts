import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import { itemsToLabel, labelItems, lockOpenProposal, markDecided } from './themes.queries.js';

/**
 * Merges a theme into an existing category: its items (all or the chosen ones) get that category as a human label.
 * One transaction with the decision and its audit entry.
 */
export async function mergeTheme(
  db: DB,
  input: { proposalId: number; category: string; itemIds?: number[] | undefined; actor: AuditActor },
): Promise<{ category: { id: number; slug: string }; labeled: number }> {
  return db.transaction().execute(async (trx) => {
    const proposal = await lockOpenProposal(trx, input.proposalId);
    const category = await trx
      .selectFrom('taxonomy_categories')
      .select(['id', 'slug', 'archived_at'])
      .where('slug', '=', input.category)
      .executeTakeFirst();
    if (!category) throw new AppError('VALIDATION_FAILED', `category "${input.category}" does not exist`);
    if (category.archived_at) throw new AppError('VALIDATION_FAILED', `category "${input.category}" is archived`);
    const items = await itemsToLabel(trx, proposal, input.itemIds);
    if (items.length === 0) throw new AppError('VALIDATION_FAILED', 'the items of this theme no longer exist');
    await labelItems(trx, items, category.id, input.actor.label);
    await markDecided(trx, proposal.id, {
      status: 'merged',
      resultCategoryId: category.id,
      labeled: items.length,
      by: input.actor.label,
    });
    await recordAudit(trx, {
      actor: input.actor,
      action: 'theme.merge',
      object: { type: 'theme_proposal', id: proposal.id },
      before: { status: 'open' },
      after: { status: 'merged', category: category.slug, labeled: items.length },
    });
    return { category: { id: category.id, slug: category.slug }, labeled: items.length };
  });
}
