import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import {
  findRevision,
  listTopicTree,
  loadArticleStates,
  type RevisionRecord,
  statusOf,
  topicNameOf,
} from './content-admin.queries.js';
import type { ArticleEditorResponse, RevisionSummary, RevisionView } from './content-admin.schema.js';
import { contentLocalesOf } from './content-locales.js';

/** A revision as the API shows it. */
export function presentRevision(r: RevisionRecord): RevisionView {
  return { ...presentRevisionSummary(r), bodyMarkdown: r.bodyMarkdown };
}

export function presentRevisionSummary(r: Omit<RevisionRecord, 'bodyMarkdown'>): RevisionSummary {
  return {
    number: r.number,
    title: r.title,
    keywords: r.keywords,
    author: r.author,
    createdAt: r.createdAt.toISOString(),
    sourceRevision: r.sourceRevision,
    published: r.published,
  };
}

/** An article for the editor: its topic, and per configured locale the status and the latest revision in full. */
export async function getArticleEditor(db: DB, slug: string): Promise<ArticleEditorResponse> {
  const [article] = await loadArticleStates(db, { slugs: [slug] });
  if (!article) throw notFound(`article "${slug}"`);
  const [locales, topics] = await Promise.all([contentLocalesOf(db), listTopicTree(db)]);
  const topic = topics.find((t) => t.id === article.topicId);
  const rows = await db
    .selectFrom('article_translations')
    .select(['id', 'locale', 'status', 'published_revision_id'])
    .where('article_id', '=', article.id)
    .execute();
  const translations = [];
  for (const locale of locales) {
    const row = rows.find((r) => r.locale === locale);
    const latest = row ? await findRevision(db, row, 'latest') : null;
    translations.push({
      locale,
      status: statusOf(article, locale),
      publishedRevision: article.translations.get(locale)?.publishedNumber ?? null,
      latest: latest ? presentRevision(latest) : null,
    });
  }
  return {
    slug: article.slug,
    topic: { slug: topic?.slug ?? '', name: topic ? topicNameOf(topic) : '' },
    position: article.position,
    sourceLocale: article.sourceLocale,
    translations,
  };
}
