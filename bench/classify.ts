/**
 * Classifier benchmark on every data set under ../shared/data/ (each a directory with train.csv and test.csv, header
 * `text,category`, optionally `language`; other columns are ignored). ANSWERLOOP_CLASSIFY_SETS=a,b limits the sets.
 *
 * For each set, in the same process: the baseline (scikit-learn's TF-IDF word 1-2-grams + char 2-5-grams with
 * LinearSVC(C=1), re-implemented in src/modules/classify/baseline-svm.ts), the production trainer (trainClassifier,
 * which chooses its own settings by inner cross-validation on train.csv) and the previous production configuration
 * (logistic regression alone, `select: false`), on the full train.csv; then few-shot runs with 5, 10 and 20 labelled
 * examples per class drawn from train.csv (five seeded draws each), ours against the baseline. Every run is evaluated
 * on the whole test.csv, which takes no part in any choice.
 *
 * Run: npm run bench -- classify
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { type BaselineModel, predictBaseline, trainBaselineSvm } from '../src/modules/classify/baseline-svm.js';
import { computeMetrics } from '../src/modules/classify/compute-metrics.js';
import {
  type LabeledExample,
  predict,
  type TrainClassifierOptions,
  type TrainedModel,
  trainClassifier,
} from '../src/modules/classify/index.js';
import { createRandom, shuffleInPlace } from '../src/modules/classify/seeded-random.js';

interface Example extends LabeledExample {
  language: string | null;
}

interface DataSet {
  name: string;
  train: Example[];
  test: Example[];
}

interface Scored {
  accuracy: number;
  macroF1: number;
  predicted: string[];
}

const SEED = 7;
const SHOTS = [5, 10, 20];
const DRAWS = 5;
const DATA_DIRECTORY = fileURLToPath(new URL('../../shared/data/', import.meta.url));

function readSet(directory: string, file: string): Example[] {
  const rows = parse(readFileSync(`${directory}/${file}`, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  }) as Record<string, string>[];
  if (rows.length === 0) throw new Error(`${file} has no rows`);
  const first = rows[0]!;
  if (!('text' in first) || !('category' in first)) throw new Error(`${file} lacks a text or category column`);
  return rows
    .filter((row) => (row.text ?? '').trim() !== '' && (row.category ?? '') !== '')
    .map((row) => ({ text: row.text!, labels: [row.category!], language: row.language || null }));
}

/** Every usable set, or a message for each skipped one. */
function listSets(): DataSet[] {
  if (!existsSync(DATA_DIRECTORY)) {
    console.log(`classify: no data directory at ${DATA_DIRECTORY}`);
    return [];
  }
  const wanted = (process.env.ANSWERLOOP_CLASSIFY_SETS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const sets: DataSet[] = [];
  for (const name of readdirSync(DATA_DIRECTORY).sort()) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const directory = `${DATA_DIRECTORY}${name}`;
    if (!existsSync(`${directory}/train.csv`) || !existsSync(`${directory}/test.csv`)) continue;
    try {
      const set = { name, train: readSet(directory, 'train.csv'), test: readSet(directory, 'test.csv') };
      if (new Set(set.train.map((example) => example.labels[0])).size < 2) throw new Error('fewer than two classes');
      sets.push(set);
    } catch (error) {
      console.log(`${name}: skipped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const name of wanted) if (!sets.some((set) => set.name === name)) console.log(`${name}: not found or unusable`);
  return sets;
}

function score(test: readonly Example[], predicted: string[]): Scored {
  const metrics = computeMetrics(
    test.map((example, i) => ({ truth: example.labels, predicted: predicted[i]!, confidence: 1 })),
  );
  return { accuracy: metrics.accuracy, macroF1: metrics.macroF1, predicted };
}

const predictOurs = (model: TrainedModel) => (text: string) => predict(model, text, { top: 1, threshold: 0 }).label!;
const predictBase = (model: BaselineModel) => (text: string) => predictBaseline(model, text);

/** Predictions per second of CPU time over the test texts, for about a second after a warm-up. */
function throughput(classify: (text: string) => string, texts: readonly string[]): number {
  for (const text of texts.slice(0, 300)) classify(text);
  let count = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  while (performance.now() - started < 1000) {
    for (const text of texts.slice(0, 2000)) classify(text);
    count += Math.min(texts.length, 2000);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return count / ((cpu.user + cpu.system) / 1e6);
}

function timed<T>(run: () => T): [T, number] {
  const started = performance.now();
  const result = run();
  return [result, (performance.now() - started) / 1000];
}

const percent = (x: number) => `${(x * 100).toFixed(2)}%`;

function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, sd };
}

/** `shots` examples of every class, drawn with a seeded shuffle per class (fewer when a class has fewer). */
function drawFewShot(train: readonly Example[], shots: number, seed: number): Example[] {
  const byClass = new Map<string, Example[]>();
  for (const example of train) {
    const group = byClass.get(example.labels[0]!) ?? [];
    group.push(example);
    byClass.set(example.labels[0]!, group);
  }
  const random = createRandom(seed);
  return [...byClass.keys()]
    .sort()
    .flatMap((label) => shuffleInPlace(byClass.get(label)!.slice(), random).slice(0, shots));
}

function perLanguage(test: readonly Example[], ours: Scored, baseline: Scored): void {
  const languages = [...new Set(test.map((example) => example.language).filter((l): l is string => l !== null))].sort();
  if (languages.length === 0) return;
  for (const language of languages) {
    const rows = test.map((example, i) => [example, i] as const).filter(([example]) => example.language === language);
    const right = (scored: Scored) =>
      rows.filter(([example, i]) => example.labels.includes(scored.predicted[i]!)).length;
    console.log(
      `  language ${language.padEnd(5)} n=${String(rows.length).padStart(5)}  ours ${percent(right(ours) / rows.length)}  baseline ${percent(right(baseline) / rows.length)}`,
    );
  }
}

function describeSelection(model: TrainedModel): string {
  const selection = model.hyperparameters.selection;
  if (!selection) return 'no inner CV (too little data)';
  const blend = `lr ${selection.blend.lr} / svm ${selection.blend.svm} / prototype ${selection.blend.prototype}`;
  const f = model.hyperparameters.features;
  const family =
    f.charScope === 'text'
      ? `the baseline's features (char ${f.charNgramMin}-${f.charNgramMax} across words, raw tf)`
      : `our features (char ${f.charNgramMin}-${f.charNgramMax} inside words, ${f.sublinearTf ? 'sublinear' : 'raw'} tf)`;
  return `${family}, charWeight ${selection.charWeight}, C ${selection.svmC}, blend ${blend} (${selection.folds}-fold OOF accuracy ${percent(selection.accuracy)})`;
}

function runSet(set: DataSet): string {
  const classes = new Set(set.train.map((example) => example.labels[0])).size;
  console.log(`\n## ${set.name}: ${set.train.length} train / ${set.test.length} test texts, ${classes} classes`);
  const texts = set.test.map((example) => example.text);
  const options: TrainClassifierOptions = { seed: SEED };

  console.log('full train.csv: baseline…');
  const [baseModel, baseSeconds] = timed(() => trainBaselineSvm(set.train, SEED));
  const baseline = score(set.test, texts.map(predictBase(baseModel)));
  console.log('full train.csv: ours…');
  const [ourModel, ourSeconds] = timed(() => trainClassifier(set.train, options));
  const ours = score(set.test, texts.map(predictOurs(ourModel)));
  console.log('full train.csv: previous production model (logistic regression alone)…');
  const [oldModel, oldSeconds] = timed(() => trainClassifier(set.train, { ...options, select: false }));
  const old = score(set.test, texts.map(predictOurs(oldModel)));
  const rates = {
    baseline: throughput(predictBase(baseModel), texts),
    ours: throughput(predictOurs(ourModel), texts),
    old: throughput(predictOurs(oldModel), texts),
  };
  const line = (name: string, s: Scored, seconds: number, rate: number) =>
    `  ${name.padEnd(9)} accuracy ${percent(s.accuracy)}  macro-F1 ${percent(s.macroF1)}  train ${seconds.toFixed(1)} s  ${Math.round(rate).toLocaleString('en')} predictions/s`;
  console.log(line('baseline', baseline, baseSeconds, rates.baseline));
  console.log(line('ours', ours, ourSeconds, rates.ours));
  console.log(line('previous', old, oldSeconds, rates.old));
  console.log(`  inner CV chose: ${describeSelection(ourModel)}`);
  perLanguage(set.test, ours, baseline);
  const fullDelta = (ours.accuracy - baseline.accuracy) * 100;
  console.log(`  delta ours − baseline: ${fullDelta >= 0 ? '+' : ''}${fullDelta.toFixed(2)} points`);

  const fewShot: string[] = [];
  for (const shots of SHOTS) {
    const oursAcc: number[] = [];
    const baseAcc: number[] = [];
    const chosen: string[] = [];
    let seconds = 0;
    for (let draw = 1; draw <= DRAWS; draw++) {
      const sample = drawFewShot(set.train, shots, draw);
      const fewBase = trainBaselineSvm(sample, draw);
      baseAcc.push(score(set.test, texts.map(predictBase(fewBase))).accuracy);
      const [fewModel, s] = timed(() => trainClassifier(sample, { seed: draw }));
      seconds += s;
      oursAcc.push(score(set.test, texts.map(predictOurs(fewModel))).accuracy);
      const selection = fewModel.hyperparameters.selection;
      chosen.push(selection ? `${selection.blend.lr}/${selection.blend.svm}/${selection.blend.prototype}` : '-');
      process.stdout.write(
        `  ${shots}-shot draw ${draw}/${DRAWS}: ours ${percent(oursAcc.at(-1)!)} baseline ${percent(baseAcc.at(-1)!)}\n`,
      );
    }
    const o = meanSd(oursAcc);
    const b = meanSd(baseAcc);
    const delta = (o.mean - b.mean) * 100;
    console.log(
      `  ${String(shots).padStart(2)} per class: ours ${percent(o.mean)} ± ${(o.sd * 100).toFixed(2)}  baseline ${percent(b.mean)} ± ${(b.sd * 100).toFixed(2)}  delta ${delta >= 0 ? '+' : ''}${delta.toFixed(2)} points  (ours trains in ${(seconds / DRAWS).toFixed(1)} s; blend lr/svm/prototype per draw: ${chosen.join(', ')})`,
    );
    fewShot.push(`${shots}-shot ${delta >= 0 ? '+' : ''}${delta.toFixed(1)}`);
  }
  const summary =
    `${set.name}: ours ${percent(ours.accuracy)} vs baseline ${percent(baseline.accuracy)} ` +
    `(${fullDelta >= 0 ? '+' : ''}${fullDelta.toFixed(2)} points; previous ${percent(old.accuracy)}); few-shot ${fewShot.join(', ')}`;
  console.log(`  ${summary}`);
  return summary;
}

/** Runs the benchmark on every data set present and returns a one-line summary. */
export async function main(): Promise<string> {
  const sets = listSets();
  if (sets.length === 0) return 'classify: skipped: no data set found';
  const summaries = sets.map(runSet);
  return `classify: ${summaries.join(' | ')}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await main());
}
