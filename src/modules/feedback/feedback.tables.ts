import type { ColumnType, Generated } from 'kysely';

/** bigint identities: node-postgres returns them as strings, PGlite as numbers; convert with Number() at the edge. */
type BigId = ColumnType<number | string, never, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Why a reader said an article did not help; the same codes as the tracking plan's "Article Voted". */
export const VOTE_REASONS = [
  'inaccurate',
  'hard_to_understand',
  'missing_information',
  'did_not_solve',
  'other',
] as const;
export type VoteReason = (typeof VOTE_REASONS)[number];
export type VoteSource = 'site' | 'api' | 'demo' | 'import';

/**
 * Why a vote was kept out of ratings: its address, or its network (/24, /64), had already spent its daily budget on
 * the article, or the reader identity was brand new while its network had already voted there.
 */
export const SUSPECT_REASONS = ['address_budget', 'network_budget', 'new_identity'] as const;
export type SuspectReason = (typeof SUSPECT_REASONS)[number];

export const TICKET_STATUSES = ['new', 'open', 'pending', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketSource = 'api' | 'import' | 'contact_form' | 'demo';

export interface ArticleVotesTable {
  id: BigId;
  article_id: number;
  revision_id: number;
  revision: number;
  locale: string;
  reader_locale: string;
  reader_id: string;
  helpful: boolean;
  reason: VoteReason | null;
  comment: string | null;
  source: Generated<VoteSource>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** Null for a vote that counts; otherwise why it is left out of every rating. */
  suspect: ColumnType<SuspectReason | null, SuspectReason | null | undefined, never>;
  /** Keyed hashes (HMAC) of the client's address and network, for budgets; null for demo and older votes. */
  address_key: ColumnType<string | null, string | null | undefined, never>;
  network_key: ColumnType<string | null, string | null | undefined, never>;
  /** An imported vote's id in the system it came from (idempotent imports); null for votes given here. */
  external_id: ColumnType<string | null, string | null | undefined, never>;
}

export interface TicketsTable {
  id: BigId;
  external_id: string | null;
  subject: string;
  body: string;
  channel: string;
  locale: string | null;
  requester: string | null;
  status: Generated<TicketStatus>;
  source_article_id: number | null;
  source: TicketSource;
  /** The short random reference a reader is shown (form submissions; null for other tickets). */
  reference: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface FeedbackTables {
  article_votes: ArticleVotesTable;
  tickets: TicketsTable;
}
