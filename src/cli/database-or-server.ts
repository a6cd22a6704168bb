import type { AppConfig } from '../config/env.js';
import { loadConfig } from '../config/env.js';
import { ChangeFeed } from '../db/change-feed.js';
import { type DatabaseHandle, DatabaseLockedError, openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { type Bus, createBus } from '../shared/bus.js';

/** The server a locked embedded database belongs to. */
export function serverUrl(config: AppConfig, override?: string): string {
  if (override) return override.replace(/\/$/, '');
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/**
 * Runs `work` with a bus for the operations it calls. On PostgreSQL, running servers share the database: a
 * publish-only change feed carries the command's events (an article published, a write key revoked) to them, so
 * their caches and search indexes follow a CLI write as they follow one of their own. Everything is published
 * before this returns, so the caller may close the database. (An embedded database opened here has no server.)
 */
export async function withPublishingBus<T>(database: DatabaseHandle, work: (bus: Bus) => Promise<T>): Promise<T> {
  const bus = createBus();
  const feed =
    database.kind === 'postgres'
      ? new ChangeFeed({
          database,
          bus,
          listen: false,
          onError: (error, what) => console.error(`answerloop: ${what}: ${(error as Error).message}`),
        })
      : undefined;
  await feed?.start();
  try {
    return await work(bus);
  } finally {
    // Publishes what is pending (also after a failure: what committed before it is real).
    await feed?.stop();
  }
}

/** Calls the operator API of a running server (used when it holds the embedded database). */
export type OperatorCall = (method: string, url: string, body?: unknown) => Promise<{ status: number; json: unknown }>;

/**
 * Runs `local` on the configured database; when a running server holds the embedded database, runs `remote` through
 * that server's operator API instead (it needs ANSWERLOOP_ADMIN_TOKEN).
 */
export async function withDatabaseOrServer<T>(
  options: { server?: string | undefined },
  /** `bus`: pass it to the operations, so running servers see their changes (see `withPublishingBus`). */
  local: (database: DatabaseHandle, bus: Bus) => Promise<T>,
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
    return await withPublishingBus(database, (bus) => local(database, bus));
  } finally {
    await database.close();
  }
}

/** The error message of an operator API answer, or a generic one. */
export function apiError(json: unknown, status: number): string {
  const message = (json as { error?: { message?: string } }).error?.message;
  return `the server answered ${status}: ${message ?? 'unknown error'}`;
}
