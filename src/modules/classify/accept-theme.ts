import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import { createCategoryIn } from './save-category.js';
import { itemsToLabel, labelItems, lockOpenProposal, markDecided } from './themes.queries.js';

export interface AcceptThemeInput {
  proposalId: number;
  /** The new category's name in the analyst's locale; English falls back to it until someone translates it. */
  name: string;
  locale: string;
  slug?: string | undefined;
  /** A top-level category to put it under; null or absent: at the top. */
  parent?: string | null | undefined;
  description?: string | undefined;
  /** The items to label (a subset of the proposal's); all of them when absent. */
  itemIds?: number[] | undefined;
  actor: AuditActor;
}

/** A slug from a name: ASCII letters and digits joined by hyphens, or theme-<id> for names in other scripts. */
function slugFrom(name: string, proposalId: number): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return ascii.length >= 3 ? ascii : `theme-${proposalId}`;
}

/**
 * Accepts a theme: creates its category and labels its items (all or the chosen ones) with it as human labels, so
 * the next training learns it. One transaction: the category, the labels, the decision and the audit entry commit
 * together or not at all.
 */
export async function acceptTheme(
  db: DB,
  input: AcceptThemeInput,
): Promise<{ category: { id: number; slug: string }; labeled: number }> {
  return db.transaction().execute(async (trx) => {
    const proposal = await lockOpenProposal(trx, input.proposalId);
    const items = await itemsToLabel(trx, proposal, input.itemIds);
    if (items.length === 0) throw new AppError('VALIDATION_FAILED', 'the items of this theme no longer exist');
    const names: Record<string, string> = { [input.locale]: input.name };
    names.en ??= input.name;
    const category = await createCategoryIn(trx, {
      slug: input.slug ?? slugFrom(input.name, proposal.id),
      parent: input.parent ?? null,
      names,
      description: input.description ?? '',
      examples: [],
    });
    await labelItems(trx, items, category.id, input.actor.label);
    await markDecided(trx, proposal.id, {
      status: 'accepted',
      resultCategoryId: category.id,
      labeled: items.length,
      by: input.actor.label,
    });
    await recordAudit(trx, {
      actor: input.actor,
      action: 'theme.accept',
      object: { type: 'theme_proposal', id: proposal.id },
      before: { status: 'open', name: proposal.name },
      after: { status: 'accepted', category: category.slug, parent: input.parent ?? null, labeled: items.length },
    });
    return { category, labeled: items.length };
  });
}
