import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/client.js';
import { createTestDatabase } from '../db/test-database.js';
import { enqueueJob } from './enqueue-job.js';
import { getJob } from './get-job.js';
import { JobRunner } from './job-runner.js';

describe('durable jobs', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });
  beforeEach(async () => {
    await sql`DELETE FROM jobs`.execute(handle.db);
  });

  it('runs a queued job once and stores its result', async () => {
    const seen: unknown[] = [];
    const runner = new JobRunner(handle.db).handle('echo', async (job) => {
      seen.push(job.payload);
      return { doubled: (job.payload as { n: number }).n * 2 };
    });
    const { id } = await enqueueJob(handle.db, { queue: 'echo', payload: { n: 21 } });
    expect(await runner.drain()).toBe(1);
    expect(await runner.drain()).toBe(0);
    expect(seen).toEqual([{ n: 21 }]);
    const job = await getJob(handle.db, id!);
    expect(job).toMatchObject({ status: 'done', attempts: 1, result: { doubled: 42 } });
    expect(job!.finishedAt).toBeInstanceOf(Date);
  });

  it('keeps one queued job per dedupe key', async () => {
    const first = await enqueueJob(handle.db, { queue: 'sweep', dedupeKey: 'pending' });
    const second = await enqueueJob(handle.db, { queue: 'sweep', dedupeKey: 'pending' });
    expect(first.id).not.toBeNull();
    expect(second.id).toBeNull();
    let runs = 0;
    const runner = new JobRunner(handle.db).handle('sweep', async () => {
      runs++;
      // While this one runs, a new request is queued again (it may find new work).
      expect((await enqueueJob(handle.db, { queue: 'sweep', dedupeKey: 'pending' })).id).not.toBeNull();
    });
    await runner.drain({ maxJobs: 1 });
    expect(runs).toBe(1);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM jobs WHERE status = 'queued'`.execute(
      handle.db,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('retries a failing job with backoff, then marks it failed with the error', async () => {
    let attempts = 0;
    const runner = new JobRunner(handle.db, { retryBaseMs: 1 }).handle('flaky', async () => {
      attempts++;
      throw new Error(`boom ${attempts}`);
    });
    const { id } = await enqueueJob(handle.db, { queue: 'flaky', maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await runner.drain();
    }
    expect(attempts).toBe(3);
    expect(await getJob(handle.db, id!)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'boom 3' });
  });

  it('does not run a job before its time', async () => {
    const runner = new JobRunner(handle.db).handle('later', async () => undefined);
    await enqueueJob(handle.db, { queue: 'later', runAt: new Date(Date.now() + 60_000) });
    expect(await runner.drain()).toBe(0);
  });

  it('lets another process take over a job whose lock expired (a crashed worker)', async () => {
    const { id } = await enqueueJob(handle.db, { queue: 'crash' });
    await sql`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'dead-process',
                     locked_until = now() - interval '1 second' WHERE id = ${id}`.execute(handle.db);
    const runner = new JobRunner(handle.db).handle('crash', async (job) => ({ attempt: job.attempt }));
    expect(await runner.drain()).toBe(1);
    expect(await getJob(handle.db, id!)).toMatchObject({ status: 'done', result: { attempt: 2 } });
  });

  it('claims each job once across runners (FOR UPDATE SKIP LOCKED)', async () => {
    for (let i = 0; i < 20; i++) await enqueueJob(handle.db, { queue: 'count', payload: { i } });
    const done: number[] = [];
    const make = () =>
      new JobRunner(handle.db).handle('count', async (job) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        done.push((job.payload as { i: number }).i);
      });
    await Promise.all([make().drain(), make().drain(), make().drain()]);
    expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('polls when started, and on stop puts a running job back in the queue without counting the attempt', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const runner = new JobRunner(handle.db, { pollMs: 20 }).handle('long', async (job) => {
      started();
      await new Promise<void>((_, reject) => {
        job.signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
    });
    runner.start();
    const { id } = await enqueueJob(handle.db, { queue: 'long' });
    runner.poke();
    await running;
    expect(runner.runningQueues()).toEqual(['long']);
    await runner.stop();
    expect(await getJob(handle.db, id!)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});
