import type { EventRow } from './normalize-message.js';
import type { StoredBatch } from './store-event-batch.js';
import type { EventBatch, ViolationRow } from './write-event-batch.js';

export interface IngestQueueOptions {
  /** Bounds: past any, `offer()` refuses and the collector answers 503. */
  maxEvents: number;
  maxBytes: number;
  /**
   * The time bound: the queue holds at most what the database is measured to write in this long (at least one
   * batch), so a crash loses at most about this much of the database's write throughput.
   */
  maxMs: number;
  /** A batch is written when this many events wait... */
  batchSize: number;
  /** ...or this long after the oldest waiting one arrived. */
  flushMs: number;
  /** Batches written at once (separate connections); 1 for PGlite, which has one connection. */
  writers?: number;
  /**
   * Group commit: start a batch as soon as a writer is free instead of waiting for `flushMs` (durable mode, where
   * every request waits for its commit; under load the writers are busy and batches grow by themselves).
   */
  eager?: boolean;
  /** A write failed because the database did (it is retried after a backoff), or messages were set aside. */
  onWriteError?: (error: unknown, events: number) => void;
  onDeadLetters?: (batch: StoredBatch) => void;
}

interface Parcel {
  rows: EventRow[];
  violations: ViolationRow[];
  bytes: number;
  arrivedAt: number;
  /** Someone awaits the commit (durable acknowledgement): on failure tell them at once rather than retry. */
  awaited: boolean;
  resolve: (result: StoredBatch) => void;
  reject: (error: unknown) => void;
}

export interface IngestQueueStats {
  queuedEvents: number;
  queuedBytes: number;
  writtenBatches: number;
  writtenEvents: number;
  duplicatesAtWrite: number;
  refusedOffers: number;
  failedWrites: number;
  /** Messages the database refused, set aside in event_dead_letters. */
  deadLetteredEvents: number;
  /** Messages refused by the database that could not even be set aside: acknowledged and lost (logged). */
  givenUpEvents: number;
  lastBatchMs: number;
  /** Events per second one writer commits, measured on recent batches (weighted by how full they were). */
  drainRate: number;
  /** The current bound in events: what the writers drain in `maxMs` at `drainRate`, at least a batch each. */
  backlogLimit: number;
}

// How much one full batch moves the drain-rate estimate; a batch a tenth full moves it a tenth as much, because
// small batches are dominated by the per-statement cost and say little about what the database drains under load.
const DRAIN_RATE_WEIGHT = 0.3;

/**
 * The bounded in-memory queue between the collector and the database: parcels (one per request) are written in
 * batches by a single writer, a batch every `flushMs` or every `batchSize` events, whichever comes first. When
 * full it refuses new parcels instead of growing: memory stays bounded under any load, and so does what a crash
 * can lose — the bound is the lowest of `maxEvents`, `maxBytes` and what the database drains in `maxMs`.
 */
export class IngestQueue {
  private readonly parcels: Parcel[] = [];
  private queuedEvents = 0;
  private queuedBytes = 0;
  private waitingEvents = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly writing = new Set<Promise<void>>();
  private backoffUntil = 0;
  /** Consecutive failed writes, for the backoff. */
  private attempts = 0;
  private stopping = false;
  private readonly counters = {
    writtenBatches: 0,
    writtenEvents: 0,
    duplicatesAtWrite: 0,
    refusedOffers: 0,
    failedWrites: 0,
    deadLetteredEvents: 0,
    givenUpEvents: 0,
    lastBatchMs: 0,
  };
  /** Events/s of one writer; 0 until the first batch is written. */
  private drainRate = 0;

  constructor(
    private readonly write: (batch: EventBatch) => Promise<StoredBatch>,
    private readonly options: IngestQueueOptions,
  ) {}

  /**
   * Events the queue may hold: what the writers drain together in `maxMs` at the measured rate of one, never less
   * than one batch per writer (so every writer can have a batch) nor more than `maxEvents`. Queued events include
   * the batches being written: everything acknowledged and not yet committed.
   */
  backlogLimit(): number {
    const writers = this.options.writers ?? 1;
    const drained = Math.floor((writers * this.drainRate * this.options.maxMs) / 1000);
    return Math.min(this.options.maxEvents, Math.max(writers * this.options.batchSize, drained));
  }

  /**
   * True when a parcel of this size would be refused right now. An empty queue takes any request within the
   * count and size bounds, even one larger than the time bound: otherwise a client whose batches are bigger than
   * what drains in `maxMs` would be refused forever.
   */
  isFull(events = 1, bytes = 0): boolean {
    const total = this.queuedEvents + events;
    if (total > this.options.maxEvents || this.queuedBytes + bytes > this.options.maxBytes) return true;
    return this.queuedEvents > 0 && total > this.backlogLimit();
  }

  private measure(events: number, ms: number): void {
    if (events === 0) return;
    const sample = (events * 1000) / Math.max(ms, 1);
    if (this.drainRate === 0) {
      this.drainRate = sample;
      return;
    }
    const weight = DRAIN_RATE_WEIGHT * Math.min(1, events / this.options.batchSize);
    this.drainRate += weight * (sample - this.drainRate);
  }

  /**
   * Queues one request's rows. Returns a promise of the commit (the stored messageIds), or null when the queue is
   * full or stopping. `awaited` says whether the caller will wait for the commit (durable acknowledgement).
   */
  offer(rows: EventRow[], violations: ViolationRow[], bytes: number, awaited: boolean): Promise<StoredBatch> | null {
    const events = rows.length + violations.length;
    if (this.stopping || this.isFull(events, bytes)) {
      this.counters.refusedOffers += 1;
      return null;
    }
    const promise = new Promise<StoredBatch>((resolve, reject) => {
      this.parcels.push({ rows, violations, bytes, arrivedAt: Date.now(), awaited, resolve, reject });
    });
    if (!awaited) promise.catch(() => undefined);
    this.queuedEvents += events;
    this.queuedBytes += bytes;
    this.waitingEvents += events;
    this.kick();
    return promise;
  }

  private kick(): void {
    const oldest = this.parcels[0];
    if (!oldest || this.writing.size >= (this.options.writers ?? 1)) return;
    const now = Date.now();
    const due = this.options.eager
      ? this.backoffUntil
      : Math.max(oldest.arrivedAt + this.options.flushMs, this.backoffUntil);
    if ((this.waitingEvents >= this.options.batchSize && now >= this.backoffUntil) || now >= due || this.stopping) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.startWrite(() => this.kick());
      // Another writer may take the next batch at once.
      this.kick();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.kick();
        },
        Math.max(1, due - now),
      );
    }
  }

  private startWrite(then?: () => void): Promise<void> {
    const writing: Promise<void> = this.writeNext().finally(() => {
      this.writing.delete(writing);
      then?.();
    });
    this.writing.add(writing);
    return writing;
  }

  private async writeNext(): Promise<void> {
    const batch: Parcel[] = [];
    let count = 0;
    while (this.parcels.length > 0 && (count === 0 || count < this.options.batchSize)) {
      const parcel = this.parcels.shift()!;
      batch.push(parcel);
      count += parcel.rows.length + parcel.violations.length;
    }
    this.waitingEvents -= count;
    const started = Date.now();
    try {
      // The writer sets aside the messages the database refuses, so this fails only when the database does.
      const result = await this.write({
        events: batch.flatMap((p) => p.rows),
        violations: batch.flatMap((p) => p.violations),
      });
      const ms = Date.now() - started;
      this.counters.lastBatchMs = ms;
      this.counters.writtenBatches += 1;
      this.counters.writtenEvents += result.inserted.size;
      this.counters.deadLetteredEvents += result.deadLettered.size;
      this.counters.givenUpEvents += result.lost.length;
      const rows = batch.reduce((n, p) => n + p.rows.length, 0);
      this.counters.duplicatesAtWrite += rows - result.inserted.size - result.deadLettered.size - result.lost.length;
      if (result.deadLettered.size > 0 || result.lost.length > 0) this.options.onDeadLetters?.(result);
      else this.measure(count, ms);
      this.release(batch);
      this.backoffUntil = 0;
      this.attempts = 0;
      for (const parcel of batch) parcel.resolve(result);
    } catch (error) {
      // The database failed, not the data: keep every parcel nobody waits for and retry the batch after a
      // backoff (acknowledged events are not given up while the process lives); a durable request is answered
      // 503 at once, and its client retries.
      this.counters.failedWrites += 1;
      this.attempts += 1;
      const retry: Parcel[] = [];
      for (const parcel of batch) {
        if (parcel.awaited) {
          this.release([parcel]);
          parcel.reject(error);
        } else retry.push(parcel);
      }
      this.options.onWriteError?.(error, count);
      if (retry.length > 0) {
        this.parcels.unshift(...retry);
        this.waitingEvents += retry.reduce((n, p) => n + p.rows.length + p.violations.length, 0);
        this.backoffUntil = Date.now() + Math.min(100 * 2 ** this.attempts, 5_000);
      }
    }
  }

  private release(parcels: Parcel[]): void {
    for (const parcel of parcels) {
      this.queuedEvents -= parcel.rows.length + parcel.violations.length;
      this.queuedBytes -= parcel.bytes;
    }
  }

  /** Counters for the operator API and the bench. */
  stats(): IngestQueueStats {
    return {
      queuedEvents: this.queuedEvents,
      queuedBytes: this.queuedBytes,
      ...this.counters,
      drainRate: Math.round(this.drainRate),
      backlogLimit: this.backlogLimit(),
    };
  }

  /** Writes everything queued now, and waits for it; new parcels keep being accepted. */
  async flush(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while ((this.parcels.length > 0 || this.writing.size > 0) && Date.now() < deadline) {
      if (this.parcels.length > 0 && this.writing.size < (this.options.writers ?? 1)) {
        this.backoffUntil = Math.min(this.backoffUntil, Date.now());
        this.startWrite();
        continue;
      }
      await Promise.race(this.writing);
    }
  }

  /** Refuses new parcels and writes everything accepted (SIGTERM). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
