import { randomUUID } from 'node:crypto';
import { LIMITS } from '../../shared/limits.js';
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
  | { kind: 'event'; row: EventRow; payload: Record<string, unknown>; bytes: number }
  | { kind: 'no_consent' }
  | { kind: 'too_large'; bytes: number };

function toDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
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

  const original = toDate(message.timestamp ?? message.originalTimestamp);
  const sentAt = toDate(message.sentAt ?? meta.batchSentAt);
  const receivedAt = meta.receivedAt;
  let timestamp: Date;
  if (original && sentAt) timestamp = new Date(receivedAt.getTime() - (sentAt.getTime() - original.getTime()));
  else timestamp = original ?? receivedAt;

  const type = message.type;
  const payload = payloadOf(message) ?? EMPTY;
  const propertiesJson = storableJson(payload);
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
  return { kind: 'event', row, payload, bytes };
}

/** The message as it was received, minus the raw IP address: what a violation keeps for inspection. */
export function violationMessage(message: InboundMessage, row: EventRow): Record<string, unknown> {
  return { ...message, messageId: row.messageId, context: JSON.parse(row.contextJson) };
}
