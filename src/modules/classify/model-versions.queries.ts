import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import type { ActiveModelCache } from './active-model-cache.js';
import type { ModelCategory, ModelStatus } from './classify.tables.js';
import type { EvaluationView, ModelVersionView } from './model-versions.schema.js';
import { predictBatch } from './predict.js';
import type { StoredEvaluation } from './train-model-version.js';

interface VersionRow {
  id: number;
  status: ModelStatus;
  is_active: boolean;
  note: string;
  settings: unknown;
  progress: number;
  progress_message: string;
  examples: number;
  categories: ModelCategory[];
  evaluation: StoredEvaluation | null;
  model_bytes: number | null;
  error: string | null;
  created_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  activated_at: Date | null;
}

const COLUMNS = sql`id, status, is_active, note, settings, progress, progress_message, examples, categories, evaluation,
  model_bytes, error, created_by, created_at, started_at, finished_at, activated_at`;

/** Names a model label (a category id) by the category's current slug, so renames show at once. */
export type SlugOf = (label: string) => string;

/** Maps category ids to current slugs, falling back to the slug the version was trained with. */
export async function slugResolver(db: DB, trainedWith: readonly ModelCategory[] = []): Promise<SlugOf> {
  const rows = await db.selectFrom('taxonomy_categories').select(['id', 'slug']).execute();
  const current = new Map(rows.map((r) => [String(r.id), r.slug]));
  const old = new Map(trainedWith.map((c) => [String(c.id), c.slug]));
  return (label) => current.get(label) ?? old.get(label) ?? label;
}

/** A stored evaluation with category slugs in place of ids. */
export function presentEvaluation(evaluation: StoredEvaluation, slugOf: SlugOf): EvaluationView {
  return {
    method: evaluation.method,
    ...(evaluation.testFraction !== undefined ? { testFraction: evaluation.testFraction } : {}),
    ...(evaluation.folds !== undefined ? { folds: evaluation.folds } : {}),
    trainExamples: evaluation.trainExamples,
    testExamples: evaluation.testExamples,
    accuracy: evaluation.accuracy,
    macroF1: evaluation.macroF1,
    ...(evaluation.spread ? { spread: evaluation.spread } : {}),
    ...(evaluation.perLanguage ? { perLanguage: evaluation.perLanguage } : {}),
    perClass: evaluation.perClass.map((c) => ({
      category: slugOf(c.label),
      precision: c.precision,
      recall: c.recall,
      f1: c.f1,
      support: c.support,
      predicted: c.predicted,
    })),
    confusedPairs: evaluation.confusedPairs.map((p) => ({
      actual: slugOf(p.actual),
      predicted: slugOf(p.predicted),
      count: p.count,
    })),
    coverageCurve: evaluation.coverageCurve,
    operatingPoint: evaluation.operatingPoint,
  };
}

function present(row: VersionRow, slugOf: SlugOf): ModelVersionView {
  return {
    version: row.id,
    status: row.status,
    active: row.is_active,
    note: row.note,
    progress: row.progress,
    progressMessage: row.progress_message,
    examples: row.examples,
    categories: row.categories.length,
    settings: row.settings,
    modelBytes: row.model_bytes,
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    activatedAt: row.activated_at?.toISOString() ?? null,
    evaluation: row.evaluation ? presentEvaluation(row.evaluation, slugOf) : null,
  };
}

/** Every model version, newest first (without model bytes or training data). */
export async function listModelVersions(db: DB): Promise<ModelVersionView[]> {
  const { rows } = await sql<VersionRow>`SELECT ${COLUMNS} FROM model_versions ORDER BY id DESC`.execute(db);
  const slugOf = await slugResolver(
    db,
    rows.flatMap((r) => r.categories),
  );
  return rows.map((r) => present(r, slugOf));
}

/** One model version, or null. */
export async function getModelVersion(db: DB, version: number): Promise<ModelVersionView | null> {
  const { rows } = await sql<VersionRow>`SELECT ${COLUMNS} FROM model_versions WHERE id = ${version}`.execute(db);
  const row = rows[0];
  if (!row) return null;
  return present(row, await slugResolver(db, row.categories));
}

/** The training-data snapshot of a version, labels as category slugs (for audits and re-training elsewhere). */
export async function getTrainingSnapshot(
  db: DB,
  version: number,
): Promise<{ itemId: number; text: string; labels: string[] }[] | null> {
  const row = await db
    .selectFrom('model_versions')
    .select(['snapshot', 'categories'])
    .where('id', '=', version)
    .executeTakeFirst();
  if (!row) return null;
  const slugOf = await slugResolver(db, row.categories);
  return row.snapshot.map((e) => ({ itemId: e.itemId, text: e.text, labels: e.labels.map((l) => slugOf(String(l))) }));
}

export interface ModelComparison {
  candidate: ModelVersionView;
  active: ModelVersionView | null;
  /** Candidate minus active, per metric; null without an active version or an evaluation. */
  delta: { accuracy: number; macroF1: number; coverage: number } | null;
  perCategory: { category: string; candidateF1: number | null; activeF1: number | null }[];
  /** Both models on the same recent feedback: how often they give the same answer. */
  agreement: {
    items: number;
    same: number;
    changes: { text: string; active: string | null; candidate: string | null }[];
  } | null;
}

/**
 * A new version against the active one, before activating it: each one's own evaluation side by side, per category
 * F1, and how their answers differ on up to `sample` recent unlabeled items.
 */
export async function compareWithActive(
  db: DB,
  models: ActiveModelCache,
  version: number,
  options: { sample?: number; against?: number | undefined } = {},
): Promise<ModelComparison | null> {
  const candidate = await getModelVersion(db, version);
  if (!candidate) return null;
  // `against` compares with any other version (two older ones side by side); `active` then names that version.
  const activeRow =
    options.against === undefined
      ? await db.selectFrom('model_versions').select('id').where('is_active', '=', true).executeTakeFirst()
      : { id: options.against };
  const active = activeRow ? await getModelVersion(db, activeRow.id) : null;
  if (options.against !== undefined && !active) throw notFound(`model version ${options.against}`);
  const ce = candidate.evaluation;
  const ae = active?.evaluation ?? null;
  const delta =
    ce && ae
      ? {
          accuracy: ce.accuracy - ae.accuracy,
          macroF1: ce.macroF1 - ae.macroF1,
          coverage: ce.operatingPoint.coverage - ae.operatingPoint.coverage,
        }
      : null;
  const categories = new Set([...(ce?.perClass ?? []), ...(ae?.perClass ?? [])].map((c) => c.category));
  const perCategory = [...categories].sort().map((category) => ({
    category,
    candidateF1: ce?.perClass.find((c) => c.category === category)?.f1 ?? null,
    activeF1: ae?.perClass.find((c) => c.category === category)?.f1 ?? null,
  }));

  let agreement: ModelComparison['agreement'] = null;
  if (active && active.version !== version && candidate.status === 'ready') {
    const [a, c] = await Promise.all([models.version(active.version), models.version(version)]);
    if (a && c) {
      const { rows } = await sql<{ text: string }>`
        SELECT i.text FROM feedback_items i
         WHERE NOT EXISTS (SELECT 1 FROM human_labels h WHERE h.item_id = i.id)
         ORDER BY i.created_at DESC, i.id DESC LIMIT ${options.sample ?? 300}`.execute(db);
      const texts = rows.map((r) => r.text);
      const pa = predictBatch(a.model, texts);
      const pc = predictBatch(c.model, texts);
      const slugOf = await slugResolver(db);
      const changes: { text: string; active: string | null; candidate: string | null }[] = [];
      let same = 0;
      texts.forEach((text, i) => {
        const left = pa[i]!.label;
        const right = pc[i]!.label;
        if (left === right) same++;
        else if (changes.length < 20) {
          changes.push({
            text: text.slice(0, 200),
            active: left === null ? null : slugOf(left),
            candidate: right === null ? null : slugOf(right),
          });
        }
      });
      agreement = { items: texts.length, same, changes };
    }
  }
  return { candidate, active, delta, perCategory, agreement };
}
