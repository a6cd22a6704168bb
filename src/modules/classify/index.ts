/**
 * Public API of the classifier: pure functions over plain data, no database, no network (training, prediction,
 * evaluation, files); and its database side (taxonomy, labels, model versions, active learning, categorisation jobs).
 */
export { activateModel } from './activate-model.js';
export { type QueueItem, reviewQueue, skipReviewItem } from './active-learning-queue.js';
export { type ActiveModel, ActiveModelCache } from './active-model-cache.js';
export {
  CATEGORISE_QUEUE,
  type CategoriseResult,
  categorisePending,
  requestCategorisation,
} from './categorise-feedback.js';
export { classifyRoutes } from './classify.routes.js';
export {
  type LabeledExample,
  type PredictOptions,
  type ProgressCallback,
  type ReadLabeledFileOptions,
  type TrainClassifierOptions,
  ZLabeledExample,
  ZPredictOptions,
  ZReadLabeledFileOptions,
  ZTrainClassifierOptions,
} from './classify.schema.js';
export { type ClassifyTables, ITEM_KINDS, type ItemKind } from './classify.tables.js';
export type { Prediction, ScoredLabel, TrainedModel } from './classify.types.js';
export { ClassifyError, type ClassifyErrorCode } from './classify-error.js';
export { registerClassifyJobs } from './classify-jobs.js';
export type { ClassMetrics, ConfusedPair, CoveragePoint } from './compute-metrics.js';
export { createModelVersion, snapshotTrainingData, TRAIN_QUEUE } from './create-model-version.js';
export { type CrossValidationReport, crossValidate } from './cross-validate.js';
export { detectLanguages } from './detect-language.js';
export { type EvaluationReport, evaluateClassifier, evaluateModel, type OperatingPoint } from './evaluate-model.js';
export { exportTaxonomy, type ImportTaxonomyResult, importTaxonomy } from './import-taxonomy.js';
export { findItem, type ItemLabels, labelsOfItems } from './labels.queries.js';
export { type ItemLabelsView, presentItemLabels, ZItemLabelsView } from './labels.schema.js';
export { compareWithActive, getModelVersion, listModelVersions } from './model-versions.queries.js';
export { type TrainModelRequest, ZTrainModelRequest } from './model-versions.schema.js';
export { predict, predictBatch } from './predict.js';
export { type LabeledRow, readLabeledFile } from './read-labeled-file.js';
export { addExampleItem, addFeedbackItems, recordFeedbackItem, removeFeedbackItem } from './record-feedback-item.js';
export { createCategory, setCategoryArchived, updateCategory } from './save-category.js';
export { deserializeModel, serializeModel } from './serialize-model.js';
export { setHumanLabels } from './set-human-labels.js';
export { stratifiedSplit } from './split-examples.js';
export { type Category, categoriesById, loadTaxonomy } from './taxonomy.queries.js';
export { type TaxonomyDocument, ZTaxonomyDocument } from './taxonomy.schema.js';
export { themesRoutes } from './themes.routes.js';
export { trainClassifier } from './train-classifier.js';
export { type TrainInWorkerOptions, type TrainInWorkerResult, trainInWorker } from './train-in-worker.js';
export {
  inProcessTrainer,
  storeEvaluation,
  type Trainer,
  trainModelVersion,
  workerTrainer,
} from './train-model-version.js';
