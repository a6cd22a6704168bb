import { sql } from 'kysely';
import type { DB } from '../../db/client.js';

/** A category with its names in every locale. */
export interface Category {
  id: number;
  slug: string;
  parentId: number | null;
  position: number;
  description: string;
  examples: string[];
  archived: boolean;
  names: Record<string, string>;
}

/** The whole taxonomy, parents before their children, each level in position order. */
export async function loadTaxonomy(db: DB, options: { includeArchived?: boolean } = {}): Promise<Category[]> {
  const { rows } = await sql<{
    id: number;
    slug: string;
    parent_id: number | null;
    position: number;
    description: string;
    examples: string[];
    archived: boolean;
    names: Record<string, string> | null;
  }>`
    SELECT c.id, c.slug, c.parent_id, c.position, c.description, c.examples, c.archived_at IS NOT NULL AS archived,
           (SELECT jsonb_object_agg(n.locale, n.name) FROM taxonomy_category_names n WHERE n.category_id = c.id) AS names
      FROM taxonomy_categories c
     WHERE ${options.includeArchived ? sql`true` : sql`c.archived_at IS NULL`}
     ORDER BY c.position, c.slug`.execute(db);
  const categories = rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    parentId: r.parent_id,
    position: r.position,
    description: r.description,
    examples: r.examples,
    archived: r.archived,
    names: r.names ?? {},
  }));
  // Parents first, then each parent's children, so exports re-import in one pass.
  const childrenOf = new Map<number, Category[]>();
  for (const c of categories) {
    if (c.parentId === null) continue;
    const list = childrenOf.get(c.parentId) ?? [];
    list.push(c);
    childrenOf.set(c.parentId, list);
  }
  const ids = new Set(categories.map((c) => c.id));
  const ordered: Category[] = [];
  for (const c of categories) {
    if (c.parentId !== null && ids.has(c.parentId)) continue;
    ordered.push(c, ...(childrenOf.get(c.id) ?? []));
  }
  return ordered;
}

/** Categories by id, archived ones included (labels and models may still point at them). */
export async function categoriesById(db: DB): Promise<Map<number, Category>> {
  return new Map((await loadTaxonomy(db, { includeArchived: true })).map((c) => [c.id, c]));
}

/** A category's id by slug, or undefined. */
export async function categoryIdBySlug(db: DB, slug: string): Promise<{ id: number; archived: boolean } | undefined> {
  const row = await db
    .selectFrom('taxonomy_categories')
    .select(['id', 'archived_at'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row ? { id: row.id, archived: row.archived_at !== null } : undefined;
}

/** How many items people labeled with each category. */
export async function humanLabelCounts(db: DB): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('human_labels')
    .select(['category_id', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('category_id')
    .execute();
  return new Map(rows.map((r) => [r.category_id, Number(r.n)]));
}
