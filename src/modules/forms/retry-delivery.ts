import type { DB } from '../../db/client.js';
import { enqueueJob } from '../../jobs/index.js';
import { AppError, notFound } from '../../server/errors.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import { HELPDESK_QUEUE } from './forms-jobs.js';
import { getDelivery } from './helpdesk.queries.js';
import type { DeliveryView } from './helpdesk.schema.js';

export interface RetryDeliveryOptions {
  actor: AuditActor;
  /** Woken after commit so the delivery goes out at once (the runner of this process). */
  jobs?: { poke(): void } | undefined;
}

/**
 * Sends a failed (or pending) delivery again: back to pending with its attempts reset and due now, with the same
 * delivery id, so a help desk that did get an earlier attempt drops the repeat. A delivered one is refused (409).
 * The audit entry and the forwarding run are written in the same transaction; the runner is woken after commit.
 */
export async function retryDelivery(db: DB, id: number, options: RetryDeliveryOptions): Promise<DeliveryView> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('helpdesk_deliveries')
      .select(['id', 'ticket_id', 'status', 'attempts', 'last_error'])
      .where('id', '=', String(id))
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound(`delivery ${id}`);
    if (row.status === 'delivered') {
      throw new AppError('CONFLICT', `delivery ${id} has already reached the help desk`);
    }
    await trx
      .updateTable('helpdesk_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(), updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, {
      actor: options.actor,
      action: 'helpdesk.retry',
      object: { type: 'helpdesk_delivery', id },
      before: { status: row.status, attempts: row.attempts, ticketId: Number(row.ticket_id) },
      after: { status: 'pending', attempts: 0, ticketId: Number(row.ticket_id) },
    });
    await enqueueJob(trx, { queue: HELPDESK_QUEUE, dedupeKey: 'due' });
  });
  options.jobs?.poke();
  return (await getDelivery(db, id))!;
}
