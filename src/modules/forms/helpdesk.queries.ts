import { sql } from 'kysely';
import type { HelpdeskConfig } from '../../config/env.js';
import type { DB } from '../../db/client.js';
import type { DeliveryStatus } from './forms.tables.js';
import type { DeliveryView, HelpdeskStatus } from './helpdesk.schema.js';
import { helpdeskHost } from './helpdesk-connectors.js';

/** Where forwarding stands: the help desk configured, deliveries by status, how long the oldest pending one waits. */
export async function helpdeskStatus(db: DB, config: HelpdeskConfig): Promise<HelpdeskStatus> {
  const { rows } = await sql<{ pending: number; delivered: number; failed: number; oldest: Date | null }>`
    SELECT (count(*) FILTER (WHERE status = 'pending'))::int AS pending,
           (count(*) FILTER (WHERE status = 'delivered'))::int AS delivered,
           (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
           min(created_at) FILTER (WHERE status = 'pending') AS oldest
      FROM helpdesk_deliveries`.execute(db);
  const row = rows[0];
  const oldest = row?.oldest ? new Date(row.oldest) : null;
  return {
    configured: Boolean(config.url),
    kind: config.url ? config.kind : null,
    host: helpdeskHost(config.url),
    counts: { pending: row?.pending ?? 0, delivered: row?.delivered ?? 0, failed: row?.failed ?? 0 },
    oldestPendingAgeSeconds: oldest ? Math.max(0, Math.floor((Date.now() - oldest.getTime()) / 1000)) : null,
  };
}

interface DeliveryRow {
  id: string;
  ticket_id: string;
  reference: string | null;
  subject: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  last_status: number | null;
  next_attempt_at: Date;
  created_at: Date;
  delivered_at: Date | null;
  connector: 'webhook' | 'zendesk' | null;
  external_id: string | null;
}

function presentDelivery(r: DeliveryRow): DeliveryView {
  return {
    id: Number(r.id),
    ticketId: Number(r.ticket_id),
    reference: r.reference,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    lastStatus: r.last_status,
    nextAttemptAt: r.status === 'pending' ? new Date(r.next_attempt_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
    deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
    connector: r.connector,
    externalId: r.external_id,
  };
}

/** Outbox rows, newest first, optionally of one status, a page at a time (`before`: an id). */
export async function listDeliveries(
  db: DB,
  options: { status?: DeliveryStatus | undefined; limit: number; before?: number | undefined },
): Promise<{ deliveries: DeliveryView[]; nextBefore: number | null }> {
  const { rows } = await sql<DeliveryRow>`
    SELECT d.id::text AS id, d.ticket_id::text AS ticket_id, t.reference, t.subject, d.status, d.attempts,
           d.last_error, d.last_status, d.next_attempt_at, d.created_at, d.delivered_at, d.connector, d.external_id
      FROM helpdesk_deliveries d
      JOIN tickets t ON t.id = d.ticket_id
     WHERE ${options.status ? sql`d.status = ${options.status}` : sql`true`}
       AND ${options.before ? sql`d.id < ${options.before}` : sql`true`}
     ORDER BY d.id DESC
     LIMIT ${options.limit + 1}`.execute(db);
  const deliveries = rows.slice(0, options.limit).map(presentDelivery);
  return { deliveries, nextBefore: rows.length > options.limit ? deliveries[deliveries.length - 1]!.id : null };
}

/** One outbox row by id, or null. */
export async function getDelivery(db: DB, id: number): Promise<DeliveryView | null> {
  const { rows } = await sql<DeliveryRow>`
    SELECT d.id::text AS id, d.ticket_id::text AS ticket_id, t.reference, t.subject, d.status, d.attempts,
           d.last_error, d.last_status, d.next_attempt_at, d.created_at, d.delivered_at, d.connector, d.external_id
      FROM helpdesk_deliveries d
      JOIN tickets t ON t.id = d.ticket_id
     WHERE d.id = ${id}`.execute(db);
  return rows[0] ? presentDelivery(rows[0]) : null;
}
