import { sql } from 'kysely';
import type { HelpdeskConfig } from '../../config/env.js';
import type { DB } from '../../db/client.js';
import { retryDelayMs } from './backoff.js';
import type { FormDefinition } from './form-logic.js';
import type { SubmissionPrediction } from './forms.tables.js';
import type { ConnectorAnswer, DeliveryDocument, HelpdeskConnector } from './helpdesk-connectors.js';

/** Rows claimed at once; they are posted side by side, so each post starts right after its claim. */
const BATCH = 20;
/**
 * A claimed row is not claimed again for the post's timeout plus this margin (the time to mark it afterwards, with
 * room for a slow database). A process killed mid-post leaves the row pending with this lease: another process (or
 * this one restarted) sends it again when the lease ends, with the same delivery id.
 */
export const LEASE_MARGIN_MS = 15_000; // 15 s
/** One run stops claiming after this long and leaves the rest to the next run (other jobs get their turn). */
const RUN_BUDGET_MS = 30_000; // 30 s

export interface ForwardOptions {
  connector: HelpdeskConnector;
  config: Pick<HelpdeskConfig, 'retryMs' | 'retryMaxMs' | 'maxAttempts' | 'timeoutMs'>;
  /** Aborted on shutdown: no new claims (posts in flight finish, their rows are marked). */
  signal?: AbortSignal;
  random?: () => number;
}

export interface ForwardResult {
  delivered: number;
  /** Failed attempts that will be retried. */
  retrying: number;
  /** Deliveries that reached the dead letter (status failed) in this run. */
  failed: number;
  /** When the earliest pending delivery comes due (null: none waits). */
  nextDueAt: Date | null;
}

interface ClaimedRow {
  id: string;
  attempts: number;
}

interface DocumentRow {
  id: string;
  delivery_id: string;
  reference: string | null;
  subject: string;
  body: string;
  locale: string | null;
  requester: string | null;
  created_at: Date;
  slug: string | null;
  form_key: string | null;
  form_version: number | null;
  answers: Record<string, unknown> | null;
  context: Record<string, unknown> | null;
  prediction: SubmissionPrediction | null;
  definition: FormDefinition | null;
}

/** Claims up to BATCH due rows, each leased and its attempt counted, in one short statement (its own transaction). */
async function claim(db: DB, leaseMs: number): Promise<ClaimedRow[]> {
  const { rows } = await sql<ClaimedRow>`
    UPDATE helpdesk_deliveries
       SET attempts = attempts + 1, next_attempt_at = now() + ${`${leaseMs} milliseconds`}::interval, updated_at = now()
     WHERE id IN (
       SELECT id FROM helpdesk_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id
        LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED)
    RETURNING id::text AS id, attempts`.execute(db);
  return rows;
}

/** The documents of the claimed rows, from the ticket, its submission, its form version and its attachments. */
async function loadDocuments(db: DB, ids: string[]): Promise<Map<string, DeliveryDocument>> {
  const { rows } = await sql<DocumentRow>`
    SELECT d.id::text AS id, d.delivery_id, t.reference, t.subject, t.body, t.locale, t.requester, t.created_at,
           a.slug, f.key AS form_key, s.form_version, s.answers, s.context, s.prediction, v.definition
      FROM helpdesk_deliveries d
      JOIN tickets t ON t.id = d.ticket_id
      LEFT JOIN articles a ON a.id = t.source_article_id
      LEFT JOIN form_submissions s ON s.ticket_id = t.id
      LEFT JOIN forms f ON f.id = s.form_id
      LEFT JOIN form_versions v ON v.form_id = s.form_id AND v.version = s.form_version
     WHERE d.id = ANY(${ids}::bigint[])`.execute(db);
  const files = await sql<{
    id: string;
    filename: string;
    content_type: string;
    size: number;
    sha256: string;
  }>`
    SELECT d.id::text AS id, x.filename, x.content_type, x.size, x.sha256
      FROM helpdesk_deliveries d
      JOIN ticket_attachments x ON x.ticket_id = d.ticket_id
     WHERE d.id = ANY(${ids}::bigint[])
     ORDER BY x.id`.execute(db);
  const documents = new Map<string, DeliveryDocument>();
  for (const r of rows) {
    const emailField = r.definition?.fields.find((field) => field.role === 'email')?.name;
    const email = emailField ? r.answers?.[emailField] : undefined;
    documents.set(r.id, {
      deliveryId: r.delivery_id,
      ticket: {
        reference: r.reference,
        subject: r.subject,
        body: r.body,
        locale: r.locale,
        // Forms file every ticket as new; a later status change must not change the body a repeat carries.
        status: 'new',
        createdAt: r.created_at.toISOString(),
        requester: r.requester,
        sourceArticle: r.slug,
      },
      form:
        r.form_key !== null && r.form_version !== null
          ? { key: r.form_key, version: r.form_version, answers: r.answers ?? {}, context: r.context ?? {} }
          : null,
      prediction: r.prediction,
      attachments: files.rows
        .filter((f) => f.id === r.id)
        .map((f) => ({ filename: f.filename, contentType: f.content_type, size: f.size, sha256: f.sha256 })),
      requesterEmail: typeof email === 'string' && email !== '' ? email : null,
    });
  }
  return documents;
}

interface Outcome {
  row: ClaimedRow;
  answer: ConnectorAnswer;
}

/**
 * Records the attempts of a batch in one statement: delivered rows, rows scheduled again after a backoff delay, and
 * dead letters. A row another worker took over since (its attempts moved on after the lease ran out) is left to it,
 * except that "delivered" always sticks.
 */
async function recordOutcomes(
  db: DB,
  outcomes: Outcome[],
  options: ForwardOptions,
): Promise<('delivered' | 'retrying' | 'failed')[]> {
  const verdicts: ('delivered' | 'retrying' | 'failed')[] = [];
  const records = outcomes.map(({ row, answer }) => {
    if (answer.outcome === 'delivered') {
      verdicts.push('delivered');
      return {
        id: row.id,
        attempts: row.attempts,
        status: 'delivered',
        delay_ms: 0,
        connector: options.connector.kind,
        external_id: answer.externalId,
        last_error: null,
        last_status: answer.status,
      };
    }
    const dead = answer.outcome === 'failed' || row.attempts >= options.config.maxAttempts;
    verdicts.push(dead ? 'failed' : 'retrying');
    return {
      id: row.id,
      attempts: row.attempts,
      status: dead ? 'failed' : 'pending',
      delay_ms: retryDelayMs(
        row.attempts,
        { baseMs: options.config.retryMs, maxMs: options.config.retryMaxMs },
        options.random,
      ),
      connector: null,
      external_id: null,
      last_error: answer.error.slice(0, 2000),
      last_status: answer.status,
    };
  });
  if (records.length === 0) return verdicts;
  await sql`
    UPDATE helpdesk_deliveries d
       SET status = x.status,
           delivered_at = CASE WHEN x.status = 'delivered' THEN now() ELSE d.delivered_at END,
           connector = CASE WHEN x.status = 'delivered' THEN x.connector ELSE d.connector END,
           external_id = CASE WHEN x.status = 'delivered' THEN x.external_id ELSE d.external_id END,
           next_attempt_at = CASE WHEN x.status = 'delivered' THEN d.next_attempt_at
                                  ELSE now() + x.delay_ms * interval '1 millisecond' END,
           last_error = x.last_error, last_status = x.last_status, updated_at = now()
      FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
           AS x(id bigint, attempts int, status text, delay_ms int, connector text, external_id text,
                last_error text, last_status int)
     WHERE d.id = x.id AND d.status = 'pending' AND (x.status = 'delivered' OR d.attempts = x.attempts)`.execute(db);
  return verdicts;
}

/**
 * Forwards every due outbox row to the help desk. A row is claimed (leased, its attempt counted) in a short statement
 * with FOR UPDATE SKIP LOCKED, so processes forwarding at once never post the same row at the same time; it is posted
 * outside any transaction, then marked delivered or scheduled again with backoff (full jitter), and after
 * `maxAttempts` attempts, or a refusal a retry cannot fix, it is marked failed: the dead letter an operator retries.
 */
export async function forwardDueDeliveries(db: DB, options: ForwardOptions): Promise<ForwardResult> {
  const result: ForwardResult = { delivered: 0, retrying: 0, failed: 0, nextDueAt: null };
  const leaseMs = options.config.timeoutMs + LEASE_MARGIN_MS;
  const started = Date.now();
  while (!options.signal?.aborted && Date.now() - started < RUN_BUDGET_MS) {
    const claimed = await claim(db, leaseMs);
    if (claimed.length === 0) break;
    const documents = await loadDocuments(
      db,
      claimed.map((row) => row.id),
    );
    const outcomes = await Promise.all(
      claimed.map(async (row): Promise<Outcome | null> => {
        const document = documents.get(row.id);
        // The ticket is gone (deleted with its row in between): nothing to send.
        if (!document) return null;
        const answer: ConnectorAnswer = await options.connector.send(document).catch((error: unknown) => ({
          outcome: 'retry' as const,
          status: null,
          error: `could not send (${error instanceof Error ? error.message : String(error)})`.slice(0, 300),
        }));
        return { row, answer };
      }),
    );
    const verdicts = await recordOutcomes(
      db,
      outcomes.filter((o): o is Outcome => o !== null),
      options,
    );
    for (const verdict of verdicts) result[verdict] += 1;
  }
  const { rows } = await sql<{ due: Date | null }>`
    SELECT min(next_attempt_at) AS due FROM helpdesk_deliveries WHERE status = 'pending'`.execute(db);
  const due = rows[0]?.due ?? null;
  result.nextDueAt = due === null ? null : new Date(due);
  return result;
}
