// A real help desk stand-in for tests and the bench: a node:http server on 127.0.0.1 that can refuse connections
// (closed), answer a status (503, 400...), answer slowly, hold requests open, or accept. It verifies the webhook
// signature, records every request, and creates one ticket per idempotency key as a real help desk would: a repeat
// of a key it already has is answered with the same ticket, not a second one.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandinMode =
  | { kind: 'closed' }
  | { kind: 'accept' }
  | { kind: 'status'; status: number }
  /** Waits, then creates the ticket (even when the client has gone) and answers if it still can. */
  | { kind: 'slow'; delayMs: number }
  /** Keeps every request open until `release()`, which creates their tickets and answers them. */
  | { kind: 'hold' };

export interface RecordedRequest {
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  deliveryId: string | null;
  idempotencyKey: string | null;
  /** The webhook signature checked against the secret (null: no secret given to the stand-in). */
  signatureValid: boolean | null;
  /** The status it was answered with (null: not answered, e.g. still held or the client left). */
  answered: number | null;
  /** This request created a ticket (false for a refusal or a repeat of a key already created). */
  created: boolean;
  /** The request repeated a key the desk already had. */
  duplicate: boolean;
}

export interface StandinTicket {
  externalId: string;
  idempotencyKey: string;
  body: string;
}

function signatureOk(body: Buffer, header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'));
  const given = Buffer.from(header.slice('sha256='.length));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A stand-in help desk; `flavor` decides the answer's shape (webhook `{id}`, Zendesk `{ticket: {id}}`). */
export class HelpdeskStandin {
  readonly requests: RecordedRequest[] = [];
  /** Tickets created, by idempotency key. */
  readonly tickets = new Map<string, StandinTicket>();
  private mode: StandinMode = { kind: 'accept' };
  private server: http.Server | undefined;
  private held: (() => void)[] = [];
  private nextId = 1000;

  private constructor(
    private readonly flavor: 'webhook' | 'zendesk',
    private readonly secret: string | undefined,
    public port: number,
  ) {}

  /** Starts listening on a free port of 127.0.0.1 (in `mode`, default accept; 'closed' binds then closes). */
  static async start(
    options: { flavor?: 'webhook' | 'zendesk'; secret?: string; mode?: StandinMode } = {},
  ): Promise<HelpdeskStandin> {
    const standin = new HelpdeskStandin(options.flavor ?? 'webhook', options.secret, 0);
    await standin.listen();
    await standin.setMode(options.mode ?? { kind: 'accept' });
    return standin;
  }

  /** The help desk's URL (webhook: its endpoint; Zendesk: the base the connector adds /api/v2/tickets.json to). */
  get url(): string {
    return this.flavor === 'zendesk'
      ? `http://127.0.0.1:${this.port}`
      : `http://127.0.0.1:${this.port}/hooks/answerloop`;
  }

  /** Requests that created a ticket, by delivery id or idempotency key. */
  createdBy(key: string): RecordedRequest[] {
    return this.requests.filter((r) => r.created && (r.idempotencyKey ?? r.deliveryId) === key);
  }

  async setMode(mode: StandinMode): Promise<void> {
    this.mode = mode;
    if (mode.kind === 'closed') await this.close();
    else if (!this.server) await this.listen();
  }

  /** Answers every held request (creating its ticket). */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const answer of held) answer();
  }

  async stop(): Promise<void> {
    this.release();
    await this.close();
  }

  private async listen(): Promise<void> {
    const server = http.createServer((request, response) => this.onRequest(request, response));
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private create(key: string, body: string): { ticket: StandinTicket; created: boolean } {
    const known = this.tickets.get(key);
    if (known) return { ticket: known, created: false };
    const ticket = { externalId: String(this.nextId++), idempotencyKey: key, body };
    this.tickets.set(key, ticket);
    return { ticket, created: true };
  }

  private onRequest(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = (name: string) => {
        const value = request.headers[name];
        return typeof value === 'string' ? value : null;
      };
      const record: RecordedRequest = {
        at: Date.now(),
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: raw.toString('utf8'),
        deliveryId: header('x-answerloop-delivery'),
        idempotencyKey: header('idempotency-key'),
        signatureValid:
          this.secret === undefined
            ? null
            : signatureOk(raw, header('x-answerloop-signature') ?? undefined, this.secret),
        answered: null,
        created: false,
        duplicate: false,
      };
      this.requests.push(record);
      const answer = (status: number, json: unknown) => {
        if (response.destroyed || response.writableEnded) return;
        record.answered = status;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(json));
      };
      const accept = () => {
        const key = record.idempotencyKey ?? record.deliveryId;
        if (!key) return answer(400, { error: 'no idempotency key' });
        if (record.signatureValid === false) return answer(401, { error: 'bad signature' });
        const { ticket, created } = this.create(key, record.body);
        record.created = created;
        record.duplicate = !created;
        const json =
          this.flavor === 'zendesk' ? { ticket: { id: Number(ticket.externalId) } } : { id: ticket.externalId };
        answer(created ? 201 : 200, json);
      };
      const mode = this.mode;
      switch (mode.kind) {
        case 'accept':
          return accept();
        case 'status':
          return answer(mode.status, { error: `the stand-in answers ${mode.status}` });
        case 'slow': {
          setTimeout(accept, mode.delayMs);
          return;
        }
        case 'hold':
          this.held.push(accept);
          return;
        case 'closed':
          // Closed while this request was on its way in: drop it as a dead server would.
          request.socket.destroy();
      }
    });
  }
}
