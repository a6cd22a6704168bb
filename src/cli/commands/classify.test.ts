import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerClassifyCommands } from './classify.js';

const BIN = fileURLToPath(new URL('../../../bin/answerloop.js', import.meta.url));
const BANKING = fileURLToPath(new URL('../../../../shared/data/banking77/', import.meta.url));

/** The real command line, in a child process (stdin, stdout and exit codes as a user sees them). */
function spawn(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, NODE_ENV: 'test' },
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/** The same commands in this process (faster): what they print, or the error they stop with. */
async function run(args: string[]): Promise<{ out: string; error: Error | null }> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerClassifyCommands(program);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    lines.push(parts.join(' '));
  });
  try {
    await program.parseAsync(['node', 'answerloop', ...args]);
    return { out: lines.join('\n'), error: null };
  } catch (error) {
    return { out: lines.join('\n'), error: error as Error };
  } finally {
    log.mockRestore();
  }
}

const TEXTS: Record<string, string[]> = {
  billing: [
    'charged twice',
    'refund my money',
    'invoice please',
    'card was billed',
    'price too high',
    'payment failed',
  ],
  login: ['cannot log in', 'password reset', 'sign in error', 'locked out', 'two factor code', 'login loop'],
  pins: ['save a pin', 'upload video pin', 'pin removed', 'edit my pin', 'pin image blurry', 'delete a pin'],
};

/** A labeled CSV in a format nobody told us about: extra columns, quoted commas, a label column called "intent". */
function labeledCsv(variant: number): string {
  const lines = ['id,utterance,intent,notes'];
  let id = 0;
  for (const [label, texts] of Object.entries(TEXTS)) {
    for (const text of texts) lines.push(`${++id},"${text}, ${variant === 0 ? 'please' : 'today'}",${label},"a, b"`);
  }
  return `${lines.join('\n')}\n`;
}

describe('answerloop classify', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-classify-'));
  const train = path.join(dir, 'train.csv');
  const test = path.join(dir, 'test.csv');
  const model = path.join(dir, 'model.bin');
  fs.writeFileSync(train, labeledCsv(0));
  fs.writeFileSync(test, labeledCsv(1));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const columns = ['--text-column', 'utterance', '--label-column', 'intent'];

  it('evaluates on any CSV with named columns: accuracy, macro-F1 and a per-class table', async () => {
    const { out, error } = await run(['classify', 'evaluate', '--train', train, '--test', test, ...columns]);
    expect(error).toBeNull();
    expect(out).toMatch(/accuracy\s+\d+\.\d%/);
    expect(out).toMatch(/macro-F1\s+\d+\.\d%/);
    for (const label of Object.keys(TEXTS)) expect(out).toMatch(new RegExp(`^${label}\\s+\\d`, 'm'));
    expect(out).toContain('threshold  coverage  precision');
  });

  it('prints only JSON on stdout with --json, from the real command line', () => {
    const res = spawn(['classify', 'evaluate', '--train', train, '--test', test, ...columns, '--json']);
    expect(res.status, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report.accuracy).toBeGreaterThan(0.5);
    expect(report).toHaveProperty('macroF1');
    expect(report.perClass).toHaveLength(3);
    expect(report.coverageCurve.length).toBeGreaterThan(0);
  });

  it('cross-validates with --folds when there is no test file', async () => {
    const { out, error } = await run(['classify', 'evaluate', '--train', train, ...columns, '--folds', '3', '--json']);
    expect(error).toBeNull();
    expect(JSON.parse(out)).toMatchObject({ folds: 3 });
  });

  it('trains a model file and predicts one JSON object per stdin line; unsure is null unless --threshold 0', async () => {
    const trained = await run(['classify', 'train', '--input', train, ...columns, '--out', model, '--seed', '3']);
    expect(trained.error).toBeNull();
    expect(trained.out).toContain('trained on 18 examples, 3 labels');
    expect(fs.statSync(model).size).toBeGreaterThan(100);
    const input = 'refund my money, please\nlocked out of my account\nzzzz qqqq\n';
    const predicted = spawn(['classify', 'predict', '--model', model, '--threshold', '0.99'], input);
    expect(predicted.status, predicted.stderr).toBe(0);
    const lines = predicted.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(Object.keys(line).sort()).toEqual(['confidence', 'label', 'labels']);
    expect(lines[2].label).toBeNull();
    const always = spawn(['classify', 'predict', '--model', model, '--threshold', '0'], input);
    const answers = always.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers.every((a) => a.label !== null)).toBe(true);
    expect(answers[0].label).toBe('billing');
    expect(answers[1].label).toBe('login');
    // Deterministic for a seed.
    const again = path.join(dir, 'again.bin');
    await run(['classify', 'train', '--input', train, ...columns, '--out', again, '--seed', '3']);
    expect(fs.readFileSync(again).equals(fs.readFileSync(model))).toBe(true);
  });

  it('explains bad input files with the file and line', async () => {
    const cases: [string, string, RegExp][] = [
      ['quote.csv', 'utterance,intent\nfine,billing\n"open quote,billing\n', /quote\.csv line 3/],
      ['columns.csv', 'text,label\nhello,billing\n', /no column "utterance" in the header \(columns: text, label\)/],
      ['empty-label.csv', 'utterance,intent\nhello,billing\nbye,\n', /empty-label\.csv line 3: empty label/],
      ['lines.jsonl', '{"utterance": "a", "intent": "x"}\n{broken\n', /lines\.jsonl line 2/],
      ['one-label.csv', 'utterance,intent\nhello,billing\nbye,billing\n', /at least two labels/],
    ];
    for (const [name, content, message] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      const { error } = await run(['classify', 'evaluate', '--train', file, '--test', file, ...columns]);
      expect(error?.message, name).toMatch(message);
    }
    const missing = await run(['classify', 'train', '--input', path.join(dir, 'nope.csv'), ...columns, '--out', model]);
    expect(missing.error?.message).toContain('file not found');
    const format = await run(['classify', 'train', '--input', train, ...columns, '--out', model, '--format', 'xls']);
    expect(format.error?.message).toContain('--format must be csv, tsv or jsonl');
    const notModel = await run(['classify', 'predict', '--model', train]);
    expect(notModel.error?.message).toContain('Not a readable classifier model');
    // Through the real binary: the message on stderr and a non-zero exit.
    const bad = spawn(['classify', 'evaluate', '--train', path.join(dir, 'quote.csv'), '--test', test, ...columns]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^answerloop: .*quote\.csv line 3/);
  });

  it.runIf(fs.existsSync(path.join(BANKING, 'train.csv')))(
    'works on a public data set it was not written for (a slice of BANKING77)',
    async () => {
      const slice = (name: string, every: number) => {
        const records = parse(fs.readFileSync(path.join(BANKING, name), 'utf8'), { columns: false }) as string[][];
        const [head, ...rows] = records;
        const out = path.join(dir, `slice-${name}`);
        const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
        const kept = [head!, ...rows.filter((_, i) => i % every === 0)];
        fs.writeFileSync(out, `${kept.map((r) => r.map(quote).join(',')).join('\n')}\n`);
        return out;
      };
      // Every 8th training row and every 6th test row: all 77 intents, a few seconds to train.
      const { out, error } = await run([
        'classify',
        'evaluate',
        '--train',
        slice('train.csv', 8),
        '--test',
        slice('test.csv', 6),
        '--text-column',
        'text',
        '--label-column',
        'category',
        '--json',
      ]);
      expect(error).toBeNull();
      const report = JSON.parse(out);
      expect(report.perClass.length).toBeGreaterThan(70);
      expect(report.accuracy).toBeGreaterThan(0.6);
    },
  );
});
