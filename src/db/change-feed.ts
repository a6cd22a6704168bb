import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import type { Bus, BusEvents } from '../shared/bus.js';
import type { DatabaseHandle, Listener } from './client.js';

/** The channel the `change_events` insert trigger notifies (migration 0023). */
export const CHANGE_CHANNEL = 'answerloop_changes';

/** A row newer than this may still be followed by a lower id that commits later: it is read again until settled. */
const SETTLE_MS = 5_000;
/** Rows older than this are pruned. */
const KEEP_HOURS = 24;
const PRUNE_EVERY_MS = 10 * 60_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;
/** Rows read per query while catching up. */
const PAGE = 500;

export interface ChangeFeedOptions {
  database: DatabaseHandle;
  bus: Bus;
  /** The safety net: the table is read this often even without notifications. */
  pollMs?: number;
  /** Publish only (the CLI): events go to other processes, none are received. */
  listen?: boolean;
  onError?: (error: unknown, what: string) => void;
}

export interface ChangeFeedStatus {
  /** True while the LISTEN connection is up (always false when publishing only). */
  listening: boolean;
  /** Events received from other processes since start. */
  received: number;
  /** Events published to other processes since start. */
  published: number;
  /** Times this process refreshed everything after a reconnect. */
  resyncs: number;
}

type Row = { id: string; event: string; payload: unknown; origin: string; settled: boolean };

/**
 * Carries domain events between the app processes (and CLI runs) sharing one database. Publishing: every event the
 * bus emits is inserted into `change_events` after the local listeners ran, in emission order; the insert trigger
 * NOTIFYs. Receiving: one LISTEN connection; on each notification (and every `pollMs` as a safety net) the rows
 * after the last one read are emitted on the local bus, skipping this process's own. Ids are not committed in id
 * order, so the last few seconds of rows are read again until settled and an id seen once is never emitted twice.
 * After the LISTEN connection is lost and re-established, the process catches up from the table and emits
 * `cluster.resync`, on which every cache and index reloads.
 */
export class ChangeFeed {
  readonly origin = `${os.hostname().slice(0, 30)}:${process.pid}:${randomBytes(6).toString('hex')}`;
  private readonly pollMs: number;
  private readonly onError: (error: unknown, what: string) => void;
  private listener: Listener | undefined;
  private floor = '0';
  private readonly seen = new Set<string>();
  private draining: Promise<void> | undefined;
  private drainAgain = false;
  private publishing: Promise<void> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  private stopped = false;
  private lastErrorLogged = 0;
  private readonly counts = { received: 0, published: 0, resyncs: 0 };

  constructor(private readonly options: ChangeFeedOptions) {
    this.pollMs = options.pollMs ?? 5_000;
    this.onError = options.onError ?? (() => undefined);
  }

  /** Starts forwarding the bus's events; when listening, reads from the newest row on and subscribes. */
  async start(): Promise<void> {
    this.options.bus.forwardTo((event, payload) => this.publish(event, payload));
    if (this.options.listen === false) return;
    const newest = await sql<{ id: string | null }>`SELECT max(id)::text AS id FROM change_events`.execute(
      this.options.database.db,
    );
    this.floor = newest.rows[0]?.id ?? '0';
    await this.connect();
    const poll = setInterval(() => this.drain(), this.pollMs);
    const prune = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    poll.unref();
    prune.unref();
    this.timers = [poll, prune];
  }

  status(): ChangeFeedStatus {
    return { listening: this.listener !== undefined, ...this.counts };
  }

  /** Settles once every event published so far is in the table (tests, and the CLI before it exits). */
  async flush(): Promise<void> {
    await this.publishing;
  }

  /** Settles once the rows committed so far have been read and emitted (tests). */
  async caughtUp(): Promise<void> {
    await this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.options.bus.forwardTo(null);
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.reconnectTimer);
    await this.publishing;
    await this.draining;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close().catch(() => undefined);
  }

  private publish<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void {
    if (this.stopped) return;
    const db = this.options.database.db;
    const json = JSON.stringify(payload);
    // Chained, so other processes receive events in the order this one emitted them.
    this.publishing = this.publishing.then(async () => {
      try {
        await sql`INSERT INTO change_events (event, payload, origin) VALUES (${event}, ${json}::jsonb, ${this.origin})`.execute(
          db,
        );
        this.counts.published += 1;
      } catch (error) {
        // The change is committed; other processes see it at their next resync or when their caches expire.
        this.report(error, `publishing '${event}' to other processes failed`);
      }
    });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      this.listener = await this.options.database.listen(
        CHANGE_CHANNEL,
        () => void this.drain(),
        (error) => this.lost(error),
      );
      this.reconnectDelay = RECONNECT_MIN_MS;
    } catch (error) {
      this.report(error, 'listening for changes from other processes failed; retrying');
      this.scheduleReconnect();
    }
  }

  private lost(error: unknown): void {
    if (this.stopped || !this.listener) return;
    this.listener = undefined;
    this.report(error, 'the change-notification connection was lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      void this.connect().then(() => {
        if (!this.listener) return;
        // Notifications sent while disconnected are gone: catch up from the table, then have every cache reload
        // (the table may have been pruned, and a cache may have missed an event while the database was away).
        this.counts.resyncs += 1;
        void this.drain().then(() => this.options.bus.emitLocal('cluster.resync', { reason: 'reconnected' }));
      });
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  /** Reads and emits new rows; concurrent calls coalesce into one more pass. */
  private drain(): Promise<void> {
    if (this.stopped || this.options.listen === false) return Promise.resolve();
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.drainAgain = false;
        try {
          let after: string | null = this.floor;
          while (after !== null) after = await this.readPage(after);
        } catch (error) {
          this.report(error, 'reading changes from other processes failed');
          return;
        }
      } while (this.drainAgain && !this.stopped);
    })().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** One page of rows after `after`; the last id read when the page was full (there may be more), else null. */
  private async readPage(after: string): Promise<string | null> {
    const rows = await sql<Row>`
      SELECT id::text AS id, event, payload, origin,
             created_at < now() - make_interval(secs => ${SETTLE_MS / 1000}) AS settled
      FROM change_events WHERE change_events.id > ${after}::bigint ORDER BY change_events.id LIMIT ${PAGE}`.execute(
      this.options.database.db,
    );
    let settledPrefix = after === this.floor;
    for (const row of rows.rows) {
      if (!this.seen.has(row.id)) {
        this.seen.add(row.id);
        if (row.origin !== this.origin) this.deliver(row);
      }
      // The floor moves past a row only once it and every row before it are settled.
      if (settledPrefix && row.settled) {
        this.floor = row.id;
        this.seen.delete(row.id);
      } else {
        settledPrefix = false;
      }
    }
    if (this.seen.size > 100_000) this.seen.clear();
    return rows.rows.length === PAGE ? rows.rows[rows.rows.length - 1]!.id : null;
  }

  private deliver(row: Row): void {
    this.counts.received += 1;
    try {
      // Unknown names (a newer version's event during a rolling upgrade) reach no listener.
      this.options.bus.emitLocal(row.event as keyof BusEvents, row.payload as never);
    } catch (error) {
      this.report(error, `a listener of '${row.event}' failed`);
    }
  }

  private async prune(): Promise<void> {
    try {
      await sql`DELETE FROM change_events WHERE created_at < now() - make_interval(hours => ${KEEP_HOURS})`.execute(
        this.options.database.db,
      );
    } catch (error) {
      this.report(error, 'pruning old change events failed');
    }
  }

  /** Logs at most one failure per 10 s, so a database outage does not flood the log. */
  private report(error: unknown, what: string): void {
    const now = Date.now();
    if (now - this.lastErrorLogged < 10_000) return;
    this.lastErrorLogged = now;
    this.onError(error, what);
  }
}
