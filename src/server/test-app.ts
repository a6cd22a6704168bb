import { type AppConfig, loadConfig } from '../config/env.js';
import type { DatabaseHandle } from '../db/client.js';
import { createTestDatabase } from '../db/test-database.js';
import { type BuiltApp, buildApp } from './app.js';
import type { LogStream } from './logging.js';

export const TEST_ADMIN_TOKEN = 'test-operator-token-0123456789';

export interface TestApp extends BuiltApp {
  database: DatabaseHandle;
  config: AppConfig;
  /** Headers that authenticate as the operator. */
  operator: { authorization: string };
  close(): Promise<void>;
}

/**
 * The whole application on a fresh test database, for `app.inject()`. `prepare` runs before the app is built
 * (seed regions and content there, so the app starts with them).
 */
export async function createTestApp(
  options: {
    adminToken?: string | null;
    env?: Record<string, string>;
    prepare?: (db: DatabaseHandle) => Promise<void>;
    /** Capture the server's log lines (logging is off otherwise). */
    logStream?: LogStream;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  await options.prepare?.(database);
  const token = options.adminToken === null ? undefined : (options.adminToken ?? TEST_ADMIN_TOKEN);
  const config = loadConfig({
    NODE_ENV: 'test',
    ...(token ? { ANSWERLOOP_ADMIN_TOKEN: token } : {}),
    ...options.env,
  });
  const built = await buildApp({ config, database, ...(options.logStream ? { logStream: options.logStream } : {}) });
  return {
    ...built,
    database,
    config,
    operator: { authorization: `Bearer ${token ?? ''}` },
    async close() {
      await built.shutdown();
      await database.close();
    },
  };
}
