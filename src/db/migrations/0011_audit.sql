-- The audit log: every write through the API, the admin app or the CLI, with who made it and what changed.
-- Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, so not even the application can rewrite history.
-- actor_user_id has no foreign key on purpose: an entry outlives whatever happens to the user row.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_user_id integer,
  actor_label text NOT NULL CHECK (length(actor_label) BETWEEN 1 AND 320),
  via text NOT NULL CHECK (via IN ('session', 'token', 'bootstrap', 'cli', 'system')),
  action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.-]{0,79}$' OR action ~ '^(POST|PUT|PATCH|DELETE) /'),
  object_type text NOT NULL CHECK (length(object_type) BETWEEN 1 AND 60),
  object_id text NOT NULL CHECK (length(object_id) <= 300),
  -- { field: { "before": …, "after": … } } for the fields that changed.
  changes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
