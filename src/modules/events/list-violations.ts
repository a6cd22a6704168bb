import type { DB } from '../../db/client.js';

export interface ViolationsQuery {
  event?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  before?: number | undefined;
}

export interface ViolationView {
  id: number;
  messageId: string;
  type: string;
  event: string | null;
  source: string;
  planVersion: number;
  action: 'accepted' | 'dropped';
  reasons: { path: string; message: string }[];
  message: Record<string, unknown>;
  receivedAt: string;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** Tracking-plan violations, newest first, with the reason and the offending message. */
export async function listViolations(db: DB, query: ViolationsQuery): Promise<ViolationView[]> {
  let q = db.selectFrom('event_violations').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.event) q = q.where('event', '=', query.event);
  if (query.from) q = q.where('received_at', '>=', query.from);
  if (query.to) q = q.where('received_at', '<', query.to);
  if (query.before) q = q.where('id', '<', String(query.before));
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    messageId: r.message_id,
    type: r.type,
    event: r.event,
    source: r.source,
    planVersion: r.plan_version,
    action: r.action,
    reasons: json(r.reasons),
    message: json(r.message),
    receivedAt: new Date(r.received_at).toISOString(),
  }));
}
