import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import type { AuditEntryView, AuditQuery, AuditResponse } from './accounts.schema.js';

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The audit log, newest first, filtered, in pages: `before` is the id the previous page ended at (keyset paging, so
 * entries appended meanwhile never shift a page).
 */
export async function listAudit(db: DB, query: AuditQuery): Promise<AuditResponse> {
  let q = db.selectFrom('audit_log').selectAll();
  if (query.from) q = q.where('at', '>=', new Date(query.from));
  if (query.to) q = q.where('at', '<', new Date(query.to));
  if (query.actor) {
    const actor = query.actor;
    q = /^\d{1,9}$/.test(actor)
      ? q.where('actor_user_id', '=', Number(actor))
      : q.where(sql<boolean>`actor_label ILIKE ${`%${likeLiteral(actor)}%`}`);
  }
  if (query.action) q = q.where('action', 'like', `${likeLiteral(query.action)}%`);
  if (query.objectType) q = q.where('object_type', '=', query.objectType);
  if (query.before) q = q.where('id', '<', query.before);
  const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
  const entries: AuditEntryView[] = rows.map((row) => ({
    id: String(row.id),
    at: row.at.toISOString(),
    actor: { userId: row.actor_user_id, label: row.actor_label, via: row.via },
    action: row.action,
    object: { type: row.object_type, id: row.object_id },
    changes: row.changes,
  }));
  const last = entries.at(-1);
  return { entries, nextBefore: entries.length === query.limit && last ? last.id : null };
}
