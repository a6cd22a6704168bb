import fs from 'node:fs';
import type { Command } from 'commander';
import { exportTaxonomy, importTaxonomy, loadTaxonomy } from '../../modules/classify/index.js';
import { AppError } from '../../server/errors.js';
import { apiError, withDatabaseOrServer } from '../database-or-server.js';

function readDocument(path: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch {
    throw new Error(`cannot read ${path}: no such file`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Registers `answerloop taxonomy list|export|import`. */
export function registerTaxonomyCommands(program: Command): void {
  const taxonomy = program
    .command('taxonomy')
    .description('the feedback taxonomy (categories and subcategories): list, export or import it as JSON');

  taxonomy
    .command('list')
    .description('print the categories as a tree')
    .option('--locale <locale>', 'language of the names', 'en')
    .option('--archived', 'include archived categories')
    .option('--server <url>', 'server to use when a running server holds the embedded database')
    .action(async (options: { locale: string; archived?: boolean; server?: string }) => {
      type Row = { slug: string; parent: string | null; names: Record<string, string>; archived: boolean };
      const rows = await withDatabaseOrServer<Row[]>(
        options,
        async ({ db }) => {
          const categories = await loadTaxonomy(db, { includeArchived: options.archived ?? false });
          const slugOf = new Map(categories.map((c) => [c.id, c.slug]));
          return categories.map((c) => ({
            slug: c.slug,
            parent: c.parentId === null ? null : (slugOf.get(c.parentId) ?? null),
            names: c.names,
            archived: c.archived,
          }));
        },
        async (call) => {
          const res = await call('GET', `/api/taxonomy?includeArchived=${options.archived ? 'true' : 'false'}`);
          if (res.status !== 200) throw new Error(apiError(res.json, res.status));
          return (res.json as { categories: Row[] }).categories;
        },
      );
      if (rows.length === 0) {
        console.log('the taxonomy is empty; import one with "answerloop taxonomy import FILE"');
        return;
      }
      for (const row of rows) {
        const name = row.names[options.locale] ?? row.names.en ?? '';
        console.log(`${row.parent ? '  ' : ''}${row.slug}  ${name}${row.archived ? '  (archived)' : ''}`);
      }
    });

  taxonomy
    .command('export')
    .description('write the taxonomy as JSON (to stdout, or --out FILE)')
    .option('--out <file>', 'file to write')
    .option('--server <url>', 'server to use when a running server holds the embedded database')
    .action(async (options: { out?: string; server?: string }) => {
      const doc = await withDatabaseOrServer(
        options,
        async ({ db }) => exportTaxonomy(db),
        async (call) => {
          const res = await call('GET', '/api/taxonomy/export');
          if (res.status !== 200) throw new Error(apiError(res.json, res.status));
          return res.json;
        },
      );
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      if (options.out) {
        fs.writeFileSync(options.out, text);
        const count = (doc as { categories: unknown[] }).categories.length;
        console.error(`wrote ${count} categories to ${options.out}`);
      } else process.stdout.write(text);
    });

  taxonomy
    .command('import')
    .description('create or update categories from a JSON file (by slug); categories not in the file are kept')
    .argument('<file>', 'a taxonomy document, as written by "taxonomy export"')
    .option('--server <url>', 'server to use when a running server holds the embedded database')
    .action(async (file: string, options: { server?: string }) => {
      const doc = readDocument(file);
      const result = await withDatabaseOrServer(
        options,
        async ({ db }) => {
          try {
            return await importTaxonomy(db, doc as never);
          } catch (error) {
            if (error instanceof AppError) throw new Error(`${file}: ${error.message}`);
            throw error;
          }
        },
        async (call) => {
          const res = await call('POST', '/api/taxonomy/import', doc);
          if (res.status !== 200) throw new Error(`${file}: ${apiError(res.json, res.status)}`);
          return res.json as { created: string[]; updated: string[]; archived: string[] };
        },
      );
      console.log(
        `imported ${file}: ${result.created.length} created, ${result.updated.length} updated, ${result.archived.length} archived`,
      );
    });
}
