import { type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { categoriesById, labelsOfItems, presentItemLabels } from '../classify/index.js';
// The pure form engine only (no imports of its own): the forms module's index imports this module.
import { type FormDefinition, localized } from '../forms/form-logic.js';
import type { SuspectSummary, TicketView, VoteView } from './feedback.schema.js';
import {
  SUSPECT_REASONS,
  type SuspectReason,
  type TicketSource,
  type TicketStatus,
  type VoteReason,
  type VoteSource,
} from './feedback.tables.js';

/**
 * Items labeled (by a person, or by the active model) with a category or any of its subcategories. `itemRef` is the
 * SQL expression of the item id in the outer query.
 */
async function categoryFilter(db: DB, slug: string, itemRef: RawBuilder<unknown>): Promise<RawBuilder<unknown>> {
  const ids = (
    await db
      .selectFrom('taxonomy_categories as c')
      .leftJoin('taxonomy_categories as p', 'p.id', 'c.parent_id')
      .select('c.id')
      .where((eb) => eb.or([eb('c.slug', '=', slug), eb('p.slug', '=', slug)]))
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return sql`false`;
  return sql`(EXISTS (SELECT 1 FROM human_labels h WHERE h.item_id = ${itemRef} AND h.category_id = ANY(${ids}::int[]))
          OR EXISTS (SELECT 1 FROM predicted_labels l JOIN model_versions m ON m.id = l.model_version_id AND m.is_active
                      WHERE l.item_id = ${itemRef} AND l.category_id = ANY(${ids}::int[])))`;
}

interface VoteRow {
  id: string;
  slug: string;
  locale: string;
  reader_locale: string;
  revision: number;
  helpful: boolean;
  reason: VoteReason | null;
  comment: string | null;
  source: VoteSource;
  suspect: SuspectReason | null;
  created_at: Date;
  updated_at: Date;
  item_id: string | null;
}

export interface VoteListOptions {
  article?: string | undefined;
  locale?: string | undefined;
  helpful?: boolean | undefined;
  hasComment?: boolean | undefined;
  suspect?: boolean | undefined;
  category?: string | undefined;
  since?: Date | undefined;
  limit: number;
  before?: number | undefined;
}

/** Votes, newest first, with the labels of their comments. */
export async function listVotes(
  db: DB,
  options: VoteListOptions,
): Promise<{ votes: VoteView[]; nextBefore: number | null }> {
  const filters: RawBuilder<unknown>[] = [sql`true`];
  if (options.article) filters.push(sql`a.slug = ${options.article}`);
  if (options.locale) filters.push(sql`v.reader_locale = ${options.locale}`);
  if (options.helpful !== undefined) filters.push(sql`v.helpful = ${options.helpful}`);
  if (options.hasComment !== undefined)
    filters.push(options.hasComment ? sql`v.comment IS NOT NULL` : sql`v.comment IS NULL`);
  if (options.suspect !== undefined)
    filters.push(options.suspect ? sql`v.suspect IS NOT NULL` : sql`v.suspect IS NULL`);
  if (options.since) filters.push(sql`v.updated_at >= ${options.since}`);
  if (options.before) filters.push(sql`v.id < ${options.before}`);
  if (options.category) filters.push(await categoryFilter(db, options.category, sql`i.id`));
  const { rows } = await sql<VoteRow>`
    SELECT v.id::text AS id, a.slug, v.locale, v.reader_locale, v.revision, v.helpful, v.reason, v.comment, v.source,
           v.suspect, v.created_at, v.updated_at, i.id::text AS item_id
      FROM article_votes v
      JOIN articles a ON a.id = v.article_id
      LEFT JOIN feedback_items i ON i.kind = 'vote' AND i.source_id = v.id
     WHERE ${sql.join(filters, sql` AND `)}
     ORDER BY v.id DESC
     LIMIT ${options.limit + 1}`.execute(db);
  const page = rows.slice(0, options.limit);
  const votes = await presentVotes(db, page);
  return { votes, nextBefore: rows.length > options.limit ? votes[votes.length - 1]!.id : null };
}

/** One vote by id, or null. */
export async function getVote(db: DB, id: number): Promise<VoteView | null> {
  const { rows } = await sql<VoteRow>`
    SELECT v.id::text AS id, a.slug, v.locale, v.reader_locale, v.revision, v.helpful, v.reason, v.comment, v.source,
           v.suspect, v.created_at, v.updated_at, i.id::text AS item_id
      FROM article_votes v
      JOIN articles a ON a.id = v.article_id
      LEFT JOIN feedback_items i ON i.kind = 'vote' AND i.source_id = v.id
     WHERE v.id = ${id}`.execute(db);
  return (await presentVotes(db, rows))[0] ?? null;
}

/** Loads the labels of the rows' feedback items once, and returns a presenter for one item's labels. */
async function itemLabelsPresenter(db: DB, rows: { item_id: string | null }[]) {
  const itemIds = rows.filter((r) => r.item_id !== null).map((r) => Number(r.item_id));
  const [labels, categories] = await Promise.all([
    labelsOfItems(db, itemIds),
    itemIds.length > 0 ? categoriesById(db) : Promise.resolve(new Map()),
  ]);
  return (itemId: number | null) => (itemId === null ? null : presentItemLabels(labels.get(itemId), categories));
}

async function presentVotes(db: DB, rows: VoteRow[]): Promise<VoteView[]> {
  const labelsOf = await itemLabelsPresenter(db, rows);
  return rows.map((r) => {
    const itemId = r.item_id === null ? null : Number(r.item_id);
    return {
      id: Number(r.id),
      article: r.slug,
      locale: r.locale,
      readerLocale: r.reader_locale,
      revision: r.revision,
      helpful: r.helpful,
      reason: r.reason,
      comment: r.comment,
      source: r.source,
      suspect: r.suspect,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      itemId,
      labels: labelsOf(itemId),
    };
  });
}

/**
 * How many votes given since `since` were flagged, by reason, overall and per article (the most flagged first), beside
 * how many count. For operators to see whether an article is being stuffed and how much the budgets kept out.
 */
export async function summariseSuspectVotes(
  db: DB,
  options: { since: Date; article?: string | undefined },
): Promise<SuspectSummary> {
  const { rows } = await sql<{ slug: string; counted: number } & Record<SuspectReason, number>>`
    SELECT a.slug, (count(*) FILTER (WHERE v.suspect IS NULL))::int AS counted,
           (count(*) FILTER (WHERE v.suspect = 'address_budget'))::int AS address_budget,
           (count(*) FILTER (WHERE v.suspect = 'network_budget'))::int AS network_budget,
           (count(*) FILTER (WHERE v.suspect = 'new_identity'))::int AS new_identity
      FROM article_votes v
      JOIN articles a ON a.id = v.article_id
     WHERE v.created_at >= ${options.since} ${options.article ? sql`AND a.slug = ${options.article}` : sql``}
     GROUP BY a.slug`.execute(db);
  const zero = (): Record<SuspectReason, number> => ({ address_budget: 0, network_budget: 0, new_identity: 0 });
  const byReason = zero();
  let counted = 0;
  const articles = rows.map((r) => {
    const reasons = zero();
    for (const reason of SUSPECT_REASONS) {
      reasons[reason] = r[reason];
      byReason[reason] += r[reason];
    }
    counted += r.counted;
    const suspect = SUSPECT_REASONS.reduce((sum, reason) => sum + r[reason], 0);
    return { article: r.slug, counted: r.counted, suspect, byReason: reasons };
  });
  return {
    since: options.since.toISOString(),
    counted,
    suspect: SUSPECT_REASONS.reduce((sum, reason) => sum + byReason[reason], 0),
    byReason,
    articles: articles
      .filter((a) => a.suspect > 0)
      .sort((a, b) => b.suspect - a.suspect || a.article.localeCompare(b.article))
      .slice(0, 100),
  };
}

interface TicketRow {
  id: string;
  external_id: string | null;
  subject: string;
  body: string;
  channel: string;
  locale: string | null;
  requester: string | null;
  status: TicketStatus;
  slug: string | null;
  source: TicketSource;
  created_at: Date;
  updated_at: Date;
  item_id: string | null;
  reference: string | null;
  form_id: number | null;
  form_key: string | null;
  form_version: number | null;
  form_locale: string | null;
  answers: Record<string, unknown> | null;
  context: Record<string, unknown> | null;
  prediction: { category: string; confidence: number; modelVersion: number | null } | null;
  delivery_id: string | null;
  delivery_status: 'pending' | 'delivered' | 'failed' | null;
  delivery_attempts: number | null;
  delivery_last_error: string | null;
  delivery_last_status: number | null;
  delivery_next_attempt_at: Date | null;
  delivery_delivered_at: Date | null;
  delivery_connector: 'webhook' | 'zendesk' | null;
  delivery_external_id: string | null;
}

export interface TicketListOptions {
  status?: TicketStatus | undefined;
  channel?: string | undefined;
  locale?: string | undefined;
  category?: string | undefined;
  since?: Date | undefined;
  limit: number;
  before?: number | undefined;
  /** Tickets whose help-desk delivery has this status. */
  delivery?: 'pending' | 'delivered' | 'failed' | undefined;
  /** Tickets filed through the form with this key. */
  form?: string | undefined;
}

/** A ticket with what a contact form added to it (submission, form key) and its help-desk delivery, in one row. */
const TICKET_SELECT = sql`
  SELECT t.id::text AS id, t.external_id, t.subject, t.body, t.channel, t.locale, t.requester, t.status, a.slug,
         t.source, t.created_at, t.updated_at, i.id::text AS item_id, t.reference,
         s.form_id, f.key AS form_key, s.form_version, s.locale AS form_locale, s.answers, s.context, s.prediction,
         d.delivery_id, d.status AS delivery_status, d.attempts AS delivery_attempts,
         d.last_error AS delivery_last_error, d.last_status AS delivery_last_status,
         d.next_attempt_at AS delivery_next_attempt_at, d.delivered_at AS delivery_delivered_at,
         d.connector AS delivery_connector, d.external_id AS delivery_external_id
    FROM tickets t
    LEFT JOIN articles a ON a.id = t.source_article_id
    LEFT JOIN feedback_items i ON i.kind = 'ticket' AND i.source_id = t.id
    LEFT JOIN form_submissions s ON s.ticket_id = t.id
    LEFT JOIN forms f ON f.id = s.form_id
    LEFT JOIN helpdesk_deliveries d ON d.ticket_id = t.id`;

/** Tickets, newest first, with human and predicted categories. */
export async function listTickets(
  db: DB,
  options: TicketListOptions,
): Promise<{ tickets: TicketView[]; nextBefore: number | null }> {
  const filters: RawBuilder<unknown>[] = [sql`true`];
  if (options.status) filters.push(sql`t.status = ${options.status}`);
  if (options.channel) filters.push(sql`t.channel = ${options.channel}`);
  if (options.locale) filters.push(sql`t.locale = ${options.locale}`);
  if (options.since) filters.push(sql`t.created_at >= ${options.since}`);
  if (options.before) filters.push(sql`t.id < ${options.before}`);
  if (options.category) filters.push(await categoryFilter(db, options.category, sql`i.id`));
  if (options.delivery) filters.push(sql`d.status = ${options.delivery}`);
  if (options.form) filters.push(sql`f.key = ${options.form}`);
  const { rows } = await sql<TicketRow>`${TICKET_SELECT}
     WHERE ${sql.join(filters, sql` AND `)}
     ORDER BY t.id DESC
     LIMIT ${options.limit + 1}`.execute(db);
  const tickets = await presentTickets(db, rows.slice(0, options.limit));
  return { tickets, nextBefore: rows.length > options.limit ? tickets[tickets.length - 1]!.id : null };
}

/** One ticket by id, or null. */
export async function getTicket(db: DB, id: number): Promise<TicketView | null> {
  const { rows } = await sql<TicketRow>`${TICKET_SELECT} WHERE t.id = ${id}`.execute(db);
  return (await presentTickets(db, rows))[0] ?? null;
}

/** The form versions the rows answered (one query for all of them), keyed "formId:version". */
async function formVersionsOf(db: DB, rows: TicketRow[]): Promise<Map<string, FormDefinition>> {
  const pairs = [...new Set(rows.filter((r) => r.form_id !== null).map((r) => `${r.form_id}:${r.form_version}`))];
  if (pairs.length === 0) return new Map();
  const { rows: versions } = await sql<{ form_id: number; version: number; definition: FormDefinition }>`
    SELECT form_id, version, definition FROM form_versions
     WHERE (form_id::text || ':' || version::text) = ANY(${pairs}::text[])`.execute(db);
  return new Map(versions.map((v) => [`${v.form_id}:${v.version}`, v.definition]));
}

/** The rows' attachments (one query for all of them), without their bytes, by ticket id. */
async function attachmentsOf(db: DB, rows: TicketRow[]): Promise<Map<number, NonNullable<TicketView['attachments']>>> {
  const ids = rows.filter((r) => r.form_id !== null).map((r) => Number(r.id));
  const byTicket = new Map<number, NonNullable<TicketView['attachments']>>();
  if (ids.length === 0) return byTicket;
  const { rows: files } = await sql<{
    id: string;
    ticket_id: string;
    field: string;
    filename: string;
    content_type: string;
    size: number;
  }>`
    SELECT id::text AS id, ticket_id::text AS ticket_id, field, filename, content_type, size
      FROM ticket_attachments WHERE ticket_id = ANY(${ids}::bigint[]) ORDER BY id`.execute(db);
  for (const f of files) {
    const ticketId = Number(f.ticket_id);
    const list = byTicket.get(ticketId) ?? [];
    list.push({
      id: Number(f.id),
      field: f.field,
      filename: f.filename,
      contentType: f.content_type,
      size: f.size,
      url: `/api/tickets/${ticketId}/attachments/${f.id}`,
    });
    byTicket.set(ticketId, list);
  }
  return byTicket;
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function presentForm(r: TicketRow, definition: FormDefinition | undefined): TicketView['form'] {
  if (r.form_key === null || r.form_version === null) return null;
  return {
    key: r.form_key,
    version: r.form_version,
    locale: r.form_locale ?? '',
    answers: r.answers ?? {},
    fields: (definition?.fields ?? []).map((field) => ({
      name: field.name,
      type: field.type,
      label: localized(field.label, definition!.defaultLocale, definition!.defaultLocale) || field.name,
    })),
    context: r.context ?? {},
    prediction: r.prediction,
  };
}

function presentDelivery(r: TicketRow): TicketView['delivery'] {
  if (r.delivery_id === null || r.delivery_status === null) return null;
  return {
    deliveryId: r.delivery_id,
    status: r.delivery_status,
    attempts: r.delivery_attempts ?? 0,
    lastError: r.delivery_last_error,
    lastStatus: r.delivery_last_status,
    nextAttemptAt: r.delivery_status === 'pending' ? iso(r.delivery_next_attempt_at) : null,
    deliveredAt: iso(r.delivery_delivered_at),
    connector: r.delivery_connector,
    externalId: r.delivery_external_id,
  };
}

async function presentTickets(db: DB, rows: TicketRow[]): Promise<TicketView[]> {
  const [labelsOf, definitions, attachments] = await Promise.all([
    itemLabelsPresenter(db, rows),
    formVersionsOf(db, rows),
    attachmentsOf(db, rows),
  ]);
  return rows.map((r) => {
    const itemId = r.item_id === null ? null : Number(r.item_id);
    const id = Number(r.id);
    return {
      id,
      reference: r.reference,
      externalId: r.external_id,
      subject: r.subject,
      body: r.body,
      channel: r.channel,
      locale: r.locale,
      requester: r.requester,
      status: r.status,
      sourceArticle: r.slug,
      source: r.source,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      itemId,
      labels: labelsOf(itemId),
      form: presentForm(r, definitions.get(`${r.form_id}:${r.form_version}`)),
      delivery: presentDelivery(r),
      attachments: attachments.get(id) ?? [],
    };
  });
}
