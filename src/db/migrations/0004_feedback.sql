-- Feedback and classification: article votes, tickets, the taxonomy, classifiable feedback items with human and
-- predicted labels (kept apart), classifier model versions, and the durable background job queue.

-- "Was this helpful?": one vote per reader per revision (changeable). A "no" may carry a reason and a comment.
CREATE TABLE article_votes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  revision_id integer NOT NULL REFERENCES article_revisions (id) ON DELETE CASCADE,
  -- The revision's number within its translation, kept for display and exports.
  revision integer NOT NULL CHECK (revision >= 1),
  -- The language the article was read in (its translation), and the language of the page around it.
  locale text NOT NULL CHECK (length(locale) BETWEEN 2 AND 10),
  reader_locale text NOT NULL CHECK (length(reader_locale) BETWEEN 2 AND 10),
  -- The anonymous reader id (first-party cookie); never personal data.
  reader_id text NOT NULL CHECK (length(reader_id) BETWEEN 1 AND 100),
  helpful boolean NOT NULL,
  reason text CHECK (reason IN ('inaccurate', 'hard_to_understand', 'missing_information', 'did_not_solve', 'other')),
  comment text CHECK (length(comment) BETWEEN 1 AND 2000),
  source text NOT NULL DEFAULT 'site' CHECK (source IN ('site', 'api', 'demo')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT helpful OR (reason IS NULL AND comment IS NULL)),
  UNIQUE (revision_id, reader_id)
);
CREATE INDEX article_votes_article_idx ON article_votes (article_id, created_at);
CREATE INDEX article_votes_time_idx ON article_votes (created_at);

-- Support tickets from the contact form, the operator API and imports; idempotent on the help desk's id.
CREATE TABLE tickets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_id text UNIQUE CHECK (length(external_id) BETWEEN 1 AND 200),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  body text NOT NULL CHECK (length(body) <= 20000),
  channel text NOT NULL CHECK (channel ~ '^[a-z][a-z0-9_-]{0,29}$'),
  locale text CHECK (length(locale) BETWEEN 2 AND 10),
  -- The requester's email: a keyed hash by default ("sha256:…"/"hmac:…"), the address itself when so configured.
  requester text CHECK (length(requester) <= 320),
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending', 'solved', 'closed')),
  source_article_id integer REFERENCES articles (id) ON DELETE SET NULL,
  source text NOT NULL CHECK (source IN ('api', 'import', 'contact_form', 'demo')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tickets_time_idx ON tickets (created_at);
CREATE INDEX tickets_status_idx ON tickets (status, created_at);
CREATE INDEX tickets_requester_idx ON tickets (requester);

-- The taxonomy: categories and their subcategories (two levels). Labels point at the id, so renaming (slug or names)
-- or moving a category keeps every label valid. Categories are archived, never deleted.
CREATE TABLE taxonomy_categories (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
  parent_id integer REFERENCES taxonomy_categories (id) ON DELETE RESTRICT,
  position integer NOT NULL DEFAULT 0,
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
  -- Phrases customers use for it: a guide for analysts labeling, not training data.
  examples text[] NOT NULL DEFAULT '{}' CHECK (cardinality(examples) <= 50),
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX taxonomy_categories_parent_idx ON taxonomy_categories (parent_id, position);

CREATE TABLE taxonomy_category_names (
  category_id integer NOT NULL REFERENCES taxonomy_categories (id) ON DELETE CASCADE,
  locale text NOT NULL CHECK (length(locale) BETWEEN 2 AND 10),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  PRIMARY KEY (category_id, locale)
);

-- Everything that can be labeled and classified: a vote's comment, a ticket, a search query, or a labeled example
-- imported for training. One row per source; the text is what the classifier reads.
CREATE TABLE feedback_items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('vote', 'ticket', 'search', 'example')),
  source_id bigint,
  locale text CHECK (length(locale) BETWEEN 2 AND 10),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- An analyst skipped it in the active-learning queue; it returns to the queue after a while.
  review_skipped_at timestamptz,
  CHECK ((kind = 'example') = (source_id IS NULL)),
  UNIQUE (kind, source_id)
);
CREATE INDEX feedback_items_time_idx ON feedback_items (created_at);

-- Human labels: several per item allowed, with who and when.
CREATE TABLE human_labels (
  item_id bigint NOT NULL REFERENCES feedback_items (id) ON DELETE CASCADE,
  category_id integer NOT NULL REFERENCES taxonomy_categories (id) ON DELETE RESTRICT,
  labeled_by text NOT NULL CHECK (length(labeled_by) BETWEEN 1 AND 120),
  labeled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, category_id)
);
CREATE INDEX human_labels_category_idx ON human_labels (category_id);

-- Trained classifiers. A version stores its training-data snapshot, evaluation and model bytes; at most one is active.
CREATE TABLE model_versions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'training', 'ready', 'failed')),
  is_active boolean NOT NULL DEFAULT false,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  settings jsonb NOT NULL DEFAULT '{}',
  progress real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  progress_message text NOT NULL DEFAULT '',
  examples integer NOT NULL DEFAULT 0,
  -- The categories the model knows, as they were when it was trained: [{id, slug, parentId}].
  categories jsonb NOT NULL DEFAULT '[]',
  -- The training data: [{itemId, text, labels: [categoryId]}].
  snapshot jsonb NOT NULL DEFAULT '[]',
  evaluation jsonb,
  model bytea,
  model_bytes integer,
  error text CHECK (length(error) <= 2000),
  created_by text NOT NULL DEFAULT 'operator' CHECK (length(created_by) BETWEEN 1 AND 120),
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  activated_at timestamptz
);
CREATE UNIQUE INDEX model_versions_one_active ON model_versions (is_active) WHERE is_active;

-- What a model version said about an item: its answer (null when unsure), how sure, and the margin between its two
-- most likely categories (small margins feed the active-learning queue).
CREATE TABLE predictions (
  item_id bigint NOT NULL REFERENCES feedback_items (id) ON DELETE CASCADE,
  model_version_id integer NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
  category_id integer REFERENCES taxonomy_categories (id) ON DELETE SET NULL,
  level text CHECK (level IN ('leaf', 'parent')),
  confidence real NOT NULL,
  margin real NOT NULL,
  -- The most likely categories, best first: [{categoryId, confidence}].
  top jsonb NOT NULL DEFAULT '[]',
  predicted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, model_version_id)
);
CREATE INDEX predictions_model_margin_idx ON predictions (model_version_id, margin);

-- Predicted labels (multi-label: every category past its own threshold), kept apart from human labels.
CREATE TABLE predicted_labels (
  item_id bigint NOT NULL,
  model_version_id integer NOT NULL,
  category_id integer NOT NULL REFERENCES taxonomy_categories (id) ON DELETE CASCADE,
  confidence real NOT NULL,
  PRIMARY KEY (item_id, model_version_id, category_id),
  FOREIGN KEY (item_id, model_version_id) REFERENCES predictions (item_id, model_version_id) ON DELETE CASCADE
);
CREATE INDEX predicted_labels_category_idx ON predicted_labels (model_version_id, category_id);

-- Durable background jobs, claimed with FOR UPDATE SKIP LOCKED by any app process; a crashed worker's lock expires.
CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue text NOT NULL CHECK (length(queue) BETWEEN 1 AND 100),
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  locked_by text,
  -- At most one queued job per (queue, dedupe_key): "categorise what is pending" is asked for once, not per vote.
  dedupe_key text CHECK (length(dedupe_key) <= 200),
  last_error text,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX jobs_due_idx ON jobs (run_at, id) WHERE status IN ('queued', 'running');
CREATE UNIQUE INDEX jobs_dedupe_idx ON jobs (queue, dedupe_key) WHERE dedupe_key IS NOT NULL AND status = 'queued';
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE status IN ('done', 'failed');
