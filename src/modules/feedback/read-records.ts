/**
 * The feedback module's one reader of CSV, TSV and JSONL exports (tickets, votes): records by column name with the
 * line each starts on. CSV parsing is csv-parse's (quoting and embedded newlines are solved problems); TSV is read
 * without quote handling. A JSONL line that is not an object is a problem of that line alone; a CSV syntax error
 * stops the file there (csv-parse cannot resynchronise), with the records before it kept.
 */
import { CsvError, parse } from 'csv-parse/sync';

export type RecordFormat = 'csv' | 'tsv' | 'jsonl';

export interface FileRecord {
  /** 1-based line the record starts on. */
  line: number;
  values: Record<string, unknown>;
}

export interface ReadRecordsResult {
  columns: string[];
  records: FileRecord[];
  problems: { line: number; message: string }[];
}

/** Reads records from a file's text; problems name their lines instead of throwing. */
export function readRecords(content: string, format: RecordFormat): ReadRecordsResult {
  if (format === 'jsonl') return readJsonLines(content);
  let rows: { record: string[]; info: { lines: number } }[];
  const problems: { line: number; message: string }[] = [];
  try {
    // With `info: true` csv-parse returns { record, info } objects, which its overloads do not express.
    rows = parse(content, {
      info: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      delimiter: format === 'tsv' ? '\t' : ',',
      quote: format === 'tsv' ? false : '"',
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 1;
    return { columns: [], records: [], problems: [{ line, message: error.message }] };
  }
  const header = rows[0];
  if (!header)
    return { columns: [], records: [], problems: [{ line: 1, message: 'the file is empty; expected a header row' }] };
  const columns = header.record.map((c) => c.trim());
  return {
    columns,
    // info.lines is the line a record ends on; a record starts after the previous one ends.
    records: rows.slice(1).map((row, i) => ({
      line: (rows[i]?.info.lines ?? 0) + 1,
      values: Object.fromEntries(columns.map((c, j) => [c, row.record[j] ?? ''])),
    })),
    problems,
  };
}

function readJsonLines(content: string): ReadRecordsResult {
  const records: FileRecord[] = [];
  const columns = new Set<string>();
  const problems: { line: number; message: string }[] = [];
  content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((text, i) => {
      if (text.trim() === '') return;
      try {
        const value = JSON.parse(text) as unknown;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          problems.push({ line: i + 1, message: 'expected a JSON object' });
          return;
        }
        for (const key of Object.keys(value)) columns.add(key);
        records.push({ line: i + 1, values: value as Record<string, unknown> });
      } catch (error) {
        problems.push({ line: i + 1, message: `not valid JSON (${(error as Error).message})` });
      }
    });
  return { columns: [...columns], records, problems };
}
