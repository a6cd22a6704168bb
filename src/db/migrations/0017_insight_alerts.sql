-- Insights alerts: what the detectors found (declining articles, a reason rising, a content gap, a translation
-- falling behind), the analyst's thresholds and webhook (one row), and the outbox of webhook deliveries.

-- One alert per finding. `dedupe_key` names the finding itself (kind, article, locale, reason…): a detector that
-- finds it again within 7 days of the last alert with that key is not heard again, so an ongoing decline alerts once
-- a week rather than every hour.
CREATE TABLE insight_alerts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL
    CHECK (kind IN ('declining', 'reason_rising', 'content_gap', 'translation_behind', 'contact_rising')),
  article_id integer REFERENCES articles (id) ON DELETE CASCADE,
  locale text CHECK (locale IS NULL OR length(locale) BETWEEN 2 AND 20),
  dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 500),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  message text NOT NULL CHECK (length(message) BETWEEN 1 AND 2000),
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  -- The figures behind the message (rates, intervals, q-values, volumes), for the admin app and the webhook.
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  -- Who acknowledged it (the audit label: an email, or "bootstrap token").
  acknowledged_by text
);
CREATE INDEX insight_alerts_dedupe_idx ON insight_alerts (dedupe_key, created_at);
CREATE INDEX insight_alerts_created_idx ON insight_alerts (created_at DESC);
CREATE INDEX insight_alerts_article_idx ON insight_alerts (article_id, created_at) WHERE article_id IS NOT NULL;

-- The analyst's thresholds: exactly one row (id = 1). The secret signs every webhook body (HMAC-SHA256); the API
-- never returns it.
CREATE TABLE insight_alert_settings (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  fdr double precision NOT NULL DEFAULT 0.1 CHECK (fdr >= 0.001 AND fdr <= 0.5),
  min_votes integer NOT NULL DEFAULT 30 CHECK (min_votes BETWEEN 1 AND 100000),
  min_drop double precision NOT NULL DEFAULT 0.05 CHECK (min_drop >= 0 AND min_drop <= 1),
  reason_rise double precision NOT NULL DEFAULT 0.15 CHECK (reason_rise >= 0 AND reason_rise <= 1),
  min_gap_volume integer NOT NULL DEFAULT 10 CHECK (min_gap_volume BETWEEN 1 AND 100000),
  webhook_url text CHECK (webhook_url IS NULL OR length(webhook_url) BETWEEN 1 AND 2000),
  webhook_secret text CHECK (webhook_secret IS NULL OR length(webhook_secret) BETWEEN 16 AND 200),
  daily_digest boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO insight_alert_settings (id) VALUES (1);

-- The webhook outbox: a row is written in the transaction that creates its alert (or the day's digest), and a job
-- posts it, retrying with backoff until it is sent or dead. The body is fixed when the row is written, so every
-- attempt of one delivery sends the same event with the same id (`X-Answerloop-Delivery`).
CREATE TABLE insight_alert_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id bigint REFERENCES insight_alerts (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('alert', 'digest')),
  -- The day a digest covers (one digest per day); null for an alert.
  digest_day date UNIQUE,
  body jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When the next attempt is due; a worker that claims the row pushes it forward (a lease), so a crash mid-attempt
  -- only delays the retry.
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text CHECK (last_error IS NULL OR length(last_error) <= 2000),
  -- The HTTP status of the last attempt (null: no answer).
  last_status integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  CHECK ((kind = 'alert') = (alert_id IS NOT NULL)),
  CHECK ((kind = 'digest') = (digest_day IS NOT NULL))
);
CREATE INDEX insight_alert_deliveries_due_idx ON insight_alert_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX insight_alert_deliveries_created_idx ON insight_alert_deliveries (created_at DESC);
