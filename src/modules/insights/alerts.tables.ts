import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Id = ColumnType<string, never, never>;

/** What the alert detectors found (migration 0017). */
export interface InsightAlertsTable {
  id: Id;
  kind: string;
  article_id: number | null;
  locale: string | null;
  dedupe_key: string;
  title: string;
  message: string;
  severity: string;
  data: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
}

/** The one row of the analyst's alert thresholds and webhook. */
export interface InsightAlertSettingsTable {
  id: Generated<number>;
  fdr: Generated<number>;
  min_votes: Generated<number>;
  min_drop: Generated<number>;
  reason_rise: Generated<number>;
  min_gap_volume: Generated<number>;
  webhook_url: string | null;
  webhook_secret: string | null;
  daily_digest: Generated<boolean>;
  updated_at: Timestamp;
}

/** The webhook outbox: one row per alert or daily digest to post. */
export interface InsightAlertDeliveriesTable {
  id: Id;
  alert_id: ColumnType<string | null, number | string | null, never>;
  kind: 'alert' | 'digest';
  digest_day: ColumnType<string | null, string | null, never>;
  body: ColumnType<Record<string, unknown>, string, never>;
  status: Generated<'pending' | 'sent' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  last_status: number | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface AlertsTables {
  insight_alerts: InsightAlertsTable;
  insight_alert_settings: InsightAlertSettingsTable;
  insight_alert_deliveries: InsightAlertDeliveriesTable;
}
