/** Zod schemas and the presenter of labels on feedback items, shared by the classify and feedback APIs. */
import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { ZSlug } from '../content/index.js';
import { ITEM_KINDS } from './classify.tables.js';
import type { ItemLabels } from './labels.queries.js';
import type { Category } from './taxonomy.queries.js';

export const ZItemKind = z.enum(ITEM_KINDS, { error: () => `must be one of ${ITEM_KINDS.join(', ')}` });

export const ZSetLabelsRequest = z.object({
  categories: z.array(ZSlug).max(LIMITS.labelsPerItem),
  /** Who is labeling (an analyst's name or id); defaults to "operator". */
  labeledBy: z.string().trim().min(1).max(LIMITS.labeledBy).default('operator'),
});

const ZScored = z.object({ category: z.string(), name: z.string(), confidence: z.number() });

export const ZItemLabelsView = z.object({
  /** Labels people gave, with who and when. */
  human: z.array(z.object({ category: z.string(), name: z.string(), labeledBy: z.string(), labeledAt: z.string() })),
  /** What the model said, kept apart from human labels; null when no model has classified it. */
  predicted: z
    .object({
      modelVersion: z.number().int(),
      active: z.boolean(),
      /** The answer: a subcategory, or only its parent category when the model was unsure of the subcategory. */
      category: z.string().nullable(),
      name: z.string().nullable(),
      level: z.enum(['leaf', 'parent']).nullable(),
      confidence: z.number(),
      unsure: z.boolean(),
      labels: z.array(ZScored),
      top: z.array(ZScored),
    })
    .nullable(),
});
export type ItemLabelsView = z.infer<typeof ZItemLabelsView>;

/** Turns stored labels (category ids) into the API's view (slugs and English names, as of now). */
export function presentItemLabels(labels: ItemLabels | undefined, categories: Map<number, Category>): ItemLabelsView {
  const slug = (id: number) => categories.get(id)?.slug ?? `category-${id}`;
  const name = (id: number) => {
    const c = categories.get(id);
    return c?.names.en ?? c?.slug ?? `category ${id}`;
  };
  const scored = (list: { categoryId: number; confidence: number }[]) =>
    list.map((l) => ({ category: slug(l.categoryId), name: name(l.categoryId), confidence: l.confidence }));
  const p = labels?.predicted ?? null;
  return {
    human: (labels?.human ?? []).map((h) => ({
      category: slug(h.categoryId),
      name: name(h.categoryId),
      labeledBy: h.labeledBy,
      labeledAt: h.labeledAt.toISOString(),
    })),
    predicted: p
      ? {
          modelVersion: p.modelVersion,
          active: p.active,
          category: p.categoryId === null ? null : slug(p.categoryId),
          name: p.categoryId === null ? null : name(p.categoryId),
          level: p.level,
          confidence: p.confidence,
          unsure: p.categoryId === null,
          labels: scored(p.labels),
          top: scored(p.top),
        }
      : null,
  };
}
