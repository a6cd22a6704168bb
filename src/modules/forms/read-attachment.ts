import type { DB } from '../../db/client.js';

export interface StoredAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** One attachment of one ticket (both ids must match), or null. */
export async function readAttachment(db: DB, ticketId: number, attachmentId: number): Promise<StoredAttachment | null> {
  const row = await db
    .selectFrom('ticket_attachments')
    .select(['filename', 'content_type', 'data'])
    .where('id', '=', String(attachmentId))
    .where('ticket_id', '=', String(ticketId))
    .executeTakeFirst();
  if (!row) return null;
  return { filename: row.filename, contentType: row.content_type, data: Buffer.from(row.data) };
}
