import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BusEvents, createBus } from '../shared/bus.js';
import { ChangeFeed } from './change-feed.js';
import type { DatabaseHandle } from './client.js';
import { createTestDatabase } from './test-database.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

async function waitFor<T>(read: () => T | undefined, ms = 3_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function recorder(bus: ReturnType<typeof createBus>) {
  const seen: { event: keyof BusEvents; payload: unknown }[] = [];
  for (const event of ['regions.changed', 'topics.changed', 'cluster.resync'] as const) {
    bus.on(event, (payload) => seen.push({ event, payload }));
  }
  return seen;
}

describe('change feed (two processes on one database, simulated as two feeds)', () => {
  it('delivers each event to the other process once, in order, and never back to its publisher', async () => {
    const busA = createBus();
    const busB = createBus();
    const seenA = recorder(busA);
    const seenB = recorder(busB);
    const a = new ChangeFeed({ database: handle, bus: busA, pollMs: 60_000 });
    const b = new ChangeFeed({ database: handle, bus: busB, pollMs: 60_000 });
    await a.start();
    await b.start();
    try {
      for (let i = 0; i < 30; i++) busA.emit('topics.changed', { slug: `t${i}` });
      busA.emit('regions.changed', {});
      await a.flush();
      await waitFor(() => (seenB.length >= 31 ? true : undefined));
      await b.caughtUp();
      expect(seenB.map((s) => (s.event === 'topics.changed' ? (s.payload as { slug: string }).slug : s.event))).toEqual(
        [...Array.from({ length: 30 }, (_, i) => `t${i}`), 'regions.changed'],
      );
      // A's listeners ran once, synchronously at emit; the feed did not bring its own events back.
      await a.caughtUp();
      expect(seenA).toHaveLength(31);
      expect(a.status().received).toBe(0);
      expect(b.status().received).toBe(31);
      // Local-only events stay local.
      busA.emit('cluster.resync', { reason: 'gap' });
      await a.flush();
      await b.caughtUp();
      expect(seenB.filter((s) => s.event === 'cluster.resync')).toHaveLength(0);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a publish-only feed (the CLI) reaches a listening process; the safety-net poll works without notifications', async () => {
    const cliBus = createBus();
    const serverBus = createBus();
    const seen = recorder(serverBus);
    const cli = new ChangeFeed({ database: handle, bus: cliBus, listen: false });
    const server = new ChangeFeed({ database: handle, bus: serverBus, pollMs: 200 });
    await cli.start();
    await server.start();
    try {
      cliBus.emit('topics.changed', { slug: 'from-cli' });
      await cli.flush();
      await waitFor(() => (seen.length > 0 ? true : undefined));
      expect(seen[0]).toEqual({ event: 'topics.changed', payload: { slug: 'from-cli' } });
      // A row inserted without NOTIFY (the trigger disabled for this statement) is still found by the poll.
      await sql`ALTER TABLE change_events DISABLE TRIGGER change_events_notify`.execute(handle.db);
      await sql`INSERT INTO change_events (event, payload, origin) VALUES ('regions.changed', '{}'::jsonb, 'elsewhere')`.execute(
        handle.db,
      );
      await sql`ALTER TABLE change_events ENABLE TRIGGER change_events_notify`.execute(handle.db);
      await waitFor(() => (seen.some((s) => s.event === 'regions.changed') ? true : undefined));
    } finally {
      await cli.stop();
      await server.stop();
    }
  });

  it.runIf(process.env.DATABASE_URL)(
    'after its LISTEN connection is killed, a process reconnects, catches up and refreshes everything',
    async () => {
      const busA = createBus();
      const busB = createBus();
      const seenB = recorder(busB);
      const a = new ChangeFeed({ database: handle, bus: busA, pollMs: 60_000 });
      const b = new ChangeFeed({ database: handle, bus: busB, pollMs: 60_000 });
      await a.start();
      await b.start();
      try {
        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                  WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`.execute(
          handle.db,
        );
        // Published while B is disconnected: no notification reaches it.
        busA.emit('topics.changed', { slug: 'while-away' });
        await a.flush();
        await waitFor(() => (seenB.some((s) => s.event === 'cluster.resync') ? true : undefined), 10_000);
        expect(seenB.some((s) => s.event === 'topics.changed')).toBe(true);
        expect(b.status().resyncs).toBeGreaterThanOrEqual(1);
        busA.emit('regions.changed', {});
        await a.flush();
        await waitFor(() => (seenB.some((s) => s.event === 'regions.changed') ? true : undefined));
      } finally {
        await a.stop();
        await b.stop();
      }
    },
  );
});
