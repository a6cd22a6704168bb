import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isNonPublicAddress } from './alert-webhook-address.js';

/** How long a receiver has to answer one delivery. */
export const WEBHOOK_TIMEOUT_MS = 10_000; // 10 s
/** The most of a receiver's answer read (and thrown away): a chatty receiver must not fill memory. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface WebhookAnswer {
  /** The HTTP status, or null when there was no answer (refused, timed out, not allowed). */
  status: number | null;
  ok: boolean;
  error: string | null;
}

/**
 * A DNS lookup that refuses non-public addresses: the check sits on the connection itself, so a name that resolved
 * to a public address when the URL was saved cannot later be pointed at the internal network (DNS rebinding).
 */
const publicOnlyLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, '', 0);
      return;
    }
    const refused = addresses.find((a) => isNonPublicAddress(a.address));
    if (refused || addresses.length === 0) {
      const reason = Object.assign(new Error(`${hostname} resolves to a non-public address (${refused?.address})`), {
        code: 'EADDRNOTALLOWED',
      });
      callback(reason, '', 0);
      return;
    }
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]?.address ?? '', addresses[0]?.family ?? 4);
  });
};

/**
 * POSTs one JSON body to a webhook with Node's own HTTP client (no redirects followed, 10 s for the whole answer).
 * Written on node:http rather than fetch because fetch cannot check the address it connects to; see the lookup above.
 */
export function postWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivate: boolean; timeoutMs?: number },
): Promise<WebhookAnswer> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve({ status: null, ok: false, error: 'the webhook URL is not valid' });
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!options.allowPrivate && net.isIP(host) !== 0 && isNonPublicAddress(host)) {
    return Promise.resolve({ status: null, ok: false, error: `${host} is not a public address` });
  }
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
  if (!client) return Promise.resolve({ status: null, ok: false, error: 'the webhook URL is not http(s)' });
  return new Promise((resolve) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Answerloop-Webhook/1',
          ...headers,
        },
        signal,
        ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        const done = () => {
          const status = response.statusCode ?? null;
          const ok = status !== null && status >= 200 && status < 300;
          resolve({ status, ok, error: ok ? null : `the receiver answered ${status}` });
        };
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      const message = signal.aborted
        ? `no answer within ${timeoutMs / 1000} s`
        : `${error.code ? `${error.code}: ` : ''}${error.message}`;
      resolve({ status: null, ok: false, error: message.slice(0, 500) });
    });
    request.end(body);
  });
}
