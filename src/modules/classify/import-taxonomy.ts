import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { createCategoryIn, updateCategoryIn } from './save-category.js';
import { loadTaxonomy } from './taxonomy.queries.js';
import { type TaxonomyDocument, type TaxonomyDocumentInput, ZTaxonomyDocument } from './taxonomy.schema.js';

export interface ImportTaxonomyResult {
  created: string[];
  updated: string[];
  archived: string[];
}

/**
 * Imports a taxonomy document in one transaction, upserting by slug: new categories are created, existing ones
 * updated (names merged, parent moved, description and phrases replaced). Categories absent from the document are
 * left as they are, so an import never drops labels.
 */
export async function importTaxonomy(db: DB, input: TaxonomyDocumentInput): Promise<ImportTaxonomyResult> {
  const parsed = ZTaxonomyDocument.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`);
    throw new AppError(
      'VALIDATION_FAILED',
      `the taxonomy document is not valid: ${problems.slice(0, 10).join('; ')}`,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const doc: TaxonomyDocument = parsed.data;
  checkDocument(doc);
  return db.transaction().execute(async (trx) => {
    const existing = new Set((await loadTaxonomy(trx, { includeArchived: true })).map((c) => c.slug));
    const result: ImportTaxonomyResult = { created: [], updated: [], archived: [] };
    // Restore first: a subcategory cannot be placed under an archived parent.
    const restored = doc.categories.filter((c) => !c.archived).map((c) => c.slug);
    if (restored.length > 0) {
      await trx
        .updateTable('taxonomy_categories')
        .set({ archived_at: null })
        .where('slug', 'in', restored)
        .where('archived_at', 'is not', null)
        .execute();
    }
    // Parents first, so a subcategory's parent exists when it is written; moves to the top level happen first too.
    const ordered = [...doc.categories.filter((c) => c.parent === null), ...doc.categories.filter((c) => c.parent)];
    for (const entry of ordered) {
      if (existing.has(entry.slug)) {
        await updateCategoryIn(trx, entry.slug, {
          parent: entry.parent,
          names: entry.names,
          description: entry.description,
          examples: entry.examples,
        });
        result.updated.push(entry.slug);
      } else {
        await createCategoryIn(trx, {
          slug: entry.slug,
          parent: entry.parent,
          names: entry.names,
          description: entry.description,
          examples: entry.examples,
        });
        result.created.push(entry.slug);
      }
    }
    const archived = doc.categories.filter((c) => c.archived).map((c) => c.slug);
    if (archived.length > 0) {
      await trx
        .updateTable('taxonomy_categories')
        .set({ archived_at: new Date() })
        .where('slug', 'in', archived)
        .where('archived_at', 'is', null)
        .execute();
    }
    result.archived = archived;
    return result;
  });
}

function checkDocument(doc: TaxonomyDocument): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of doc.categories.entries()) {
    if (seen.has(entry.slug)) problems.push(`categories.${i}: "${entry.slug}" appears twice`);
    seen.add(entry.slug);
  }
  const parents = new Set(doc.categories.filter((c) => c.parent).map((c) => c.parent!));
  for (const [i, entry] of doc.categories.entries()) {
    if (entry.parent && parents.has(entry.slug)) {
      problems.push(`categories.${i}: "${entry.slug}" has subcategories and a parent; the taxonomy has two levels`);
    }
    if (entry.parent === entry.slug) problems.push(`categories.${i}: "${entry.slug}" is its own parent`);
  }
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `the taxonomy document is not valid: ${problems.slice(0, 10).join('; ')}`);
  }
}

/** The taxonomy as an import/export document (archived categories included and marked). */
export async function exportTaxonomy(db: DB): Promise<TaxonomyDocument> {
  const categories = await loadTaxonomy(db, { includeArchived: true });
  const slugById = new Map(categories.map((c) => [c.id, c.slug]));
  return {
    format: 'answerloop-taxonomy',
    version: 1,
    categories: categories.map((c) => ({
      slug: c.slug,
      parent: c.parentId === null ? null : (slugById.get(c.parentId) ?? null),
      names: c.names as TaxonomyDocument['categories'][number]['names'],
      description: c.description,
      examples: c.examples,
      archived: c.archived,
    })),
  };
}
