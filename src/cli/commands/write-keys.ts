import type { Command } from 'commander';
import { type AppConfig, loadConfig } from '../../config/env.js';
import { DatabaseLockedError, openDatabase } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { createWriteKey, listWriteKeys, revokeWriteKey, type WriteKeyInfo } from '../../modules/events/index.js';
import { LIMITS } from '../../shared/limits.js';
import { serverUrl, withPublishingBus } from '../database-or-server.js';

interface KeyOps {
  create(name: string, isPublic: boolean): Promise<{ key: string; info: WriteKeyInfo }>;
  revoke(key: string): Promise<WriteKeyInfo | undefined>;
  list(): Promise<WriteKeyInfo[]>;
}

/** Runs `work` on the database, or through a running server's operator API when it holds the embedded database. */
async function withKeys<T>(config: AppConfig, work: (ops: KeyOps) => Promise<T>): Promise<T> {
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof DatabaseLockedError) || !config.adminToken) throw error;
    return work(apiOps(config));
  }
  try {
    await migrate(database);
    const db = database.db;
    // Running servers on the same PostgreSQL hear of the change: a revoked key is refused everywhere at once.
    return await withPublishingBus(database, (bus) =>
      work({
        create: (name, isPublic) => createWriteKey(db, { name, public: isPublic, bus }),
        revoke: (key) => revokeWriteKey(db, { key }, { bus }),
        list: () => listWriteKeys(db),
      }),
    );
  } finally {
    await database.close();
  }
}

function apiOps(config: AppConfig): KeyOps {
  const base = serverUrl(config);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${config.adminToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as Record<string, unknown>;
    return { status: res.status, json };
  };
  const info = (k: Record<string, unknown>): WriteKeyInfo => ({
    id: Number(k.id),
    name: String(k.name),
    hint: String(k.hint),
    publicKey: (k.publicKey as string | null) ?? null,
    builtin: (k.builtin as string | null) ?? null,
    createdAt: new Date(String(k.createdAt)),
    revokedAt: k.revokedAt ? new Date(String(k.revokedAt)) : null,
  });
  return {
    async create(name, isPublic) {
      const { status, json } = await call('POST', '/api/events/write-keys', { name, public: isPublic });
      if (status !== 200) throw new Error(`the server refused: ${JSON.stringify(json.error)}`);
      return { key: String(json.key), info: info(json.writeKey as Record<string, unknown>) };
    },
    async revoke(key) {
      const { status, json } = await call('POST', '/api/events/write-keys/revoke', { key });
      if (status === 404) return undefined;
      if (status !== 200) throw new Error(`the server refused: ${JSON.stringify(json.error)}`);
      return info(json.writeKey as Record<string, unknown>);
    },
    async list() {
      const { status, json } = await call('GET', '/api/events/write-keys');
      if (status !== 200) throw new Error(`the server refused: ${JSON.stringify(json.error)}`);
      return (json.keys as Record<string, unknown>[]).map(info);
    },
  };
}

/** `answerloop write-keys create|revoke|list`: the collector's write keys. */
export function registerWriteKeysCommand(program: Command): void {
  const keys = program.command('write-keys').description('create, revoke and list write keys of the event collector');

  keys
    .command('create')
    .description('create a write key and print it on stdout (it is shown only once)')
    .requiredOption('--name <name>', 'what the key is for, e.g. "backend" or "marketing site"')
    .option('--public', 'a browser key: kept readable, like the help center’s own key')
    .action(async (options: { name: string; public?: boolean }) => {
      const name = options.name.trim();
      if (name.length === 0 || name.length > LIMITS.writeKeyName) {
        throw new Error(`--name must be 1 to ${LIMITS.writeKeyName} characters`);
      }
      const created = await withKeys(loadConfig(), (ops) => ops.create(name, options.public ?? false));
      console.error(`created write key "${created.info.name}" (id ${created.info.id})`);
      console.log(created.key);
    });

  keys
    .command('revoke')
    .description('revoke a write key: the collector refuses it from now on')
    .argument('<key>', 'the write key to revoke')
    .action(async (key: string) => {
      const revoked = await withKeys(loadConfig(), (ops) => ops.revoke(key));
      if (!revoked) throw new Error('no active write key matches this key');
      console.log(`revoked write key "${revoked.name}" (${revoked.hint}…)`);
    });

  keys
    .command('list')
    .description('list write keys (active first); only public keys are shown in full')
    .action(async () => {
      const all = await withKeys(loadConfig(), (ops) => ops.list());
      for (const k of all) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        console.log(`${k.id}\t${k.publicKey ?? `${k.hint}…`}\t${state}\t${k.name}`);
      }
    });
}
