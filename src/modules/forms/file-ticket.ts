import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { FeedbackConfig } from '../../config/env.js';
import type { DB } from '../../db/client.js';
import { createTicketIn } from '../feedback/index.js';
import type { Answers } from './form-logic.js';
import type { SubmissionPrediction } from './forms.tables.js';

/** Crockford's base32 without I, L, O, U: read aloud or typed from a screen without confusion. */
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random ticket reference such as "K7Q-4MZ-92P" (45 bits: not guessable, reveals no volume). */
export function newTicketReference(): string {
  const bytes = randomBytes(9);
  let text = '';
  for (const byte of bytes) text += REFERENCE_ALPHABET[byte & 31];
  return `${text.slice(0, 3)}-${text.slice(3, 6)}-${text.slice(6, 9)}`;
}

export interface SubmissionAttachment {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  data: Uint8Array;
}

/** A validated submission, ready to be filed. */
export interface FormSubmissionInput {
  form: { id: number; key: string; version: number };
  locale: string;
  /** Validated answers of the visible fields (validateAnswers), with the hidden context fields filled in. */
  answers: Answers;
  context: Record<string, unknown>;
  subject: string;
  body: string;
  requesterEmail?: string | undefined;
  /** The article the reader came from (slug), when known and existing. */
  sourceArticle?: string | undefined;
  prediction: SubmissionPrediction | null;
  /** A keyed hash of the client network, for the rate limits. */
  networkKey: string;
  attachments: SubmissionAttachment[];
}

export interface FiledTicket {
  ticketId: number;
  reference: string;
  /** The outbox row's delivery id (X-Answerloop-Delivery), or null when no help desk is configured. */
  deliveryId: string | null;
}

/**
 * Files a form submission in one transaction: the ticket (with its feedback item for the classifier), the
 * submission's answers, context and prediction, the attachments, and, when a help desk is configured, the outbox row
 * the forwarding job delivers. Either all of it is written or none. The caller publishes what follows after commit
 * (waking the forwarding job, the "Ticket Created" event).
 */
export async function fileFormTicket(
  db: DB,
  input: FormSubmissionInput,
  options: { config: FeedbackConfig; requesterKey: Buffer; forward: boolean },
): Promise<FiledTicket> {
  return db.transaction().execute(async (trx) => {
    const ticket = await createTicketIn(
      trx,
      {
        subject: input.subject,
        body: input.body,
        channel: 'web',
        locale: input.locale,
        requesterEmail: input.requesterEmail,
        status: 'new',
        sourceArticle: input.sourceArticle,
        categories: [],
      },
      { config: options.config, requesterKey: options.requesterKey, source: 'contact_form', strictArticle: false },
    );
    let reference = newTicketReference();
    // 45 random bits collide about once in 10^13 pairs; the unique index decides, and a collision draws again.
    for (let attempt = 0; ; attempt++) {
      const { rows } = await sql<{ id: string }>`
        UPDATE tickets SET reference = ${reference}
         WHERE id = ${ticket.id} AND NOT EXISTS (SELECT 1 FROM tickets WHERE reference = ${reference})
        RETURNING id::text AS id`.execute(trx);
      if (rows.length === 1) break;
      if (attempt >= 5) throw new Error('could not draw a unique ticket reference');
      reference = newTicketReference();
    }
    await trx
      .insertInto('form_submissions')
      .values({
        ticket_id: ticket.id,
        form_id: input.form.id,
        form_version: input.form.version,
        locale: input.locale,
        answers: JSON.stringify(input.answers),
        context: JSON.stringify(input.context),
        prediction: input.prediction ? JSON.stringify(input.prediction) : null,
        network_key: input.networkKey,
      })
      .execute();
    if (input.attachments.length > 0) {
      await trx
        .insertInto('ticket_attachments')
        .values(
          input.attachments.map((file) => ({
            ticket_id: ticket.id,
            field: file.field,
            filename: file.filename,
            content_type: file.contentType,
            size: file.size,
            sha256: file.sha256,
            data: file.data,
          })),
        )
        .execute();
    }
    let deliveryId: string | null = null;
    if (options.forward) {
      deliveryId = randomUUID();
      await trx
        .insertInto('helpdesk_deliveries')
        .values({ ticket_id: ticket.id, delivery_id: deliveryId, next_attempt_at: new Date() })
        .execute();
    }
    return { ticketId: ticket.id, reference, deliveryId };
  });
}
