import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.js';

/** The typed query builder every module receives. */
export type DB = Kysely<Database>;

/** A LISTEN subscription on its own connection (see `DatabaseHandle.listen`). */
export interface Listener {
  close(): Promise<void>;
}

export interface DatabaseHandle {
  db: DB;
  kind: 'pglite' | 'postgres';
  /** The PostgreSQL server's URL (undefined for PGlite): for work that needs its own connection, such as COPY. */
  url?: string | undefined;
  /**
   * LISTENs on a channel: `onNotify` gets each notification's payload; `onLost` is called once if the connection
   * breaks (the caller reconnects). On PostgreSQL a dedicated connection outside the pool; on PGlite the one
   * in-process connection.
   */
  listen(channel: string, onNotify: (payload: string) => void, onLost: (error: unknown) => void): Promise<Listener>;
  /** Runs a multi-statement SQL script in one transaction (migrations). */
  runScript(sqlText: string, afterwards?: { sql: string; params: unknown[] }): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL server URL; unset means embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; unset (with no URL) means an in-memory database. */
  dataDir?: string | undefined;
  /** Max pooled connections to a PostgreSQL server. */
  poolSize?: number;
}

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by another Answerloop process (pid ${pid}). ` +
        'Stop that process first, or set DATABASE_URL to use a PostgreSQL server that several processes can share.',
    );
    this.name = 'DatabaseLockedError';
  }
}

// PGlite is single-process: a second process opening the same directory would corrupt it, so we hold a pid lock file.
function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'answerloop.pid');
  try {
    const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new DatabaseLockedError(dataDir, pid);
    }
  } catch (error) {
    if (error instanceof DatabaseLockedError) throw error;
  }
  fs.writeFileSync(lockPath, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A read-only pool on a replica (DATABASE_READ_URL) for dashboards and exports: queries that may lag the primary
 * by the replication delay and must never write.
 */
export function openReadPool(url: string, poolSize = 5): { db: DB; close(): Promise<void> } {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // A replica refuses writes anyway; this makes a primary given by mistake refuse them too.
    options: '-c default_transaction_read_only=on',
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}

/** Opens PGlite (embedded) or a PostgreSQL pool, with the same Kysely interface over both. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // Fail fast with a clear error instead of on the first request.
    const probe = await pool.connect();
    probe.release();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const url = options.databaseUrl;
    return {
      db,
      kind: 'postgres',
      url,
      async listen(channel, onNotify, onLost) {
        const client = new pg.Client({ connectionString: url, keepAlive: true });
        let closing = false;
        let lost = false;
        const fail = (error: unknown) => {
          if (closing || lost) return;
          lost = true;
          client.end().catch(() => undefined);
          onLost(error);
        };
        client.on('error', fail);
        client.on('end', () => fail(new Error('the LISTEN connection ended')));
        client.on('notification', (message) => {
          if (message.channel === channel) onNotify(message.payload ?? '');
        });
        await client.connect();
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        return {
          async close() {
            closing = true;
            await client.end().catch(() => undefined);
          },
        };
      },
      async runScript(sqlText, afterwards) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(sqlText);
          if (afterwards) await client.query(afterwards.sql, afterwards.params);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      },
      async close() {
        await db.destroy();
      },
    };
  }

  const release = options.dataDir ? acquireDataDirLock(options.dataDir) : () => undefined;
  let pglite: PGlite;
  try {
    pglite = options.dataDir ? new PGlite(path.join(options.dataDir, 'pglite')) : new PGlite();
    await pglite.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    async listen(channel, onNotify) {
      // One in-process connection: it is never lost while the database is open.
      const unlisten = await pglite.listen(channel, onNotify);
      return {
        async close() {
          if (!pglite.closed) await unlisten();
        },
      };
    },
    async runScript(sqlText, afterwards) {
      await pglite.transaction(async (tx) => {
        await tx.exec(sqlText);
        if (afterwards) await tx.query(afterwards.sql, afterwards.params);
      });
    },
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      release();
    },
  };
}
