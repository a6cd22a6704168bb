/**
 * Reads labeled examples for the CLI from CSV, TSV or JSONL with named text and label columns. Every problem is
 * reported as ClassifyError('INPUT_FILE') naming the file, the line and what was wrong, so an operator can fix the
 * file without guessing. CSV parsing is csv-parse's (quoting and embedded newlines are solved problems); TSV is read
 * without quote handling, as IANA's TSV defines it, so a stray " in a sentence is just a character.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { type ReadLabeledFileOptions, ZReadLabeledFileOptions } from './classify.schema.js';
import { ClassifyError } from './classify-error.js';

/** A labeled example with the (1-based) line it starts on. */
export interface LabeledRow {
  text: string;
  labels: string[];
  line: number;
}

type Format = 'csv' | 'tsv' | 'jsonl';

const FORMAT_BY_EXTENSION: Record<string, Format> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** Reads a labeled CSV, TSV or JSONL file; throws ClassifyError('INPUT_FILE') with file and line on bad input. */
export async function readLabeledFile(path: string, options: ReadLabeledFileOptions): Promise<LabeledRow[]> {
  const parsed = ZReadLabeledFileOptions.safeParse(options);
  if (!parsed.success) {
    throw new ClassifyError(
      'INVALID_OPTIONS',
      `Invalid options for reading ${path}: ${parsed.error.issues[0]?.message}`,
    );
  }
  const settings = parsed.data;
  const format = settings.format ?? FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
  if (!format) {
    throw new ClassifyError(
      'INPUT_FILE',
      `${path}: cannot tell the format from the extension "${extname(path)}"; use .csv, .tsv or .jsonl, or give the format.`,
      { file: path },
    );
  }
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'file not found' : String(error);
    throw new ClassifyError('INPUT_FILE', `${path}: ${reason}.`, { file: path });
  }
  const rows =
    format === 'jsonl'
      ? parseJsonLines(path, content, settings.textColumn, settings.labelColumn)
      : parseDelimited(path, content, format, settings.textColumn, settings.labelColumn);
  const separator = settings.labelSeparator;
  return rows.map((row) => {
    const labels = separator
      ? row.labels.flatMap((label) => label.split(separator)).map((label) => label.trim())
      : row.labels.map((label) => label.trim());
    if (labels.length === 0 || labels.some((label) => label === '')) fail(path, row.line, 'empty label');
    return { text: row.text, labels, line: row.line };
  });
}

function fail(file: string, line: number, problem: string): never {
  throw new ClassifyError('INPUT_FILE', `${file} line ${line}: ${problem}.`, { file, line });
}

function parseDelimited(file: string, content: string, format: 'csv' | 'tsv', textColumn: string, labelColumn: string) {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` csv-parse returns { record, info } objects, which its overloads do not express.
    records = parse(content, {
      info: true,
      bom: true,
      skip_empty_lines: true,
      delimiter: format === 'tsv' ? '\t' : ',',
      quote: format === 'tsv' ? false : '"',
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      const where = typeof line === 'number' ? ` line ${line}` : '';
      throw new ClassifyError('INPUT_FILE', `${file}${where}: ${error.message}`, {
        file,
        ...(typeof line === 'number' ? { line } : {}),
      });
    }
    throw error;
  }
  const header = records[0];
  if (!header) fail(file, 1, `the file is empty; expected a header with columns "${textColumn}" and "${labelColumn}"`);
  const columns = header.record.map((name) => name.trim());
  const textIndex = columns.indexOf(textColumn);
  const labelIndex = columns.indexOf(labelColumn);
  for (const [name, index] of [
    [textColumn, textIndex],
    [labelColumn, labelIndex],
  ] as const) {
    if (index < 0) fail(file, 1, `no column "${name}" in the header (columns: ${columns.join(', ')})`);
  }
  return records.slice(1).map(({ record, info }) => {
    // info.lines is where the record ends; a quoted field may span lines, and the reader wants where it starts.
    const line = info.lines - record.reduce((sum, field) => sum + (field.match(/\n/g)?.length ?? 0), 0);
    const text = record[textIndex] ?? '';
    if (text.trim() === '') fail(file, line, `empty text in column "${textColumn}"`);
    return { text, labels: [record[labelIndex] ?? ''], line };
  });
}

function parseJsonLines(file: string, content: string, textColumn: string, labelColumn: string) {
  const rows: { text: string; labels: string[]; line: number }[] = [];
  const lines = content.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      fail(file, line, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(file, line, 'expected a JSON object');
    const record = value as Record<string, unknown>;
    if (!(textColumn in record)) fail(file, line, `no field "${textColumn}"`);
    if (!(labelColumn in record)) fail(file, line, `no field "${labelColumn}"`);
    const text = record[textColumn];
    if (typeof text !== 'string') fail(file, line, `field "${textColumn}" must be a string`);
    if (text.trim() === '') fail(file, line, `empty text in field "${textColumn}"`);
    const label = record[labelColumn];
    const labels = Array.isArray(label) ? label : [label];
    if (labels.length === 0) fail(file, line, `field "${labelColumn}" is an empty list`);
    rows.push({
      text,
      labels: labels.map((item) => {
        if (typeof item === 'string') return item;
        if (typeof item === 'number' && Number.isFinite(item)) return String(item);
        return fail(file, line, `field "${labelColumn}" must be a string, a number or a list of them`);
      }),
      line,
    });
  });
  return rows;
}
