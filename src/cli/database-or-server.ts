import type { AppConfig } from '../config/env.js';
import { loadConfig } from '../config/env.js';
import { type DatabaseHandle, DatabaseLockedError, openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';

/** The server a locked embedded database belongs to. */
export function serverUrl(config: AppConfig, override?: string): string {
  if (override) return override.replace(/\/$/, '');
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/** Calls the operator API of a running server (used when it holds the embedded database). */
export type OperatorCall = (method: string, url: string, body?: unknown) => Promise<{ status: number; json: unknown }>;

/**
 * Runs `local` on the configured database; when a running server holds the embedded database, runs `remote` through
 * that server's operator API instead (it needs ANSWERLOOP_ADMIN_TOKEN).
 */
export async function withDatabaseOrServer<T>(
  options: { server?: string | undefined },
  local: (database: DatabaseHandle) => Promise<T>,
  remote: (call: OperatorCall, base: string) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  let database: DatabaseHandle;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    const base = serverUrl(config, options.server);
    if (!config.adminToken) {
      throw new Error(
        `${error.message}\nTo work while it runs, set ANSWERLOOP_ADMIN_TOKEN (the server's operator token); the ` +
          `command then goes through the server at ${base} (or --server URL).`,
      );
    }
    console.error(`the embedded database is held by a running server (pid ${error.pid}); going through ${base}`);
    const headers = { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json' };
    return remote(async (method, url, body) => {
      let res: Response;
      try {
        res = await fetch(`${base}${url}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (cause) {
        throw new Error(`could not reach the server at ${base} (${(cause as Error).message}); pass --server URL`);
      }
      return { status: res.status, json: await res.json() };
    }, base);
  }
  try {
    await migrate(database);
    return await local(database);
  } finally {
    await database.close();
  }
}

/** The error message of an operator API answer, or a generic one. */
export function apiError(json: unknown, status: number): string {
  const message = (json as { error?: { message?: string } }).error?.message;
  return `the server answered ${status}: ${message ?? 'unknown error'}`;
}
