import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { recordAudit } from '../accounts/index.js';
import { assertMayEditTranslation, type ContentActor, DEFAULT_CONTENT_ACTOR } from './content-actor.js';

export interface PublishTranslationInput {
  slug: string;
  locale: string;
  /** Revision number to publish; default the latest. */
  revision?: number | undefined;
}

export interface PublishOptions {
  bus?: Bus | undefined;
  /** Who publishes: recorded in the audit log; a translator is held to their locales (default: the system). */
  actor?: ContentActor | undefined;
}

/** An article translation with what publishing needs, locked for the rest of the transaction. */
export async function loadTranslationForWrite(db: DB, slug: string, locale: string) {
  const row = await db
    .selectFrom('article_translations as t')
    .innerJoin('articles as a', 'a.id', 't.article_id')
    .leftJoin('article_revisions as p', 'p.id', 't.published_revision_id')
    .select([
      't.id',
      't.article_id',
      't.published_revision_id',
      't.status',
      'a.source_locale',
      'p.number as published_number',
    ])
    .where('a.slug', '=', slug)
    .where('t.locale', '=', locale)
    .forUpdate('t')
    .executeTakeFirst();
  if (!row) throw notFound(`article "${slug}" in locale "${locale}"`);
  return row;
}

function optionsOf(busOrOptions: Bus | PublishOptions | undefined): PublishOptions {
  if (!busOrOptions) return {};
  return 'emit' in busOrOptions ? { bus: busOrOptions } : busOrOptions;
}

/** Publishes a revision (the latest by default) of an article translation. */
export async function publishTranslation(
  db: DB,
  input: PublishTranslationInput,
  busOrOptions?: Bus | PublishOptions,
): Promise<{ revision: number; revisionId: number }> {
  const { bus, actor = DEFAULT_CONTENT_ACTOR } = optionsOf(busOrOptions);
  const result = await db.transaction().execute(async (trx) => {
    const translation = await loadTranslationForWrite(trx, input.slug, input.locale);
    assertMayEditTranslation(actor, input.locale, translation.source_locale);
    let query = trx
      .selectFrom('article_revisions')
      .select(['id', 'number'])
      .where('translation_id', '=', translation.id)
      .orderBy('number', 'desc')
      .limit(1);
    if (input.revision !== undefined) query = query.where('number', '=', input.revision);
    const revision = await query.executeTakeFirst();
    if (!revision) throw new AppError('NOT_FOUND', `revision ${input.revision ?? '(latest)'} was not found`);
    await trx
      .updateTable('article_translations')
      .set({ status: 'published', published_revision_id: revision.id, published_at: sql`now()` })
      .where('id', '=', translation.id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'article.publish',
      object: { type: 'article', id: `${input.slug}/${input.locale}` },
      before: { status: translation.status, publishedRevision: translation.published_number },
      after: { status: 'published', publishedRevision: revision.number },
    });
    return { revision: revision.number, revisionId: revision.id, articleId: translation.article_id };
  });
  bus?.emit('article.published', {
    articleId: result.articleId,
    slug: input.slug,
    locale: input.locale,
    revisionId: result.revisionId,
  });
  return { revision: result.revision, revisionId: result.revisionId };
}

/** Takes an article translation off the public site; its revisions are kept. */
export async function unpublishTranslation(
  db: DB,
  input: { slug: string; locale: string },
  busOrOptions?: Bus | PublishOptions,
): Promise<void> {
  const { bus, actor = DEFAULT_CONTENT_ACTOR } = optionsOf(busOrOptions);
  const articleId = await db.transaction().execute(async (trx) => {
    const translation = await loadTranslationForWrite(trx, input.slug, input.locale);
    assertMayEditTranslation(actor, input.locale, translation.source_locale);
    await trx
      .updateTable('article_translations')
      .set({ status: 'draft', published_revision_id: null, published_at: null })
      .where('id', '=', translation.id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'article.unpublish',
      object: { type: 'article', id: `${input.slug}/${input.locale}` },
      before: { status: translation.status, publishedRevision: translation.published_number },
      after: { status: 'draft', publishedRevision: null },
    });
    return translation.article_id;
  });
  bus?.emit('article.unpublished', { articleId, slug: input.slug, locale: input.locale });
}
