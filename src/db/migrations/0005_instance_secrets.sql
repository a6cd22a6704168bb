-- One random secret per installation, created at first start and never shown. Keys for signing reader cookies and
-- for keyed hashes (requester emails) are derived from it, so nothing secret has to be configured by hand, and a
-- guessed value can't be confirmed without the database.
CREATE TABLE instance_secrets (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  secret bytea NOT NULL CHECK (length(secret) >= 32),
  created_at timestamptz NOT NULL DEFAULT now()
);
