/**
 * Zod schemas for everything that can arrive from outside the process: examples, training and prediction options,
 * file-reading options and the header of a serialised model.
 */
import { z } from 'zod';

/** Progress reports: fraction in [0, 1] and a sentence for a progress bar or log. */
export type ProgressCallback = (fraction: number, message: string) => void;

/** One labeled text, as accepted from files and the API. */
export const ZLabeledExample = z.object({
  text: z.string().refine((text) => text.trim().length > 0, 'text is empty'),
  labels: z.array(z.string().min(1, 'a label is empty')).min(1, 'an example needs at least one label'),
});
/** One training or test example; several labels mean the text belongs to each of them. */
export type LabeledExample = z.infer<typeof ZLabeledExample>;

/** How text becomes features (see FeatureConfig in extract-features.ts). */
export const ZFeatureConfig = z.object({
  wordNgramMax: z.number().int().min(1).max(3),
  charNgramMin: z.number().int().min(0).max(8),
  charNgramMax: z.number().int().min(0).max(8),
  minDf: z.number().int().min(1),
  charWeight: z.number().min(0).max(10),
  sublinearTf: z.boolean(),
  /** Character n-grams inside each padded word ('word', the default) or across the whole text ('text'). */
  charScope: z.enum(['word', 'text']).optional(),
});

/** Training options with their defaults; the defaults were chosen on held-out splits of BANKING77's train set. */
export const ZTrainClassifierOptions = z.object({
  /** Fixes the held-out split and the SGD shuffles: same seed and data, same model bit for bit. */
  seed: z.number().int().default(1),
  /** Precision the "unsure" thresholds are chosen to reach on held-out data. */
  targetPrecision: z.number().gt(0).max(1).default(0.9),
  /** Taxonomy: label → its parent category. */
  parentOf: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** Share of each class kept aside to fit calibration and thresholds. */
  holdoutFraction: z.number().min(0).max(0.5).default(0.15),
  /** After calibrating, train again on all examples (thresholds and temperature are kept). */
  refit: z.boolean().default(true),
  epochs: z.number().int().min(1).max(200).default(10),
  /** L2 penalty λ per example. */
  l2: z.number().min(0).max(1).default(1e-5),
  learningRate: z.number().gt(0).max(100).default(3),
  /** 'balanced' weighs each class inversely to its number of examples, so rare categories are not drowned. */
  classWeight: z.enum(['balanced', 'none']).default('balanced'),
  features: ZFeatureConfig.partial().default({}),
  /**
   * Choose the character weight (unless given in `features`), the SVM's C and the blend of logistic regression, SVM
   * and prototypes by inner cross-validation on the training part; false trains logistic regression alone.
   */
  select: z.boolean().default(true),
});
export type TrainClassifierInput = z.input<typeof ZTrainClassifierOptions>;
export type TrainClassifierSettings = z.output<typeof ZTrainClassifierOptions>;
/** Options of trainClassifier: the validated settings plus a progress callback. */
export type TrainClassifierOptions = TrainClassifierInput & { onProgress?: ProgressCallback };

/** Options of predict and predictBatch. */
export const ZPredictOptions = z.object({
  /** Overrides the learned "unsure" threshold; 0 always answers the top label. */
  threshold: z.number().min(0).max(1).optional(),
  /** How many labels to list in `top`. */
  top: z.number().int().min(1).max(1000).default(5),
});
export type PredictOptions = z.input<typeof ZPredictOptions>;

/** Options of readLabeledFile: which columns hold the text and the label(s). */
export const ZReadLabeledFileOptions = z.object({
  textColumn: z.string().min(1),
  labelColumn: z.string().min(1),
  /** Inferred from the extension (.csv, .tsv, .jsonl/.ndjson) when absent. */
  format: z.enum(['csv', 'tsv', 'jsonl']).optional(),
  /** Splits one cell into several labels (e.g. "|"); JSONL may also give an array. */
  labelSeparator: z.string().min(1).optional(),
});
export type ReadLabeledFileOptions = z.input<typeof ZReadLabeledFileOptions>;
