// Helpers for tests that run a real server process and kill or stop it.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../../../config/env.js';
import { openDatabase } from '../../../db/client.js';

const SCRIPT = fileURLToPath(new URL('./durable-server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Starts testing/durable-server.ts in a child process and waits until it listens. */
export function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; key: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\d+) (\S+)/.exec(out);
      if (match) resolve({ child, port: Number(match[1]), key: match[2]! });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`server exited early (${code}): ${err.slice(-2000)}`)));
  });
}

/** A fresh database for one server process, and how to open it again afterwards. */
export async function freshDatabase(cleanups: (() => Promise<void>)[]): Promise<{
  env: Record<string, string>;
  reopen: () => ReturnType<typeof openDatabase>;
}> {
  const { databaseUrl } = loadConfig();
  if (databaseUrl) {
    const name = `answerloop_kill_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    cleanups.push(async () => {
      const dropper = new pg.Client({ connectionString: databaseUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    });
    return {
      env: { DATABASE_URL: url.toString() },
      reopen: () => openDatabase({ databaseUrl: url.toString(), poolSize: 2 }),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerloop-kill-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return { env: { DATABASE_URL: '', ANSWERLOOP_DATA_DIR: dir }, reopen: () => openDatabase({ dataDir: dir }) };
}

/** Sends batches from 8 concurrent senders until `stop()` is called; returns the acknowledged messageIds. */
export function sendUntilStopped(port: number, key: string) {
  const acknowledged: string[] = [];
  let stopped = false;
  const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  async function sender(worker: number): Promise<void> {
    for (let i = 0; !stopped && i < 10_000; i++) {
      const batch = Array.from({ length: 25 }, (_, j) => ({
        type: 'track',
        messageId: randomUUID(),
        anonymousId: `kill-${worker}-${i}-${j}`,
        event: 'Contact Form Viewed',
        properties: { locale: 'en' },
      }));
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth },
          body: JSON.stringify({ batch }),
        });
        if (res.status === 200) acknowledged.push(...batch.map((m) => m.messageId));
      } catch {
        // The server went away mid-request: not acknowledged.
      }
    }
  }
  const senders = Array.from({ length: 8 }, (_, w) => sender(w));
  return {
    acknowledged,
    stop: async () => {
      stopped = true;
      await Promise.all(senders);
    },
  };
}

export async function missing(
  reopen: () => ReturnType<typeof openDatabase>,
  acknowledged: string[],
): Promise<string[]> {
  const database = await reopen();
  try {
    const rows = await database.db.selectFrom('events').select('message_id').execute();
    const stored = new Set(rows.map((r) => r.message_id));
    return acknowledged.filter((id) => !stored.has(id));
  } finally {
    await database.close();
  }
}

export interface Flood {
  /** messageIds of requests answered 200. */
  acknowledged: string[];
  /** Requests answered 503, and how many of those carried a Retry-After header. */
  refused: number;
  refusedWithRetryAfter: number;
  /** Requests that failed without an answer (connection closed or reset). */
  errors: number;
  /** Milliseconds from sending a request to its answer, for every answered request. */
  latencies: number[];
  stop: () => Promise<void>;
}

/**
 * Sends batches of `batch` events from `workers` concurrent connections as fast as the server answers, without
 * retrying refusals (a 503 is counted, and the worker sends its next batch), until `stop()` is called.
 */
export function flood(port: number, key: string, options: { workers: number; batch: number }): Flood {
  const result: Flood = {
    acknowledged: [],
    refused: 0,
    refusedWithRetryAfter: 0,
    errors: 0,
    latencies: [],
    stop: async () => {},
  };
  let stopped = false;
  const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  async function sender(worker: number): Promise<void> {
    while (!stopped) {
      const batch = Array.from({ length: options.batch }, (_, j) => ({
        type: 'track',
        messageId: randomUUID(),
        anonymousId: `flood-${worker}-${j % 10}`,
        event: 'Contact Form Viewed',
        properties: { locale: 'en' },
      }));
      const started = Date.now();
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth },
          body: JSON.stringify({ batch }),
        });
        await res.arrayBuffer();
        result.latencies.push(Date.now() - started);
        if (res.status === 200) result.acknowledged.push(...batch.map((m) => m.messageId));
        if (res.status === 503) {
          result.refused += 1;
          if (res.headers.get('retry-after')) result.refusedWithRetryAfter += 1;
        }
      } catch {
        // The server went away mid-request: not acknowledged.
        if (stopped) return;
        result.errors += 1;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }
  const senders = Array.from({ length: options.workers }, (_, w) => sender(w));
  result.stop = async () => {
    stopped = true;
    await Promise.all(senders);
  };
  return result;
}

/** The collector's counters of a running server (GET /api/events/stats with the operator token). */
export async function serverStats(port: number, token: string): Promise<Record<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/api/events/stats`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as Record<string, number>;
}
