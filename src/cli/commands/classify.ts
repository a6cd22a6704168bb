import fs from 'node:fs';
import readline from 'node:readline';
import type { Command } from 'commander';
import {
  ClassifyError,
  crossValidate,
  deserializeModel,
  type EvaluationReport,
  evaluateModel,
  type LabeledExample,
  predict,
  readLabeledFile,
  trainInWorker,
} from '../../modules/classify/index.js';
import { createProgressBar } from '../progress.js';

interface FileOptions {
  textColumn: string;
  labelColumn: string;
  format?: 'csv' | 'tsv' | 'jsonl';
  labelSeparator?: string;
}

function parseFormat(value: string | undefined): FileOptions['format'] {
  if (value === undefined) return undefined;
  if (value !== 'csv' && value !== 'tsv' && value !== 'jsonl') {
    throw new Error(`--format must be csv, tsv or jsonl (got "${value}")`);
  }
  return value;
}

function parseNumber(name: string, value: string | undefined, min: number, max: number, integer = false) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new Error(
      `${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got "${value}")`,
    );
  }
  return n;
}

/** Reads a labeled file for the CLI; the classifier's errors already name the file and line. */
async function readExamples(path: string, options: FileOptions): Promise<LabeledExample[]> {
  const rows = await readLabeledFile(path, {
    textColumn: options.textColumn,
    labelColumn: options.labelColumn,
    ...(options.format ? { format: options.format } : {}),
    ...(options.labelSeparator ? { labelSeparator: options.labelSeparator } : {}),
  });
  if (rows.length === 0) throw new ClassifyError('INPUT_FILE', `${path}: no examples in the file.`, { file: path });
  return rows.map((r) => ({ text: r.text, labels: r.labels }));
}

function pct(x: number | null): string {
  return x === null ? '   –  ' : `${(x * 100).toFixed(1).padStart(5)}%`;
}

/** The human-readable evaluation: headline figures, a per-class table, confusions and the coverage curve. */
export function formatReport(report: EvaluationReport, title: string): string {
  const lines: string[] = [title, ''];
  lines.push(`examples  ${report.examples}`);
  lines.push(`accuracy  ${pct(report.accuracy)}`);
  lines.push(`macro-F1  ${pct(report.macroF1)}`);
  const op = report.operatingPoint;
  lines.push(
    `answered  ${pct(op.coverage)} at precision ${pct(op.precision)} (threshold ${op.threshold.toFixed(2)}); ` +
      `parent only ${pct(op.parentCoverage)}; unsure ${pct(op.unsure)}`,
  );
  lines.push('');
  const width = Math.min(40, Math.max(5, ...report.perClass.map((c) => c.label.length)));
  lines.push(`${'label'.padEnd(width)}  precision  recall      F1  support`);
  for (const c of report.perClass) {
    const label = c.label.length > width ? `${c.label.slice(0, width - 1)}…` : c.label.padEnd(width);
    lines.push(`${label}     ${pct(c.precision)}  ${pct(c.recall)}  ${pct(c.f1)}  ${String(c.support).padStart(7)}`);
  }
  if (report.confusedPairs.length > 0) {
    lines.push('', 'most confused (actual → predicted)');
    for (const p of report.confusedPairs.slice(0, 10))
      lines.push(`  ${String(p.count).padStart(4)}  ${p.actual} → ${p.predicted}`);
  }
  lines.push('', 'threshold  coverage  precision');
  for (const point of report.coverageCurve) {
    lines.push(`     ${point.threshold.toFixed(2)}    ${pct(point.coverage)}     ${pct(point.precision)}`);
  }
  return lines.join('\n');
}

function trainingBar(label: string) {
  const bar = createProgressBar(label);
  return {
    onProgress: (fraction: number) => bar.update(Math.round(fraction * 100), 100),
    stop: () => bar.stop(),
  };
}

/** Registers `answerloop classify train|evaluate|predict`: works on any labeled CSV, TSV or JSONL file. */
export function registerClassifyCommands(program: Command): void {
  const classify = program
    .command('classify')
    .description('train, evaluate and run a text classifier on any labeled CSV, TSV or JSONL file');

  classify
    .command('train')
    .description('train a model on a labeled file and save it')
    .requiredOption('--input <file>', 'the labeled examples (.csv, .tsv or .jsonl)')
    .requiredOption('--text-column <name>', 'column (or JSONL key) holding the text')
    .requiredOption('--label-column <name>', 'column (or JSONL key) holding the label')
    .requiredOption('--out <file>', 'where to write the model')
    .option('--format <format>', 'csv, tsv or jsonl (default: from the extension)')
    .option('--label-separator <sep>', 'split a label cell into several labels, e.g. "|"')
    .option('--seed <n>', 'random seed: the same seed and data give the same model', '1')
    .option('--target-precision <p>', 'precision the "unsure" threshold aims for', '0.9')
    .action(
      async (options: {
        input: string;
        textColumn: string;
        labelColumn: string;
        out: string;
        format?: string;
        labelSeparator?: string;
        seed: string;
        targetPrecision: string;
      }) => {
        const seed = parseNumber('--seed', options.seed, 0, 2 ** 31 - 1, true)!;
        const targetPrecision = parseNumber('--target-precision', options.targetPrecision, 0.01, 1)!;
        const examples = await readExamples(options.input, { ...options, format: parseFormat(options.format) });
        const bar = trainingBar('training');
        const started = Date.now();
        let result: Awaited<ReturnType<typeof trainInWorker>>;
        try {
          result = await trainInWorker(examples, { seed, targetPrecision, onProgress: bar.onProgress });
        } finally {
          bar.stop();
        }
        fs.writeFileSync(options.out, result.bytes);
        const held = result.model.trainedOn.heldOut;
        console.log(
          `trained on ${examples.length} examples, ${result.model.labels.length} labels, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        if (held) {
          console.log(
            `held-out check: accuracy ${pct(held.accuracy).trim()}, answers ${pct(held.coverage).trim()} at precision ${pct(held.precision).trim()}`,
          );
        }
        console.log(`model written to ${options.out} (${(result.bytes.byteLength / 1024).toFixed(0)} KiB)`);
      },
    );

  classify
    .command('evaluate')
    .description('train on one file and report accuracy, macro-F1 and per-class figures on another (or k folds)')
    .requiredOption('--train <file>', 'labeled training examples (.csv, .tsv or .jsonl)')
    .option('--test <file>', 'labeled test examples; without it, --folds cross-validates on --train')
    .requiredOption('--text-column <name>', 'column (or JSONL key) holding the text')
    .requiredOption('--label-column <name>', 'column (or JSONL key) holding the label')
    .option('--format <format>', 'csv, tsv or jsonl (default: from the extension)')
    .option('--label-separator <sep>', 'split a label cell into several labels, e.g. "|"')
    .option('--folds <k>', 'k-fold cross-validation on --train when no --test is given', '5')
    .option('--seed <n>', 'random seed', '1')
    .option('--target-precision <p>', 'precision the "unsure" threshold aims for', '0.9')
    .option('--json', 'print the report as JSON on stdout')
    .action(
      async (options: {
        train: string;
        test?: string;
        textColumn: string;
        labelColumn: string;
        format?: string;
        labelSeparator?: string;
        folds: string;
        seed: string;
        targetPrecision: string;
        json?: boolean;
      }) => {
        const seed = parseNumber('--seed', options.seed, 0, 2 ** 31 - 1, true)!;
        const targetPrecision = parseNumber('--target-precision', options.targetPrecision, 0.01, 1)!;
        const fileOptions = { ...options, format: parseFormat(options.format) };
        const train = await readExamples(options.train, fileOptions);
        if (!options.test) {
          const folds = parseNumber('--folds', options.folds, 2, 20, true)!;
          const bar = trainingBar(`${folds}-fold cross-validation`);
          let cv: ReturnType<typeof crossValidate>;
          try {
            // Folds train one after another on this thread; the bar still moves between them.
            cv = crossValidate(train, { seed, targetPrecision, folds, onProgress: bar.onProgress });
          } finally {
            bar.stop();
          }
          if (options.json) {
            console.log(
              JSON.stringify({
                accuracy: cv.accuracy.mean,
                macroF1: cv.macroF1.mean,
                folds: folds,
                spread: { accuracy: cv.accuracy, macroF1: cv.macroF1 },
                perFold: cv.folds,
              }),
            );
            return;
          }
          console.log(`${folds}-fold cross-validation on ${options.train} (${train.length} examples)`);
          console.log(`accuracy  ${pct(cv.accuracy.mean)} ± ${(cv.accuracy.std * 100).toFixed(1)}`);
          console.log(`macro-F1  ${pct(cv.macroF1.mean)} ± ${(cv.macroF1.std * 100).toFixed(1)}`);
          return;
        }
        const test = await readExamples(options.test, fileOptions);
        const bar = trainingBar('training');
        let model: Awaited<ReturnType<typeof trainInWorker>>['model'];
        try {
          ({ model } = await trainInWorker(train, { seed, targetPrecision, onProgress: bar.onProgress }));
        } finally {
          bar.stop();
        }
        const report = evaluateModel(model, test);
        const unseen = [...new Set(test.flatMap((e) => e.labels))].filter((label) => !model.labels.includes(label));
        if (options.json) {
          console.log(JSON.stringify({ ...report, trainExamples: train.length, unseenLabels: unseen }));
          return;
        }
        console.log(formatReport(report, `trained on ${options.train} (${train.length}), tested on ${options.test}`));
        if (unseen.length > 0) {
          console.log(
            `\nnote: ${unseen.length} test label(s) never appear in training: ${unseen.slice(0, 10).join(', ')}`,
          );
        }
      },
    );

  classify
    .command('predict')
    .description('read texts from stdin, one per line, and print one JSON object per line')
    .requiredOption('--model <file>', 'a model written by "classify train"')
    .option('--threshold <p>', 'answer only at this confidence (0 always answers the most likely label)')
    .action(async (options: { model: string; threshold?: string }) => {
      const threshold = parseNumber('--threshold', options.threshold, 0, 1);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(options.model);
      } catch {
        throw new Error(`cannot read the model file ${options.model}`);
      }
      let model: ReturnType<typeof deserializeModel>;
      try {
        model = deserializeModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } catch (error) {
        throw new Error(`${options.model}: ${(error as Error).message}`);
      }
      const predictOptions = threshold === undefined ? undefined : { threshold };
      const lines = readline.createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
      for await (const line of lines) {
        const text = line.trim();
        const answer =
          text === ''
            ? { label: null, confidence: 0, labels: [] }
            : (() => {
                const p = predict(model, text, predictOptions);
                return { label: p.label, confidence: p.confidence, labels: p.labels };
              })();
        if (!process.stdout.write(`${JSON.stringify(answer)}\n`)) {
          await new Promise((resolve) => process.stdout.once('drain', resolve));
        }
      }
    });
}
