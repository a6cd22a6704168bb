import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { languageOfLocale, UNDETERMINED } from './detect-language.js';

/** Below this many labelled examples in a language, a category counts as thin there. */
export const FEW_EXAMPLES_PER_LANGUAGE = 3;
/**
 * A language no content locale uses and no example is labelled in is listed only with at least this many items (or
 * 2 % of all items): below that it is mostly short texts detected as a neighbour language, not a readership.
 */
const MIN_ITEMS_TO_LIST = 20;

export interface LanguageCoverage {
  /** ISO 639-1, or 'und'. */
  language: string;
  /** Feedback items (votes, tickets, searches, examples) detected in this language. */
  items: number;
  /** Of those, items a person labelled with a category in use. */
  labelled: number;
  /** Leaf categories with no labelled example in this language. */
  categoriesWithoutExamples: string[];
  /** Leaf categories with fewer than FEW_EXAMPLES_PER_LANGUAGE labelled examples in this language (some). */
  categoriesWithFewExamples: string[];
  perCategory: { category: string; labelled: number }[];
}

/**
 * Where the training data is thin, by language: one model serves every language, and a category with no example
 * in Hebrew is one the model can only guess at in Hebrew. Lists every content locale's language (one with no
 * feedback yet shows up with zeros), every language with labelled examples, and any other with enough feedback to
 * matter; the rest are counted in `other`. Leaf categories only (not archived,
 * without active subcategories): those are what the model answers.
 */
export async function languageCoverage(
  db: DB,
  localeCodes: readonly string[],
): Promise<{ languages: LanguageCoverage[]; other: { languages: number; items: number }; pending: number }> {
  const [totals, labelled, leaves, pending] = await Promise.all([
    sql<{ language: string; items: string }>`
      SELECT coalesce(language, ${UNDETERMINED}) AS language, count(*)::text AS items
        FROM feedback_items WHERE language IS NOT NULL GROUP BY 1`.execute(db),
    sql<{ language: string; category: string; n: string }>`
      SELECT coalesce(i.language, ${UNDETERMINED}) AS language, c.slug AS category, count(DISTINCT i.id)::text AS n
        FROM feedback_items i
        JOIN human_labels h ON h.item_id = i.id
        JOIN taxonomy_categories c ON c.id = h.category_id AND c.archived_at IS NULL
       WHERE i.language IS NOT NULL
       GROUP BY 1, 2`.execute(db),
    sql<{ slug: string }>`
      SELECT c.slug FROM taxonomy_categories c
       WHERE c.archived_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM taxonomy_categories k WHERE k.parent_id = c.id AND k.archived_at IS NULL)
       ORDER BY c.position, c.slug`.execute(db),
    sql<{ n: string }>`SELECT count(*)::text AS n FROM feedback_items WHERE language IS NULL`.execute(db),
  ]);
  const labelledItems = await sql<{ language: string; n: string }>`
    SELECT coalesce(i.language, ${UNDETERMINED}) AS language, count(*)::text AS n
      FROM feedback_items i
     WHERE i.language IS NOT NULL
       AND EXISTS (SELECT 1 FROM human_labels h JOIN taxonomy_categories c ON c.id = h.category_id
                    WHERE h.item_id = i.id AND c.archived_at IS NULL)
     GROUP BY 1`.execute(db);

  const localeLanguages = new Set<string>();
  for (const code of localeCodes) {
    const language = languageOfLocale(code);
    if (language) localeLanguages.add(language);
  }
  const allItems = totals.rows.reduce((sum, r) => sum + Number(r.items), 0);
  const minItems = Math.max(MIN_ITEMS_TO_LIST, Math.ceil(0.02 * allItems));
  const labelledLanguages = new Set(labelled.rows.map((r) => r.language));
  const languages = new Set<string>(localeLanguages);
  const other = { languages: 0, items: 0 };
  for (const row of totals.rows) {
    if (localeLanguages.has(row.language) || labelledLanguages.has(row.language) || Number(row.items) >= minItems) {
      languages.add(row.language);
    } else {
      other.languages += 1;
      other.items += Number(row.items);
    }
  }
  const counts = new Map<string, Map<string, number>>();
  for (const row of labelled.rows) {
    let byCategory = counts.get(row.language);
    if (!byCategory) {
      byCategory = new Map();
      counts.set(row.language, byCategory);
    }
    byCategory.set(row.category, Number(row.n));
  }
  const itemsOf = new Map(totals.rows.map((r) => [r.language, Number(r.items)]));
  const labelledOf = new Map(labelledItems.rows.map((r) => [r.language, Number(r.n)]));
  const leafSlugs = leaves.rows.map((r) => r.slug);
  const result = [...languages].map((language) => {
    const byCategory = counts.get(language) ?? new Map<string, number>();
    const perCategory = leafSlugs.map((category) => ({ category, labelled: byCategory.get(category) ?? 0 }));
    return {
      language,
      items: itemsOf.get(language) ?? 0,
      labelled: labelledOf.get(language) ?? 0,
      categoriesWithoutExamples: perCategory.filter((c) => c.labelled === 0).map((c) => c.category),
      categoriesWithFewExamples: perCategory
        .filter((c) => c.labelled > 0 && c.labelled < FEW_EXAMPLES_PER_LANGUAGE)
        .map((c) => c.category),
      perCategory,
    };
  });
  result.sort((a, b) => b.items - a.items || a.language.localeCompare(b.language));
  return { languages: result, other, pending: Number(pending.rows[0]?.n ?? 0) };
}
