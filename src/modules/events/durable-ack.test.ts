import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, missing, sendUntilStopped, startServer } from './testing/server-process.js';

describe('durable acknowledgement', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('loses no acknowledged event when the server is killed with SIGKILL mid-stream', async () => {
    const { env, reopen } = await freshDatabase(cleanups);
    const { child, port, key } = await startServer({ ...env, ANSWERLOOP_EVENTS_ACK: 'durable' });
    const load = sendUntilStopped(port, key);
    // Let well over a thousand acknowledgements through, then kill the process without any chance to flush.
    while (load.acknowledged.length < 1_500) await new Promise((r) => setTimeout(r, 20));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await load.stop();
    expect(load.acknowledged.length).toBeGreaterThanOrEqual(1_500);
    expect(await missing(reopen, load.acknowledged)).toEqual([]);
  });
});
