import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';

export interface PublishTranslationInput {
  slug: string;
  locale: string;
  /** Revision number to publish; default the latest. */
  revision?: number | undefined;
}

async function loadTranslation(db: DB, slug: string, locale: string) {
  const row = await db
    .selectFrom('article_translations as t')
    .innerJoin('articles as a', 'a.id', 't.article_id')
    .select(['t.id', 't.article_id', 't.published_revision_id', 't.status'])
    .where('a.slug', '=', slug)
    .where('t.locale', '=', locale)
    .executeTakeFirst();
  if (!row) throw notFound(`article "${slug}" in locale "${locale}"`);
  return row;
}

/** Publishes a revision (the latest by default) of an article translation. */
export async function publishTranslation(
  db: DB,
  input: PublishTranslationInput,
  bus?: Bus,
): Promise<{ revision: number; revisionId: number }> {
  const translation = await loadTranslation(db, input.slug, input.locale);
  let query = db
    .selectFrom('article_revisions')
    .select(['id', 'number'])
    .where('translation_id', '=', translation.id)
    .orderBy('number', 'desc')
    .limit(1);
  if (input.revision !== undefined) query = query.where('number', '=', input.revision);
  const revision = await query.executeTakeFirst();
  if (!revision) throw new AppError('NOT_FOUND', `revision ${input.revision ?? '(latest)'} was not found`);
  await db
    .updateTable('article_translations')
    .set({ status: 'published', published_revision_id: revision.id, published_at: sql`now()` })
    .where('id', '=', translation.id)
    .execute();
  bus?.emit('article.published', {
    articleId: translation.article_id,
    slug: input.slug,
    locale: input.locale,
    revisionId: revision.id,
  });
  return { revision: revision.number, revisionId: revision.id };
}

/** Takes an article translation off the public site; its revisions are kept. */
export async function unpublishTranslation(db: DB, input: { slug: string; locale: string }, bus?: Bus): Promise<void> {
  const translation = await loadTranslation(db, input.slug, input.locale);
  await db
    .updateTable('article_translations')
    .set({ status: 'draft', published_revision_id: null, published_at: null })
    .where('id', '=', translation.id)
    .execute();
  bus?.emit('article.unpublished', { articleId: translation.article_id, slug: input.slug, locale: input.locale });
}
