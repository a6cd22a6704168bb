import type { DB } from '../../db/client.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import { lockOpenProposal } from './themes.queries.js';

/** Renames an open theme proposal (the name it will have if accepted), with an audit entry. */
export async function renameTheme(
  db: DB,
  input: { proposalId: number; name: string; actor: AuditActor },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const proposal = await lockOpenProposal(trx, input.proposalId);
    await trx.updateTable('theme_proposals').set({ name: input.name }).where('id', '=', proposal.id).execute();
    await recordAudit(trx, {
      actor: input.actor,
      action: 'theme.rename',
      object: { type: 'theme_proposal', id: proposal.id },
      before: { name: proposal.name },
      after: { name: input.name },
    });
  });
}
