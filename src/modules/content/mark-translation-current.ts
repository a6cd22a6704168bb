import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { recordAudit } from '../accounts/index.js';
import { assertMayEditTranslation, authorOf, DEFAULT_CONTENT_ACTOR } from './content-actor.js';
import { loadTranslationForWrite } from './publish-translation.js';
import { appendRevision, publishRevisionIn, type RevisionWriteOptions } from './restore-revision.js';

/**
 * Says a translation is up to date with its source (the source's change needed no new wording): a new revision
 * with the latest revision's title, body and keywords, made from the source's current published revision. It is
 * published when the translation's published revision was its latest (nothing else pending), so the site stops
 * flagging it; a pending draft stays a draft. Already current: nothing is written.
 */
export async function markTranslationCurrent(
  db: DB,
  input: { slug: string; locale: string },
  options: RevisionWriteOptions = {},
): Promise<{ revision: number; revisionId: number; published: boolean; unchanged: boolean }> {
  const actor = options.actor ?? DEFAULT_CONTENT_ACTOR;
  const result = await db.transaction().execute(async (trx) => {
    const translation = await loadTranslationForWrite(trx, input.slug, input.locale);
    if (input.locale === translation.source_locale) {
      throw new AppError('NOT_A_TRANSLATION', `${input.locale} is the source language of "${input.slug}"`);
    }
    assertMayEditTranslation(actor, input.locale, translation.source_locale);
    const source = await trx
      .selectFrom('article_translations as t')
      .innerJoin('article_revisions as r', 'r.id', 't.published_revision_id')
      .select(['r.id', 'r.number'])
      .where('t.article_id', '=', translation.article_id)
      .where('t.locale', '=', translation.source_locale)
      .where('t.status', '=', 'published')
      .executeTakeFirst();
    if (!source) {
      throw new AppError('NOT_A_TRANSLATION', `"${input.slug}" has no published source revision to be current with`);
    }
    const latest = await trx
      .selectFrom('article_revisions as r')
      .leftJoin('article_revisions as s', 's.id', 'r.source_revision_id')
      .select([
        'r.id',
        'r.number',
        'r.title',
        'r.body_md',
        'r.keywords',
        'r.source_revision_id',
        's.number as source_number',
      ])
      .where('r.translation_id', '=', translation.id)
      .orderBy('r.number', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!latest) throw new AppError('NOT_FOUND', `"${input.slug}" has no revision in ${input.locale} yet`);
    const wasPublishedLatest = translation.published_revision_id === latest.id;
    if (latest.source_revision_id === source.id) {
      return {
        id: latest.id,
        number: latest.number,
        published: wasPublishedLatest,
        unchanged: true,
        articleId: translation.article_id,
      };
    }
    const created = await appendRevision(
      trx,
      translation.id,
      { title: latest.title, body_md: latest.body_md, keywords: latest.keywords, source_revision_id: source.id },
      authorOf(actor, 'operator'),
    );
    if (wasPublishedLatest) await publishRevisionIn(trx, translation.id, created.id);
    await recordAudit(trx, {
      actor,
      action: 'article.mark-current',
      object: { type: 'article', id: `${input.slug}/${input.locale}` },
      before: {
        revision: latest.number,
        sourceRevision: latest.source_number,
        publishedRevision: translation.published_number,
      },
      after: {
        revision: created.number,
        sourceRevision: source.number,
        publishedRevision: wasPublishedLatest ? created.number : translation.published_number,
      },
    });
    return { ...created, published: wasPublishedLatest, unchanged: false, articleId: translation.article_id };
  });
  if (result.published && !result.unchanged) {
    options.bus?.emit('article.published', {
      articleId: result.articleId,
      slug: input.slug,
      locale: input.locale,
      revisionId: result.id,
    });
  }
  return { revision: result.number, revisionId: result.id, published: result.published, unchanged: result.unchanged };
}
