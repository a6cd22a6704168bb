import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import { findRevision, findTranslation, getRevision } from './content-admin.queries.js';
import type { DiffResponse, SourceDiffResponse } from './content-admin.schema.js';
import { diffBodies, diffTitles } from './diff-text.js';

/** What changed between two revisions of one translation: a word diff of the title, a line diff of the Markdown. */
export async function diffRevisions(
  db: DB,
  input: { slug: string; locale: string; from: number; to: number },
): Promise<DiffResponse> {
  const from = await getRevision(db, input.slug, input.locale, input.from);
  const to = await getRevision(db, input.slug, input.locale, input.to);
  return {
    from: from.number,
    to: to.number,
    title: diffTitles(from.title, to.title),
    body: diffBodies(from.bodyMarkdown, to.bodyMarkdown),
  };
}

/**
 * What changed in the source language since a translation was made: from the source revision the translation's
 * latest revision records to the source's published revision (its latest when none is published). A translation
 * that does not exist yet, or records no source revision, gets the whole source as new.
 */
export async function diffSourceSinceTranslation(
  db: DB,
  input: { slug: string; locale: string },
): Promise<SourceDiffResponse> {
  const { article, translation } = await findTranslation(db, input.slug, input.locale);
  if (input.locale === article.source_locale) {
    throw new AppError('NOT_A_TRANSLATION', `${input.locale} is the source language of "${input.slug}"`);
  }
  const { translation: source } = await findTranslation(db, input.slug, article.source_locale);
  const target = source
    ? await findRevision(
        db,
        source,
        source.status === 'published' && source.published_revision_id !== null
          ? await numberOf(db, source.published_revision_id)
          : 'latest',
      )
    : null;
  if (!source || !target) {
    throw new AppError('NOT_A_TRANSLATION', `"${input.slug}" has no revision in its source language yet`);
  }
  const latest = translation ? await findRevision(db, translation, 'latest') : null;
  const base =
    latest?.sourceRevision !== null && latest?.sourceRevision !== undefined
      ? await findRevision(db, source, latest.sourceRevision)
      : null;
  return {
    sourceLocale: article.source_locale,
    fromRevision: base?.number ?? null,
    toRevision: target.number,
    title: diffTitles(base?.title ?? '', target.title),
    body: diffBodies(base?.bodyMarkdown ?? '', target.bodyMarkdown),
  };
}

async function numberOf(db: DB, revisionId: number): Promise<number> {
  const row = await db.selectFrom('article_revisions').select('number').where('id', '=', revisionId).executeTakeFirst();
  if (!row) throw notFound(`revision ${revisionId}`);
  return row.number;
}
