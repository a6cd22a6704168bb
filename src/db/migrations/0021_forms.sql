-- Contact forms (module forms): versioned definitions with conditional logic, the submissions they filed as tickets
-- (answers, context, the classifier's prediction), attachments, the help-desk outbox and deflections.

-- A form is a key and a pointer to its current version; each save writes a new immutable version, so a submission
-- records exactly the definition it answered.
CREATE TABLE forms (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9-]{0,39}$'),
  current_version integer NOT NULL CHECK (current_version >= 1),
  -- Shown on the contact page (a disabled form still answers its direct link with "not found").
  enabled boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE form_versions (
  form_id integer NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  -- The FormDefinition (forms.schema.ts): texts per locale, fields, conditions; validated before it is written.
  definition jsonb NOT NULL,
  created_by text CHECK (created_by IS NULL OR length(created_by) <= 320),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (form_id, version)
);

-- The short reference a reader is shown ("K7Q-4MZ-92P"): random, so it reveals neither volume nor other tickets.
ALTER TABLE tickets ADD COLUMN reference text UNIQUE CHECK (reference IS NULL OR length(reference) BETWEEN 4 AND 40);

-- What a form submission added to its ticket: one row per ticket filed through a form.
CREATE TABLE form_submissions (
  ticket_id bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  form_id integer NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
  form_version integer NOT NULL,
  locale text NOT NULL CHECK (length(locale) BETWEEN 2 AND 20),
  -- The answers to the fields that were visible, normalised (hidden fields' answers are stripped before this).
  answers jsonb NOT NULL,
  -- Hidden context: article, revision, locale, region, the search query that led here.
  context jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The active classifier's prediction of the typed text when it was filed: { category, confidence, modelVersion }.
  prediction jsonb,
  -- A keyed hash of the client network (/24, /64), for the rate limits; never the address.
  network_key text NOT NULL CHECK (length(network_key) <= 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (form_id, form_version) REFERENCES form_versions (form_id, version)
);
CREATE INDEX form_submissions_network_idx ON form_submissions (network_key, created_at);
CREATE INDEX form_submissions_form_idx ON form_submissions (form_id, created_at);

-- Files a reader attached: type checked by content, size-limited, only ever served to operators as a download.
CREATE TABLE ticket_attachments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  field text NOT NULL CHECK (length(field) BETWEEN 1 AND 40),
  filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
  content_type text NOT NULL CHECK (length(content_type) BETWEEN 3 AND 100),
  size integer NOT NULL CHECK (size >= 0),
  sha256 text NOT NULL CHECK (length(sha256) = 64),
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_attachments_ticket_idx ON ticket_attachments (ticket_id);

-- The help-desk outbox: written in the ticket's own transaction when a help desk is configured, then forwarded by a
-- job with retries. `delivery_id` is both X-Answerloop-Delivery and the idempotency key, fixed for every attempt.
CREATE TABLE helpdesk_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE,
  delivery_id uuid NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When the next attempt is due; a worker that claims the row pushes it forward (a lease).
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text CHECK (last_error IS NULL OR length(last_error) <= 2000),
  last_status integer,
  -- The connector that delivered it and the help desk's own id for the ticket.
  connector text CHECK (connector IS NULL OR connector IN ('webhook', 'zendesk')),
  external_id text CHECK (external_id IS NULL OR length(external_id) <= 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX helpdesk_deliveries_due_idx ON helpdesk_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX helpdesk_deliveries_status_idx ON helpdesk_deliveries (status, updated_at DESC);

-- "This answered my question" on a suggestion the server showed: a deflection credited to the article, the revision
-- the reader was shown and the locale; at most one per reader, article and day.
CREATE TABLE form_deflections (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  form_id integer REFERENCES forms (id) ON DELETE SET NULL,
  article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  revision_id integer REFERENCES article_revisions (id) ON DELETE SET NULL,
  locale text NOT NULL CHECK (length(locale) BETWEEN 2 AND 20),
  reader_key text NOT NULL CHECK (length(reader_key) <= 100),
  network_key text NOT NULL CHECK (length(network_key) <= 100),
  day date NOT NULL DEFAULT current_date,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (reader_key, article_id, day)
);
CREATE INDEX form_deflections_article_idx ON form_deflections (article_id, locale, created_at);
