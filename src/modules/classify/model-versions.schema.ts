/** Zod schemas for training and reading classifier model versions through the operator API. */
import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';

export const ZEvaluationSettings = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('holdout'),
    /** Share of each category kept aside for testing. */
    testFraction: z.number().min(0.05).max(0.5).default(0.2),
  }),
  z.object({ method: z.literal('kfold'), folds: z.number().int().min(2).max(10).default(5) }),
]);

export const ZTrainModelRequest = z.object({
  /** Same seed and same labeled data: the same model, bit for bit. */
  seed: z.number().int().min(0).max(2_147_483_647).default(1),
  /** Precision the "unsure" threshold is tuned to reach. */
  targetPrecision: z.number().gt(0).max(1).default(0.9),
  evaluation: ZEvaluationSettings.default({ method: 'holdout', testFraction: 0.2 }),
  epochs: z.number().int().min(1).max(200).optional(),
  note: z.string().trim().max(LIMITS.modelNote).default(''),
});
export type TrainModelRequest = z.input<typeof ZTrainModelRequest>;
export type TrainModelSettings = z.output<typeof ZTrainModelRequest>;

const ZClassMetrics = z.object({
  category: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int(),
  predicted: z.number().int(),
});

/** A version's evaluation as the API shows it (category slugs, not ids). */
export const ZEvaluationView = z.object({
  method: z.enum(['holdout', 'kfold']),
  testFraction: z.number().optional(),
  folds: z.number().int().optional(),
  trainExamples: z.number().int(),
  testExamples: z.number().int(),
  accuracy: z.number(),
  macroF1: z.number(),
  /** Across folds (k-fold only). */
  spread: z
    .object({
      accuracy: z.object({ mean: z.number(), std: z.number() }),
      macroF1: z.object({ mean: z.number(), std: z.number() }),
    })
    .optional(),
  perClass: z.array(ZClassMetrics),
  /** Test results by the detected language of each text; accuracy with its 95 % Wilson interval. */
  perLanguage: z
    .array(
      z.object({
        language: z.string(),
        examples: z.number().int(),
        accuracy: z.number(),
        accuracyLow: z.number(),
        accuracyHigh: z.number(),
        macroF1: z.number(),
      }),
    )
    .optional(),
  confusedPairs: z.array(z.object({ actual: z.string(), predicted: z.string(), count: z.number().int() })),
  /** Coverage (share answered) against precision as the unsure threshold moves. */
  coverageCurve: z.array(z.object({ threshold: z.number(), coverage: z.number(), precision: z.number().nullable() })),
  operatingPoint: z.object({
    threshold: z.number(),
    coverage: z.number(),
    precision: z.number().nullable(),
    parentCoverage: z.number(),
    parentPrecision: z.number().nullable(),
    unsure: z.number(),
  }),
});
export type EvaluationView = z.infer<typeof ZEvaluationView>;

export const ZModelVersionView = z.object({
  version: z.number().int(),
  status: z.enum(['queued', 'training', 'ready', 'failed']),
  active: z.boolean(),
  note: z.string(),
  progress: z.number(),
  progressMessage: z.string(),
  examples: z.number().int(),
  categories: z.number().int(),
  settings: z.unknown(),
  modelBytes: z.number().int().nullable(),
  error: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  activatedAt: z.string().nullable(),
  evaluation: ZEvaluationView.nullable(),
});
export type ModelVersionView = z.infer<typeof ZModelVersionView>;
