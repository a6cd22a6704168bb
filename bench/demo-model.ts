/**
 * The demo model (demo/feedback/) on the demo examples it never trained on, per category and per language, and a
 * 5-fold cross-validation on its training part alone (the figure to develop against: the held-out part is read only
 * to report). Trains in-process as the seed does (seed 42, the default target precision, the taxonomy's parents),
 * without a database: labels are slugs here, category ids in the seed, so figures can differ in the last digit.
 * The test in src/cli/seed/seed-feedback.test.ts checks the seed's own figures.
 *
 * Run: npm run bench -- demo-model
 */
import fs from 'node:fs';
import os from 'node:os';
import { type DemoExample, demoExampleText, demoHoldOut, loadDemoExamples } from '../src/cli/seed/seed-feedback.js';
import { computeMetrics, type EvaluatedItem } from '../src/modules/classify/compute-metrics.js';
import {
  evaluateModel,
  type LabeledExample,
  predictBatch,
  trainClassifier,
  ZTaxonomyDocument,
} from '../src/modules/classify/index.js';
import { stratifiedFolds } from '../src/modules/classify/split-examples.js';

const SEED = 42;
const FOLDS = 5;

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)} %`);

export async function main(): Promise<string> {
  const taxonomy = ZTaxonomyDocument.parse(
    JSON.parse(fs.readFileSync(new URL('../demo/feedback/taxonomy.json', import.meta.url), 'utf8')),
  );
  const parentOf: Record<string, string> = {};
  for (const c of taxonomy.categories) if (c.parent) parentOf[c.slug] = c.parent;
  const examples = loadDemoExamples();
  const held = demoHoldOut(examples);
  const asLabeled = (e: DemoExample): LabeledExample => ({ text: demoExampleText(e), labels: e.labels });
  const train = examples.filter((e) => !held.has(e.line));
  const test = examples.filter((e) => held.has(e.line));
  describeData(examples, held);

  // Cross-validation on the training part only.
  const trainLabeled = train.map(asLabeled);
  const pooled: EvaluatedItem[] = [];
  let started = performance.now();
  for (const fold of stratifiedFolds(trainLabeled, FOLDS, SEED)) {
    const inFold = new Set(fold);
    const model = trainClassifier(
      trainLabeled.filter((_, i) => !inFold.has(i)),
      { seed: SEED, parentOf },
    );
    const texts = fold.map((i) => trainLabeled[i]!.text);
    predictBatch(model, texts).forEach((p, j) => {
      pooled.push({
        truth: trainLabeled[fold[j]!]!.labels,
        predicted: p.top[0]!.label,
        confidence: p.top[0]!.confidence,
      });
    });
  }
  const cv = computeMetrics(pooled);
  const cvSeconds = (performance.now() - started) / 1000;
  console.log(
    `${FOLDS}-fold CV on the ${train.length} training examples: accuracy ${pct(cv.accuracy)}, macro-F1 ${cv.macroF1.toFixed(3)} (${cvSeconds.toFixed(1)} s)`,
  );

  started = performance.now();
  const model = trainClassifier(trainLabeled, { seed: SEED, parentOf });
  const trainSeconds = (performance.now() - started) / 1000;
  const report = evaluateModel(model, test.map(asLabeled));
  const point = report.operatingPoint;
  console.log(
    `held out (${test.length} examples, never trained on): accuracy ${pct(report.accuracy)}, macro-F1 ${report.macroF1.toFixed(3)}; ` +
      `answers ${pct(point.coverage)} at ${pct(point.precision)} precision, parent only ${pct(point.parentCoverage)}, unsure ${pct(point.unsure)}; ` +
      `one training ${trainSeconds.toFixed(1)} s`,
  );
  const predictions = predictBatch(
    model,
    test.map((e) => demoExampleText(e)),
  );
  const byLocale = new Map<string, { n: number; right: number; answered: number; answeredRight: number }>();
  const byKind = new Map<string, { n: number; answered: number }>();
  test.forEach((e, i) => {
    const p = predictions[i]!;
    const l = byLocale.get(e.locale) ?? { n: 0, right: 0, answered: 0, answeredRight: 0 };
    l.n++;
    if (e.labels.includes(p.top[0]!.label)) l.right++;
    if (p.level === 'leaf') {
      l.answered++;
      if (e.labels.includes(p.label!)) l.answeredRight++;
    }
    byLocale.set(e.locale, l);
    const k = byKind.get(e.kind) ?? { n: 0, answered: 0 };
    k.n++;
    if (p.level === 'leaf') k.answered++;
    byKind.set(e.kind, k);
  });
  for (const [locale, l] of [...byLocale].sort()) {
    console.log(
      `  ${locale}: ${l.n} held out, accuracy ${pct(l.right / l.n)}, answered ${pct(l.answered / l.n)} at ${pct(l.answered ? l.answeredRight / l.answered : null)}`,
    );
  }
  for (const [kind, k] of byKind) console.log(`  ${kind}s: answered ${pct(k.answered / k.n)} of ${k.n}`);
  console.log('  per category (held out): F1, support');
  for (const c of [...report.perClass].sort((a, b) => a.f1 - b.f1)) {
    console.log(`    ${c.label.padEnd(22)} ${c.f1.toFixed(2)}  ${c.support}`);
  }
  console.log('  most confused (actual → predicted):');
  for (const pair of report.confusedPairs.slice(0, 8))
    console.log(`    ${pair.actual} → ${pair.predicted} ×${pair.count}`);
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  return `demo-model: held-out macro-F1 ${report.macroF1.toFixed(3)}, accuracy ${pct(report.accuracy)}, answers ${pct(point.coverage)} at ${pct(point.precision)} precision (CV on training part: macro-F1 ${cv.macroF1.toFixed(3)}; load ${load})`;
}

function describeData(examples: readonly DemoExample[], held: ReadonlySet<number>): void {
  const perCategory = new Map<string, number>();
  const perLocale = new Map<string, number>();
  for (const e of examples) {
    for (const label of e.labels) perCategory.set(label, (perCategory.get(label) ?? 0) + 1);
    perLocale.set(e.locale, (perLocale.get(e.locale) ?? 0) + 1);
  }
  const counts = [...perCategory.values()].sort((a, b) => a - b);
  const median = counts[Math.floor(counts.length / 2)]!;
  console.log(
    `${examples.length} examples (${held.size} held out; ${examples.filter((e) => e.labels.length > 1).length} with two labels) over ${perCategory.size} subcategories: ` +
      `per category min ${counts[0]}, median ${median}, max ${counts[counts.length - 1]}; per language ${[...perLocale].map(([l, n]) => `${l} ${n}`).join(', ')}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
