-- Events the database refused to store (a message whose row fails its insert for any reason), set aside by the
-- writer with the reason, so one bad message can neither block the ingestion queue nor take other messages down
-- with it. The message is kept as JSON text: text accepts what jsonb refused (JSON.stringify escapes NUL and lone
-- surrogates), so an operator can inspect it, repair it and send it again.
CREATE TABLE event_dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id text NOT NULL,
  -- The database's error message.
  reason text NOT NULL,
  -- {"events": [row], "violations": [row]} as the writer tried to store them.
  payload text NOT NULL,
  received_at timestamptz NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_dead_letters_failed_idx ON event_dead_letters (failed_at, id);
