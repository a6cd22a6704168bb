import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../../bin/answerloop.js', import.meta.url));

describe('answerloop write-keys', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-keys-'));
  // Always the embedded database: the keys live in this temporary directory only.
  const env = { ...process.env, ANSWERLOOP_DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'test' };
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'write-keys', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates a key that is printed alone on stdout, lists it, revokes it, and refuses to revoke it twice', () => {
    const created = run('create', '--name', 'backend');
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^alwk_[\w-]{32}$/);
    const listed = run('list');
    expect(listed.stdout).toContain('backend');
    expect(listed.stdout).toContain(`${key.slice(0, 9)}…`);
    expect(listed.stdout).not.toContain(key);
    const revoked = run('revoke', key);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toContain('revoked write key "backend"');
    const twice = run('revoke', key);
    expect(twice.status).not.toBe(0);
    expect(twice.stderr).toContain('no active write key');
    expect(run('create').status).not.toBe(0);
  });
});
