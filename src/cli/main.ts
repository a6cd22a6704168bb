import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config/env.js';
import { DatabaseLockedError, openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { startServer } from '../server/start-server.js';
import { registerClassifyCommands } from './commands/classify.js';
import { registerImportArticlesCommand } from './commands/import-articles.js';
import { registerImportTicketsCommand } from './commands/import-tickets.js';
import { registerImportVotesCommand } from './commands/import-votes.js';
import { registerSearchCommands } from './commands/search.js';
import { registerTaxonomyCommands } from './commands/taxonomy.js';
import { registerUsersCommands } from './commands/users.js';
import { registerWriteKeysCommand } from './commands/write-keys.js';
import { withPublishingBus } from './database-or-server.js';
import { createProgressBar } from './progress.js';
import { seedDemo } from './seed/seed-demo.js';

const program = new Command()
  .name('answerloop')
  .description('Answerloop: a self-hostable help center with feedback intelligence')
  .showHelpAfterError()
  .exitOverride();

program
  .command('serve')
  .description('migrate, seed the demo into an empty database, and serve the help center, API and collector')
  .option('--no-seed', 'do not seed the demo into an empty database')
  .action(async (options: { seed: boolean }) => {
    const config = loadConfig();
    await startServer(config, { seedIfEmpty: options.seed, log: (line) => console.log(line) });
  });

program
  .command('migrate')
  .description('apply database migrations that have not been applied yet')
  .action(async () => {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const result = await migrate(database);
      console.log(
        result.applied.length > 0
          ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`
          : `database is up to date (${result.alreadyApplied} migration(s) applied earlier)`,
      );
    } finally {
      await database.close();
    }
  });

program
  .command('seed')
  .description('load the Pinwheel demo (help center content, regions, activity) into an empty database')
  .option('--force', 'seed even when the database already has content (updates the demo articles)')
  .action(async (options: { force?: boolean }) => {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await migrate(database);
      const bar = createProgressBar('seeding demo');
      // The seed writes content, regions, settings and activity without their own events: running servers on the
      // same PostgreSQL server are told to read everything again.
      const result = await withPublishingBus(database, async (bus) => {
        const seeded = await seedDemo(database.db, {
          force: options.force ?? false,
          onProgress: (done, total) => bar.update(done, total),
        });
        bus.emit('data.bulk-written', { by: 'seed' });
        return seeded;
      });
      bar.stop();
      console.log(result.summary);
    } finally {
      await database.close();
    }
  });

registerSearchCommands(program);
registerImportArticlesCommand(program);
registerImportTicketsCommand(program);
registerImportVotesCommand(program);
registerClassifyCommands(program);
registerTaxonomyCommands(program);
registerWriteKeysCommand(program);
registerUsersCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof ConfigError || error instanceof DatabaseLockedError) {
    console.error(`answerloop: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(`answerloop: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
