import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { escapeHtml } from '../../shared/escape-html.js';
import { renderRevision } from './render-cache.js';

export interface BasicSearchHit {
  slug: string;
  title: string;
  locale: string;
  snippetHtml: string;
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A snippet of `text` around the first matched term, with matches in <mark>; the text is escaped first. */
export function highlightSnippet(text: string, terms: string[], width = 180): string {
  const lower = text.toLowerCase();
  let at = -1;
  for (const term of terms) {
    const i = lower.indexOf(term.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, at - Math.floor(width / 3));
  let snippet = text
    .slice(start, start + width)
    .replace(/\s+/g, ' ')
    .trim();
  if (start > 0) snippet = `…${snippet}`;
  if (start + width < text.length) snippet = `${snippet}…`;
  let html = escapeHtml(snippet);
  for (const term of terms.filter((t) => t.length > 0)) {
    const pattern = new RegExp(escapeHtml(term).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
    html = html.replace(pattern, (m) => `<mark>${m}</mark>`);
  }
  return html;
}

/**
 * Substring search over published articles in one locale: every word must appear in the title or body;
 * title matches rank first. The search module's ranked index supersedes this where it is running.
 */
export async function searchArticlesBasic(
  db: DB,
  locale: string,
  query: string,
  limit = 20,
): Promise<BasicSearchHit[]> {
  const terms = query
    .normalize('NFKC')
    .split(/\s+/u)
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .slice(0, 8);
  if (terms.length === 0) return [];
  const conditions = terms.map(
    (term) => sql`(r.title ILIKE ${`%${escapeLike(term)}%`} OR r.body_md ILIKE ${`%${escapeLike(term)}%`})`,
  );
  const titleScore = sql.join(
    terms.map((term) => sql`(CASE WHEN r.title ILIKE ${`%${escapeLike(term)}%`} THEN 1 ELSE 0 END)`),
    sql` + `,
  );
  const { rows } = await sql<{ slug: string; title: string; locale: string; revision_id: number; body_md: string }>`
    SELECT a.slug, r.title, t.locale, r.id AS revision_id, r.body_md
      FROM article_translations t
      JOIN articles a ON a.id = t.article_id
      JOIN article_revisions r ON r.id = t.published_revision_id
     WHERE t.locale = ${locale} AND t.status = 'published' AND ${sql.join(conditions, sql` AND `)}
     ORDER BY ${titleScore} DESC, a.position, a.slug
     LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({
    slug: row.slug,
    title: row.title,
    locale: row.locale,
    snippetHtml: highlightSnippet(renderRevision(row.revision_id, row.body_md).plainText, terms),
  }));
}
