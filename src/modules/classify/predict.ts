/**
 * Prediction with an "unsure" answer: the top label when its calibrated probability passes the model's threshold,
 * else its parent category when the summed probability of the category passes, else null.
 */

import { type PredictOptions, ZPredictOptions } from './classify.schema.js';
import type { Prediction, ScoredLabel, TrainedModel } from './classify.types.js';
import { ClassifyError } from './classify-error.js';
import { extractFeatures } from './extract-features.js';
import { argMax, buildParentGroups, type ParentGroups, rollUp } from './roll-up-parents.js';
import { applyTemperature, scoreVector } from './score-text.js';

/** Prediction options after validation and defaults. */
export interface ResolvedOptions {
  threshold: number | undefined;
  top: number;
}

const DEFAULT_OPTIONS: ResolvedOptions = { threshold: undefined, top: 5 };
// Groups depend only on the model; computing them per call would dominate short texts.
const groupsCache = new WeakMap<TrainedModel, ParentGroups | null>();

function resolveOptions(options: PredictOptions | undefined): ResolvedOptions {
  if (options === undefined) return DEFAULT_OPTIONS;
  const parsed = ZPredictOptions.safeParse(options);
  if (!parsed.success) {
    throw new ClassifyError('INVALID_OPTIONS', `Invalid prediction options: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return { threshold: parsed.data.threshold, top: parsed.data.top };
}

function groupsOf(model: TrainedModel): ParentGroups | null {
  let groups = groupsCache.get(model);
  if (groups === undefined) {
    groups = buildParentGroups(model.labels, model.parentOf);
    groupsCache.set(model, groups);
  }
  return groups;
}

/**
 * Builds the answer from calibrated class probabilities. `hasEvidence` is false when the text had no feature the
 * model knows: its probabilities then only echo the class priors, so nothing is answered unless the threshold is 0.
 */
export function decide(
  model: TrainedModel,
  probabilities: Float64Array,
  options: ResolvedOptions,
  hasEvidence = true,
): Prediction {
  const { labels } = model;
  const best = argMax(probabilities);
  const bestConfidence = probabilities[best]!;
  const threshold = options.threshold ?? model.threshold;
  const parentThreshold = options.threshold ?? model.parentThreshold;
  const mayAnswer = hasEvidence || threshold <= 0;

  const groups = groupsOf(model);
  let parent: ScoredLabel | null = null;
  if (groups) {
    const sums = rollUp(groups, probabilities);
    const bestGroup = argMax(sums);
    parent = { label: groups.names[bestGroup]!, confidence: sums[bestGroup]! };
  }

  let label: string | null = null;
  let confidence = bestConfidence;
  let level: Prediction['level'] = null;
  if (mayAnswer && bestConfidence >= threshold) {
    label = labels[best]!;
    level = 'leaf';
  } else if (mayAnswer && parent && parent.confidence >= parentThreshold) {
    label = parent.label;
    confidence = parent.confidence;
    level = 'parent';
  }

  const listed: ScoredLabel[] = [];
  for (let c = 0; c < labels.length; c++) {
    if ((hasEvidence && probabilities[c]! >= model.classThresholds[c]!) || (level === 'leaf' && c === best)) {
      listed.push({ label: labels[c]!, confidence: probabilities[c]! });
    }
  }
  listed.sort((a, b) => b.confidence - a.confidence);
  return { label, confidence, level, labels: listed, top: topLabels(labels, probabilities, options.top), parent };
}

function topLabels(labels: readonly string[], probabilities: Float64Array, count: number): ScoredLabel[] {
  // Insertion into a short sorted list: cheaper than sorting all classes when count ≪ classes.
  const chosen: number[] = [];
  for (let c = 0; c < probabilities.length; c++) {
    const p = probabilities[c]!;
    if (chosen.length === count && p <= probabilities[chosen[count - 1]!]!) continue;
    let position = chosen.length;
    while (position > 0 && probabilities[chosen[position - 1]!]! < p) position--;
    chosen.splice(position, 0, c);
    if (chosen.length > count) chosen.pop();
  }
  return chosen.map((c) => ({ label: labels[c]!, confidence: probabilities[c]! }));
}

function predictResolved(model: TrainedModel, text: string, options: ResolvedOptions): Prediction {
  const vector = extractFeatures(model.features, text);
  const probabilities = applyTemperature(scoreVector(model.linear, vector), model.temperature);
  return decide(model, probabilities, options, vector.indices.length > 0);
}

/** Classifies one text; `threshold` overrides the learned unsure threshold (0 always answers the top label). */
export function predict(model: TrainedModel, text: string, options?: PredictOptions): Prediction {
  return predictResolved(model, text, resolveOptions(options));
}

/** Classifies many texts with the same options. */
export function predictBatch(model: TrainedModel, texts: readonly string[], options?: PredictOptions): Prediction[] {
  const resolved = resolveOptions(options);
  return texts.map((text) => predictResolved(model, text, resolved));
}
