import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { recordAudit } from '../accounts/index.js';
import { type SaveArticleRequest, ZSaveArticleRequest } from './content.schema.js';
import {
  assertMayEditTranslation,
  authorOf,
  type ContentActor,
  DEFAULT_CONTENT_ACTOR,
  forbidForTranslator,
} from './content-actor.js';

export interface SaveArticleResult {
  articleId: number;
  slug: string;
  locale: string;
  revisionId: number;
  revision: number;
  published: boolean;
  /** True when the text equals the latest revision, so no new revision was written. */
  unchanged: boolean;
}

export interface SaveArticleOptions {
  /** Create the topic (named after its slug) when it does not exist, as imports do. */
  createMissingTopic?: boolean;
  bus?: Bus;
  /** Who saves: recorded in the audit log, and a translator is held to their locales (default: the system). */
  actor?: ContentActor;
}

/** What the audit log keeps of a revision: its fields, and the body only as its length and a short hash. */
export function revisionAuditFields(r: {
  title: string;
  body: string;
  keywords: readonly string[];
  topic: string;
  position: number;
}): Record<string, unknown> {
  return {
    title: r.title,
    keywords: r.keywords,
    topic: r.topic,
    position: r.position,
    bodyLength: r.body.length,
    bodyHash: createHash('sha256').update(r.body).digest('hex').slice(0, 12),
  };
}

/**
 * Writes a new immutable revision of an article in one locale (creating the article and translation on first
 * save), and publishes it when asked. Saving text identical to the latest revision writes nothing new.
 */
export async function saveArticle(
  db: DB,
  input: SaveArticleRequest,
  options: SaveArticleOptions = {},
): Promise<SaveArticleResult> {
  const req = ZSaveArticleRequest.parse(input);
  const actor = options.actor ?? DEFAULT_CONTENT_ACTOR;
  const author = authorOf(actor, req.author);
  const result = await db.transaction().execute(async (trx) => {
    let topic = await trx.selectFrom('topics').select('id').where('slug', '=', req.topic).executeTakeFirst();
    if (!topic) {
      if (!options.createMissingTopic) throw new AppError('VALIDATION_FAILED', `topic "${req.topic}" does not exist`);
      forbidForTranslator(actor, 'create topics');
      topic = await trx.insertInto('topics').values({ slug: req.topic }).returning('id').executeTakeFirstOrThrow();
      const name = req.topic.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
      await trx.insertInto('topic_translations').values({ topic_id: topic.id, locale: 'en', name }).execute();
    }

    let article = await trx
      .selectFrom('articles')
      .select(['id', 'source_locale', 'topic_id', 'position'])
      .where('slug', '=', req.slug)
      .executeTakeFirst();
    const before = article
      ? { topicId: article.topic_id, position: article.position }
      : { topicId: null, position: null };
    if (!article) {
      forbidForTranslator(actor, 'create articles');
      article = await trx
        .insertInto('articles')
        .values({ slug: req.slug, topic_id: topic.id, source_locale: req.locale, position: req.position ?? 0 })
        .returning(['id', 'source_locale', 'topic_id', 'position'])
        .executeTakeFirstOrThrow();
    } else if (article.topic_id !== topic.id || (req.position !== undefined && req.position !== article.position)) {
      forbidForTranslator(actor, "change an article's topic or position");
      await trx
        .updateTable('articles')
        .set({ topic_id: topic.id, position: req.position ?? article.position })
        .where('id', '=', article.id)
        .execute();
    }

    assertMayEditTranslation(actor, req.locale, article.source_locale);

    let translation = await trx
      .selectFrom('article_translations')
      .select(['id', 'published_revision_id'])
      .where('article_id', '=', article.id)
      .where('locale', '=', req.locale)
      .executeTakeFirst();
    if (!translation) {
      translation = await trx
        .insertInto('article_translations')
        .values({ article_id: article.id, locale: req.locale, published_revision_id: null, published_at: null })
        .returning(['id', 'published_revision_id'])
        .executeTakeFirstOrThrow();
    }

    const sourceRevisionId =
      req.locale === article.source_locale
        ? null
        : await findSourceRevision(trx, article.id, article.source_locale, req);

    const latest = await trx
      .selectFrom('article_revisions')
      .select(['id', 'number', 'title', 'body_md', 'keywords', 'source_revision_id'])
      .where('translation_id', '=', translation.id)
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();

    const unchanged =
      !!latest &&
      latest.title === req.title &&
      latest.body_md === req.body &&
      latest.keywords.join('\u0000') === req.keywords.join('\u0000') &&
      latest.source_revision_id === sourceRevisionId;

    let revisionId: number;
    let revisionNumber: number;
    if (unchanged && latest) {
      revisionId = latest.id;
      revisionNumber = latest.number;
    } else {
      revisionNumber = (latest?.number ?? 0) + 1;
      const inserted = await trx
        .insertInto('article_revisions')
        .values({
          translation_id: translation.id,
          number: revisionNumber,
          title: req.title,
          body_md: req.body,
          keywords: req.keywords,
          author,
          source_revision_id: sourceRevisionId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      revisionId = inserted.id;
      await trx
        .updateTable('article_translations')
        .set({ updated_at: sql`now()` })
        .where('id', '=', translation.id)
        .execute();
    }

    const alreadyPublished = translation.published_revision_id === revisionId;
    if (req.publish && !alreadyPublished) {
      await trx
        .updateTable('article_translations')
        .set({ status: 'published', published_revision_id: revisionId, published_at: sql`now()` })
        .where('id', '=', translation.id)
        .execute();
    }
    const topicSlugBefore =
      before.topicId === null
        ? null
        : before.topicId === topic.id
          ? req.topic
          : ((await trx.selectFrom('topics').select('slug').where('id', '=', before.topicId).executeTakeFirst())
              ?.slug ?? null);
    const previousPublished =
      translation.published_revision_id === null
        ? null
        : ((
            await trx
              .selectFrom('article_revisions')
              .select('number')
              .where('id', '=', translation.published_revision_id)
              .executeTakeFirst()
          )?.number ?? null);
    const moved = before.topicId !== topic.id || (req.position !== undefined && req.position !== before.position);
    if (!unchanged || (req.publish && !alreadyPublished) || moved) {
      await recordAudit(trx, {
        actor,
        action: req.publish && !alreadyPublished ? 'article.save-publish' : 'article.save',
        object: { type: 'article', id: `${req.slug}/${req.locale}` },
        before: latest
          ? {
              revision: latest.number,
              publishedRevision: previousPublished,
              ...revisionAuditFields({
                title: latest.title,
                body: latest.body_md,
                keywords: latest.keywords,
                topic: topicSlugBefore ?? req.topic,
                position: before.position ?? 0,
              }),
            }
          : null,
        after: {
          revision: revisionNumber,
          publishedRevision: req.publish ? revisionNumber : previousPublished,
          ...revisionAuditFields({
            title: req.title,
            body: req.body,
            keywords: req.keywords,
            topic: req.topic,
            position: req.position ?? before.position ?? 0,
          }),
        },
      });
    }
    return {
      articleId: article.id,
      slug: req.slug,
      locale: req.locale,
      revisionId,
      revision: revisionNumber,
      published: req.publish || alreadyPublished,
      unchanged,
      newlyPublished: req.publish && !alreadyPublished,
    };
  });
  const { newlyPublished, ...rest } = result;
  if (newlyPublished) {
    options.bus?.emit('article.published', {
      articleId: rest.articleId,
      slug: rest.slug,
      locale: rest.locale,
      revisionId: rest.revisionId,
    });
  }
  return rest;
}

async function findSourceRevision(
  trx: DB,
  articleId: number,
  sourceLocale: string,
  req: { sourceRevision?: number | undefined; slug: string },
): Promise<number | null> {
  const source = await trx
    .selectFrom('article_translations')
    .select(['id', 'published_revision_id'])
    .where('article_id', '=', articleId)
    .where('locale', '=', sourceLocale)
    .executeTakeFirst();
  if (!source) return null;
  if (req.sourceRevision !== undefined) {
    const row = await trx
      .selectFrom('article_revisions')
      .select('id')
      .where('translation_id', '=', source.id)
      .where('number', '=', req.sourceRevision)
      .executeTakeFirst();
    if (!row) {
      throw new AppError(
        'VALIDATION_FAILED',
        `"${req.slug}" has no source revision ${req.sourceRevision} in ${sourceLocale}`,
      );
    }
    return row.id;
  }
  if (source.published_revision_id !== null) return source.published_revision_id;
  const latest = await trx
    .selectFrom('article_revisions')
    .select('id')
    .where('translation_id', '=', source.id)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return latest?.id ?? null;
}
