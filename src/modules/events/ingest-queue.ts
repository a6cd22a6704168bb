import type { EventRow } from './normalize-message.js';
import type { EventBatch, EventBatchResult, ViolationRow } from './write-event-batch.js';

export interface IngestQueueOptions {
  /** Bounds: past either, `offer()` refuses and the collector answers 503. */
  maxEvents: number;
  maxBytes: number;
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
  /** Attempts for a parcel nobody waits for, before it is given up (logged and counted). */
  maxAttempts?: number;
  onWriteError?: (error: unknown, events: number, givenUp: boolean) => void;
}

interface Parcel {
  rows: EventRow[];
  violations: ViolationRow[];
  bytes: number;
  arrivedAt: number;
  attempts: number;
  /** Someone awaits the commit (durable acknowledgement): on failure tell them at once rather than retry. */
  awaited: boolean;
  resolve: (result: EventBatchResult) => void;
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
  givenUpEvents: number;
  lastBatchMs: number;
}

/**
 * The bounded in-memory queue between the collector and the database: parcels (one per request) are written in
 * batches by a single writer, a batch every `flushMs` or every `batchSize` events, whichever comes first. When
 * full it refuses new parcels instead of growing: memory stays bounded under any load.
 */
export class IngestQueue {
  private readonly parcels: Parcel[] = [];
  private queuedEvents = 0;
  private queuedBytes = 0;
  private waitingEvents = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly writing = new Set<Promise<void>>();
  private backoffUntil = 0;
  private stopping = false;
  private readonly counters = {
    writtenBatches: 0,
    writtenEvents: 0,
    duplicatesAtWrite: 0,
    refusedOffers: 0,
    failedWrites: 0,
    givenUpEvents: 0,
    lastBatchMs: 0,
  };

  constructor(
    private readonly write: (batch: EventBatch) => Promise<EventBatchResult>,
    private readonly options: IngestQueueOptions,
  ) {}

  /** True when a parcel of this size would be refused right now. */
  isFull(events = 1, bytes = 0): boolean {
    return this.queuedEvents + events > this.options.maxEvents || this.queuedBytes + bytes > this.options.maxBytes;
  }

  /**
   * Queues one request's rows. Returns a promise of the commit (the stored messageIds), or null when the queue is
   * full or stopping. `awaited` says whether the caller will wait for the commit (durable acknowledgement).
   */
  offer(
    rows: EventRow[],
    violations: ViolationRow[],
    bytes: number,
    awaited: boolean,
  ): Promise<EventBatchResult> | null {
    const events = rows.length + violations.length;
    if (this.stopping || this.isFull(events, bytes)) {
      this.counters.refusedOffers += 1;
      return null;
    }
    const promise = new Promise<EventBatchResult>((resolve, reject) => {
      this.parcels.push({ rows, violations, bytes, arrivedAt: Date.now(), attempts: 0, awaited, resolve, reject });
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
    // A parcel that failed before is retried alone, so one unwritable request cannot sink the others with it.
    const alone = (this.parcels[0]?.attempts ?? 0) > 0;
    while (
      this.parcels.length > 0 &&
      (count === 0 || (!alone && count < this.options.batchSize && this.parcels[0]!.attempts === 0))
    ) {
      const parcel = this.parcels.shift()!;
      batch.push(parcel);
      count += parcel.rows.length + parcel.violations.length;
    }
    this.waitingEvents -= count;
    const started = Date.now();
    try {
      const result = await this.write({
        events: batch.flatMap((p) => p.rows),
        violations: batch.flatMap((p) => p.violations),
      });
      this.counters.lastBatchMs = Date.now() - started;
      this.counters.writtenBatches += 1;
      this.counters.writtenEvents += result.inserted.size;
      const rows = batch.reduce((n, p) => n + p.rows.length, 0);
      this.counters.duplicatesAtWrite += rows - result.inserted.size;
      this.release(batch);
      this.backoffUntil = 0;
      for (const parcel of batch) parcel.resolve(result);
    } catch (error) {
      this.counters.failedWrites += 1;
      const retry: Parcel[] = [];
      for (const parcel of batch) {
        parcel.attempts += 1;
        const givenUp = parcel.awaited || parcel.attempts >= (this.options.maxAttempts ?? 5);
        if (givenUp) {
          this.release([parcel]);
          if (!parcel.awaited) this.counters.givenUpEvents += parcel.rows.length;
          parcel.reject(error);
        } else {
          retry.push(parcel);
        }
      }
      this.options.onWriteError?.(error, count, retry.length === 0);
      if (retry.length > 0) {
        this.parcels.unshift(...retry);
        this.waitingEvents += retry.reduce((n, p) => n + p.rows.length + p.violations.length, 0);
        const attempts = Math.max(...retry.map((p) => p.attempts));
        this.backoffUntil = Date.now() + Math.min(100 * 2 ** attempts, 5_000);
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
    return { queuedEvents: this.queuedEvents, queuedBytes: this.queuedBytes, ...this.counters };
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
