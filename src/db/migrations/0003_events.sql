-- Events: tracking plan versions, write keys, the event store (partitioned by month), message-id deduplication,
-- plan violations, identity links and profiles. Runs unchanged on PGlite and PostgreSQL.

-- Each edit of the tracking plan is a new immutable version; the highest version is the active one.
CREATE TABLE event_plan_versions (
  version integer PRIMARY KEY CHECK (version >= 1),
  plan jsonb NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Write keys identify a source. Only a hash is kept, except for public (browser) keys, which the site prints.
CREATE TABLE event_write_keys (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  key_hash text NOT NULL UNIQUE,
  key_hint text NOT NULL,
  public_key text,
  builtin text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
-- At most one active key per built-in purpose (e.g. 'help-center'), even with several processes starting at once.
CREATE UNIQUE INDEX event_write_keys_builtin_idx ON event_write_keys (builtin) WHERE builtin IS NOT NULL AND revoked_at IS NULL;

-- Every accepted message of every type. Partitioned by month of its (clock-skew corrected) timestamp; monthly
-- partitions are created on demand by the application, and the default partition catches anything else.
CREATE TABLE events (
  message_id text NOT NULL,
  type text NOT NULL CHECK (type IN ('track', 'page', 'screen', 'identify', 'group', 'alias')),
  -- Track: the event name. Page/screen: 'Page Viewed'/'Screen Viewed'; identify: 'Identify'; group: 'Group'.
  event text,
  -- Page/screen name as sent.
  name text,
  anonymous_id text,
  user_id text,
  group_id text,
  previous_id text,
  -- Track/page/screen properties, or identify/group traits.
  properties jsonb NOT NULL DEFAULT '{}',
  context jsonb NOT NULL DEFAULT '{}',
  -- Extracted for queries: reader locale, article slug, device class; never the raw IP address.
  locale text,
  article text,
  device text,
  ip_hash text,
  "timestamp" timestamptz NOT NULL,
  original_timestamp timestamptz,
  sent_at timestamptz,
  received_at timestamptz NOT NULL,
  -- 'wk:<write key id>' or 'server' (emitted by Answerloop itself) or 'seed'.
  source text NOT NULL,
  plan_version integer,
  flagged boolean NOT NULL DEFAULT false
) PARTITION BY RANGE ("timestamp");

CREATE TABLE events_default PARTITION OF events DEFAULT;

CREATE INDEX events_time_idx ON events ("timestamp", message_id);
CREATE INDEX events_event_time_idx ON events (event, "timestamp");
CREATE INDEX events_anonymous_time_idx ON events (anonymous_id, "timestamp");
CREATE INDEX events_user_time_idx ON events (user_id, "timestamp") WHERE user_id IS NOT NULL;

-- Deduplication by messageId across all partitions (a partitioned table cannot have a unique index without the
-- partition key, and a retried message may carry a slightly different corrected timestamp).
CREATE TABLE event_message_ids (
  message_id text PRIMARY KEY,
  received_at timestamptz NOT NULL
);

-- Tracking-plan violations, for accepted-and-flagged and dropped-and-flagged messages alike.
CREATE TABLE event_violations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id text NOT NULL,
  type text NOT NULL,
  event text,
  source text NOT NULL,
  plan_version integer NOT NULL,
  action text NOT NULL CHECK (action IN ('accepted', 'dropped')),
  reasons jsonb NOT NULL,
  -- The offending message as received (without the raw IP), so a dropped message can be inspected or replayed.
  message jsonb NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX event_violations_received_idx ON event_violations (received_at, id);
CREATE INDEX event_violations_event_idx ON event_violations (event, received_at);

-- Identity stitching: an anonymous id (or a previous user id, from alias) belongs to a user id. Always points at
-- the final user id: a later alias of that user re-points older links.
CREATE TABLE event_identities (
  alias_id text PRIMARY KEY,
  user_id text NOT NULL,
  linked_at timestamptz NOT NULL
);
CREATE INDEX event_identities_user_idx ON event_identities (user_id);

-- One profile per person: the user id once known, else the anonymous id.
CREATE TABLE event_profiles (
  person_id text PRIMARY KEY,
  user_id text,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  locale text,
  device text,
  traits jsonb NOT NULL DEFAULT '{}',
  event_count integer NOT NULL DEFAULT 0
);
CREATE INDEX event_profiles_last_seen_idx ON event_profiles (last_seen);

-- Salts for hashing IP addresses; each lives for one rotation period and is deleted afterwards, after which the
-- hashes it made can no longer be linked back to an address.
CREATE TABLE event_ip_salts (
  period bigint PRIMARY KEY,
  salt text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
