import type { IncomingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { EventsConfig } from '../../config/env.js';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { LIMITS } from '../../shared/limits.js';
import { IpAnonymizer } from './anonymize-ip.js';
import { checkAgainstPlan } from './compile-plan.js';
import { CopyEventWriter } from './copy-event-batch.js';
import { ensureMonthPartitions } from './ensure-partitions.js';
import { ensureSiteWriteKey } from './ensure-site-write-key.js';
import type { CollectResponse, InboundMessage } from './events.schema.js';
import { IngestQueue, type IngestQueueStats } from './ingest-queue.js';
import { type EventRow, normalizeMessage, storableJson, violationMessage } from './normalize-message.js';
import { PlanStore } from './plan-store.js';
import { requestOptsOut } from './privacy.js';
import { type StoredBatch, storeEventBatch } from './store-event-batch.js';
import type { EventBatch, ViolationRow } from './write-event-batch.js';
import { type Source, WriteKeyCache } from './write-key-cache.js';

/** The first-party cookie holding the reader's anonymous id: the name Segment's analytics.js uses. */
export const ANONYMOUS_ID_COOKIE = 'ajs_anonymous_id';
/** A site may set this cookie to "no" (a consent banner): the snippet and server-side events then send nothing. */
export const CONSENT_COOKIE = 'al_consent';

export interface EventsLogger {
  error(message: string, error?: unknown): void;
}

/** A plan event that Answerloop itself sends, from the server (searches it answers, tickets it stores). */
export interface ServerEvent {
  /** A track event name from the tracking plan, e.g. "Search Performed". */
  event: string;
  /** The reader: from `trackingIdentity(request)`. At least one of the two. */
  anonymousId?: string | null;
  userId?: string | null;
  properties?: Record<string, unknown>;
  /** Defaults to now. */
  timestamp?: Date;
  /** Give one to make the emission idempotent (e.g. `ticket-<id>`); a random one otherwise. */
  messageId?: string;
  context?: Record<string, unknown>;
}

export interface EmitResult {
  /** False when the event was not queued: no reader id, dropped by the plan, or the queue was full. */
  queued: boolean;
  messageId: string | null;
  reason?: 'no_identity' | 'dropped_by_plan' | 'overloaded';
}

export interface CollectInput {
  messages: InboundMessage[];
  source: Source;
  headers: IncomingHttpHeaders;
  requestIp?: string | undefined;
  /** How long the request has been in the server (since its headers were read) when its messages are offered. */
  waitedMs?: number | undefined;
  batchSentAt?: string | number | null | undefined;
  batchContext?: Record<string, unknown> | undefined;
}

export type CollectOutcome = { ok: true; body: CollectResponse } | { ok: false; status: 503; message: string };

export interface EventsServiceStats extends IngestQueueStats {
  ack: EventsConfig['ack'];
  received: number;
  accepted: number;
  duplicates: number;
  droppedForPrivacy: number;
  droppedByPlan: number;
  flagged: number;
  /** Requests refused with 503 because they had waited in the server longer than the queue's time bound. */
  refusedLate: number;
  /** Requests refused with 503 before their body was read: the queue was full or the server behind. */
  shedRequests: number;
}

const RECENT_IDS = 200_000;
/** A safety net only: plan saves reach every process through 'events.plan.changed'. */
const PLAN_REFRESH_MS = 60_000;
const PARTITION_CHECK_MS = 6 * 3_600_000;
/** How often the event loop's delay is probed. */
const LOOP_PROBE_MS = 50;

/**
 * The events module's service: the collector's ingestion pipeline (privacy → normalise → deduplicate → tracking
 * plan → bounded queue → batched writes), the server-side emitter other modules use, and the site's write key.
 */
export class EventsService {
  readonly plans: PlanStore;
  readonly keys: WriteKeyCache;
  private readonly ip: IpAnonymizer;
  private readonly queue: IngestQueue;
  /** messageIds seen recently by this process, with their write, so a retry is answered without a second row. */
  private readonly recent = new LRUCache<string, Promise<StoredBatch>>({ max: RECENT_IDS });
  private siteKey: string | undefined;
  /** The renewals of the site key and reloads of the plan started by bus events, one after another. */
  private followed: Promise<void> = Promise.resolve();
  private readonly unsubscribe: (() => void)[] = [];
  private timers: NodeJS.Timeout[] = [];
  private readonly counters = {
    received: 0,
    accepted: 0,
    duplicates: 0,
    droppedForPrivacy: 0,
    droppedByPlan: 0,
    flagged: 0,
    refusedLate: 0,
    shedRequests: 0,
  };
  /** Until then, new requests are refused before their body is read: the server is behind (see `collect`). */
  private behindUntil = 0;
  /** Collector requests between their headers and their answer. */
  private readonly inFlight = new Set<object>();
  /** Closes the COPY writer's connections, if any. */
  private readonly closeWriter: () => Promise<void>;

  constructor(
    private readonly db: DB,
    readonly config: EventsConfig,
    private readonly log: EventsLogger = { error: () => undefined },
    /** PostgreSQL takes two batches at once on two connections; PGlite has one connection. */
    engine: 'pglite' | 'postgres' = 'pglite',
    /** Write-key and plan changes, from this process, another one or the CLI; without it, only the timers. */
    private readonly bus?: Bus,
    /** PostgreSQL's URL: batches are then written by COPY on the writer's own connections. */
    databaseUrl?: string,
  ) {
    this.plans = new PlanStore(db, bus);
    this.keys = new WriteKeyCache(db);
    this.ip = new IpAnonymizer(db, config.ipMode, config.saltRotationHours);
    const writers = engine === 'postgres' ? 2 : 1;
    const copy = engine === 'postgres' && databaseUrl ? new CopyEventWriter(databaseUrl, db, writers) : undefined;
    this.closeWriter = () => copy?.close() ?? Promise.resolve();
    const write = copy ? (batch: EventBatch) => copy.write(batch) : undefined;
    this.queue = new IngestQueue((batch) => storeEventBatch(db, batch, write), {
      maxEvents: config.queueMaxEvents,
      maxBytes: config.queueMaxBytes,
      maxMs: config.queueMaxMs,
      batchSize: config.batchSize,
      flushMs: config.flushMs,
      writers,
      eager: config.ack === 'durable',
      onWriteError: (error, events) =>
        this.log.error(`writing ${events} events failed: the database is unavailable; retrying`, error),
      onDeadLetters: (stored) => {
        if (stored.deadLettered.size > 0) {
          const reasons = [...new Set(stored.deadLettered.values())].slice(0, 5);
          this.log.error(
            `the database refused ${stored.deadLettered.size} events; set aside in event_dead_letters`,
            reasons,
          );
        }
        if (stored.lost.length > 0) {
          this.log.error(`${stored.lost.length} refused events could not be set aside and are lost`, stored.lost);
        }
      },
    });
  }

  /** Loads the plan, creates the site's write key and this period's partitions, and starts the upkeep timers. */
  async start(): Promise<void> {
    await this.plans.load();
    this.siteKey = await ensureSiteWriteKey(this.db);
    await this.ensurePartitions();
    await this.ip.prepare();
    const refresh = setInterval(() => {
      this.plans.refresh().catch((error: unknown) => this.log.error('reloading the tracking plan failed', error));
    }, PLAN_REFRESH_MS);
    const partitions = setInterval(() => {
      this.ensurePartitions().catch((error: unknown) => this.log.error('creating event partitions failed', error));
    }, PARTITION_CHECK_MS);
    // The event loop's delay: how long new work (a request arriving) waits before this thread gets to it. With
    // PGlite the database writes on this thread, so under overload requests wait in socket buffers, unseen by the
    // queue: a delay beyond the time bound sheds new requests with 503 until the server has caught up.
    let expected = Date.now() + LOOP_PROBE_MS;
    const loop = setInterval(() => {
      const now = Date.now();
      this.noteDelay(now - expected);
      expected = now + LOOP_PROBE_MS;
    }, LOOP_PROBE_MS);
    for (const timer of [refresh, partitions, loop]) timer.unref();
    this.timers = [refresh, partitions, loop];
    this.followChanges();
  }

  /**
   * Keeps this process's key cache, site key and plan in line with the database: a key created or revoked anywhere
   * clears the cache (and a revoked site key is renewed: race-safe across processes), a plan saved anywhere becomes
   * the active one, and after a resync everything is re-read.
   */
  private followChanges(): void {
    const bus = this.bus;
    if (!bus) return;
    this.unsubscribe.push(
      bus.on('events.write-keys.changed', ({ revoked }) => {
        this.keys.clear();
        if (revoked) this.follow(() => this.renewSiteWriteKey(), 'renewing the help center write key failed');
      }),
      bus.on('events.plan.changed', () => {
        this.follow(async () => void (await this.plans.refresh()), 'reloading the tracking plan failed');
      }),
      bus.on('cluster.resync', () => {
        this.keys.clear();
        this.follow(async () => {
          await this.renewSiteWriteKey();
          await this.plans.refresh();
        }, 'reloading write keys and the tracking plan failed');
      }),
    );
  }

  private follow(work: () => Promise<void>, failure: string): void {
    this.followed = this.followed.then(work).catch((error: unknown) => this.log.error(failure, error));
  }

  /** Settles once the work started by the last write-key or plan event is done (an operator's answer waits for it). */
  changesFollowed(): Promise<void> {
    return this.followed;
  }

  /** Marks a collector request as in the server until `requestEnded` (both idempotent). */
  requestStarted(request: object): void {
    this.inFlight.add(request);
  }

  requestEnded(request: object): void {
    this.inFlight.delete(request);
  }

  /**
   * Records that work waited `delayMs` in this server; beyond the time bound, new requests are shed for a while.
   * Only when other collector requests are waiting too: one long batch write on an idle server delays the loop
   * without making any client wait.
   */
  private noteDelay(delayMs: number): boolean {
    const late = delayMs - this.config.queueMaxMs;
    if (late <= 0 || this.inFlight.size < 2) return false;
    this.behindUntil = Math.max(this.behindUntil, Date.now() + Math.min(late, this.config.queueMaxMs));
    return true;
  }

  private async ensurePartitions(): Promise<void> {
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
    await ensureMonthPartitions(this.db, from, to);
  }

  /** The help center's public write key, printed in its pages for the browser snippet. */
  siteWriteKey(): string | undefined {
    return this.siteKey;
  }

  /** Creates the site key again after an operator revoked it. */
  async renewSiteWriteKey(): Promise<void> {
    this.keys.clear();
    this.siteKey = await ensureSiteWriteKey(this.db);
  }

  /** True when the queue is full or the server is behind: the collector answers 503 before reading the body. */
  isOverloaded(): boolean {
    const overloaded = this.queue.isFull() || Date.now() < this.behindUntil;
    if (overloaded) this.counters.shedRequests += 1;
    return overloaded;
  }

  /** Validates, filters and queues one request's messages; answers once queued, or once committed (durable). */
  async collect(input: CollectInput): Promise<CollectOutcome> {
    const total = input.messages.length;
    this.counters.received += total;
    // A request that waited longer than the queue's time bound before reaching here means the server is behind:
    // with PGlite the database writes on the server's own thread, so overload shows as requests waiting, not as
    // a growing queue. Refuse it (the client retries after Retry-After) and shed new requests cheaply for as long
    // as it was late, rather than let every client wait tens of seconds (controlled delay, as in CoDel).
    if (this.noteDelay(input.waitedMs ?? 0)) {
      this.counters.refusedLate += 1;
      return { ok: false, status: 503, message: 'the collector is at capacity; retry after the Retry-After delay' };
    }
    const body: CollectResponse = {
      success: true,
      received: total,
      accepted: 0,
      duplicates: 0,
      dropped: 0,
      violations: [],
    };
    if (this.config.honorDnt && requestOptsOut(input.headers)) {
      body.dropped = total;
      this.counters.droppedForPrivacy += total;
      return { ok: true, body };
    }
    await this.ip.prepare();
    const receivedAt = new Date();
    const plan = this.plans.current();
    const rows: EventRow[] = [];
    const violations: ViolationRow[] = [];
    const earlier: Promise<StoredBatch>[] = [];
    const inRequest = new Set<string>();
    let bytes = 0;
    let lastIp: string | undefined;
    let lastHash: string | null = null;
    const meta = {
      receivedAt,
      source: input.source.id,
      batchSentAt: input.batchSentAt,
      batchContext: input.batchContext,
      requestIp: input.requestIp,
      anonymizeIp: (ip: string | undefined) => {
        // A request's messages nearly always share one address: hash it once.
        if (ip === lastIp) return lastHash;
        lastIp = ip;
        lastHash = this.ip.anonymize(ip);
        return lastHash;
      },
    };
    for (const [index, message] of input.messages.entries()) {
      const normalized = normalizeMessage(message, meta);
      if (normalized.kind === 'too_large') {
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `message ${index} is ${normalized.bytes} bytes; each message may be at most ${LIMITS.eventMessageBytes} bytes`,
        );
      }
      if (normalized.kind === 'no_consent') {
        body.dropped += 1;
        this.counters.droppedForPrivacy += 1;
        continue;
      }
      const { row, payload, issues } = normalized;
      const previous = this.recent.get(row.messageId);
      if (inRequest.has(row.messageId) || previous) {
        body.duplicates += 1;
        if (previous) earlier.push(previous);
        continue;
      }
      inRequest.add(row.messageId);
      const verdict = checkAgainstPlan(
        plan,
        row.type,
        row.type === 'track' ? (row.event ?? undefined) : undefined,
        payload,
      );
      row.planVersion = plan.version;
      // What normalisation replaced (an impossible timestamp) is reported like a plan violation, never silently.
      const reasons = issues.length > 0 ? [...issues, ...verdict.reasons] : verdict.reasons;
      if (reasons.length > 0) {
        const action = verdict.action === 'drop' ? 'dropped' : 'accepted';
        violations.push({
          messageId: row.messageId,
          type: row.type,
          event: row.event,
          source: row.source,
          planVersion: plan.version,
          action,
          reasonsJson: storableJson(reasons),
          messageJson: storableJson(violationMessage(message, row)),
          receivedAt,
        });
        if (body.violations.length < 100) {
          body.violations.push({ messageId: row.messageId, event: row.event, action, reasons });
        }
        this.counters.flagged += 1;
        if (verdict.action === 'drop') {
          body.dropped += 1;
          this.counters.droppedByPlan += 1;
          continue;
        }
        row.flagged = true;
      }
      rows.push(row);
      bytes += normalized.bytes;
    }
    body.accepted = rows.length;
    this.counters.duplicates += body.duplicates;
    if (rows.length === 0 && violations.length === 0) {
      if (this.config.ack === 'durable' && earlier.length > 0) return this.awaitEarlier(earlier, body);
      return { ok: true, body };
    }
    const durable = this.config.ack === 'durable';
    const committed = this.queue.offer(rows, violations, bytes, durable);
    if (!committed) {
      return { ok: false, status: 503, message: 'the collector is at capacity; retry after the Retry-After delay' };
    }
    for (const row of rows) this.recent.set(row.messageId, committed);
    committed.catch(() => {
      for (const row of rows) if (this.recent.get(row.messageId) === committed) this.recent.delete(row.messageId);
    });
    this.counters.accepted += rows.length;
    if (!durable) return { ok: true, body };
    try {
      const result = await committed;
      // Duplicates of messages stored earlier (by another process, or before a restart) are found at commit.
      let late = 0;
      for (const row of rows) {
        if (result.inserted.has(row.messageId)) continue;
        const refused =
          result.deadLettered.has(row.messageId) || result.lost.some((l) => l.messageId === row.messageId);
        if (!refused) {
          late += 1;
          continue;
        }
        // Refused by the database: not stored as an event, so not counted as accepted; the reason stays internal.
        body.accepted -= 1;
        body.dropped += 1;
        const reason = {
          path: '',
          message: 'the database could not store this message; it was set aside for the operator',
        };
        const listed = body.violations.find((v) => v.messageId === row.messageId);
        if (listed) {
          listed.action = 'dropped';
          listed.reasons.push(reason);
        } else if (body.violations.length < 100) {
          body.violations.push({ messageId: row.messageId, event: row.event, action: 'dropped', reasons: [reason] });
        }
      }
      body.accepted -= late;
      body.duplicates += late;
    } catch {
      return { ok: false, status: 503, message: 'the events could not be stored; retry after the Retry-After delay' };
    }
    return earlier.length > 0 ? this.awaitEarlier(earlier, body) : { ok: true, body };
  }

  /** Durable mode: a retry of a message still being written is acknowledged only when that write commits. */
  private async awaitEarlier(earlier: Promise<StoredBatch>[], body: CollectResponse): Promise<CollectOutcome> {
    try {
      await Promise.all(earlier);
      return { ok: true, body };
    } catch {
      return { ok: false, status: 503, message: 'the events could not be stored; retry after the Retry-After delay' };
    }
  }

  /**
   * Queues a plan event that the server itself observed (a search it answered, a ticket it stored). Never
   * waits and never throws: analytics must not slow down or break the request that emits it.
   */
  emitServerEvent(input: ServerEvent): EmitResult {
    if (!input.anonymousId && !input.userId) return { queued: false, messageId: null, reason: 'no_identity' };
    try {
      const message: InboundMessage = {
        type: 'track',
        event: input.event,
        anonymousId: input.anonymousId ?? null,
        userId: input.userId ?? null,
        properties: input.properties ?? {},
        context: { library: { name: 'answerloop-server', version: '1' }, ...(input.context ?? {}) },
        timestamp: (input.timestamp ?? new Date()).toISOString(),
        ...(input.messageId ? { messageId: input.messageId } : {}),
      };
      const normalized = normalizeMessage(message, {
        receivedAt: new Date(),
        source: 'server',
        anonymizeIp: () => null,
      });
      if (normalized.kind !== 'event') return { queued: false, messageId: null, reason: 'dropped_by_plan' };
      const { row, payload } = normalized;
      if (this.recent.has(row.messageId)) return { queued: true, messageId: row.messageId };
      const plan = this.plans.current();
      const verdict = checkAgainstPlan(plan, 'track', input.event, payload);
      row.planVersion = plan.version;
      const violations: ViolationRow[] = verdict.flagged
        ? [
            {
              messageId: row.messageId,
              type: 'track',
              event: row.event,
              source: 'server',
              planVersion: plan.version,
              action: verdict.action === 'drop' ? 'dropped' : 'accepted',
              reasonsJson: storableJson(verdict.reasons),
              messageJson: storableJson(violationMessage(message, row)),
              receivedAt: row.receivedAt,
            },
          ]
        : [];
      if (verdict.flagged) this.log.error(`server event "${input.event}" breaks the tracking plan`, verdict.reasons);
      const keep = !verdict.flagged || verdict.action === 'accept';
      row.flagged = verdict.flagged;
      const committed = this.queue.offer(keep ? [row] : [], violations, normalized.bytes, false);
      if (!committed) return { queued: false, messageId: row.messageId, reason: 'overloaded' };
      if (!keep) return { queued: false, messageId: row.messageId, reason: 'dropped_by_plan' };
      this.recent.set(row.messageId, committed);
      return { queued: true, messageId: row.messageId };
    } catch (error) {
      this.log.error(`emitting server event "${input.event}" failed`, error);
      return { queued: false, messageId: null, reason: 'dropped_by_plan' };
    }
  }

  /** Writes everything queued so far and waits for it (tests, seeding, shutdown). */
  async flush(): Promise<void> {
    await this.queue.flush();
  }

  /** Ingestion counters. */
  stats(): EventsServiceStats {
    return { ack: this.config.ack, ...this.counters, ...this.queue.stats() };
  }

  /** Stops the timers and writes every accepted event (SIGTERM). */
  async stop(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.queue.stop();
    await this.closeWriter();
  }
}

/**
 * Who the reader of a request is, for server-side events: the snippet's first-party anonymous id cookie, and
 * whether the reader opted out (DNT, Global Privacy Control, or the consent cookie set to "no").
 */
export function trackingIdentity(request: {
  headers: IncomingHttpHeaders;
  cookies?: Record<string, string | undefined>;
}): { anonymousId: string | null; optedOut: boolean } {
  const optedOut = requestOptsOut(request.headers) || request.cookies?.[CONSENT_COOKIE] === 'no';
  const raw = request.cookies?.[ANONYMOUS_ID_COOKIE];
  let anonymousId: string | null = null;
  if (raw) {
    // analytics.js stores the id JSON-encoded ("%22…%22"); the snippet stores it bare.
    const value = decodeURIComponent(raw).replace(/^"|"$/g, '');
    if (/^[\w.-]{8,100}$/.test(value)) anonymousId = value;
  }
  return { anonymousId: optedOut ? null : anonymousId, optedOut };
}
