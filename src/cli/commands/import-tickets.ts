import type { Command } from 'commander';
import { loadConfig } from '../../config/env.js';
import {
  type ImportTicketsResult,
  importTickets,
  readTicketFile,
  TICKET_FIELDS,
  type TicketField,
  type TicketFileRow,
} from '../../modules/feedback/index.js';
import { apiError, type OperatorCall, withDatabaseOrServer } from '../database-or-server.js';
import { createProgressBar } from '../progress.js';

function collectMapping(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Za-z]+)=(.+)$/.exec(value);
  if (!match) throw new Error(`--map takes FIELD=COLUMN, e.g. --map subject=Title (got "${value}")`);
  return { ...previous, [match[1]!]: match[2]! };
}

function checkMapping(map: Record<string, string>): Partial<Record<TicketField, string>> {
  const unknown = Object.keys(map).filter((field) => !(TICKET_FIELDS as string[]).includes(field));
  if (unknown.length > 0) {
    throw new Error(`--map: unknown field(s) ${unknown.join(', ')}; fields are ${TICKET_FIELDS.join(', ')}`);
  }
  return map as Partial<Record<TicketField, string>>;
}

async function importThroughServer(
  call: OperatorCall,
  rows: TicketFileRow[],
  onProgress: (done: number) => void,
): Promise<ImportTicketsResult> {
  const result: ImportTicketsResult = { created: 0, existing: 0, unknownArticles: [] };
  let done = 0;
  for (const row of rows) {
    let res = await call('POST', '/api/tickets', row.ticket);
    const message = (res.json as { error?: { message?: string } }).error?.message ?? '';
    if (res.status === 400 && message.startsWith('sourceArticle')) {
      // Same as a local import: an unknown source article is dropped, the ticket kept.
      result.unknownArticles.push(row.line);
      const { sourceArticle: _dropped, ...rest } = row.ticket;
      res = await call('POST', '/api/tickets', rest);
    }
    if (res.status === 201) result.created += 1;
    else if (res.status === 200) result.existing += 1;
    else throw new Error(`line ${row.line}: ${apiError(res.json, res.status)}`);
    done += 1;
    onProgress(done);
  }
  return result;
}

/** Registers `answerloop import tickets FILE`. */
export function registerImportTicketsCommand(program: Command): void {
  const existing = program.commands.find((c) => c.name() === 'import');
  const importCommand = existing ?? program.command('import').description('import content and data');
  importCommand
    .command('tickets')
    .description(
      'import support tickets from a CSV, TSV or JSONL export; columns are found by name (subject/title, ' +
        'body/description, external_id/id, channel, locale, requester_email, status, created_at, article, ' +
        'categories) or mapped with --map; re-importing skips tickets whose external id is already there',
    )
    .argument('<file>', 'the export (.csv, .tsv or .jsonl)')
    .option('--format <format>', 'csv, tsv or jsonl (default: from the extension)')
    .option(
      '--map <field=column>',
      `use COLUMN for FIELD (repeatable); fields: ${TICKET_FIELDS.join(', ')}`,
      collectMapping,
      {},
    )
    .option('--channel <channel>', 'channel for rows without one', 'import')
    .option('--locale <locale>', 'language for rows without one')
    .option('--status <status>', 'status for rows without one (new, open, pending, solved, closed)')
    .option('--category-separator <sep>', 'separator of several categories in one cell', '|')
    .option('--dry-run', 'check the file and report, without importing')
    .option('--server <url>', 'server to use when a running server holds the embedded database')
    .action(
      async (
        file: string,
        options: {
          format?: string;
          map: Record<string, string>;
          channel: string;
          locale?: string;
          status?: string;
          categorySeparator: string;
          dryRun?: boolean;
          server?: string;
        },
      ) => {
        if (options.format !== undefined && !['csv', 'tsv', 'jsonl'].includes(options.format)) {
          throw new Error(`--format must be csv, tsv or jsonl (got "${options.format}")`);
        }
        const rows = await readTicketFile(file, {
          format: options.format as 'csv' | 'tsv' | 'jsonl' | undefined,
          map: checkMapping(options.map),
          defaults: {
            channel: options.channel,
            ...(options.locale ? { locale: options.locale } : {}),
            ...(options.status ? { status: options.status } : {}),
          },
          categorySeparator: options.categorySeparator,
        });
        if (options.dryRun) {
          console.log(`${file}: ${rows.length} ticket(s) ready to import (dry run: nothing written)`);
          return;
        }
        const config = loadConfig();
        const bar = createProgressBar('importing tickets');
        let result: ImportTicketsResult;
        try {
          result = await withDatabaseOrServer(
            options,
            ({ db }) =>
              importTickets(db, file, rows, {
                config: config.feedback,
                onProgress: (done, total) => bar.update(done, total),
              }),
            (call) => importThroughServer(call, rows, (done) => bar.update(done, rows.length)),
          );
        } finally {
          bar.stop();
        }
        console.log(
          `imported ${file}: ${result.created} new ticket(s), ${result.existing} already there (same external id)`,
        );
        if (result.unknownArticles.length > 0) {
          console.log(
            `note: ${result.unknownArticles.length} ticket(s) name an article that does not exist (lines ` +
              `${result.unknownArticles.slice(0, 10).join(', ')}${result.unknownArticles.length > 10 ? ', …' : ''}); imported without it`,
          );
        }
        if (result.created > 0) {
          console.log('new tickets are classified by the active model when the server next runs its jobs');
        }
      },
    );
}
