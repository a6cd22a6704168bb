import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.js';
import { createTestDatabase } from '../../db/test-database.js';
import { ensureFirstAdmin } from './ensure-first-admin.js';

const BIN = fileURLToPath(new URL('../../../bin/answerloop.js', import.meta.url));
const embedded = !loadConfig().databaseUrl;

/** Starts `answerloop serve --no-seed` and resolves with its output once it printed the admin line. */
function serve(env: Record<string, string>): Promise<{ server: ChildProcess; out: () => string; url: string }> {
  const server = spawn(process.execPath, [BIN, 'serve', '--no-seed'], {
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^listening on (http:\/\/\S+)$/m.exec(out);
      if (match && /^admin: /m.test(out))
        setTimeout(() => resolve({ server, out: () => out, url: match[1] as string }), 200);
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function stop(server: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

describe('first start', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates exactly one admin when several starts race on one database', async () => {
    const database = await createTestDatabase();
    try {
      const results = await Promise.all([
        ensureFirstAdmin(database.db, { email: 'Admin@localhost', password: undefined }),
        ensureFirstAdmin(database.db, { email: 'admin@localhost', password: undefined }),
        ensureFirstAdmin(database.db, { email: 'admin@localhost', password: undefined }),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const users = await database.db.selectFrom('users').select(['email', 'role']).execute();
      expect(users).toEqual([{ email: 'admin@localhost', role: 'admin' }]);
      expect(await ensureFirstAdmin(database.db, { email: 'other@localhost', password: 'x'.repeat(12) })).toEqual({
        created: false,
      });
    } finally {
      await database.close();
    }
  });

  it.runIf(embedded)(
    'prints the admin URL and a generated password once; later starts print the URL only',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-first-'));
      dirs.push(dataDir);
      const env = { ANSWERLOOP_DATA_DIR: dataDir, NODE_ENV: 'test' };
      const first = await serve(env);
      const line = /^admin: (http:\/\/\S+\/admin) {2}login admin@localhost \/ (\S+)$/m.exec(first.out());
      expect(line, first.out()).not.toBeNull();
      expect(line?.[1]).toBe(`${first.url}/admin`);
      const password = line?.[2] as string;
      expect(first.out().match(/^admin: /gm)).toHaveLength(1);
      const login = await fetch(`${first.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@localhost', password }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { user: { role: string } }).user.role).toBe('admin');
      await stop(first.server);

      const second = await serve(env);
      expect(second.out()).toMatch(/^admin: http:\/\/\S+\/admin$/m);
      expect(second.out()).not.toContain('login');
      expect(second.out()).not.toContain(password);
      await stop(second.server);
    },
    120_000,
  );

  it.runIf(embedded)(
    'names ANSWERLOOP_ADMIN_PASSWORD instead of printing it',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-first-'));
      dirs.push(dataDir);
      const started = await serve({
        ANSWERLOOP_DATA_DIR: dataDir,
        NODE_ENV: 'test',
        ANSWERLOOP_ADMIN_EMAIL: 'boss@example.com',
        ANSWERLOOP_ADMIN_PASSWORD: 'from the environment',
      });
      expect(started.out()).toMatch(
        /^admin: http:\/\/\S+\/admin {2}login boss@example\.com \/ \(ANSWERLOOP_ADMIN_PASSWORD\)$/m,
      );
      expect(started.out()).not.toContain('from the environment');
      await stop(started.server);
    },
    120_000,
  );
});
