import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { CLI_ACTOR } from '../../modules/accounts/index.js';
import {
  checkVoteRecords,
  type ImportVotesResult,
  importVotes,
  readRecords,
  type VoteImportProblem,
} from '../../modules/feedback/index.js';
import { LIMITS } from '../../shared/limits.js';
import { apiError, type OperatorCall, withDatabaseOrServer } from '../database-or-server.js';
import { createProgressBar } from '../progress.js';

/** Votes per request when a running server holds the database (well under the endpoint's limits). */
const SERVER_CHUNK = 5000;
const ERRORS_PRINTED = 20;

function formatOf(file: string, format: string | undefined): 'csv' | 'jsonl' {
  if (format === 'csv' || format === 'jsonl') return format;
  if (format !== undefined) throw new Error(`--format must be csv or jsonl (got "${format}")`);
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new Error(`cannot tell the format of ${file} from "${ext || 'no extension'}"; use .csv or .jsonl, or --format`);
}

async function importThroughServer(
  call: OperatorCall,
  records: { line: number; values: Record<string, unknown> }[],
  problems: VoteImportProblem[],
  onProgress: (done: number) => void,
): Promise<ImportVotesResult> {
  const result: ImportVotesResult = { imported: 0, unchanged: 0, failed: problems.length, errors: [...problems] };
  for (let start = 0; start < records.length; start += SERVER_CHUNK) {
    const part = records.slice(start, start + SERVER_CHUNK);
    const res = await call('POST', '/api/feedback/votes/import', { votes: part.map((r) => r.values) });
    if (res.status !== 200) throw new Error(`importing votes: ${apiError(res.json, res.status)}`);
    const answer = res.json as ImportVotesResult;
    result.imported += answer.imported;
    result.unchanged += answer.unchanged;
    result.failed += answer.failed;
    // The server numbers the votes of a request from 1: back to the file's lines.
    result.errors.push(...answer.errors.map((e) => ({ line: part[e.line - 1]?.line ?? e.line, message: e.message })));
    onProgress(Math.min(records.length, start + SERVER_CHUNK));
  }
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}

/** Registers `answerloop import votes FILE`. */
export function registerImportVotesCommand(program: Command): void {
  const existing = program.commands.find((c) => c.name() === 'import');
  const importCommand = existing ?? program.command('import').description('import content and data');
  importCommand
    .command('votes')
    .description(
      '"was this helpful?" votes from another help center, CSV with a header or JSONL: id, article (slug), locale, ' +
        'helpful (true/false), reason, comment, createdAt, revision (optional: default the revision live in that ' +
        'locale at createdAt); idempotent on id; bad lines are reported by number and the others imported',
    )
    .argument('<file>', 'the export (.csv or .jsonl)')
    .option('--format <format>', 'csv or jsonl (default: from the extension)')
    .option('--server <url>', 'server to use when a running server holds the embedded database')
    .action(async (file: string, options: { format?: string; server?: string }) => {
      const format = formatOf(file, options.format);
      let content: string;
      try {
        content = await readFile(file, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new Error(`${file}: ${code === 'ENOENT' ? 'file not found' : (error as Error).message}`);
      }
      const { records, problems } = readRecords(content, format);
      if (records.length + problems.length > LIMITS.voteImportFileRows) {
        throw new Error(`${file}: more than ${LIMITS.voteImportFileRows} votes; split the file`);
      }
      const bar = createProgressBar('importing votes');
      let result: ImportVotesResult;
      try {
        result = await withDatabaseOrServer(
          options,
          ({ db }) => {
            const checked = checkVoteRecords(records);
            return importVotes(
              db,
              { rows: checked.rows, problems: [...problems, ...checked.problems] },
              { actor: CLI_ACTOR, origin: file, onProgress: (done, total) => bar.update(done, total) },
            );
          },
          (call) => importThroughServer(call, records, problems, (done) => bar.update(done, records.length)),
        );
      } finally {
        bar.stop();
      }
      console.log(
        `imported ${file}: ${result.imported} vote(s) imported, ${result.unchanged} unchanged (same id), ` +
          `${result.failed} failed`,
      );
      if (result.failed > 0) {
        const shown = result.errors.slice(0, ERRORS_PRINTED).map((e) => `  line ${e.line}: ${e.message}`);
        const more = result.failed > shown.length ? `\n  … and ${result.failed - shown.length} more` : '';
        throw new Error(`${result.failed} vote(s) of ${file} were not imported:\n${shown.join('\n')}${more}`);
      }
    });
}
