import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import { LIMITS } from '../../shared/limits.js';
import { recordFeedbackItem, removeFeedbackItem, requestCategorisation } from '../classify/index.js';
import { type ContentReader, getPublishedArticle } from '../content/index.js';
import { redactPersonalData } from '../search/index.js';
import type { VoteReason, VoteSource } from './feedback.tables.js';

export interface SubmitVoteInput {
  slug: string;
  /** The page's language. */
  locale: string;
  /** The language of the text read, when known (default: what the page showed for `locale`). */
  articleLocale?: string | undefined;
  /** Revision number the reader saw (default: the published one). */
  revision?: number | undefined;
  helpful: boolean;
  reason?: VoteReason | null | undefined;
  comment?: string | null | undefined;
  readerId: string;
  source: VoteSource;
  /** When the vote was given (seeding); default now. */
  at?: Date;
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
 * Records a reader's "was this helpful?" answer: one per reader per revision, changed by voting again. A comment
 * becomes a feedback item and a categorisation job is queued in the same transaction.
 */
export async function submitVote(
  db: DB,
  input: SubmitVoteInput,
  content?: Pick<ContentReader, 'article'>,
): Promise<SubmitVoteResult> {
  const locale = input.articleLocale ?? input.locale;
  // The site's cached reader when given: the article was just rendered, so this is usually a cache hit.
  const article = content
    ? await content.article(input.slug, locale)
    : await getPublishedArticle(db, input.slug, locale);
  if (!article || (input.articleLocale && article.locale !== input.articleLocale)) {
    throw notFound(`published article "${input.slug}"${input.articleLocale ? ` in ${input.articleLocale}` : ''}`);
  }
  let revisionId = article.revisionId;
  let revision = article.revision;
  if (input.revision !== undefined && input.revision !== article.revision) {
    // The reader loaded the page before a newer revision was published: the vote belongs to what they read.
    const { rows } = await sql<{ id: number }>`
      SELECT r.id FROM article_revisions r
        JOIN article_translations t ON t.id = r.translation_id
       WHERE t.article_id = ${article.articleId} AND t.locale = ${article.locale} AND r.number = ${input.revision}`.execute(
      db,
    );
    if (!rows[0]) {
      throw new AppError(
        'VALIDATION_FAILED',
        `revision ${input.revision} of "${input.slug}" (${article.locale}) does not exist`,
      );
    }
    revisionId = rows[0].id;
    revision = input.revision;
  }
  const reason = input.helpful ? null : (input.reason ?? null);
  const comment = input.helpful ? null : cleanComment(input.comment);
  const at = input.at ?? new Date();
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: string; inserted: boolean }>`
      INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful, reason,
                                 comment, source, created_at, updated_at)
      VALUES (${article.articleId}, ${revisionId}, ${revision}, ${article.locale}, ${input.locale}, ${input.readerId},
              ${input.helpful}, ${reason}, ${comment}, ${input.source}, ${at}, ${at})
      ON CONFLICT (revision_id, reader_id) DO UPDATE
        SET helpful = excluded.helpful, reason = excluded.reason, comment = excluded.comment,
            reader_locale = excluded.reader_locale, updated_at = excluded.updated_at
      RETURNING id::text AS id, (xmax = 0) AS inserted`.execute(trx);
    const row = rows[0]!;
    const voteId = Number(row.id);
    let itemId: number | null = null;
    if (comment) {
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
      articleId: article.articleId,
      revisionId,
      revision,
      articleLocale: article.locale,
      helpful: input.helpful,
      reason,
      comment,
      created: row.inserted,
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
