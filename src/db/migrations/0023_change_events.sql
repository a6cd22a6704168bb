-- Change notification across processes (platform). Every domain event an operation publishes after its commit
-- (article published, region saved, write key revoked...) is also written here; the insert's trigger NOTIFYs
-- 'answerloop_changes' with the row id, and every app process LISTENs on one connection, reads the new rows and
-- feeds them to its in-process bus. A process that missed notifications (a reconnect) refreshes everything; a slow
-- poll of this table is the safety net. Rows are pruned after a day.
CREATE TABLE change_events (
  id bigserial PRIMARY KEY,
  event text NOT NULL CHECK (length(event) BETWEEN 1 AND 100),
  payload jsonb NOT NULL,
  -- The publishing process (random per start), so it skips its own events.
  origin text NOT NULL CHECK (length(origin) BETWEEN 1 AND 64),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_events_created_at_idx ON change_events (created_at);

CREATE FUNCTION change_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('answerloop_changes', NEW.id::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER change_events_notify AFTER INSERT ON change_events
  FOR EACH ROW EXECUTE FUNCTION change_events_notify();
