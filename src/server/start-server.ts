import { seedDemo } from '../cli/seed/seed-demo.js';
import type { AppConfig } from '../config/env.js';
import { openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { ensureFirstAdmin } from '../modules/accounts/index.js';
import { buildApp } from './app.js';

export interface StartOptions {
  /** Seed the Pinwheel demo when the database is empty (the default for `npm start`). */
  seedIfEmpty: boolean;
  log: (line: string) => void;
}

/** Opens the database, migrates, seeds an empty one, listens, and shuts down cleanly on SIGTERM/SIGINT. */
export async function startServer(config: AppConfig, options: StartOptions): Promise<() => Promise<void>> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const migrated = await migrate(database);
  if (migrated.applied.length > 0) options.log(`applied migrations: ${migrated.applied.join(', ')}`);
  // Race-safe: of processes starting together on one database, exactly one creates the admin.
  const firstAdmin = await ensureFirstAdmin(database.db, { email: config.adminEmail, password: config.adminPassword });
  const knownPassword = firstAdmin.created ? (firstAdmin.generatedPassword ?? config.adminPassword) : undefined;
  /** How a password is printed: itself when generated in this start, the variable's name when it came from it. */
  const shown = (password: string) =>
    config.adminPassword !== undefined && password === config.adminPassword ? '(ANSWERLOOP_ADMIN_PASSWORD)' : password;
  let demoUsers: { emails: string[]; password: string } | undefined;
  if (options.seedIfEmpty) {
    const seeded = await seedDemo(database.db, knownPassword ? { usersPassword: knownPassword } : {});
    if (seeded.seeded) options.log(seeded.summary);
    demoUsers = seeded.users;
  }
  const built = await buildApp({ config, database, logger: config.nodeEnv !== 'test' });
  await built.app.listen({ port: config.port, host: config.host });
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
  options.log(`listening on http://${shownHost}:${port}`);
  const adminUrl = `http://${shownHost}:${port}/admin`;
  options.log(
    firstAdmin.created
      ? `admin: ${adminUrl}  login ${firstAdmin.email} / ${shown(firstAdmin.generatedPassword ?? config.adminPassword ?? '')}`
      : `admin: ${adminUrl}`,
  );
  if (demoUsers && demoUsers.emails.length > 0) {
    options.log(`demo users (one per role): ${demoUsers.emails.join(', ')} / ${shown(demoUsers.password)}`);
  }
  options.log(
    config.adminToken
      ? 'API: personal tokens from /admin/tokens, or "Authorization: Bearer $ANSWERLOOP_ADMIN_TOKEN" (bootstrap admin)'
      : 'API: personal tokens from /admin/tokens (ANSWERLOOP_ADMIN_TOKEN, a bootstrap admin token, is not set)',
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await built.shutdown();
      await database.close();
    })();
    return stopping;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop()
        .then(() => process.exit(0))
        .catch(() => process.exit(1));
    });
  }
  return stop;
}
