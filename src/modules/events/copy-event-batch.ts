import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RawBuilder } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DB } from '../../db/client.js';
import type { EventRow } from './normalize-message.js';
import {
  distinctEvents,
  type EventBatch,
  type EventBatchResult,
  type RunSql,
  writeBatchFollowUps,
} from './write-event-batch.js';

/** The events table's columns in the order of `eventsCopyText`. */
export const EVENT_COLUMNS =
  'message_id, type, event, name, anonymous_id, user_id, group_id, previous_id, properties, context, locale, ' +
  'article, device, ip_hash, "timestamp", original_timestamp, sent_at, received_at, source, plan_version, flagged';

/** A retried message committed by another writer between our look-up and our COPY: look again, this often. */
const MAX_CONFLICT_RETRIES = 5;

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A text value in COPY's text format: backslash, newline, carriage return and tab escaped; null as \N. */
function field(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]!) : value;
}

/** JSON from JSON.stringify never holds a raw control character: only its backslashes need doubling. */
const jsonField = (json: string): string => (json.includes('\\') ? json.replaceAll('\\', '\\\\') : json);

const time = (d: Date | null): string => (d ? d.toISOString() : '\\N');

/** The rows in COPY's text format, one line each, in `EVENT_COLUMNS` order. */
export function eventsCopyText(rows: EventRow[]): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    lines[i] =
      `${field(r.messageId)}\t${r.type}\t${field(r.event)}\t${field(r.name)}\t${field(r.anonymousId)}\t` +
      `${field(r.userId)}\t${field(r.groupId)}\t${field(r.previousId)}\t${jsonField(r.propertiesJson)}\t` +
      `${jsonField(r.contextJson)}\t${field(r.locale)}\t${field(r.article)}\t${field(r.device)}\t${field(r.ipHash)}\t` +
      `${time(r.timestamp)}\t${time(r.originalTimestamp)}\t${time(r.sentAt)}\t${time(r.receivedAt)}\t` +
      `${field(r.source)}\t${r.planVersion ?? '\\N'}\t${r.flagged ? 't' : 'f'}\n`;
  }
  return lines.join('');
}

function messageIdsCopyText(rows: EventRow[]): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++)
    lines[i] = `${field(rows[i]!.messageId)}\t${rows[i]!.receivedAt.toISOString()}\n`;
  return lines.join('');
}

async function copyInto(client: pg.PoolClient, statement: string, text: string): Promise<void> {
  await pipeline(Readable.from([Buffer.from(text)]), client.query(copyFrom(statement)));
}

/** True when another writer committed one of our messageIds first (our COPY into event_message_ids collided). */
function isMessageIdConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'event_message_ids_pkey';
}

/**
 * The PostgreSQL event writer: a batch is one transaction of two COPYs on the writer's own connection, the
 * messageIds into `event_message_ids` (its primary key is the deduplication) and the rows straight into the
 * partitioned `events` (PostgreSQL routes them to their month), followed by the violations, identity links and
 * profiles. Measured against the single INSERT … SELECT from json_to_recordset it replaces, and against COPY into a
 * staging table then INSERT … SELECT, this is the fastest by far: COPY parses and inserts in bulk.
 *
 * Deduplication against earlier batches is optimistic: the first attempt copies every messageId; if one was
 * stored before (a client's retry), the primary key refuses the COPY, and the batch is written again without the
 * messageIds already stored (looked up first). A concurrent writer holding the same messageId makes ours wait for
 * its commit, then fail the same way, so a retried message never gets a second row.
 *
 * Kysely's pool hides its connections' COPY support, so the writer keeps a small pool of its own (one connection
 * per concurrent batch), and runs the follow-up statements, built with Kysely's `sql`, on the same connection.
 */
export class CopyEventWriter {
  private readonly pool: pg.Pool;

  constructor(
    url: string,
    /** Compiles the follow-up statements (any Kysely instance with the PostgreSQL dialect). */
    private readonly db: DB,
    connections: number,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: connections });
    // An idle connection that breaks is dropped by the pool; the next batch opens another.
    this.pool.on('error', () => undefined);
  }

  /** Writes one batch; throws what the database said (store-event-batch tells a bad row from a down database). */
  async write(batch: EventBatch): Promise<EventBatchResult> {
    const events = distinctEvents(batch);
    if (events.length === 0 && batch.violations.length === 0) return { inserted: new Set() };
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      let lookUp = false;
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.transaction(client, batch, events, lookUp);
        } catch (error) {
          if (!isMessageIdConflict(error) || attempt >= MAX_CONFLICT_RETRIES) throw error;
          lookUp = true;
        }
      }
    } catch (error) {
      // Only a connection that answered with an ordinary error (and rolled back) goes back to the pool; one left
      // mid-COPY by a network failure or a fatal error is dropped.
      if (!(error instanceof pg.DatabaseError && error.severity === 'ERROR')) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async transaction(
    client: pg.PoolClient,
    batch: EventBatch,
    events: EventRow[],
    lookUp: boolean,
  ): Promise<EventBatchResult> {
    await client.query('BEGIN');
    try {
      let fresh = events;
      if (lookUp && events.length > 0) {
        const stored = await client.query<{ message_id: string }>(
          'SELECT message_id FROM event_message_ids WHERE message_id = ANY($1::text[])',
          [events.map((e) => e.messageId)],
        );
        const known = new Set(stored.rows.map((r) => r.message_id));
        fresh = events.filter((e) => !known.has(e.messageId));
      }
      if (fresh.length > 0) {
        await copyInto(
          client,
          'COPY event_message_ids (message_id, received_at) FROM STDIN',
          messageIdsCopyText(fresh),
        );
        await copyInto(client, `COPY events (${EVENT_COLUMNS}) FROM STDIN`, eventsCopyText(fresh));
      }
      const inserted = new Set(fresh.map((e) => e.messageId));
      const run: RunSql = async <R>(query: RawBuilder<R>) => {
        const compiled = query.compile(this.db);
        return (await client.query(compiled.sql, compiled.parameters as unknown[])).rows as R[];
      };
      await writeBatchFollowUps(run, batch, fresh, inserted);
      await client.query('COMMIT');
      return { inserted };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Closes the writer's connections (after the queue has been flushed). */
  async close(): Promise<void> {
    if (this.pool.ended) return;
    await this.pool.end();
  }
}
