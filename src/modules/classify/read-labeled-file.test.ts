import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClassifyError } from './classify-error.js';
import { readLabeledFile } from './read-labeled-file.js';

const directory = mkdtempSync(join(tmpdir(), 'answerloop-labeled-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

const columns = { textColumn: 'text', labelColumn: 'category' };

async function readError(path: string, options = columns): Promise<ClassifyError> {
  try {
    await readLabeledFile(path, options);
  } catch (error) {
    if (error instanceof ClassifyError) return error;
    throw error;
  }
  throw new Error('expected readLabeledFile to fail');
}

describe('readLabeledFile', () => {
  it('reads CSV with quoted commas, embedded newlines, a BOM and extra columns, keeping start lines', async () => {
    const path = file(
      'ok.csv',
      '\uFEFFid,text,category\n1,"Refund, please",billing\n2,"two\nlines",account\n\n3,パスワード,account\n',
    );
    expect(await readLabeledFile(path, columns)).toEqual([
      { text: 'Refund, please', labels: ['billing'], line: 2 },
      { text: 'two\nlines', labels: ['account'], line: 3 },
      { text: 'パスワード', labels: ['account'], line: 6 },
    ]);
  });

  it('reads TSV without treating quotes specially', async () => {
    const path = file('ok.tsv', 'text\tcategory\nhe said "hi\tgreeting\n');
    expect(await readLabeledFile(path, columns)).toEqual([{ text: 'he said "hi', labels: ['greeting'], line: 2 }]);
  });

  it('reads JSONL with string, number and array labels, skipping blank lines', async () => {
    const path = file(
      'ok.jsonl',
      '{"text":"refund","category":"billing"}\n\n{"text":"x","category":["a","b"]}\r\n{"text":"y","category":7}\n',
    );
    expect(await readLabeledFile(path, columns)).toEqual([
      { text: 'refund', labels: ['billing'], line: 1 },
      { text: 'x', labels: ['a', 'b'], line: 3 },
      { text: 'y', labels: ['7'], line: 4 },
    ]);
  });

  it('splits multi-label cells on a separator', async () => {
    const path = file('multi.csv', 'text,category\nboth,billing | account\n');
    expect(await readLabeledFile(path, { ...columns, labelSeparator: '|' })).toEqual([
      { text: 'both', labels: ['billing', 'account'], line: 2 },
    ]);
  });

  it('names the missing column and lists the ones present', async () => {
    const error = await readError(file('missing.csv', 'body,category\nhello,x\n'));
    expect(error.code).toBe('INPUT_FILE');
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/missing\.csv line 1: no column "text" in the header \(columns: body, category\)/);
  });

  it('reports empty text and empty labels with their line numbers', async () => {
    const empty = await readError(file('empty-text.csv', 'text,category\nok,a\n  ,b\n'));
    expect(empty.message).toMatch(/empty-text\.csv line 3: empty text in column "text"/);
    expect(empty.line).toBe(3);
    const noLabel = await readError(file('empty-label.tsv', 'text\tcategory\nok\t\n'));
    expect(noLabel.message).toMatch(/line 2: empty label/);
  });

  it('reports bad JSON, non-objects and missing fields in JSONL with their line numbers', async () => {
    const bad = await readError(file('bad.jsonl', '{"text":"a","category":"x"}\n{"text": oops}\n'));
    expect(bad.message).toMatch(/bad\.jsonl line 2: not valid JSON/);
    expect(bad.line).toBe(2);
    expect((await readError(file('array.jsonl', '[1,2]\n'))).message).toMatch(/line 1: expected a JSON object/);
    expect((await readError(file('nofield.jsonl', '{"text":"a"}\n'))).message).toMatch(/line 1: no field "category"/);
    expect((await readError(file('obj.jsonl', '{"text":"a","category":{"x":1}}\n'))).message).toMatch(
      /line 1: field "category" must be a string/,
    );
  });

  it('reports malformed CSV with the line csv-parse stopped at', async () => {
    const error = await readError(file('broken.csv', 'text,category\nfine,a\n"unclosed"x,b\n'));
    expect(error.code).toBe('INPUT_FILE');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/broken\.csv line 3/);
    const ragged = await readError(file('ragged.csv', 'text,category\na,b,c\n'));
    expect(ragged.message).toMatch(/ragged\.csv line 2/);
  });

  it('refuses unknown extensions, missing files and an empty file', async () => {
    expect((await readError(file('data.txt', 'x'))).message).toMatch(/cannot tell the format/);
    expect((await readError(join(directory, 'nope.csv'))).message).toMatch(/nope\.csv: file not found/);
    expect((await readError(file('empty.csv', ''))).message).toMatch(/the file is empty/);
    const asCsv = await readLabeledFile(file('data.txt', 'text,category\na,b\n'), { ...columns, format: 'csv' });
    expect(asCsv).toHaveLength(1);
  });
});
