-- Theme discovery: each run of the clustering over unlabelled and unsure feedback, and the proposals it made. An
-- analyst accepts a proposal (a new category labelled with its items), merges it into an existing category, renames
-- or dismisses it; who decided and when stays on the proposal, and the audit log has the entry.
CREATE TABLE theme_runs (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The active model whose unsure answers were clustered (null: none active, every unlabelled item was taken).
  model_version_id integer REFERENCES model_versions (id) ON DELETE SET NULL,
  window_days integer NOT NULL CHECK (window_days BETWEEN 1 AND 3650),
  -- Texts clustered, and whether the cap (the newest N) left some out.
  texts integer NOT NULL,
  capped boolean NOT NULL,
  k integer NOT NULL,
  noise integer NOT NULL,
  seconds real NOT NULL,
  created_by text NOT NULL CHECK (length(created_by) BETWEEN 1 AND 320),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE theme_proposals (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id integer NOT NULL REFERENCES theme_runs (id) ON DELETE CASCADE,
  position integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('new', 'merge', 'split')),
  -- merge: the category it resembles; split: the busy category it is part of.
  category_id integer REFERENCES taxonomy_categories (id) ON DELETE SET NULL,
  similarity real,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  terms text[] NOT NULL CHECK (cardinality(terms) <= 10),
  item_ids bigint[] NOT NULL,
  -- The representative items (nearest the centroid), best first; texts are read from feedback_items when shown.
  example_ids bigint[] NOT NULL,
  share real NOT NULL,
  coherence real NOT NULL,
  last_week integer NOT NULL,
  weekly_before real NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'merged', 'dismissed')),
  -- The category the items were labelled with (accepted: the new one; merged: the chosen one).
  result_category_id integer REFERENCES taxonomy_categories (id) ON DELETE SET NULL,
  labeled integer,
  decided_by text CHECK (length(decided_by) BETWEEN 1 AND 320),
  decided_at timestamptz,
  UNIQUE (run_id, position)
);
