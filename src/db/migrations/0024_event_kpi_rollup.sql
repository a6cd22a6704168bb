-- The KPI rollup: what the dashboards' KPIs need from each UTC day's events, kept by the 'events.kpi-rollup' job,
-- so a KPI request reads a few small rows per day instead of every event of its range.

-- One row per day × locale × person (stitched identity): distinct persons are not additive across days, so an
-- exact distinct count over any range is a count of the distinct persons among these rows (one row per person who
-- was active that day, far fewer than their events).
CREATE TABLE event_kpi_person_days (
  day date NOT NULL,
  -- The events' locale; '' for events without one (they count only when no locale is asked for).
  locale text NOT NULL,
  person text COLLATE "C" NOT NULL,
  contacted boolean NOT NULL,
  ticketed boolean NOT NULL,
  searches integer NOT NULL,
  search_exits integer NOT NULL,
  votes integer NOT NULL,
  helpful_votes integer NOT NULL,
  PRIMARY KEY (day, locale, person)
);

-- Each day's figures, per locale and ('' ) over every locale, built from the rows above.
CREATE TABLE event_kpi_daily (
  day date NOT NULL,
  locale text NOT NULL,
  visitors integer NOT NULL,
  searches integer NOT NULL,
  search_exits integer NOT NULL,
  votes integer NOT NULL,
  helpful_votes integer NOT NULL,
  contact_viewers integer NOT NULL,
  ticket_creators integer NOT NULL,
  PRIMARY KEY (day, locale)
);

-- Days whose rollup is final: built after the day ended and its search exits could no longer change.
CREATE TABLE event_kpi_days (
  day date PRIMARY KEY,
  rolled_at timestamptz NOT NULL
);

-- Rolled days to build again: late events (or an import) landed in them.
CREATE TABLE event_kpi_dirty_days (
  day date PRIMARY KEY,
  marked_at timestamptz NOT NULL DEFAULT now()
);

-- Ids whose person changed (identity stitching): the job turns them into dirty days.
CREATE TABLE event_kpi_dirty_aliases (
  alias_id text PRIMARY KEY,
  marked_at timestamptz NOT NULL DEFAULT now()
);

-- Events inserted into a rolled day mark it dirty in the inserting transaction, whatever wrote them (the collector,
-- COPY, an import, the CLI). A statement trigger sees a whole batch at once; events of recent, not yet rolled days
-- match no row of event_kpi_days: the cost is one pass over the batch to list its (one or two) days. An event also changes the search exits of the 30
-- minutes before it, which may lie on the previous day.
CREATE FUNCTION event_kpi_mark_late_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_kpi_dirty_days (day)
  SELECT b.day
  FROM (SELECT DISTINCT v.day FROM new_events n,
          LATERAL (VALUES ((n."timestamp" AT TIME ZONE 'UTC')::date),
                          (((n."timestamp" - interval '30 minutes') AT TIME ZONE 'UTC')::date)) v(day)) b
  WHERE EXISTS (SELECT 1 FROM event_kpi_days k WHERE k.day = b.day)
  ON CONFLICT (day) DO UPDATE SET marked_at = now();
  RETURN NULL;
END $$;

CREATE TRIGGER events_kpi_late AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION event_kpi_mark_late_events();

CREATE FUNCTION event_kpi_mark_alias() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_kpi_dirty_aliases (alias_id) VALUES (NEW.alias_id)
  ON CONFLICT (alias_id) DO UPDATE SET marked_at = now();
  RETURN NULL;
END $$;

CREATE TRIGGER event_identities_kpi AFTER INSERT OR UPDATE ON event_identities
  FOR EACH ROW EXECUTE FUNCTION event_kpi_mark_alias();
