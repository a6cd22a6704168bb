/** Zod schemas of the feedback API: votes (public) and tickets (operator). */
import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { ZText } from '../../shared/text.js';
import { ZItemLabelsView } from '../classify/index.js';
import { ZLocale, ZSlug } from '../content/index.js';
// The schema file only (zod and the pure form engine): the forms module's index imports this module.
import { ZFormKey } from '../forms/forms.schema.js';
import { SUSPECT_REASONS, TICKET_STATUSES, VOTE_REASONS } from './feedback.tables.js';

export const ZVoteReason = z.enum(VOTE_REASONS, { error: () => `must be one of ${VOTE_REASONS.join(', ')}` });
export const ZSuspectReason = z.enum(SUSPECT_REASONS);

/** Optional text: trimmed; an empty string means none. */
const optionalText = (max: number, what: string) =>
  z
    .string()
    .max(max * 2, `${what} is too long`)
    .transform((s) => s.trim())
    .refine((s) => s.length <= max, `${what} must be at most ${max} characters`)
    .transform((s) => (s.length === 0 ? null : s))
    .nullish();

export const ZVoteRequest = z.object({
  /** The article's slug. */
  article: ZSlug,
  /** The language of the page the reader voted on. */
  locale: ZLocale,
  /** The language of the text they read, when it differs (a fallback to the source language). */
  articleLocale: ZLocale.optional(),
  /** The revision number the reader saw; must be the one published now (default: the published one). */
  revision: z.number().int().min(1).max(1_000_000_000).optional(),
  helpful: z.boolean(),
  reason: ZVoteReason.nullish(),
  comment: optionalText(LIMITS.voteComment, 'the comment'),
  /** Honeypot: a field people never see and bots fill in. Must be empty. */
  website: z.string().max(500).optional(),
});
export type VoteRequest = z.input<typeof ZVoteRequest>;

export const ZVoteResponse = z.object({
  /** True when the vote was stored (or, for a suspected bot, looks as if it was). */
  ok: z.literal(true),
  helpful: z.boolean(),
  reason: ZVoteReason.nullable(),
  hasComment: z.boolean(),
  revision: z.number().int(),
  /** Where a reader whose question is still open can ask for help (after a "no"). */
  contactUrl: z.string().nullable(),
});

export const ZVoteView = z.object({
  id: z.number().int(),
  article: z.string(),
  locale: z.string(),
  readerLocale: z.string(),
  revision: z.number().int(),
  helpful: z.boolean(),
  reason: ZVoteReason.nullable(),
  comment: z.string().nullable(),
  source: z.enum(['site', 'api', 'demo', 'import']),
  /** Null when the vote counts; otherwise why it was flagged and left out of every rating. */
  suspect: ZSuspectReason.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Labels of the comment (null without a comment, and for a suspect vote, whose comment is not classified). */
  itemId: z.number().int().nullable(),
  labels: ZItemLabelsView.nullable(),
});
export type VoteView = z.infer<typeof ZVoteView>;

export const ZVoteListQuery = z.object({
  article: ZSlug.optional(),
  locale: ZLocale.optional(),
  helpful: z.enum(['true', 'false']).optional(),
  hasComment: z.enum(['true', 'false']).optional(),
  /** Only flagged votes ('true') or only counted ones ('false'). */
  suspect: z.enum(['true', 'false']).optional(),
  /** Only votes whose comment has this category (human or predicted by the active model). */
  category: ZSlug.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Votes with a smaller id than this (the previous page's `nextBefore`). */
  before: z.coerce.number().int().min(1).optional(),
});

const ZSuspectCounts = z.object({
  address_budget: z.number().int(),
  network_budget: z.number().int(),
  new_identity: z.number().int(),
});

export const ZSuspectSummaryQuery = z.object({
  /** Votes given since (default: 7 days ago). */
  since: z.iso.datetime({ offset: true }).optional(),
  article: ZSlug.optional(),
});

export const ZSuspectSummary = z
  .object({
    since: z.string(),
    /** Votes that count in ratings. */
    counted: z.number().int(),
    /** Votes stored but left out of every rating. */
    suspect: z.number().int(),
    byReason: ZSuspectCounts,
    /** Articles with flagged votes, most flagged first (at most 100). */
    articles: z.array(
      z.object({ article: z.string(), counted: z.number().int(), suspect: z.number().int(), byReason: ZSuspectCounts }),
    ),
  })
  .describe(
    'A flagged vote went past a budget; it is not proven fraudulent (a busy office can pass one), and a counted ' +
      'vote is not proven genuine (a client spread over many networks stays within every budget).',
  );
export type SuspectSummary = z.infer<typeof ZSuspectSummary>;

export const ZTicketChannel = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_-]{0,29}$/, 'must be a short lowercase word such as "web", "email" or "chat"');

/** A ticket's language: any BCP 47 tag; kept as its primary subtag ("pt-BR" → "pt"). */
export const ZTicketLocale = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "pt-BR"')
  .transform((tag) => tag.split(/[-_]/)[0]!.toLowerCase());

export const ZTicketStatus = z.enum(TICKET_STATUSES, { error: () => `must be one of ${TICKET_STATUSES.join(', ')}` });

export const ZCreateTicketRequest = z.object({
  /** The help desk's id for it; a second create with the same id returns the first ticket instead. */
  externalId: ZText.trim().min(1).max(LIMITS.ticketExternalId).optional(),
  subject: ZText.trim().min(1, 'the subject is empty').max(LIMITS.ticketSubject),
  body: ZText.max(LIMITS.ticketBody).default(''),
  channel: ZTicketChannel.default('api'),
  locale: ZTicketLocale.optional(),
  requesterEmail: z.email().max(LIMITS.requesterEmail).optional(),
  status: ZTicketStatus.default('new'),
  /** The article the requester came from, when known. */
  sourceArticle: ZSlug.optional(),
  /** Categories a person already gave it (taxonomy slugs); kept as human labels. */
  categories: z.array(ZSlug).max(LIMITS.labelsPerItem).default([]),
  createdAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateTicketRequest = z.input<typeof ZCreateTicketRequest>;

/** Where a ticket stands in the help-desk outbox (module forms; null: not forwarded, it stays in Answerloop). */
export const ZTicketDelivery = z.object({
  /** X-Answerloop-Delivery and the idempotency key, the same on every attempt. */
  deliveryId: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** The HTTP status of the last attempt (null: no answer). */
  lastStatus: z.number().int().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  connector: z.enum(['webhook', 'zendesk']).nullable(),
  /** The help desk's own id of the ticket, when it said. */
  externalId: z.string().nullable(),
});

/** What a contact-form submission added to its ticket. */
export const ZTicketForm = z.object({
  key: z.string(),
  version: z.number().int(),
  locale: z.string(),
  /** The visible fields' answers, by field name (a file answer is its descriptor). */
  answers: z.record(z.string(), z.unknown()),
  /** The fields of that version with their labels in the form's default locale, in order, to show the answers. */
  fields: z.array(z.object({ name: z.string(), type: z.string(), label: z.string() })),
  context: z.record(z.string(), z.unknown()),
  /** The active classifier's prediction when it was filed. */
  prediction: z
    .object({ category: z.string(), confidence: z.number(), modelVersion: z.number().int().nullable() })
    .nullable(),
});

export const ZTicketAttachment = z.object({
  id: z.number().int(),
  field: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  /** The operator-only download (always Content-Disposition: attachment). */
  url: z.string(),
});

export const ZTicketView = z.object({
  id: z.number().int(),
  /** The reference the reader was shown (form submissions). */
  reference: z.string().nullable().optional(),
  externalId: z.string().nullable(),
  subject: z.string(),
  body: z.string(),
  channel: z.string(),
  locale: z.string().nullable(),
  /** A keyed hash ("hmac:…"; "sha256:…" on tickets stored before keyed hashing) unless plain emails are configured. */
  requester: z.string().nullable(),
  status: ZTicketStatus,
  sourceArticle: z.string().nullable(),
  source: z.enum(['api', 'import', 'contact_form', 'demo']),
  createdAt: z.string(),
  updatedAt: z.string(),
  itemId: z.number().int().nullable(),
  /** Human categories and the model's, kept apart. */
  labels: ZItemLabelsView.nullable(),
  form: ZTicketForm.nullable().optional(),
  delivery: ZTicketDelivery.nullable().optional(),
  attachments: z.array(ZTicketAttachment).optional(),
});
export type TicketView = z.infer<typeof ZTicketView>;

export const ZTicketListQuery = z.object({
  status: ZTicketStatus.optional(),
  channel: ZTicketChannel.optional(),
  locale: ZTicketLocale.optional(),
  category: ZSlug.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional(),
  /** Tickets whose help-desk delivery has this status (module forms). */
  delivery: z.enum(['pending', 'delivered', 'failed']).optional(),
  /** Tickets filed through the form with this key. */
  form: ZFormKey.optional(),
});
