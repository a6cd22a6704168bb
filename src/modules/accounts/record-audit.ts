import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../server/auth.js';
import type { AuditChanges, AuditVia } from './accounts.tables.js';

/** Who an audit entry names: a request's actor, the CLI, or the system itself (first start, seeding). */
export interface AuditActor {
  via: AuditVia;
  userId: number | null;
  label: string;
}

export interface AuditEntry {
  actor: AuditActor;
  /** What was done, `resource.verb` (`article.publish`, `user.update`). */
  action: string;
  object: { type: string; id: string | number };
  /** The object's fields before and after; only those that differ are kept. Omit `before` for a creation. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Fields never written to the audit log, whatever the object: secrets stay out of an append-only table. */
const SECRET_FIELDS = /password|secret|token|hash|csrf/i;
/** An entry's changes are capped; a long article body is summarised rather than copied whole. */
const MAX_VALUE_CHARS = 2_000;

function clip(value: unknown): unknown {
  if (typeof value === 'string' && value.length > MAX_VALUE_CHARS) {
    return `${value.slice(0, MAX_VALUE_CHARS)}… (${value.length} characters)`;
  }
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const json = JSON.stringify(value);
    if (json !== undefined && json.length > MAX_VALUE_CHARS) return `${json.slice(0, MAX_VALUE_CHARS)}…`;
  }
  return value;
}

/** The fields whose values differ between before and after, secrets redacted, long values clipped. */
export function diffFields(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): AuditChanges {
  const changes: AuditChanges = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const was = before?.[key];
    const now = after?.[key];
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    if (SECRET_FIELDS.test(key)) {
      changes[key] = {
        before: was === undefined ? null : '(redacted)',
        after: now === undefined ? null : '(redacted)',
      };
      continue;
    }
    changes[key] = { before: was === undefined ? null : clip(was), after: now === undefined ? null : clip(now) };
  }
  return changes;
}

/**
 * Appends one entry to the audit log. Call it inside the operation's transaction, so the write and its record commit
 * together or not at all.
 */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_user_id: entry.actor.userId,
      actor_label: entry.actor.label.slice(0, 320) || 'unknown',
      via: entry.actor.via,
      action: entry.action,
      object_type: entry.object.type,
      object_id: String(entry.object.id).slice(0, 300),
      changes: JSON.stringify(diffFields(entry.before, entry.after)),
    })
    .execute();
}

/** The audit actor of a request's authenticated caller. */
export function auditActorFrom(actor: Actor): AuditActor {
  return { via: actor.via, userId: actor.userId, label: actor.label };
}

/** The actor of writes made from the command line (`answerloop …` against the database). */
export const CLI_ACTOR: AuditActor = { via: 'cli', userId: null, label: 'command line' };
/** The actor of writes the product makes itself (first start, demo seeding). */
export const SYSTEM_ACTOR: AuditActor = { via: 'system', userId: null, label: 'system' };
