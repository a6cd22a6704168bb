import type { ColumnType, Generated } from 'kysely';
import type { FormDefinition } from './form-logic.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type BigId = ColumnType<string, never, never>;
type Json<T> = ColumnType<T, string, string>;

/** A form: its key and current version (migration 0021). */
export interface FormsTable {
  id: Generated<number>;
  key: string;
  current_version: number;
  enabled: Generated<boolean>;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One immutable version of a form's definition. */
export interface FormVersionsTable {
  form_id: number;
  version: number;
  definition: Json<FormDefinition>;
  created_by: string | null;
  created_at: Timestamp;
}

/** The classifier's prediction recorded with a submission. */
export interface SubmissionPrediction {
  category: string;
  confidence: number;
  modelVersion: number | null;
}

/** What a form submission added to its ticket. */
export interface FormSubmissionsTable {
  ticket_id: ColumnType<string, number | string, never>;
  form_id: number;
  form_version: number;
  locale: string;
  answers: Json<Record<string, unknown>>;
  context: Json<Record<string, unknown>>;
  prediction: ColumnType<SubmissionPrediction | null, string | null, string | null>;
  network_key: string;
  created_at: Timestamp;
}

export interface TicketAttachmentsTable {
  id: BigId;
  ticket_id: ColumnType<string, number | string, never>;
  field: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Uint8Array;
  created_at: Timestamp;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** The help-desk outbox: one row per ticket to forward. */
export interface HelpdeskDeliveriesTable {
  id: BigId;
  ticket_id: ColumnType<string, number | string, never>;
  delivery_id: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  last_status: number | null;
  connector: 'webhook' | 'zendesk' | null;
  external_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface FormDeflectionsTable {
  id: BigId;
  form_id: number | null;
  article_id: number;
  revision_id: number | null;
  locale: string;
  reader_key: string;
  network_key: string;
  day: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}

export interface FormsTables {
  forms: FormsTable;
  form_versions: FormVersionsTable;
  form_submissions: FormSubmissionsTable;
  ticket_attachments: TicketAttachmentsTable;
  helpdesk_deliveries: HelpdeskDeliveriesTable;
  form_deflections: FormDeflectionsTable;
}
