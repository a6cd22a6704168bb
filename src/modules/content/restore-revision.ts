import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { recordAudit } from '../accounts/index.js';
import { assertMayEditTranslation, authorOf, type ContentActor, DEFAULT_CONTENT_ACTOR } from './content-actor.js';
import { loadTranslationForWrite } from './publish-translation.js';
import { revisionAuditFields } from './save-article.js';

export interface RevisionWriteOptions {
  bus?: Bus | undefined;
  /** Who writes, for the audit log and the revision's author; a translator is held to their locales. */
  actor?: ContentActor | undefined;
}

export interface NewRevision {
  title: string;
  body_md: string;
  keywords: string[];
  source_revision_id: number | null;
}

/** Appends revision N+1 to a translation (revisions are immutable: a change is always a new one). */
export async function appendRevision(
  trx: DB,
  translationId: number,
  revision: NewRevision,
  author: string,
): Promise<{ id: number; number: number }> {
  const latest = await trx
    .selectFrom('article_revisions')
    .select(sql<number>`coalesce(max(number), 0)`.as('n'))
    .where('translation_id', '=', translationId)
    .executeTakeFirstOrThrow();
  const number = latest.n + 1;
  const row = await trx
    .insertInto('article_revisions')
    .values({ translation_id: translationId, number, author, ...revision })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('article_translations')
    .set({ updated_at: sql`now()` })
    .where('id', '=', translationId)
    .execute();
  return { id: row.id, number };
}

/** Makes a translation's published revision the given one. */
export async function publishRevisionIn(trx: DB, translationId: number, revisionId: number): Promise<void> {
  await trx
    .updateTable('article_translations')
    .set({ status: 'published', published_revision_id: revisionId, published_at: sql`now()` })
    .where('id', '=', translationId)
    .execute();
}

/**
 * Restores revision K of a translation as a new revision N+1 with K's title, body, keywords and source revision
 * (K's text was translated from that source), publishing it when asked.
 */
export async function restoreRevision(
  db: DB,
  input: { slug: string; locale: string; number: number; publish?: boolean | undefined },
  options: RevisionWriteOptions = {},
): Promise<{ revision: number; revisionId: number; published: boolean }> {
  const actor = options.actor ?? DEFAULT_CONTENT_ACTOR;
  const result = await db.transaction().execute(async (trx) => {
    const translation = await loadTranslationForWrite(trx, input.slug, input.locale);
    assertMayEditTranslation(actor, input.locale, translation.source_locale);
    const old = await trx
      .selectFrom('article_revisions')
      .select(['title', 'body_md', 'keywords', 'source_revision_id'])
      .where('translation_id', '=', translation.id)
      .where('number', '=', input.number)
      .executeTakeFirst();
    if (!old) throw notFound(`revision ${input.number} of "${input.slug}" in ${input.locale}`);
    const latest = await trx
      .selectFrom('article_revisions')
      .select(['number', 'title', 'body_md', 'keywords'])
      .where('translation_id', '=', translation.id)
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const article = await trx
      .selectFrom('articles as a')
      .innerJoin('topics as t', 't.id', 'a.topic_id')
      .select(['t.slug as topic', 'a.position'])
      .where('a.id', '=', translation.article_id)
      .executeTakeFirstOrThrow();
    const created = await appendRevision(trx, translation.id, old, authorOf(actor, 'operator'));
    if (input.publish) await publishRevisionIn(trx, translation.id, created.id);
    const fields = (r: { title: string; body_md: string; keywords: string[] }) =>
      revisionAuditFields({ title: r.title, body: r.body_md, keywords: r.keywords, ...article });
    await recordAudit(trx, {
      actor,
      action: 'article.restore',
      object: { type: 'article', id: `${input.slug}/${input.locale}` },
      before: { revision: latest.number, publishedRevision: translation.published_number, ...fields(latest) },
      after: {
        revision: created.number,
        restoredFrom: input.number,
        publishedRevision: input.publish ? created.number : translation.published_number,
        ...fields(old),
      },
    });
    return { ...created, articleId: translation.article_id };
  });
  if (input.publish) {
    options.bus?.emit('article.published', {
      articleId: result.articleId,
      slug: input.slug,
      locale: input.locale,
      revisionId: result.id,
    });
  }
  return { revision: result.number, revisionId: result.id, published: input.publish === true };
}
