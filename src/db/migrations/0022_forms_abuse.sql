-- Contact-form abuse controls shared by every process on the database (module forms): fixed-window rate counters and
-- the proof-of-work solutions already spent.

-- One counter per scope ("forms.network", "forms.form"...), key (a keyed hash, a form key) and window start. A
-- submission takes one with INSERT ... ON CONFLICT DO UPDATE ... RETURNING count, which is atomic on PostgreSQL and
-- PGlite alike, so processes sharing the database share the budget. Old windows are deleted opportunistically.
CREATE TABLE rate_limit_buckets (
  scope text NOT NULL CHECK (length(scope) BETWEEN 1 AND 60),
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  window_start timestamptz NOT NULL,
  count integer NOT NULL DEFAULT 1 CHECK (count >= 0),
  PRIMARY KEY (scope, key, window_start)
);
CREATE INDEX rate_limit_buckets_window_idx ON rate_limit_buckets (window_start);

-- A solved ALTCHA challenge is good for one submission: its signature (hashed) is recorded until the challenge
-- expires, and a replay finds it here.
CREATE TABLE form_challenge_uses (
  signature_hash text PRIMARY KEY CHECK (length(signature_hash) = 64),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX form_challenge_uses_expires_idx ON form_challenge_uses (expires_at);
