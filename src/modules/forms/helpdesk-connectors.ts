import { createHmac } from 'node:crypto';
import type { HelpdeskConfig } from '../../config/env.js';

/** Everything a connector sends about one ticket, read from the stored rows (the same on every attempt). */
export interface DeliveryDocument {
  deliveryId: string;
  ticket: {
    reference: string | null;
    subject: string;
    body: string;
    locale: string | null;
    /** The status it was filed with: fixed, so the body bytes do not change between attempts. */
    status: string;
    createdAt: string;
    /** As stored: a keyed hash unless plain emails are configured. */
    requester: string | null;
    sourceArticle: string | null;
  };
  form: { key: string; version: number; answers: Record<string, unknown>; context: Record<string, unknown> } | null;
  prediction: { category: string; confidence: number; modelVersion: number | null } | null;
  attachments: { filename: string; contentType: string; size: number; sha256: string }[];
  /** The answer to the form's email field, when it has one: the requester a help desk can write back to. */
  requesterEmail: string | null;
}

/** What one attempt came to. `failed`: the help desk refused it for good (a retry would be refused again). */
export type ConnectorAnswer =
  | { outcome: 'delivered'; status: number; externalId: string | null }
  | { outcome: 'retry' | 'failed'; status: number | null; error: string };

export interface HelpdeskConnector {
  kind: 'webhook' | 'zendesk';
  send(document: DeliveryDocument, options?: { now?: Date }): Promise<ConnectorAnswer>;
}

/** Longest error text kept on a delivery (the column allows 2,000). */
const MAX_ERROR_CHARS = 500;
/** How much of a help desk's answer is read (its error text, Zendesk's ticket id). */
const MAX_RESPONSE_BYTES = 64 * 1024; // 64 KiB

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`: the X-Answerloop-Signature header. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * The webhook's JSON body. Built from the stored rows in a fixed key order, so every attempt of a delivery sends the
 * same bytes (and the same signature): a help desk that saw the first attempt can compare the repeat byte for byte.
 */
export function webhookBody(document: DeliveryDocument): string {
  const { ticket } = document;
  return JSON.stringify({
    type: 'ticket.created',
    deliveryId: document.deliveryId,
    ticket: {
      reference: ticket.reference,
      subject: ticket.subject,
      body: ticket.body,
      locale: ticket.locale,
      status: ticket.status,
      createdAt: ticket.createdAt,
      requester: ticket.requester,
      sourceArticle: ticket.sourceArticle,
      form: document.form
        ? {
            key: document.form.key,
            version: document.form.version,
            answers: document.form.answers,
            context: document.form.context,
          }
        : null,
      prediction: document.prediction,
      attachments: document.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        sha256: a.sha256,
      })),
    },
  });
}

/** The Zendesk Tickets API body (`POST /api/v2/tickets.json`). */
export function zendeskBody(document: DeliveryDocument, fieldIds: Record<string, number>): string {
  const { ticket } = document;
  const answers = document.form?.answers ?? {};
  const customFields = Object.entries(fieldIds)
    .filter(([name]) => answers[name] !== undefined)
    .map(([name, id]) => ({ id, value: answers[name] }));
  const tags = ['answerloop'];
  if (document.form) tags.push(`form_${document.form.key}`);
  if (ticket.locale) tags.push(ticket.locale);
  return JSON.stringify({
    ticket: {
      subject: ticket.subject,
      comment: { body: ticket.body || ticket.subject },
      requester: document.requesterEmail
        ? { email: document.requesterEmail }
        : { name: `Help center reader ${ticket.reference ?? ''}`.trim() },
      tags,
      custom_fields: customFields,
      external_id: ticket.reference,
    },
  });
}

/** 408, 425, 429 and every 5xx are worth retrying; 409 means the desk already has it; other 4xx are final. */
export function classifyStatus(status: number): 'delivered' | 'retry' | 'failed' {
  if ((status >= 200 && status < 300) || status === 409) return 'delivered';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'failed';
}

async function readLimited(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_RESPONSE_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
}

/** A short description of a failed request with no URL, header or credential in it. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (code) return `could not reach the help desk (${code})`;
  return `could not reach the help desk (${error instanceof Error ? error.message : String(error)})`.slice(0, 200);
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_ERROR_CHARS ? `${oneLine.slice(0, MAX_ERROR_CHARS)}…` : oneLine;
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  externalIdOf: (text: string) => string | null,
): Promise<ConnectorAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      // A redirect would turn the POST into a GET; the URL is wrong and a retry would not fix it.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { outcome: 'retry', status: null, error: describeFailure(error, timeoutMs) };
  }
  let text = '';
  try {
    text = await readLimited(response);
  } catch (error) {
    if (response.status < 200 || response.status >= 300) {
      return { outcome: 'retry', status: response.status, error: describeFailure(error, timeoutMs) };
    }
  }
  const verdict = classifyStatus(response.status);
  if (verdict === 'delivered') {
    return { outcome: 'delivered', status: response.status, externalId: externalIdOf(text) };
  }
  if (response.status >= 300 && response.status < 400) {
    return {
      outcome: 'failed',
      status: response.status,
      error: `HTTP ${response.status}: the help desk URL redirects`,
    };
  }
  return { outcome: verdict, status: response.status, error: clip(`HTTP ${response.status}: ${text}`) };
}

function jsonField(text: string, pick: (value: Record<string, unknown>) => unknown): string | null {
  try {
    const value = pick(JSON.parse(text) as Record<string, unknown>);
    if (typeof value === 'string' || typeof value === 'number') return String(value).slice(0, 200);
  } catch {
    // Not JSON: the desk said nothing we can keep.
  }
  return null;
}

/**
 * The connector the configuration names, or null when no help desk is configured (tickets stay in Answerloop).
 * `zendeskFields` maps form field names to Zendesk custom field ids.
 */
export function createConnector(config: HelpdeskConfig): HelpdeskConnector | null {
  const url = config.url;
  if (!url) return null;
  if (config.kind === 'zendesk') {
    const endpoint = new URL('/api/v2/tickets.json', url).toString();
    const credentials = config.token ? `${config.email}/token:${config.token}` : `${config.email}:${config.password}`;
    const authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    return {
      kind: 'zendesk',
      async send(document) {
        return post(
          endpoint,
          zendeskBody(document, config.zendeskFields),
          {
            'content-type': 'application/json',
            authorization,
            'idempotency-key': document.deliveryId,
          },
          config.timeoutMs,
          (text) => jsonField(text, (v) => (v.ticket as Record<string, unknown> | undefined)?.id),
        );
      },
    };
  }
  const secret = config.secret ?? '';
  return {
    kind: 'webhook',
    async send(document, options = {}) {
      const body = webhookBody(document);
      const now = options.now ?? new Date();
      return post(
        url,
        body,
        {
          'content-type': 'application/json',
          'x-answerloop-delivery': document.deliveryId,
          'idempotency-key': document.deliveryId,
          'x-answerloop-signature': signBody(body, secret),
          'x-answerloop-timestamp': String(Math.floor(now.getTime() / 1000)),
        },
        config.timeoutMs,
        (text) => jsonField(text, (v) => v.id ?? v.externalId ?? (v.ticket as Record<string, unknown> | undefined)?.id),
      );
    },
  };
}

/** The help desk's host for the operator screen: no path, query or credentials. */
export function helpdeskHost(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
