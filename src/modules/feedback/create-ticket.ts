import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { FeedbackConfig } from '../../config/env.js';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { recordFeedbackItem, requestCategorisation } from '../classify/index.js';
import { containsPersonalData, redactPersonalData } from '../search/index.js';
import type { ZCreateTicketRequest } from './feedback.schema.js';
import type { TicketSource } from './feedback.tables.js';

/** A ticket after validation (the output of ZCreateTicketRequest). */
export type TicketInput = z.output<typeof ZCreateTicketRequest>;

export interface CreateTicketResult {
  id: number;
  /** False when a ticket with the same external id already existed (nothing was changed). */
  created: boolean;
  itemId: number | null;
}

/**
 * How a requester's email is kept: by default a keyed hash (HMAC-SHA256), so tickets of one requester can be grouped
 * without storing the address and a guessed address can't be confirmed by hashing it. The key is
 * ANSWERLOOP_REQUESTER_HASH_KEY when set (to share hashes between installations), else `instanceKey`, derived from
 * this installation's secret (`ctx.keys.requesterEmail`). The address itself only when configured.
 * Rows stored before keyed hashing (`sha256:…`) stay as they are: without the address they can't be rehashed.
 */
export function requesterValue(email: string | undefined, config: FeedbackConfig, instanceKey: Buffer): string | null {
  if (!email) return null;
  const normalized = email.trim().toLowerCase();
  if (config.requesterEmails === 'plain') return normalized;
  const key = config.requesterHashKey ?? instanceKey;
  return `hmac:${createHmac('sha256', key).update(normalized).digest('hex')}`;
}

/**
 * A ticket's subject or body as stored: lines holding an email address, a phone or other long number, a link or a
 * code get those parts replaced ("[email]", "[number]"...), with search's detector, the one used for vote comments
 * and queries. Other lines are kept exactly, so the text keeps its shape for agents and the classifier.
 */
export function redactTicketText(text: string): string {
  return text
    .split('\n')
    .map((line) => (containsPersonalData(line) ? redactPersonalData(line) : line))
    .join('\n');
}

/** What the classifier reads of a ticket. */
export function ticketText(subject: string, body: string): string {
  return body.trim().length > 0 ? `${subject.trim()}\n\n${body.trim()}` : subject.trim();
}

/**
 * Stores a ticket inside the caller's transaction; idempotent on `externalId`. Categories given with it are human
 * labels; without any, it is queued for automatic categorisation.
 */
export async function createTicketIn(
  trx: DB,
  ticket: TicketInput,
  options: {
    config: FeedbackConfig;
    /** `ctx.keys.requesterEmail` (or `loadInstanceKeys(db)` outside the server). */
    requesterKey: Buffer;
    source: TicketSource;
    labeledBy?: string;
    strictArticle?: boolean;
  },
): Promise<CreateTicketResult> {
  const subject = options.config.redactTickets ? redactTicketText(ticket.subject) : ticket.subject;
  const body = options.config.redactTickets ? redactTicketText(ticket.body) : ticket.body;
  let articleId: number | null = null;
  if (ticket.sourceArticle) {
    const article = await trx
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', ticket.sourceArticle)
      .executeTakeFirst();
    if (!article && options.strictArticle !== false) {
      throw new AppError('VALIDATION_FAILED', `sourceArticle: no article "${ticket.sourceArticle}"`);
    }
    articleId = article?.id ?? null;
  }
  const categoryIds: number[] = [];
  if (ticket.categories.length > 0) {
    const found = await trx
      .selectFrom('taxonomy_categories')
      .select(['id', 'slug'])
      .where('slug', 'in', ticket.categories)
      .where('archived_at', 'is', null)
      .execute();
    const missing = ticket.categories.filter((slug) => !found.some((c) => c.slug === slug));
    if (missing.length > 0) {
      throw new AppError('VALIDATION_FAILED', `categories: unknown or archived: ${missing.join(', ')}`);
    }
    categoryIds.push(...found.map((c) => c.id));
  }
  const createdAt = ticket.createdAt ? new Date(ticket.createdAt) : new Date();
  const { rows } = await sql<{ id: string }>`
    INSERT INTO tickets (external_id, subject, body, channel, locale, requester, status, source_article_id, source,
                         created_at, updated_at)
    VALUES (${ticket.externalId ?? null}, ${subject}, ${body}, ${ticket.channel}, ${ticket.locale ?? null},
            ${requesterValue(ticket.requesterEmail, options.config, options.requesterKey)}, ${ticket.status}, ${articleId}, ${options.source},
            ${createdAt}, ${createdAt})
    ON CONFLICT (external_id) DO NOTHING
    RETURNING id::text AS id`.execute(trx);
  if (!rows[0]) {
    const existing = await sql<{ id: string; item_id: string | null }>`
      SELECT t.id::text AS id, i.id::text AS item_id
        FROM tickets t LEFT JOIN feedback_items i ON i.kind = 'ticket' AND i.source_id = t.id
       WHERE t.external_id = ${ticket.externalId ?? null}`.execute(trx);
    const row = existing.rows[0]!;
    return { id: Number(row.id), created: false, itemId: row.item_id === null ? null : Number(row.item_id) };
  }
  const id = Number(rows[0].id);
  const item = await recordFeedbackItem(trx, {
    kind: 'ticket',
    sourceId: id,
    text: ticketText(subject, body),
    locale: ticket.locale ?? null,
    createdAt,
  });
  if (item && categoryIds.length > 0) {
    await trx
      .insertInto('human_labels')
      .values(
        categoryIds.map((category_id) => ({
          item_id: item.id,
          category_id,
          labeled_by: options.labeledBy ?? options.source,
        })),
      )
      .execute();
  } else if (item) {
    await requestCategorisation(trx);
  }
  return { id, created: true, itemId: item?.id ?? null };
}

/** Stores a ticket in its own transaction (the operator API, the contact form). */
export async function createTicket(
  db: DB,
  ticket: TicketInput,
  options: { config: FeedbackConfig; requesterKey: Buffer; source: TicketSource; labeledBy?: string },
): Promise<CreateTicketResult> {
  return db.transaction().execute((trx) => createTicketIn(trx, ticket, options));
}

/** Changes a ticket's status (a help desk sync or an agent). */
export async function updateTicketStatus(db: DB, id: number, status: TicketInput['status']): Promise<boolean> {
  const result = await db
    .updateTable('tickets')
    .set({ status, updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
