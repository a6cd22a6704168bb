import { sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { LIMITS } from '../../shared/limits.js';
import { ZText } from '../../shared/text.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
// The file, not the insights index: that index's schema imports feedback, which imports this module.
import { dayOf, daysBetween, markInsightDaysDirty } from '../insights/roll-up-insights.js';
import { ZLocale, ZSlug } from './content.schema.js';
import { revisionAuditFields } from './save-article.js';

/** One revision of an imported history. */
export const ZHistoryRevision = z.object({
  title: ZText.trim().min(1).max(LIMITS.articleTitle),
  body: ZText.max(LIMITS.articleBody),
  createdAt: z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .transform((v) => new Date(v)),
  author: ZText.trim().min(1).max(LIMITS.authorName),
  /** Default: the article's keywords. */
  keywords: z.array(ZText.trim().min(1).max(LIMITS.keyword)).max(LIMITS.keywords).optional(),
});
export type HistoryRevision = z.output<typeof ZHistoryRevision>;

export interface ImportArticleHistoryInput {
  slug: string;
  locale: string;
  topic: string;
  keywords: string[];
  position?: number | undefined;
  /** Oldest first, at least one, each created after the one before. */
  revisions: HistoryRevision[];
  /** Publish the last revision, with each earlier one live from its createdAt until the next one's. */
  publish: boolean;
}

export interface ImportArticleHistoryResult {
  articleId: number;
  /** Revisions written now, and revisions of the file already stored (matched by number, date and text). */
  added: number;
  kept: number;
  /** The revision number published by this import, or null when nothing was published. */
  published: number | null;
}

const sameInstant = (a: Date, b: Date) => a.getTime() === b.getTime();

/**
 * Imports an article translation with its revision history from another help center, in one transaction: revisions
 * keep their dates and authors, the last is published, and the publication history says which revision was live
 * when, so insights work from day one. Re-importing the same history changes nothing; a longer one (newer
 * revisions appended) adds only those. History can't be inserted before revisions already stored.
 */
export async function importArticleHistory(
  db: DB,
  input: ImportArticleHistoryInput,
  options: { actor: AuditActor; bus?: Bus | undefined; now?: Date },
): Promise<ImportArticleHistoryResult> {
  const slug = ZSlug.parse(input.slug);
  const locale = ZLocale.parse(input.locale);
  const topicSlug = ZSlug.parse(input.topic);
  const revisions = input.revisions;
  const now = options.now ?? new Date();
  if (revisions.length === 0) throw new AppError('VALIDATION_FAILED', 'revisions: at least one is needed');
  revisions.forEach((r, i) => {
    if (r.createdAt.getTime() > now.getTime()) {
      throw new AppError(
        'VALIDATION_FAILED',
        `revisions.${i}.createdAt: ${r.createdAt.toISOString()} is in the future`,
      );
    }
    const previous = revisions[i - 1];
    if (previous && r.createdAt.getTime() <= previous.createdAt.getTime()) {
      throw new AppError(
        'VALIDATION_FAILED',
        `revisions.${i}.createdAt: revisions go oldest first, each after the one before`,
      );
    }
  });
  const outcome = await db.transaction().execute(async (trx) => {
    let topic = await trx.selectFrom('topics').select('id').where('slug', '=', topicSlug).executeTakeFirst();
    if (!topic) {
      topic = await trx.insertInto('topics').values({ slug: topicSlug }).returning('id').executeTakeFirstOrThrow();
      const name = topicSlug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
      await trx.insertInto('topic_translations').values({ topic_id: topic.id, locale: 'en', name }).execute();
    }
    let article = await trx
      .selectFrom('articles')
      .select(['id', 'source_locale'])
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (!article) {
      article = await trx
        .insertInto('articles')
        .values({ slug, topic_id: topic.id, source_locale: locale, position: input.position ?? 0 })
        .returning(['id', 'source_locale'])
        .executeTakeFirstOrThrow();
    }
    let translation = await trx
      .selectFrom('article_translations')
      .select(['id', 'published_revision_id'])
      .where('article_id', '=', article.id)
      .where('locale', '=', locale)
      .forUpdate()
      .executeTakeFirst();
    if (!translation) {
      translation = await trx
        .insertInto('article_translations')
        .values({ article_id: article.id, locale, published_revision_id: null, published_at: null })
        .returning(['id', 'published_revision_id'])
        .executeTakeFirstOrThrow();
    }
    const stored = await trx
      .selectFrom('article_revisions')
      .select(['id', 'number', 'title', 'body_md', 'created_at'])
      .where('translation_id', '=', translation.id)
      .orderBy('number')
      .execute();
    // The file's history must begin with what is stored: same number, date and text.
    for (const [i, existing] of stored.entries()) {
      const wanted = revisions[i];
      if (!wanted) break;
      if (
        !sameInstant(existing.created_at, wanted.createdAt) ||
        existing.title !== wanted.title ||
        existing.body_md !== wanted.body
      ) {
        throw new AppError(
          'CONFLICT',
          `revision ${i + 1} differs from the stored revision ${existing.number} of "${slug}" in ${locale} ` +
            `(${existing.created_at.toISOString()}); an import can only add newer revisions to a stored history`,
        );
      }
    }
    const fresh = revisions.slice(stored.length);
    const last = stored.at(-1);
    if (last && fresh[0] && fresh[0].createdAt.getTime() <= last.created_at.getTime()) {
      throw new AppError(
        'CONFLICT',
        `revision ${stored.length + 1} of "${slug}" in ${locale} is dated before the stored revision ${last.number}`,
      );
    }
    if (fresh.length === 0) return { articleId: article.id, added: 0, kept: stored.length, published: null };

    // A translation's revision was translated from the source revision of its time.
    const source =
      locale === article.source_locale
        ? []
        : await trx
            .selectFrom('article_revisions as r')
            .innerJoin('article_translations as t', 't.id', 'r.translation_id')
            .select(['r.id', 'r.created_at'])
            .where('t.article_id', '=', article.id)
            .where('t.locale', '=', article.source_locale)
            .orderBy('r.number')
            .execute();
    const sourceAt = (at: Date) =>
      source.filter((s) => s.created_at.getTime() <= at.getTime()).at(-1)?.id ?? source[0]?.id ?? null;
    const inserted = await trx
      .insertInto('article_revisions')
      .values(
        fresh.map((r, i) => ({
          translation_id: translation.id,
          number: stored.length + i + 1,
          title: r.title,
          body_md: r.body,
          keywords: r.keywords ?? input.keywords,
          author: r.author,
          source_revision_id: sourceAt(r.createdAt),
          created_at: r.createdAt,
        })),
      )
      .returning(['id', 'number'])
      .execute();
    inserted.sort((a, b) => a.number - b.number);
    const newest = inserted.at(-1)!;
    const newestAt = fresh.at(-1)!.createdAt;

    let published: number | null = null;
    if (input.publish) {
      // Each new revision was live from its date until the next one's; the trigger records the last (backdated by
      // published_at) when the translation is updated, after the live row is closed where the history moved on.
      await sql`UPDATE revision_publications SET ended_at = greatest(${fresh[0]!.createdAt.toISOString()}::timestamptz, started_at)
        WHERE translation_id = ${translation.id} AND ended_at IS NULL`.execute(trx);
      const earlier = inserted.slice(0, -1);
      if (earlier.length > 0) {
        await trx
          .insertInto('revision_publications')
          .values(
            earlier.map((r, i) => ({
              translation_id: translation.id,
              revision_id: r.id,
              started_at: fresh[i]!.createdAt,
              ended_at: fresh[i + 1]!.createdAt,
            })),
          )
          .execute();
      }
      await trx
        .updateTable('article_translations')
        .set({ status: 'published', published_revision_id: newest.id, published_at: newestAt, updated_at: sql`now()` })
        .where('id', '=', translation.id)
        .execute();
      published = newest.number;
      // Views and tickets from the first new publication on now belong to other revisions.
      await markInsightDaysDirty(trx, daysBetween(dayOf(fresh[0]!.createdAt), dayOf(now)));
    } else {
      await trx
        .updateTable('article_translations')
        .set({ updated_at: sql`now()` })
        .where('id', '=', translation.id)
        .execute();
    }
    const newestRevision = fresh.at(-1)!;
    await recordAudit(trx, {
      actor: options.actor,
      action: 'article.import-history',
      object: { type: 'article', id: `${slug}/${locale}` },
      before: last ? { revision: last.number } : null,
      after: {
        revision: newest.number,
        revisionsAdded: inserted.length,
        publishedRevision: published,
        ...revisionAuditFields({
          title: newestRevision.title,
          body: newestRevision.body,
          keywords: newestRevision.keywords ?? input.keywords,
          topic: topicSlug,
          position: input.position ?? 0,
        }),
      },
    });
    return {
      articleId: article.id,
      added: inserted.length,
      kept: stored.length,
      published,
      revisionId: newest.id,
    };
  });
  if (outcome.published !== null && 'revisionId' in outcome) {
    options.bus?.emit('article.published', {
      articleId: outcome.articleId,
      slug,
      locale,
      revisionId: outcome.revisionId,
    });
  }
  return { articleId: outcome.articleId, added: outcome.added, kept: outcome.kept, published: outcome.published };
}
