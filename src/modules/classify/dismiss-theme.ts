import type { DB } from '../../db/client.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import { lockOpenProposal, markDecided } from './themes.queries.js';

/** Dismisses a theme proposal: nothing is labelled; the decision and its audit entry are kept. */
export async function dismissTheme(db: DB, input: { proposalId: number; actor: AuditActor }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const proposal = await lockOpenProposal(trx, input.proposalId);
    await markDecided(trx, proposal.id, {
      status: 'dismissed',
      resultCategoryId: null,
      labeled: null,
      by: input.actor.label,
    });
    await recordAudit(trx, {
      actor: input.actor,
      action: 'theme.dismiss',
      object: { type: 'theme_proposal', id: proposal.id },
      before: { status: 'open' },
      after: { status: 'dismissed' },
    });
  });
}
