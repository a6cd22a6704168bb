/**
 * Trains a stored model version from its training-data snapshot: first the evaluation (a held-out split or k
 * folds, each a training of its own), then the model on every example, then stores bytes and evaluation. Every
 * training goes through a `Trainer`: a worker thread in the server (so it keeps answering), in-process when seeding.
 */
import type { DB } from '../../db/client.js';
import type { LabeledExample, TrainClassifierOptions } from './classify.schema.js';
import type { ModelCategory, SnapshotExample } from './classify.tables.js';
import type { TrainedModel } from './classify.types.js';
import { ClassifyError } from './classify-error.js';
import { type ClassificationMetrics, computeMetrics, type EvaluatedItem } from './compute-metrics.js';
import { TRAIN_MAX_ATTEMPTS } from './create-model-version.js';
import { type EvaluationReport, evaluateModel, type OperatingPoint } from './evaluate-model.js';
import type { TrainModelSettings } from './model-versions.schema.js';
import { type LanguageMetrics, perLanguageMetrics } from './per-language-metrics.js';
import { predictBatch } from './predict.js';
import { serializeModel } from './serialize-model.js';
import { stratifiedFolds, stratifiedSplit } from './split-examples.js';
import { trainClassifier } from './train-classifier.js';
import { trainInWorker } from './train-in-worker.js';

/** Trains one model; `signal` cancels it. */
export type Trainer = (
  examples: readonly LabeledExample[],
  options: TrainClassifierOptions & { signal?: AbortSignal },
) => Promise<{ model: TrainedModel; bytes: Uint8Array }>;

/** Trains in a worker thread (the server's default). */
export const workerTrainer: Trainer = (examples, options) => trainInWorker(examples, options);

/** Trains on this thread (seeding, tests, the CLI when blocking is fine). */
export const inProcessTrainer: Trainer = async (examples, options) => {
  const { signal: _signal, ...rest } = options;
  const model = trainClassifier(examples, rest);
  return { model, bytes: serializeModel(model) };
};

/** The evaluation stored with a version; labels are category ids (as strings), presented as slugs by the API. */
export interface StoredEvaluation extends ClassificationMetrics {
  method: 'holdout' | 'kfold';
  testFraction?: number;
  folds?: number;
  trainExamples: number;
  testExamples: number;
  operatingPoint: OperatingPoint;
  spread?: { accuracy: { mean: number; std: number }; macroF1: { mean: number; std: number } };
  /** The test texts' results by detected language (absent in evaluations stored before languages were recorded). */
  perLanguage?: LanguageMetrics[];
}

/** A training example with the detected language of its text, carried through the splits. */
type LanguageExample = LabeledExample & { language?: string };

export interface TrainModelVersionResult {
  version: number;
  status: 'ready' | 'failed';
  error?: string;
  modelBytes?: number;
}

/** Category ids are the model's labels: renaming a category never invalidates a model. */
export function labelOf(categoryId: number): string {
  return String(categoryId);
}

/** The taxonomy as the classifier sees it: subcategory id → parent id. */
export function parentOfCategories(categories: readonly ModelCategory[]): Record<string, string> {
  const parentOf: Record<string, string> = {};
  for (const c of categories) if (c.parentId !== null) parentOf[labelOf(c.id)] = labelOf(c.parentId);
  return parentOf;
}

/** Trains a queued version (the `classify.train` job). Idempotent: a version already ready is left alone. */
export async function trainModelVersion(
  db: DB,
  version: number,
  options: {
    trainer?: Trainer;
    signal?: AbortSignal;
    attempt?: number;
    /**
     * false: train only the final model and store no evaluation; the caller evaluates it on texts of its own and
     * stores that (storeEvaluation). The demo seed does, on its held-out examples, saving one training.
     */
    evaluate?: boolean;
  } = {},
): Promise<TrainModelVersionResult> {
  const trainer = options.trainer ?? workerTrainer;
  const row = await db
    .selectFrom('model_versions')
    .select(['id', 'status', 'settings', 'snapshot', 'categories'])
    .where('id', '=', version)
    .executeTakeFirst();
  if (!row) return { version, status: 'failed', error: `model version ${version} does not exist` };
  if (row.status === 'ready' || row.status === 'failed') return { version, status: row.status };
  await db
    .updateTable('model_versions')
    .set({ status: 'training', started_at: new Date(), progress: 0, progress_message: 'starting', error: null })
    .where('id', '=', version)
    .execute();

  let lastWrite = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const report = (fraction: number, message: string) => {
    const now = Date.now();
    if (now - lastWrite < 250 && fraction < 1) return;
    lastWrite = now;
    const progress = Math.max(0, Math.min(1, fraction));
    pending = pending.then(() =>
      db
        .updateTable('model_versions')
        .set({ progress, progress_message: message.slice(0, 200) })
        .where('id', '=', version)
        .where('status', '=', 'training')
        .execute()
        .catch(() => undefined),
    );
  };

  try {
    const settings = row.settings as TrainModelSettings;
    const snapshot = row.snapshot as SnapshotExample[];
    const categories = row.categories as ModelCategory[];
    const examples: LanguageExample[] = snapshot.map((e) => ({
      text: e.text,
      labels: e.labels.map(labelOf),
      ...(e.language ? { language: e.language } : {}),
    }));
    const trainOptions: TrainClassifierOptions = {
      seed: settings.seed,
      targetPrecision: settings.targetPrecision,
      parentOf: parentOfCategories(categories),
      ...(settings.epochs ? { epochs: settings.epochs } : {}),
    };
    const evaluation =
      options.evaluate === false
        ? null
        : await evaluate(examples, settings, trainOptions, trainer, options.signal, (f, m) => report(f * 0.6, m));
    report(0.6, `training on all ${examples.length} examples`);
    const final = await trainer(examples, {
      ...trainOptions,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (f, m) => report(0.6 + 0.4 * f, `final model: ${m}`),
    });
    await pending;
    await db
      .updateTable('model_versions')
      .set({
        status: 'ready',
        model: Buffer.from(final.bytes.buffer, final.bytes.byteOffset, final.bytes.byteLength),
        model_bytes: final.bytes.byteLength,
        evaluation: evaluation ? JSON.stringify(evaluation) : null,
        progress: 1,
        progress_message: 'ready',
        finished_at: new Date(),
      })
      .where('id', '=', version)
      .execute();
    return { version, status: 'ready', modelBytes: final.bytes.byteLength };
  } catch (error) {
    await pending;
    const message = error instanceof Error ? error.message : String(error);
    const aborted = options.signal?.aborted ?? false;
    const dataProblem =
      error instanceof ClassifyError && (error.code === 'TRAINING_DATA' || error.code === 'INVALID_OPTIONS');
    if (aborted || (!dataProblem && (options.attempt ?? TRAIN_MAX_ATTEMPTS) < TRAIN_MAX_ATTEMPTS)) {
      // Shutdown or a crashed worker: back in the queue, the job retries it.
      await db
        .updateTable('model_versions')
        .set({ status: 'queued', progress: 0, progress_message: aborted ? 'interrupted; will resume' : 'retrying' })
        .where('id', '=', version)
        .execute();
      throw error;
    }
    await db
      .updateTable('model_versions')
      .set({ status: 'failed', error: message.slice(0, 2000), finished_at: new Date(), progress_message: 'failed' })
      .where('id', '=', version)
      .execute();
    return { version, status: 'failed', error: message };
  }
}

/**
 * Stores an evaluation the caller made on texts the version was not trained on (the demo seed's held-out examples):
 * the same report a hold-out evaluation stores, with the per-language breakdown. Labels are category ids.
 */
export async function storeEvaluation(
  db: DB,
  version: number,
  model: TrainedModel,
  test: readonly (LabeledExample & { language?: string })[],
  trainExamples: number,
): Promise<StoredEvaluation> {
  const report = evaluateModel(model, test);
  const items = predictBatch(
    model,
    test.map((e) => e.text),
  ).map((prediction, i) => ({
    truth: test[i]!.labels,
    predicted: prediction.top[0]!.label,
    confidence: prediction.top[0]!.confidence,
  }));
  const evaluation: StoredEvaluation = {
    method: 'holdout',
    testFraction: test.length / (test.length + trainExamples),
    trainExamples,
    testExamples: test.length,
    ...report,
    perLanguage: perLanguageMetrics(
      items,
      test.map((e) => e.language),
    ),
  };
  await db
    .updateTable('model_versions')
    .set({ evaluation: JSON.stringify(evaluation) })
    .where('id', '=', version)
    .execute();
  return evaluation;
}

/** Holdout: one training on the train part, tested on the rest. k-fold: k trainings, pooled out-of-fold results. */
async function evaluate(
  examples: LanguageExample[],
  settings: TrainModelSettings,
  trainOptions: TrainClassifierOptions,
  trainer: Trainer,
  signal: AbortSignal | undefined,
  progress: (fraction: number, message: string) => void,
): Promise<StoredEvaluation | null> {
  const withSignal = signal ? { signal } : {};
  if (settings.evaluation.method === 'holdout') {
    const { train, test } = stratifiedSplit(examples, {
      testFraction: settings.evaluation.testFraction,
      seed: settings.seed,
    });
    if (test.length === 0 || new Set(train.flatMap((e) => e.labels)).size < 2) return null;
    const { model } = await trainer(train, {
      ...trainOptions,
      ...withSignal,
      onProgress: (f, m) => progress(f * 0.95, `evaluation model: ${m}`),
    });
    progress(0.97, `testing on ${test.length} held-out examples`);
    const report: EvaluationReport = evaluateModel(model, test);
    const items = predictBatch(
      model,
      test.map((e) => e.text),
    ).map((prediction, i) => ({
      truth: test[i]!.labels,
      predicted: prediction.top[0]!.label,
      confidence: prediction.top[0]!.confidence,
    }));
    return {
      method: 'holdout',
      testFraction: settings.evaluation.testFraction,
      trainExamples: train.length,
      testExamples: test.length,
      ...report,
      perLanguage: perLanguageMetrics(
        items,
        test.map((e) => e.language),
      ),
    };
  }
  const k = Math.min(settings.evaluation.folds, examples.length);
  if (k < 2) return null;
  const folds = stratifiedFolds(examples, k, settings.seed);
  const pooled: EvaluatedItem[] = [];
  const pooledLanguages: (string | undefined)[] = [];
  const perFold: { accuracy: number; macroF1: number }[] = [];
  const answers = { leaf: 0, leafRight: 0, parent: 0, parentRight: 0 };
  let thresholdSum = 0;
  for (const [index, testIndices] of folds.entries()) {
    const inTest = new Set(testIndices);
    const train = examples.filter((_, i) => !inTest.has(i));
    const test = testIndices.map((i) => examples[i]!);
    if (test.length === 0 || new Set(train.flatMap((e) => e.labels)).size < 2) continue;
    const { model } = await trainer(train, {
      ...trainOptions,
      ...withSignal,
      onProgress: (f, m) => progress((index + f) / k, `fold ${index + 1}/${k}: ${m}`),
    });
    thresholdSum += model.threshold;
    const items: EvaluatedItem[] = [];
    // The model's own answers (with its unsure thresholds) for the operating point; the top label for the metrics.
    predictBatch(
      model,
      test.map((e) => e.text),
    ).forEach((prediction, i) => {
      const truth = test[i]!.labels;
      const top = prediction.top[0]!;
      items.push({ truth, predicted: top.label, confidence: top.confidence });
      if (prediction.level === 'leaf') {
        answers.leaf++;
        if (truth.includes(prediction.label!)) answers.leafRight++;
      } else if (prediction.level === 'parent') {
        answers.parent++;
        if (truth.some((label) => (model.parentOf[label] ?? label) === prediction.label)) answers.parentRight++;
      }
    });
    const metrics = computeMetrics(items);
    perFold.push({ accuracy: metrics.accuracy, macroF1: metrics.macroF1 });
    pooled.push(...items);
    pooledLanguages.push(...test.map((e) => e.language));
  }
  if (pooled.length === 0) return null;
  const n = pooled.length;
  const spreadOf = (values: number[]) => {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.length > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1) : 0;
    return { mean, std: Math.sqrt(variance) };
  };
  return {
    method: 'kfold',
    folds: k,
    trainExamples: examples.length,
    testExamples: n,
    ...computeMetrics(pooled),
    spread: { accuracy: spreadOf(perFold.map((f) => f.accuracy)), macroF1: spreadOf(perFold.map((f) => f.macroF1)) },
    perLanguage: perLanguageMetrics(pooled, pooledLanguages),
    operatingPoint: {
      threshold: thresholdSum / perFold.length,
      coverage: answers.leaf / n,
      precision: answers.leaf > 0 ? answers.leafRight / answers.leaf : null,
      parentCoverage: answers.parent / n,
      parentPrecision: answers.parent > 0 ? answers.parentRight / answers.parent : null,
      unsure: (n - answers.leaf - answers.parent) / n,
    },
  };
}
