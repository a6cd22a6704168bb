import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import { type ActiveModelCache, categoriesById, predict } from '../classify/index.js';
import type { FormDefinition } from './form-logic.js';
import { loadCurrentForm } from './forms.queries.js';

/** Longest text the live prediction reads (the subject and description as typed so far). */
export const PREDICT_TEXT_MAX = 5000;

export interface FieldPrediction {
  /** The active classifier's category slug for the text; null when it is unsure or no model is active. */
  category: string | null;
  confidence: number | null;
  /** The form's category field and the option to pre-select, when an option's category fits the prediction. */
  field: string | null;
  value: string | null;
}

const NOTHING: FieldPrediction = { category: null, confidence: null, field: null, value: null };

/**
 * The option of the form's category field that fits a predicted category: one naming that category, else one naming
 * an ancestor of it (a "Billing" option for a predicted "Refunds"), else one naming a descendant (a predicted
 * parent "Billing" and a "Refunds" option). Ties go to the first option in the form's order. `parentOf` maps a
 * category slug to its parent's slug.
 */
export function matchCategoryOption(
  definition: FormDefinition,
  predicted: string,
  parentOf: ReadonlyMap<string, string | null>,
): { field: string; value: string } | null {
  const field = definition.fields.find((f) => f.role === 'category' && (f.type === 'select' || f.type === 'radio'));
  if (!field) return null;
  const ancestors = (slug: string): string[] => {
    const chain: string[] = [];
    const seen = new Set([slug]);
    for (let next = parentOf.get(slug) ?? null; next !== null && !seen.has(next); next = parentOf.get(next) ?? null) {
      chain.push(next);
      seen.add(next);
    }
    return chain;
  };
  const above = ancestors(predicted);
  // 0: the same category; 1..n: an ancestor, nearest first; then descendants, nearest first.
  const rank = (category: string): number | null => {
    if (category === predicted) return 0;
    const up = above.indexOf(category);
    if (up >= 0) return 1 + up;
    const down = ancestors(category).indexOf(predicted);
    return down >= 0 ? 1000 + down : null;
  };
  let best: { value: string; rank: number } | null = null;
  for (const option of field.options ?? []) {
    if (!option.category) continue;
    const r = rank(option.category);
    if (r !== null && (best === null || r < best.rank)) best = { value: option.value, rank: r };
  }
  return best ? { field: field.name, value: best.value } : null;
}

/**
 * The active classifier's category for what a reader typed into a form, and the form's option to pre-select for it.
 * Nulls when no model is active, when the model is unsure ("unsure" = under its learned threshold, also at the parent
 * level) or for an empty text. An unknown or disabled form is 404.
 */
export async function predictField(
  deps: { db: DB; classifier: ActiveModelCache },
  input: { form: string; text: string },
): Promise<FieldPrediction> {
  const form = await loadCurrentForm(deps.db, input.form);
  if (!form?.enabled) throw notFound(`form "${input.form}"`);
  const text = input.text.trim();
  if (!text) return NOTHING;
  const active = await deps.classifier.current();
  if (!active) return NOTHING;
  const prediction = predict(active.model, text);
  if (prediction.label === null) return NOTHING;
  // Labels are category ids; the taxonomy's current slugs win over those the model was trained with (a rename).
  const taxonomy = await categoriesById(deps.db);
  const slugOfId = (id: number): string | null => taxonomy.get(id)?.slug ?? active.categories.get(id)?.slug ?? null;
  const category = slugOfId(Number(prediction.label));
  if (category === null) return NOTHING;
  const parentOf = new Map<string, string | null>();
  for (const c of [...active.categories.values(), ...taxonomy.values()]) {
    const slug = slugOfId(c.id);
    if (slug !== null) parentOf.set(slug, c.parentId === null ? null : slugOfId(c.parentId));
  }
  const match = matchCategoryOption(form.definition, category, parentOf);
  return {
    category,
    confidence: prediction.confidence,
    field: match?.field ?? null,
    value: match?.value ?? null,
  };
}
