/**
 * Accuracy and macro-F1 of an evaluation broken down by the language of each test text, with a 95 % Wilson interval
 * on the accuracy: one model is trained over every language, and this shows where it is weak. A language with few
 * test texts gets a wide interval, which says how little its figure proves.
 */
import { wilsonInterval } from '../insights/stats.js';
import { computeMetrics, type EvaluatedItem } from './compute-metrics.js';
import { UNDETERMINED } from './detect-language.js';

export interface LanguageMetrics {
  /** ISO 639-1, or 'und' (unknown: texts from before languages were recorded, or undetectable). */
  language: string;
  examples: number;
  accuracy: number;
  /** 95 % Wilson interval of the accuracy. */
  accuracyLow: number;
  accuracyHigh: number;
  macroF1: number;
}

/** Groups evaluated items by language, largest first. */
export function perLanguageMetrics(
  items: readonly EvaluatedItem[],
  languages: readonly (string | undefined)[],
): LanguageMetrics[] {
  const groups = new Map<string, EvaluatedItem[]>();
  items.forEach((item, index) => {
    const language = languages[index] ?? UNDETERMINED;
    let group = groups.get(language);
    if (!group) {
      group = [];
      groups.set(language, group);
    }
    group.push(item);
  });
  return [...groups.entries()]
    .map(([language, group]) => {
      const metrics = computeMetrics(group, { curveThresholds: [], maxPairs: 0 });
      const right = Math.round(metrics.accuracy * group.length);
      const interval = wilsonInterval(right, group.length);
      return {
        language,
        examples: group.length,
        accuracy: metrics.accuracy,
        accuracyLow: interval.low,
        accuracyHigh: interval.high,
        macroF1: metrics.macroF1,
      };
    })
    .sort((a, b) => b.examples - a.examples || a.language.localeCompare(b.language));
}
