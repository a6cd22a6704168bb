import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, missing, sendUntilStopped, startServer } from './testing/server-process.js';

describe('shutdown', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('writes every event acknowledged from the queue before exiting on SIGTERM', async () => {
    const { env, reopen } = await freshDatabase(cleanups);
    // Queued acknowledgement with a long flush interval: on SIGTERM the queue holds events that only the shutdown
    // flush can save.
    const { child, port, key } = await startServer({
      ...env,
      ANSWERLOOP_EVENTS_ACK: 'queued',
      ANSWERLOOP_EVENTS_FLUSH_MS: '5000',
      ANSWERLOOP_EVENTS_BATCH_SIZE: '20000',
    });
    const load = sendUntilStopped(port, key);
    while (load.acknowledged.length < 1_000) await new Promise((r) => setTimeout(r, 20));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await load.stop();
    expect(await missing(reopen, load.acknowledged)).toEqual([]);
  });
});
