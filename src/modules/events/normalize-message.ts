import { randomUUID } from 'node:crypto';
import { LIMITS } from '../../shared/limits.js';
import type { ViolationReason } from './compile-plan.js';
import { deviceClassOf } from './device-class.js';
import type { InboundMessage } from './events.schema.js';
import type { MessageType } from './events.tables.js';
import { messageLacksConsent, primaryLanguage } from './privacy.js';
import { planKeyOf } from './tracking-plan.js';

/** One event as the writer stores it: JSON already serialised, so its size is known and it is encoded once. */
export interface EventRow {
  messageId: string;
  type: MessageType;
  event: string | null;
  name: string | null;
  anonymousId: string | null;
  userId: string | null;
  groupId: string | null;
  previousId: string | null;
  propertiesJson: string;
  contextJson: string;
  locale: string | null;
  article: string | null;
  device: string | null;
  ipHash: string | null;
  timestamp: Date;
  originalTimestamp: Date | null;
  sentAt: Date | null;
  receivedAt: Date;
  source: string;
  planVersion: number | null;
  flagged: boolean;
  /** Identify traits, merged into the profile. */
  traits: Record<string, unknown> | null;
}

export interface NormalizeMeta {
  receivedAt: Date;
  source: string;
  /** The batch's own sentAt and context, which apply to each of its messages. */
  batchSentAt?: string | number | null | undefined;
  batchContext?: Record<string, unknown> | undefined;
  /** The address the request came from, used when the message has no `context.ip`. */
  requestIp?: string | undefined;
  anonymizeIp: (ip: string | undefined) => string | null;
}

export type Normalized =
  | {
      kind: 'event';
      row: EventRow;
      payload: Record<string, unknown>;
      bytes: number;
      /** What normalisation had to change (an impossible timestamp replaced): recorded as a violation, flagged. */
      issues: ViolationReason[];
    }
  | { kind: 'no_consent' }
  | { kind: 'too_large'; bytes: number };

// Every date we store must be one PostgreSQL's timestamptz takes as ISO 8601 from Date.toISOString(): years 1 to
// 9999 (JavaScript writes year 0, negative years and years past 9999 in forms PostgreSQL refuses).
const STORABLE_FROM = Date.parse('0001-01-01T00:00:00.000Z');
const STORABLE_TO = Date.parse('9999-12-31T23:59:59.999Z');

/** A date PostgreSQL can store, or null (absent, unparseable, or out of that range). */
function toDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const time = new Date(value).getTime();
  return Number.isFinite(time) && time >= STORABLE_FROM && time <= STORABLE_TO ? new Date(time) : null;
}

/**
 * The event time policy (docs/EVENTS.md): a corrected timestamp earlier than the Unix epoch, or later than the
 * moment it was received plus a minute of clock noise, cannot be when the event happened. It is replaced by the
 * time of receipt (what Segment does with future timestamps) and reported, rather than refused: the other
 * messages of the batch, and this one, are kept.
 */
export const EARLIEST_EVENT_TIME = 0; // 1970-01-01T00:00:00Z
export const FUTURE_TOLERANCE_MS = 60_000; // 1 minute

function checkedTime(
  message: InboundMessage,
  batchSentAt: NormalizeMeta['batchSentAt'],
  receivedAt: Date,
): { timestamp: Date; original: Date | null; sentAt: Date | null; issue?: ViolationReason } {
  const rawOriginal = message.timestamp ?? message.originalTimestamp;
  const rawSentAt = message.sentAt ?? batchSentAt;
  const original = toDate(rawOriginal);
  const sentAt = toDate(rawSentAt);
  let time = receivedAt.getTime();
  if (original && sentAt) time = receivedAt.getTime() - (sentAt.getTime() - original.getTime());
  else if (original) time = original.getTime();
  const unusable = (rawOriginal != null && !original) || (rawSentAt != null && !sentAt);
  if (!unusable && time >= EARLIEST_EVENT_TIME && time <= receivedAt.getTime() + FUTURE_TOLERANCE_MS) {
    return { timestamp: new Date(time), original, sentAt };
  }
  return {
    timestamp: receivedAt,
    original,
    sentAt,
    issue: {
      path: 'timestamp',
      message:
        'the event time (timestamp, corrected by sentAt) is not possible: before 1970, in the future or out of range; stored with the time it was received',
    },
  };
}

/** True when a JSON value nests deeper than `max` levels: checked without recursion, so no depth can overflow it. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

const EMPTY: Record<string, unknown> = {};

// PostgreSQL's json and text types refuse NUL characters and lone UTF-16 surrogates: one such string would fail
// the whole batch it is written in. JSON.stringify escapes both, so a cheap scan of its output finds them.
const UNSTORABLE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

// ES2024 string methods (Node 20 has them; the project's TypeScript lib is ES2023).
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };
const wellFormed = (value: string): string => (value.replaceAll('\0', '') as Es2024String).toWellFormed();

function clean(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.map(clean);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k) as string, clean(v)]));
  }
  return value;
}

/** JSON of a value that PostgreSQL will store: NUL removed and lone surrogates replaced, only when present. */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  return UNSTORABLE.test(json) ? JSON.stringify(clean(value)) : json;
}

/** A value and its JSON, both cleaned of what PostgreSQL refuses: the value, not only its JSON, is stored too. */
function storableValue<T>(value: T): { value: T; json: string } {
  const json = JSON.stringify(value);
  if (!UNSTORABLE.test(json)) return { value, json };
  const cleaned = clean(value) as T;
  return { value: cleaned, json: JSON.stringify(cleaned) };
}

/** A string PostgreSQL's text type accepts. */
function storable(value: string): string {
  return value.includes('\0') || !(value as Es2024String).isWellFormed() ? wellFormed(value) : value;
}

const storableOrNull = (value: string | null | undefined): string | null => (value ? storable(value) : null);

/** What the tracking plan checks: properties of track/page/screen, traits of identify/group. */
function payloadOf(message: InboundMessage): Record<string, unknown> | undefined {
  switch (message.type) {
    case 'identify':
    case 'group':
      return message.traits;
    case 'alias':
      return undefined;
    default:
      return message.properties;
  }
}

/**
 * Turns a parsed message into the row to store: corrects the client's clock as Segment does
 * (`timestamp = receivedAt − (sentAt − timestamp)`), fills in a messageId, replaces the IP address by its
 * anonymised form, and extracts the locale, article and device class that the queries group by.
 */
export function normalizeMessage(message: InboundMessage, meta: NormalizeMeta): Normalized {
  // The parsed request body is ours alone, so a message's own context is used (and its ip removed) in place.
  const context: Record<string, unknown> = meta.batchContext
    ? { ...meta.batchContext, ...(message.context ?? EMPTY) }
    : (message.context ?? {});
  if (messageLacksConsent(context)) return { kind: 'no_consent' };

  const ip = typeof context.ip === 'string' ? context.ip : meta.requestIp;
  if ('ip' in context) delete context.ip;

  const receivedAt = meta.receivedAt;
  const { timestamp, original, sentAt, issue } = checkedTime(message, meta.batchSentAt, receivedAt);

  const type = message.type;
  // Cleaned once: the properties column, the traits merged into the profile and the extracted article all use it.
  const { value: payload, json: propertiesJson } = storableValue(payloadOf(message) ?? EMPTY);
  const contextJson = storableJson(context);
  const bytes = propertiesJson.length + contextJson.length + 300;
  if (bytes > LIMITS.eventMessageBytes) {
    // String length undercounts multi-byte text; measure exactly only near the limit.
    const exact = Buffer.byteLength(propertiesJson) + Buffer.byteLength(contextJson) + 300;
    if (exact > LIMITS.eventMessageBytes) return { kind: 'too_large', bytes: exact };
  }

  const device = context.device as Record<string, unknown> | undefined;
  const articleSlug = payload.article_slug;
  const row: EventRow = {
    messageId: message.messageId ? storable(message.messageId) : `al-${randomUUID()}`,
    type,
    event: storableOrNull(planKeyOf(type, type === 'track' ? message.event : undefined)),
    name: type === 'page' || type === 'screen' ? storableOrNull(message.name) : null,
    anonymousId: storableOrNull(message.anonymousId),
    userId: storableOrNull(message.userId),
    groupId: type === 'group' ? storable(message.groupId) : null,
    previousId: type === 'alias' ? storable(message.previousId) : null,
    propertiesJson,
    contextJson,
    locale: primaryLanguage(payload.locale) ?? primaryLanguage(context.locale),
    article: typeof articleSlug === 'string' && articleSlug.length <= LIMITS.slug ? articleSlug : null,
    device: deviceClassOf(device?.type, context.userAgent),
    ipHash: meta.anonymizeIp(ip),
    timestamp,
    originalTimestamp: original,
    sentAt,
    receivedAt,
    source: meta.source,
    planVersion: null,
    flagged: false,
    traits: type === 'identify' ? payload : null,
  };
  return { kind: 'event', row, payload, bytes, issues: issue ? [issue] : [] };
}

/** The message as it was received, minus the raw IP address: what a violation keeps for inspection. */
export function violationMessage(message: InboundMessage, row: EventRow): Record<string, unknown> {
  return { ...message, messageId: row.messageId, context: JSON.parse(row.contextJson) };
}
