import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { renderRevision } from '../content/index.js';

const DAY_MS = 86_400_000;

/** A period of UTC days (inclusive) as the half-open instant range [start, end) that SQL compares against. */
export function periodBounds(period: { from: string; to: string }): { start: Date; end: Date } {
  return { start: new Date(`${period.from}T00:00:00Z`), end: new Date(Date.parse(`${period.to}T00:00:00Z`) + DAY_MS) };
}

export interface PublishedText {
  slug: string;
  /** Title, keywords and the body as plain text (Markdown rendered, so link targets and syntax are not words). */
  text: string;
}

/** The published revision's text of every article in a locale (or of one article). */
export async function loadPublishedTexts(db: DB, filter: { locale: string; slug?: string }): Promise<PublishedText[]> {
  const slugFilter = filter.slug === undefined ? sql`` : sql`AND a.slug = ${filter.slug}`;
  const { rows } = await sql<{ slug: string; revision_id: number; title: string; keywords: string[]; body_md: string }>`
    SELECT a.slug, r.id AS revision_id, r.title, r.keywords, r.body_md
      FROM article_translations t
      JOIN articles a ON a.id = t.article_id
      JOIN article_revisions r ON r.id = t.published_revision_id
     WHERE t.status = 'published' AND t.locale = ${filter.locale} ${slugFilter}`.execute(db);
  return rows.map((r) => ({
    slug: r.slug,
    text: `${r.title}\n${r.keywords.join('\n')}\n${renderRevision(r.revision_id, r.body_md).plainText}`,
  }));
}

/** Results computed from a whole period, kept for a few minutes per database (tests each have their own). */
export class PeriodCache<T> {
  private readonly byDb = new WeakMap<DB, Map<string, { at: number; value: Promise<T> }>>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 200,
  ) {}

  get(db: DB, key: string, compute: () => Promise<T>, now = Date.now()): Promise<T> {
    let entries = this.byDb.get(db);
    if (!entries) {
      entries = new Map();
      this.byDb.set(db, entries);
    }
    const known = entries.get(key);
    if (known && now - known.at < this.ttlMs) return known.value;
    if (entries.size >= this.maxEntries) {
      for (const [k, e] of entries) if (now - e.at >= this.ttlMs) entries.delete(k);
      if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value as string);
    }
    const value = compute();
    entries.set(key, { at: now, value });
    // A failure is not kept: the next request tries again.
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  }
}
