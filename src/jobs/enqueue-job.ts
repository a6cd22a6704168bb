import { sql } from 'kysely';
import type { DB } from '../db/client.js';

export interface EnqueueJobOptions {
  queue: string;
  /** Plain JSON the handler receives. */
  payload?: Record<string, unknown>;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** At most one queued job per queue and key: a second enqueue while one waits is a no-op. */
  dedupeKey?: string;
  /** Attempts before the job is marked failed (default 3). */
  maxAttempts?: number;
}

export interface EnqueueJobResult {
  /** The new job's id, or null when a queued job with the same dedupe key already waits. */
  id: number | null;
}

/**
 * Adds a job to the durable queue. Pass a transaction to make the job part of the write that needs it (an outbox):
 * it exists if and only if that write commits.
 */
export async function enqueueJob(db: DB, options: EnqueueJobOptions): Promise<EnqueueJobResult> {
  const payload = JSON.stringify(options.payload ?? {});
  const runAt = options.runAt ?? new Date();
  const maxAttempts = options.maxAttempts ?? 3;
  const dedupeKey = options.dedupeKey ?? null;
  const { rows } = await sql<{ id: string }>`
    INSERT INTO jobs (queue, payload, run_at, max_attempts, dedupe_key)
    VALUES (${options.queue}, ${payload}::jsonb, ${runAt}, ${maxAttempts}, ${dedupeKey})
    ON CONFLICT (queue, dedupe_key) WHERE dedupe_key IS NOT NULL AND status = 'queued' DO NOTHING
    RETURNING id::text AS id`.execute(db);
  return { id: rows[0] ? Number(rows[0].id) : null };
}
