import { sql } from 'kysely';
import type { DB } from '../db/client.js';
import type { JobStatus } from './jobs.tables.js';

/** A job as the operator API and tests see it. */
export interface JobView {
  id: number;
  queue: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lastError: string | null;
  result: unknown;
  createdAt: Date;
  finishedAt: Date | null;
}

/** One job by id, or null. */
export async function getJob(db: DB, id: number): Promise<JobView | null> {
  const { rows } = await sql<{
    id: string;
    queue: string;
    status: JobStatus;
    attempts: number;
    max_attempts: number;
    run_at: Date;
    last_error: string | null;
    result: unknown;
    created_at: Date;
    finished_at: Date | null;
  }>`SELECT id::text AS id, queue, status, attempts, max_attempts, run_at, last_error, result, created_at, finished_at
       FROM jobs WHERE id = ${id}`.execute(db);
  const row = rows[0];
  if (!row) return null;
  return {
    id: Number(row.id),
    queue: row.queue,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    lastError: row.last_error,
    result: row.result,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
