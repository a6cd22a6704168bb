import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.js';
import { openDatabase } from '../../db/client.js';
import { verifyPassword } from '../../modules/accounts/passwords.js';

const BIN = fileURLToPath(new URL('../../../bin/answerloop.js', import.meta.url));
const embedded = !loadConfig().databaseUrl;

describe.runIf(embedded)('answerloop users', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-users-'));
  const env = { ...process.env, ANSWERLOOP_DATA_DIR: dataDir, NODE_ENV: 'test' };
  const run = (args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates a user with a generated password, resets it, and audits both as the command line', async () => {
    const created = run([
      'users',
      'create',
      '--email',
      'Ana@Example.com',
      '--name',
      'Ana Lima',
      '--role',
      'translator',
      '--locales',
      'ar,he',
    ]);
    expect(created.status, created.stderr).toBe(0);
    const first = created.stdout.trim();
    expect(first).toMatch(/^[A-Za-z0-9_-]{18}$/);
    const bad = run(['users', 'create', '--email', 'x@example.com', '--name', 'X', '--role', 'owner']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--role');
    const reset = run(['users', 'reset-password', 'ana@example.com']);
    expect(reset.status, reset.stderr).toBe(0);
    const second = reset.stdout.trim();
    expect(second).not.toBe(first);
    expect(run(['users', 'reset-password', 'nobody@example.com']).stderr).toContain('no user has the email');

    const database = await openDatabase({ databaseUrl: undefined, dataDir });
    try {
      const user = await database.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      expect(user).toMatchObject({ email: 'ana@example.com', role: 'translator', locales: ['ar', 'he'] });
      expect(await verifyPassword(second, user.password_hash)).toBe(true);
      const audit = await database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_label', 'via'])
        .orderBy('id')
        .execute();
      expect(audit).toEqual([
        { action: 'user.create', actor_label: 'command line', via: 'cli' },
        { action: 'user.update', actor_label: 'command line', via: 'cli' },
      ]);
    } finally {
      await database.close();
    }
  }, 240_000);
});
