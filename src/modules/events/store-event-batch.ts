import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import type { EventRow } from './normalize-message.js';
import { type EventBatch, type EventBatchResult, type ViolationRow, writeEventBatch } from './write-event-batch.js';

/** A message the database refused, set aside in `event_dead_letters` with the reason. */
export interface DeadLetter {
  messageId: string;
  reason: string;
}

export interface StoredBatch extends EventBatchResult {
  /** Messages of the batch that the database refused (stored in `event_dead_letters` instead), by messageId. */
  deadLettered: Map<string, string>;
  /** Dead letters that could not even be set aside (logged by the caller; should never happen). */
  lost: DeadLetter[];
}

/**
 * Thrown when the database, not the data, is the problem (unreachable, shutting down, a deadlock): the whole
 * batch should be retried later, after a backoff.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

// SQLSTATE classes that say nothing about the rows: connection (08), transaction rollback such as deadlock or
// serialization failure (40), insufficient resources (53), operator intervention such as shutdown (57P), system
// error such as I/O (58); and the network errors of the driver. Such a batch is retried whole; any other failure
// is looked for among its rows.
const TRANSIENT_CODE =
  /^(08|40|53|57P|58)|^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)$/;

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODE.test(code);
}

async function reachable(db: DB): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** One message's share of a batch: its event row (if kept) and its violation, which must be stored together. */
interface Unit {
  messageId: string;
  events: EventRow[];
  violations: ViolationRow[];
}

function unitsOf(batch: EventBatch): Unit[] {
  const units = new Map<string, Unit>();
  const unit = (messageId: string): Unit => {
    let found = units.get(messageId);
    if (!found) {
      found = { messageId, events: [], violations: [] };
      units.set(messageId, found);
    }
    return found;
  };
  for (const row of batch.events) unit(row.messageId).events.push(row);
  for (const violation of batch.violations) unit(violation.messageId).violations.push(violation);
  return [...units.values()];
}

const batchOf = (units: Unit[]): EventBatch => ({
  events: units.flatMap((u) => u.events),
  violations: units.flatMap((u) => u.violations),
});

/**
 * Writes a batch so that one message the database refuses can neither block nor sink the others: when the batch
 * fails for a reason that is not the database's availability, it is split in halves, recursively, until the
 * refused messages are alone; every other message is written and the refused ones are set aside in
 * `event_dead_letters` with the database's reason. k bad messages in n cost about 2·k·log2(n) extra statements.
 * Throws `DatabaseUnavailableError` only when the database itself fails, so the caller retries the whole batch.
 */
export async function storeEventBatch(
  db: DB,
  batch: EventBatch,
  write: (batch: EventBatch) => Promise<EventBatchResult> = (b) => writeEventBatch(db, b),
): Promise<StoredBatch> {
  const result: StoredBatch = { inserted: new Set(), deadLettered: new Map(), lost: [] };
  const attempt = async (units: Unit[]): Promise<void> => {
    try {
      const { inserted } = await write(batchOf(units));
      for (const id of inserted) result.inserted.add(id);
      return;
    } catch (error) {
      if (isTransient(error) || !(await reachable(db))) throw new DatabaseUnavailableError(error);
      if (units.length === 1) {
        await setAside(db, units[0]!, error, result);
        return;
      }
      const half = Math.ceil(units.length / 2);
      await attempt(units.slice(0, half));
      await attempt(units.slice(half));
    }
  };
  const units = unitsOf(batch);
  if (units.length > 0) await attempt(units);
  return result;
}

async function setAside(db: DB, unit: Unit, error: unknown, result: StoredBatch): Promise<void> {
  const reason = (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
  // JSON.stringify escapes NUL and lone surrogates, so its output is always valid text, whatever jsonb refused.
  const payload = JSON.stringify({ events: unit.events, violations: unit.violations });
  const receivedAt = unit.events[0]?.receivedAt ?? unit.violations[0]?.receivedAt ?? new Date();
  try {
    await db
      .insertInto('event_dead_letters')
      .values({
        message_id: JSON.stringify(unit.messageId).slice(1, -1),
        reason: JSON.stringify(reason).slice(1, -1),
        payload,
        received_at: Number.isFinite(receivedAt.getTime()) ? receivedAt : new Date(),
      })
      .execute();
    result.deadLettered.set(unit.messageId, reason);
  } catch (deadLetterError) {
    if (isTransient(deadLetterError) || !(await reachable(db))) throw new DatabaseUnavailableError(deadLetterError);
    result.lost.push({ messageId: unit.messageId, reason });
  }
}
