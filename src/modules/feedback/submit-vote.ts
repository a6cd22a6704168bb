import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import { LIMITS } from '../../shared/limits.js';
import { identityAgeMs } from '../../shared/reader-identity.js';
import { recordFeedbackItem, removeFeedbackItem, requestCategorisation } from '../classify/index.js';
import { type ContentReader, getPublishedArticle } from '../content/index.js';
import { redactPersonalData } from '../search/index.js';
import { assessVote, clientKeys, type VoteClient } from './assess-vote.js';
import type { SuspectReason, VoteReason, VoteSource } from './feedback.tables.js';

export interface SubmitVoteInput {
  slug: string;
  /** The page's language. */
  locale: string;
  /** The language of the text read, when known (default: what the page showed for `locale`). */
  articleLocale?: string | undefined;
  /** Revision number the reader saw; it must be the one published now (default: the published one). */
  revision?: number | undefined;
  helpful: boolean;
  reason?: VoteReason | null | undefined;
  comment?: string | null | undefined;
  readerId: string;
  source: VoteSource;
  /** Who sent it, for the vote budgets; without it (operator tools, seeding) the vote is not budgeted. */
  client?: VoteClient | undefined;
  /** When the vote was given (seeding); default now. */
  at?: Date;
}

export interface SubmitVoteOptions {
  /** The site's cached reader of published articles (the page was just rendered, so usually a cache hit). */
  content?: Pick<ContentReader, 'article'> | undefined;
  /** The installation's key for hashing client addresses (`ctx.keys.network`); required with `input.client`. */
  networkKey?: Buffer | undefined;
}

export interface SubmitVoteResult {
  voteId: number;
  articleId: number;
  revisionId: number;
  revision: number;
  articleLocale: string;
  helpful: boolean;
  reason: VoteReason | null;
  comment: string | null;
  /** False when the reader had already voted on this revision and changed (or repeated) the vote. */
  created: boolean;
  /** Null when the vote counts; otherwise why it is stored but left out of every rating. */
  suspect: SuspectReason | null;
  /** The comment's feedback item, queued for classification when new or changed. */
  itemId: number | null;
}

/** A vote comment as stored: anonymous readers' pasted emails, numbers and links are replaced. */
export function cleanComment(comment: string | null | undefined): string | null {
  if (!comment) return null;
  const cleaned = redactPersonalData(comment).slice(0, LIMITS.voteComment).trim();
  return cleaned.length > 0 ? cleaned : null;
}

/**
 * Records a reader's "was this helpful?" answer on the revision published now: one per reader per revision, changed
 * by voting again. A vote from a client past its budget on the article is stored but flagged (`suspect`) and left out
 * of every rating; it gets the same answer as any other, so a stuffer learns nothing. A counted vote's comment
 * becomes a feedback item and a categorisation job is queued in the same transaction.
 */
export async function submitVote(
  db: DB,
  input: SubmitVoteInput,
  options: SubmitVoteOptions = {},
): Promise<SubmitVoteResult> {
  const locale = input.articleLocale ?? input.locale;
  const published = (fresh: boolean) =>
    options.content && !fresh
      ? options.content.article(input.slug, locale)
      : getPublishedArticle(db, input.slug, locale);
  let article = await published(false);
  if (article && input.revision !== undefined && input.revision !== article.revision && options.content) {
    // The cache may not have seen a publish made by another process yet: ask the database before refusing.
    article = await published(true);
  }
  if (!article || (input.articleLocale && article.locale !== input.articleLocale)) {
    throw notFound(`published article "${input.slug}"${input.articleLocale ? ` in ${input.articleLocale}` : ''}`);
  }
  if (input.revision !== undefined && input.revision !== article.revision) {
    // One answer for an older, an unpublished and an unknown revision: nothing about drafts leaks, and a reader
    // whose page predates a publish is told to read what is there now.
    throw new AppError(
      'VOTE_REVISION_NOT_CURRENT',
      'this article has changed since the page was loaded; reload it to read the current version and vote on that',
    );
  }
  const current = article;
  const { articleId, revisionId, revision } = current;
  if (input.client && !options.networkKey) throw new Error('submitVote: a client needs options.networkKey');
  const keys = input.client && options.networkKey ? clientKeys(options.networkKey, input.client.ip) : null;
  const reason = input.helpful ? null : (input.reason ?? null);
  const comment = input.helpful ? null : cleanComment(input.comment);
  const at = input.at ?? new Date();
  return db.transaction().execute(async (trx) => {
    let assessed: SuspectReason | null = null;
    if (input.client && keys) {
      // Serialise the votes of one network on one article, so a burst can't all read the same count and all pass.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${keys.network}), ${articleId})`.execute(trx);
      const since = new Date(at.getTime() - LIMITS.voteBudgetWindowMs);
      const { rows } = await sql<{ address_votes: number; network_votes: number }>`
        SELECT (count(*) FILTER (WHERE address_key = ${keys.address}))::int AS address_votes,
               count(*)::int AS network_votes
          FROM article_votes
         WHERE article_id = ${articleId} AND network_key = ${keys.network} AND suspect IS NULL
           AND created_at > ${since} AND reader_id <> ${input.readerId}`.execute(trx);
      const usage = rows[0] ?? { address_votes: 0, network_votes: 0 };
      assessed = assessVote(
        { addressVotes: usage.address_votes, networkVotes: usage.network_votes },
        { isNew: input.client.identityIsNew, ageMs: identityAgeMs({ issuedAt: input.client.identityIssuedAt }, at) },
      );
    }
    // A changed vote keeps the verdict and the keys of the first one: it is the same reader's one vote.
    const { rows } = await sql<{ id: string; inserted: boolean; suspect: SuspectReason | null }>`
      INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful, reason,
                                 comment, source, created_at, updated_at, suspect, address_key, network_key)
      VALUES (${articleId}, ${revisionId}, ${revision}, ${current.locale}, ${input.locale}, ${input.readerId},
              ${input.helpful}, ${reason}, ${comment}, ${input.source}, ${at}, ${at}, ${assessed},
              ${keys?.address ?? null}, ${keys?.network ?? null})
      ON CONFLICT (revision_id, reader_id) DO UPDATE
        SET helpful = excluded.helpful, reason = excluded.reason, comment = excluded.comment,
            reader_locale = excluded.reader_locale, updated_at = excluded.updated_at
      RETURNING id::text AS id, (xmax = 0) AS inserted, suspect`.execute(trx);
    const row = rows[0]!;
    const voteId = Number(row.id);
    let itemId: number | null = null;
    // A suspect vote's comment is kept with the vote for operators, but not fed to the classifier and its counts.
    if (comment && row.suspect === null) {
      const item = await recordFeedbackItem(trx, {
        kind: 'vote',
        sourceId: voteId,
        text: comment,
        locale: input.locale,
        createdAt: at,
      });
      itemId = item?.id ?? null;
      if (item?.changed) await requestCategorisation(trx);
    } else {
      await removeFeedbackItem(trx, 'vote', voteId);
    }
    return {
      voteId,
      articleId,
      revisionId,
      revision,
      articleLocale: current.locale,
      helpful: input.helpful,
      reason,
      comment,
      created: row.inserted,
      suspect: row.suspect,
      itemId,
    };
  });
}

/** The reader's current vote on a revision, for rendering the widget in its answered state. */
export async function readerVote(
  db: DB,
  readerId: string,
  revisionId: number,
): Promise<{ helpful: boolean; reason: VoteReason | null; hasComment: boolean } | null> {
  const row = await db
    .selectFrom('article_votes')
    .select(['helpful', 'reason', 'comment'])
    .where('revision_id', '=', revisionId)
    .where('reader_id', '=', readerId)
    .executeTakeFirst();
  return row ? { helpful: row.helpful, reason: row.reason, hasComment: row.comment !== null } : null;
}
