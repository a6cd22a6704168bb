import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/env.js';

const BIN = fileURLToPath(new URL('../../bin/answerloop.js', import.meta.url));
const embedded = !loadConfig().databaseUrl;

function run(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('the answerloop command', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-cli-'));
  const env = { ANSWERLOOP_DATA_DIR: dataDir, NODE_ENV: 'test' };
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('has --help for every command', () => {
    const top = run(['--help'], env);
    expect(top.status).toBe(0);
    for (const command of ['serve', 'migrate', 'seed']) expect(top.stdout).toContain(command);
    const serve = run(['serve', '--help'], env);
    expect(serve.stdout).toContain('--no-seed');
  });

  it('rejects an unknown command and bad configuration with a clear message and a non-zero exit', () => {
    const unknown = run(['frobnicate'], env);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const badPort = run(['migrate'], { ...env, PORT: 'eighty' });
    expect(badPort.status).toBe(1);
    expect(badPort.stderr).toContain('PORT');
  });

  it.runIf(embedded)(
    'migrates, then serves and prints the listening line; a second process gets a clear error',
    async () => {
      const migrated = run(['migrate'], env);
      expect(migrated.status, migrated.stderr).toBe(0);
      expect(migrated.stdout).toMatch(/applied \d+ migration/);
      expect(run(['migrate'], env).stdout).toContain('up to date');

      server = spawn(process.execPath, [BIN, 'serve', '--no-seed'], {
        env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server!.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /^listening on (http:\/\/\S+)$/m.exec(out);
          if (match) resolve(match[1]!);
        });
        server!.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/api/health`);
      expect(await health.json()).toEqual({ status: 'ok' });

      const second = run(['migrate'], env);
      expect(second.status).toBe(1);
      expect(second.stderr).toContain('in use by another Answerloop process');

      server.kill('SIGTERM');
      await new Promise((resolve) => server!.once('exit', resolve));
      expect(fs.existsSync(path.join(dataDir, 'answerloop.pid'))).toBe(false);
    },
  );
});
