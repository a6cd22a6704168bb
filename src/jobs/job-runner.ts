import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { DB } from '../db/client.js';
import { enqueueJob } from './enqueue-job.js';

/** What a handler receives for one run of a job. */
export interface JobContext {
  id: number;
  queue: string;
  payload: unknown;
  /** 1 on the first run. */
  attempt: number;
  /** Aborted when the runner stops (shutdown): stop early; the job is queued again, not counted as failed. */
  signal: AbortSignal;
}

/** Does the work of one job; what it returns (plain JSON) is stored as the job's result. */
export type JobHandler = (job: JobContext) => Promise<unknown>;

export interface JobRunnerOptions {
  /** How often the jobs table is polled when idle (ms). */
  pollMs?: number;
  /** Jobs this process runs at once (never two of the same queue). */
  concurrency?: number;
  /** A claimed job is locked this long and the lock renewed while it runs; a crashed process's lock expires. */
  lockMs?: number;
  /** Delay before retrying a failed attempt n: base · 2^(n-1) (ms). */
  retryBaseMs?: number;
  /** Finished jobs are deleted after this long (ms). */
  keepFinishedMs?: number;
  onError?: (error: unknown, what: string) => void;
}

interface ClaimedJob {
  id: string;
  queue: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

const CLEANUP_EVERY_MS = 10 * 60_000;

/**
 * Runs durable jobs from the `jobs` table. Any number of processes may run one each: a job is claimed with
 * `FOR UPDATE SKIP LOCKED`, locked for a while (renewed as it runs), retried with backoff when it throws, and taken
 * over by another process when its lock expires. Handlers should be idempotent: a crash can run a job twice.
 */
export class JobRunner {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly recurring: {
    queue: string;
    everyMs: number;
    dedupeKey: string;
    timer?: ReturnType<typeof setInterval>;
  }[] = [];
  private readonly running = new Map<number, { queue: string; controller: AbortController; done: Promise<void> }>();
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly lockMs: number;
  private readonly retryBaseMs: number;
  private readonly keepFinishedMs: number;
  private readonly onError: (error: unknown, what: string) => void;
  private timer: ReturnType<typeof setInterval> | undefined;
  private started = false;
  private stopping = false;
  private ticking: Promise<void> | undefined;
  private again = false;
  private lastCleanup = Date.now();

  constructor(
    private readonly db: DB,
    options: JobRunnerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 200;
    this.concurrency = options.concurrency ?? 2;
    this.lockMs = options.lockMs ?? 60_000;
    this.retryBaseMs = options.retryBaseMs ?? 2_000;
    this.keepFinishedMs = options.keepFinishedMs ?? 7 * 24 * 3_600_000;
    this.onError = options.onError ?? (() => undefined);
  }

  /** Registers the handler of a queue; only queues with a handler are claimed by this process. */
  handle(queue: string, handler: JobHandler): this {
    this.handlers.set(queue, handler);
    return this;
  }

  /** While started, enqueues a job on `queue` every `everyMs` (not when one with the same dedupe key waits). */
  every(queue: string, everyMs: number, options: { dedupeKey?: string } = {}): this {
    this.recurring.push({ queue, everyMs, dedupeKey: options.dedupeKey ?? 'recurring' });
    return this;
  }

  /** Starts polling. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.timer = setInterval(() => this.poke(), this.pollMs);
    this.timer.unref();
    for (const entry of this.recurring) {
      entry.timer = setInterval(() => {
        enqueueJob(this.db, { queue: entry.queue, dedupeKey: entry.dedupeKey })
          .then(() => this.poke())
          .catch((error: unknown) => this.onError(error, `scheduling ${entry.queue}`));
      }, entry.everyMs);
      entry.timer.unref();
    }
    this.poke();
  }

  /** Looks for due jobs now instead of at the next poll (call after enqueueing). */
  poke(): void {
    if (!this.started || this.stopping) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick()
      .catch((error: unknown) => this.onError(error, 'polling the jobs table'))
      .finally(() => {
        this.ticking = undefined;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Jobs this process is running now, by queue (for health and tests). */
  runningQueues(): string[] {
    return [...this.running.values()].map((r) => r.queue);
  }

  /**
   * Claims and runs due jobs one at a time until none is left, without polling (seeding, tests, CLI). Returns how
   * many ran. Jobs enqueued by the jobs themselves are run too.
   */
  async drain(options: { queues?: string[]; maxJobs?: number } = {}): Promise<number> {
    let count = 0;
    const queues = options.queues ?? [...this.handlers.keys()];
    while (count < (options.maxJobs ?? 10_000)) {
      const job = await this.claim(queues);
      if (!job) break;
      await this.execute(job, new AbortController());
      count += 1;
    }
    return count;
  }

  /** Stops polling, aborts running jobs (they are queued again) and waits for them to settle. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const entry of this.recurring) if (entry.timer) clearInterval(entry.timer);
    await this.ticking;
    for (const run of this.running.values()) run.controller.abort();
    await Promise.all([...this.running.values()].map((run) => run.done));
  }

  private async tick(): Promise<void> {
    while (!this.stopping && this.running.size < this.concurrency) {
      const busy = new Set(this.runningQueues());
      const queues = [...this.handlers.keys()].filter((queue) => !busy.has(queue));
      if (queues.length === 0) return;
      const job = await this.claim(queues);
      if (!job) break;
      const controller = new AbortController();
      const id = Number(job.id);
      const done = this.execute(job, controller).finally(() => {
        this.running.delete(id);
        this.poke();
      });
      this.running.set(id, { queue: job.queue, controller, done });
    }
    if (Date.now() - this.lastCleanup > CLEANUP_EVERY_MS) {
      this.lastCleanup = Date.now();
      await sql`DELETE FROM jobs WHERE status IN ('done', 'failed')
                AND finished_at < ${new Date(Date.now() - this.keepFinishedMs)}`.execute(this.db);
    }
  }

  private async claim(queues: string[]): Promise<ClaimedJob | undefined> {
    if (queues.length === 0) return undefined;
    const { rows } = await sql<ClaimedJob>`
      UPDATE jobs
         SET status = 'running', attempts = attempts + 1, locked_by = ${this.workerId},
             locked_until = now() + ${`${this.lockMs} milliseconds`}::interval, updated_at = now()
       WHERE id = (
         SELECT id FROM jobs
          WHERE queue = ANY(${queues}::text[])
            AND run_at <= now()
            AND (status = 'queued' OR (status = 'running' AND locked_until < now()))
          ORDER BY run_at, id
          FOR UPDATE SKIP LOCKED
          LIMIT 1)
      RETURNING id::text AS id, queue, payload, attempts, max_attempts`.execute(this.db);
    return rows[0];
  }

  private async execute(job: ClaimedJob, controller: AbortController): Promise<void> {
    const id = Number(job.id);
    const handler = this.handlers.get(job.queue);
    if (!handler || job.attempts > job.max_attempts) {
      // A job whose process died on its last attempt: it has had its chances.
      await this.finish(id, 'failed', null, handler ? 'the process running it stopped' : `no handler for ${job.queue}`);
      return;
    }
    const renew = setInterval(
      () => {
        sql`UPDATE jobs SET locked_until = now() + ${`${this.lockMs} milliseconds`}::interval
             WHERE id = ${id} AND locked_by = ${this.workerId}`
          .execute(this.db)
          .catch((error: unknown) => this.onError(error, `renewing the lock of job ${id}`));
      },
      Math.max(50, Math.floor(this.lockMs / 3)),
    );
    renew.unref();
    try {
      const result = await handler({
        id,
        queue: job.queue,
        payload: job.payload,
        attempt: job.attempts,
        signal: controller.signal,
      });
      clearInterval(renew);
      await this.finish(id, 'done', result ?? null, null);
    } catch (error) {
      clearInterval(renew);
      const message = error instanceof Error ? error.message : String(error);
      if (controller.signal.aborted) {
        // Stopped by shutdown, not a failure of the job: queue it again as it was.
        await sql`UPDATE jobs SET status = 'queued', attempts = attempts - 1, locked_by = NULL, locked_until = NULL,
                         updated_at = now()
                   WHERE id = ${id} AND locked_by = ${this.workerId}`
          .execute(this.db)
          .catch((e: unknown) => this.onError(e, `requeueing job ${id}`));
        return;
      }
      this.onError(error, `job ${id} (${job.queue}) attempt ${job.attempts} failed`);
      if (job.attempts >= job.max_attempts) {
        await this.finish(id, 'failed', null, message);
      } else {
        const delay = this.retryBaseMs * 2 ** (job.attempts - 1);
        await sql`UPDATE jobs SET status = 'queued', run_at = now() + ${`${delay} milliseconds`}::interval,
                         last_error = ${message.slice(0, 2000)}, locked_by = NULL, locked_until = NULL, updated_at = now()
                   WHERE id = ${id} AND locked_by = ${this.workerId}`
          .execute(this.db)
          .catch((e: unknown) => this.onError(e, `rescheduling job ${id}`));
      }
    }
  }

  private async finish(id: number, status: 'done' | 'failed', result: unknown, error: string | null): Promise<void> {
    await sql`UPDATE jobs SET status = ${status}, result = ${result === null ? null : JSON.stringify(result)}::jsonb,
                     last_error = COALESCE(${error === null ? null : error.slice(0, 2000)}, last_error),
                     locked_by = NULL, locked_until = NULL, finished_at = now(), updated_at = now()
               WHERE id = ${id} AND locked_by = ${this.workerId}`
      .execute(this.db)
      .catch((e: unknown) => this.onError(e, `recording the end of job ${id}`));
  }
}
