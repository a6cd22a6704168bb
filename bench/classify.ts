/**
 * Classifier benchmark on BANKING77 (77 intents, 10,003 train / 3,080 test English banking queries).
 *
 * Trains the production configuration (word 1–2-grams + character 3–5-grams inside words, TF-IDF, multinomial
 * logistic regression by SGD with balanced class weights, held-out calibration then refit) and, in the same run, a baseline with the same
 * optimiser on plain word-unigram TF-IDF. Hyperparameters were chosen on held-out splits of train.csv (20 texts per
 * class, three seeds), never on test.csv, which is evaluated once per run.
 *
 * Run: node --import tsx bench/classify.ts
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import {
  evaluateModel,
  type LabeledExample,
  predict,
  readLabeledFile,
  serializeModel,
  type TrainClassifierOptions,
  type TrainedModel,
  trainClassifier,
} from '../src/modules/classify/index.js';

interface RunFigures {
  accuracy: number;
  macroF1: number;
  trainSeconds: number;
  predictionsPerSecond: number;
  modelBytes: number;
}

const SEED = 7;

function train(name: string, examples: LabeledExample[], options: TrainClassifierOptions): [TrainedModel, number] {
  const bar = new cliProgress.SingleBar(
    { format: `${name.padEnd(9)} [{bar}] {percentage}% {step}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { step: '' });
  const started = performance.now();
  const model = trainClassifier(examples, {
    ...options,
    onProgress: (fraction, message) => bar.update(Math.round(fraction * 100), { step: message }),
  });
  const seconds = (performance.now() - started) / 1000;
  bar.stop();
  return [model, seconds];
}

/**
 * Predictions per second on one core: single-threaded predict() calls over the test texts, repeated for at least
 * two seconds, divided by the CPU time the process used (not wall time, which other work on a shared machine
 * inflates; CPU time also counts V8's helper threads, so the figure errs low).
 */
function measureThroughput(model: TrainedModel, texts: readonly string[]): number {
  for (const text of texts.slice(0, 500)) predict(model, text); // warm up the JIT
  let count = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  while (performance.now() - started < 2000) {
    for (const text of texts) predict(model, text);
    count += texts.length;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return count / ((cpu.user + cpu.system) / 1e6);
}

function runOne(name: string, trainSet: LabeledExample[], testSet: LabeledExample[], options: TrainClassifierOptions) {
  const [model, trainSeconds] = train(name, trainSet, options);
  const report = evaluateModel(model, testSet);
  const figures: RunFigures = {
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    trainSeconds,
    predictionsPerSecond: measureThroughput(
      model,
      testSet.map((example) => example.text),
    ),
    modelBytes: serializeModel(model).byteLength,
  };
  return { model, report, figures };
}

function describe(name: string, f: RunFigures): string {
  return [
    name.padEnd(9),
    `accuracy ${(f.accuracy * 100).toFixed(2)}%`,
    `macro-F1 ${(f.macroF1 * 100).toFixed(2)}%`,
    `train ${f.trainSeconds.toFixed(1)} s`,
    `${Math.round(f.predictionsPerSecond).toLocaleString('en')} predictions/s`,
    `model ${(f.modelBytes / 1024 / 1024).toFixed(2)} MB`,
  ].join(' · ');
}

/** Runs the benchmark and prints its figures; skips (exit 0) when the data set is absent. */
export async function main(): Promise<void> {
  const directory = new URL('../../shared/data/banking77/', import.meta.url);
  const trainPath = fileURLToPath(new URL('train.csv', directory));
  const testPath = fileURLToPath(new URL('test.csv', directory));
  if (!existsSync(trainPath) || !existsSync(testPath)) {
    console.log(`classify: skipped: data set not found at ${fileURLToPath(directory)}`);
    return;
  }
  const columns = { textColumn: 'text', labelColumn: 'category' };
  const [trainSet, testSet] = await Promise.all([
    readLabeledFile(trainPath, columns),
    readLabeledFile(testPath, columns),
  ]);
  console.log(`BANKING77: ${trainSet.length} train / ${testSet.length} test texts; test.csv evaluated once.`);

  const ours = runOne('model', trainSet, testSet, { seed: SEED });
  const baseline = runOne('baseline', trainSet, testSet, {
    seed: SEED,
    // Plain word-unigram TF-IDF: no bigrams, no character n-grams, raw term counts, every word kept.
    features: { wordNgramMax: 1, charNgramMin: 0, sublinearTf: false, minDf: 1 },
  });
  console.log(describe('model', ours.figures));
  console.log(describe('baseline', baseline.figures));

  const heldOut = ours.model.trainedOn.heldOut;
  if (heldOut) {
    console.log(
      `held-out part of train.csv (${heldOut.examples} texts, model before refit): accuracy ${(heldOut.accuracy * 100).toFixed(2)}%`,
    );
  }
  const point = ours.report.operatingPoint;
  console.log(
    `unsure threshold ${point.threshold.toFixed(3)} (target precision ${ours.model.targetPrecision}): ` +
      `answers ${(point.coverage * 100).toFixed(1)}% of test texts at ${((point.precision ?? 0) * 100).toFixed(1)}% precision`,
  );
  console.log(
    'coverage vs precision: ' +
      ours.report.coverageCurve
        .map(
          (p) =>
            `≥${p.threshold}: ${(p.coverage * 100).toFixed(0)}%/${p.precision === null ? '–' : (p.precision * 100).toFixed(1)}%`,
        )
        .join(', '),
  );
  console.log(
    'most confused: ' +
      ours.report.confusedPairs
        .slice(0, 5)
        .map((p) => `${p.actual} → ${p.predicted} (${p.count})`)
        .join('; '),
  );
  const f = ours.figures;
  console.log(
    `classify: accuracy=${f.accuracy.toFixed(4)} macroF1=${f.macroF1.toFixed(4)} train_s=${f.trainSeconds.toFixed(1)} ` +
      `pred_per_s=${Math.round(f.predictionsPerSecond)} model_mb=${(f.modelBytes / 1024 / 1024).toFixed(2)} ` +
      `baseline_accuracy=${baseline.figures.accuracy.toFixed(4)} ratio=${(f.accuracy / baseline.figures.accuracy).toFixed(3)}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
