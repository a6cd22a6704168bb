import type { ColumnType, Generated } from 'kysely';

/** bigint identities: node-postgres returns them as strings, PGlite as numbers; convert with Number() at the edge. */
type BigId = ColumnType<number | string, never, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobsTable {
  id: BigId;
  queue: string;
  payload: Json<unknown>;
  status: Generated<JobStatus>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Generated<Timestamp>;
  locked_until: Timestamp | null;
  locked_by: string | null;
  dedupe_key: string | null;
  last_error: string | null;
  result: Json<unknown> | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Generated<Timestamp>;
  finished_at: Timestamp | null;
}

export interface JobsTables {
  jobs: JobsTable;
}
