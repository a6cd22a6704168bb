import { sql } from 'kysely';
import type { DB } from '../../db/client.js';

export interface ExportQuery {
  from: Date;
  to: Date;
  /** A track event name, or "Page Viewed", "Screen Viewed", "Identify", "Group". */
  event?: string | undefined;
}

const PAGE = 1000;

interface ExportRow {
  message_id: string;
  type: string;
  event: string | null;
  name: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  group_id: string | null;
  previous_id: string | null;
  properties: Record<string, unknown> | string;
  context: Record<string, unknown> | string;
  timestamp: Date;
  original_timestamp: Date | null;
  sent_at: Date | null;
  received_at: Date;
  source: string;
  plan_version: number | null;
  flagged: boolean;
}

const json = (v: Record<string, unknown> | string): Record<string, unknown> =>
  typeof v === 'string' ? JSON.parse(v) : v;
const iso = (d: Date | null): string | undefined => (d ? new Date(d).toISOString() : undefined);

/** A stored event in Segment's message shape, plus where it came from and how it fared against the plan. */
export function toSegmentMessage(row: ExportRow): Record<string, unknown> {
  const payload = json(row.properties);
  const message: Record<string, unknown> = { type: row.type, messageId: row.message_id };
  if (row.type === 'track') message.event = row.event;
  if ((row.type === 'page' || row.type === 'screen') && row.name !== null) message.name = row.name;
  if (row.anonymous_id !== null) message.anonymousId = row.anonymous_id;
  if (row.user_id !== null) message.userId = row.user_id;
  if (row.group_id !== null) message.groupId = row.group_id;
  if (row.previous_id !== null) message.previousId = row.previous_id;
  if (row.type === 'identify' || row.type === 'group') message.traits = payload;
  else if (row.type !== 'alias') message.properties = payload;
  message.context = json(row.context);
  message.timestamp = iso(row.timestamp);
  if (row.original_timestamp) message.originalTimestamp = iso(row.original_timestamp);
  if (row.sent_at) message.sentAt = iso(row.sent_at);
  message.receivedAt = iso(row.received_at);
  message.source = row.source;
  message.planVersion = row.plan_version;
  if (row.flagged) message.flagged = true;
  return message;
}

/**
 * Every stored message with a timestamp in [from, to), oldest first, in pages of a thousand read by keyset
 * (timestamp, messageId), so an export of any size streams in constant memory on both database engines.
 */
export async function* exportEvents(db: DB, query: ExportQuery): AsyncGenerator<Record<string, unknown>> {
  let after: { ts: string; id: string } | undefined;
  for (;;) {
    const page = await sql<ExportRow>`
      SELECT message_id, type, event, name, anonymous_id, user_id, group_id, previous_id, properties, context,
             "timestamp", original_timestamp, sent_at, received_at, source, plan_version, flagged,
             to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS ts_key
      FROM events
      WHERE "timestamp" >= ${query.from.toISOString()}::timestamptz AND "timestamp" < ${query.to.toISOString()}::timestamptz
        ${query.event ? sql`AND event = ${query.event}` : sql``}
        ${after ? sql`AND ("timestamp", message_id) > (${after.ts}::timestamp AT TIME ZONE 'UTC', ${after.id})` : sql``}
      ORDER BY "timestamp", message_id
      LIMIT ${PAGE}`.execute(db);
    for (const row of page.rows) yield toSegmentMessage(row);
    if (page.rows.length < PAGE) return;
    const last = page.rows[page.rows.length - 1] as ExportRow & { ts_key: string };
    // The microsecond key: a JS Date would round the timestamp to milliseconds and skip or repeat rows.
    after = { ts: last.ts_key, id: last.message_id };
  }
}
