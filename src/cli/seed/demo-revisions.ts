import { sql } from 'kysely';
import type { DB } from '../../db/client.js';

export interface DemoRevision {
  articleId: number;
  revisionId: number;
  number: number;
}

/** Every revision of every translation, by `slug|locale|number`, and the published one by `slug|locale`. */
export async function revisionsByKey(db: DB): Promise<Map<string, DemoRevision>> {
  const { rows } = await sql<{
    slug: string;
    locale: string;
    article_id: number;
    revision_id: number;
    number: number;
    published: boolean;
  }>`
    SELECT a.slug, t.locale, a.id AS article_id, r.id AS revision_id, r.number,
           (t.status = 'published' AND t.published_revision_id = r.id) AS published
      FROM article_revisions r
      JOIN article_translations t ON t.id = r.translation_id
      JOIN articles a ON a.id = t.article_id`.execute(db);
  const out = new Map<string, DemoRevision>();
  for (const r of rows) {
    const revision = { articleId: r.article_id, revisionId: r.revision_id, number: r.number };
    out.set(`${r.slug}|${r.locale}|${r.number}`, revision);
    if (r.published) out.set(`${r.slug}|${r.locale}`, revision);
  }
  return out;
}
