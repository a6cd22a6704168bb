import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import {
  type CreateCategoryRequest,
  type UpdateCategoryRequest,
  ZCreateCategoryRequest,
  ZUpdateCategoryRequest,
} from './taxonomy.schema.js';

/** Finds the parent for a category, enforcing the two levels (category → subcategory). */
async function resolveParent(trx: DB, parentSlug: string, childSlug: string): Promise<number> {
  const parent = await trx
    .selectFrom('taxonomy_categories')
    .select(['id', 'parent_id', 'archived_at'])
    .where('slug', '=', parentSlug)
    .executeTakeFirst();
  if (!parent) throw new AppError('VALIDATION_FAILED', `parent category "${parentSlug}" does not exist`);
  if (parent.archived_at) throw new AppError('VALIDATION_FAILED', `parent category "${parentSlug}" is archived`);
  if (parent.parent_id !== null) {
    throw new AppError(
      'VALIDATION_FAILED',
      `"${parentSlug}" is itself a subcategory; the taxonomy has two levels, so "${childSlug}" must go under a top-level category`,
    );
  }
  return parent.id;
}

async function writeNames(trx: DB, categoryId: number, names: Record<string, string | undefined>): Promise<void> {
  for (const [locale, name] of Object.entries(names)) {
    if (name === undefined) continue;
    if (name === '') {
      if (locale === 'en') throw new AppError('VALIDATION_FAILED', 'the English name cannot be removed');
      await trx
        .deleteFrom('taxonomy_category_names')
        .where('category_id', '=', categoryId)
        .where('locale', '=', locale)
        .execute();
      continue;
    }
    await trx
      .insertInto('taxonomy_category_names')
      .values({ category_id: categoryId, locale, name })
      .onConflict((oc) => oc.columns(['category_id', 'locale']).doUpdateSet({ name }))
      .execute();
  }
}

/** Creates a category (or subcategory); 409 when the slug is taken. */
export async function createCategory(db: DB, input: CreateCategoryRequest): Promise<{ id: number; slug: string }> {
  const category = ZCreateCategoryRequest.parse(input);
  return db.transaction().execute((trx) => createCategoryIn(trx, category));
}

/** createCategory inside the caller's transaction (taxonomy import). */
export async function createCategoryIn(
  trx: DB,
  category: z.output<typeof ZCreateCategoryRequest>,
): Promise<{ id: number; slug: string }> {
  const taken = await trx
    .selectFrom('taxonomy_categories')
    .select('id')
    .where('slug', '=', category.slug)
    .executeTakeFirst();
  if (taken) throw new AppError('CONFLICT', `a category "${category.slug}" already exists`);
  const parentId = category.parent ? await resolveParent(trx, category.parent, category.slug) : null;
  const position =
    category.position ??
    Number(
      (
        await trx
          .selectFrom('taxonomy_categories')
          .select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(-1)).as('p'))
          .where('parent_id', parentId === null ? 'is' : '=', parentId)
          .executeTakeFirstOrThrow()
      ).p,
    ) + 1;
  const row = await trx
    .insertInto('taxonomy_categories')
    .values({
      slug: category.slug,
      parent_id: parentId,
      position,
      description: category.description,
      examples: category.examples,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeNames(trx, row.id, category.names);
  return { id: row.id, slug: category.slug };
}

/**
 * Edits a category: rename (slug or names), move (parent), description, example phrases. Labels and models point
 * at the category's id, so they stay valid through any of these.
 */
export async function updateCategory(
  db: DB,
  slug: string,
  input: UpdateCategoryRequest,
): Promise<{ id: number; slug: string }> {
  const change = ZUpdateCategoryRequest.parse(input);
  return db.transaction().execute((trx) => updateCategoryIn(trx, slug, change));
}

/** updateCategory inside the caller's transaction (taxonomy import). */
export async function updateCategoryIn(
  trx: DB,
  slug: string,
  change: z.output<typeof ZUpdateCategoryRequest>,
): Promise<{ id: number; slug: string }> {
  const current = await trx
    .selectFrom('taxonomy_categories')
    .select(['id', 'parent_id'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!current) throw notFound(`category "${slug}"`);
  const newSlug = change.slug ?? slug;
  if (newSlug !== slug) {
    const taken = await trx
      .selectFrom('taxonomy_categories')
      .select('id')
      .where('slug', '=', newSlug)
      .executeTakeFirst();
    if (taken) throw new AppError('CONFLICT', `a category "${newSlug}" already exists`);
  }
  let parentId = current.parent_id;
  if (change.parent !== undefined) {
    if (change.parent === null) parentId = null;
    else {
      if (change.parent === slug || change.parent === newSlug) {
        throw new AppError('VALIDATION_FAILED', `category "${slug}" cannot be moved under itself`);
      }
      parentId = await resolveParent(trx, change.parent, newSlug);
      const children = await trx
        .selectFrom('taxonomy_categories')
        .select('slug')
        .where('parent_id', '=', current.id)
        .execute();
      if (children.length > 0) {
        throw new AppError(
          'VALIDATION_FAILED',
          `"${slug}" has subcategories (${children.map((c) => c.slug).join(', ')}); move or archive them before making it a subcategory`,
        );
      }
    }
  }
  await trx
    .updateTable('taxonomy_categories')
    .set({
      slug: newSlug,
      parent_id: parentId,
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.examples !== undefined ? { examples: change.examples } : {}),
      ...(change.position !== undefined ? { position: change.position } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', current.id)
    .execute();
  if (change.names) await writeNames(trx, current.id, change.names);
  return { id: current.id, slug: newSlug };
}

/**
 * Archives a category and its subcategories (or brings one back). Archived categories keep their labels and are
 * left out of the next training; they are never deleted, so history stays readable.
 */
export async function setCategoryArchived(db: DB, slug: string, archived: boolean): Promise<{ affected: string[] }> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('taxonomy_categories')
      .select(['id', 'parent_id'])
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (!current) throw notFound(`category "${slug}"`);
    if (!archived && current.parent_id !== null) {
      const parent = await trx
        .selectFrom('taxonomy_categories')
        .select(['slug', 'archived_at'])
        .where('id', '=', current.parent_id)
        .executeTakeFirstOrThrow();
      if (parent.archived_at) {
        throw new AppError('VALIDATION_FAILED', `restore the parent category "${parent.slug}" first`);
      }
    }
    const rows = await trx
      .updateTable('taxonomy_categories')
      .set({ archived_at: archived ? new Date() : null, updated_at: new Date() })
      .where((eb) =>
        archived ? eb.or([eb('id', '=', current.id), eb('parent_id', '=', current.id)]) : eb('id', '=', current.id),
      )
      .returning('slug')
      .execute();
    return { affected: rows.map((r) => r.slug) };
  });
}
