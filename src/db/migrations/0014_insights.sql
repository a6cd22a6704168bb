-- Insights: the publication history of every translation (which revision readers saw when), and the daily rollup
-- that every insights figure reads instead of raw votes and events.

-- One row per time a revision went live in its translation; `ended_at` is set when another revision replaced it or
-- the translation was unpublished. Kept by the trigger below on every path that publishes (API, admin app, CLI,
-- seeding); an import with history inserts its older publications itself, backdated.
CREATE TABLE revision_publications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  translation_id integer NOT NULL REFERENCES article_translations (id) ON DELETE CASCADE,
  revision_id integer NOT NULL REFERENCES article_revisions (id) ON DELETE CASCADE,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX revision_publications_translation_idx ON revision_publications (translation_id, started_at);
-- At most one live publication per translation.
CREATE UNIQUE INDEX revision_publications_live_idx ON revision_publications (translation_id) WHERE ended_at IS NULL;

CREATE FUNCTION record_revision_publication() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  at timestamptz := coalesce(NEW.published_at, now());
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status
     AND NEW.published_revision_id IS NOT DISTINCT FROM OLD.published_revision_id THEN
    RETURN NEW;
  END IF;
  IF NEW.status = 'published' AND NEW.published_revision_id IS NOT NULL THEN
    UPDATE revision_publications SET ended_at = greatest(at, started_at)
      WHERE translation_id = NEW.id AND ended_at IS NULL;
    INSERT INTO revision_publications (translation_id, revision_id, started_at)
      VALUES (NEW.id, NEW.published_revision_id, at);
  ELSE
    UPDATE revision_publications SET ended_at = greatest(now(), started_at)
      WHERE translation_id = NEW.id AND ended_at IS NULL;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER article_translations_publication
  AFTER INSERT OR UPDATE OF status, published_revision_id ON article_translations
  FOR EACH ROW EXECUTE FUNCTION record_revision_publication();

-- What is live today, as the history's first entries.
INSERT INTO revision_publications (translation_id, revision_id, started_at)
  SELECT id, published_revision_id, coalesce(published_at, updated_at)
  FROM article_translations WHERE status = 'published' AND published_revision_id IS NOT NULL;

-- The daily rollup per article × locale (the translation read) × revision, rebuilt a day at a time by the
-- 'insights.rollup' job from article_daily_views, article_votes (counted ones only), tickets and events:
--   views         page views counted by the site (attributed to the revision live at the end of that day)
--   readers       reading sessions: distinct people with "Article Viewed" for this revision that day
--   contacted     of those, the ones who opened the contact form or filed a ticket within 24 hours
--   searched_again of those, the ones who searched again within 30 minutes (the article did not answer)
--   tickets       tickets the form, the API or an agent tied to the article
--   votes, helpful and the "no" votes per reason
CREATE TABLE insight_article_daily (
  day date NOT NULL,
  article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  locale text NOT NULL CHECK (length(locale) BETWEEN 2 AND 20),
  revision_id integer NOT NULL REFERENCES article_revisions (id) ON DELETE CASCADE,
  views integer NOT NULL DEFAULT 0,
  readers integer NOT NULL DEFAULT 0,
  contacted integer NOT NULL DEFAULT 0,
  searched_again integer NOT NULL DEFAULT 0,
  tickets integer NOT NULL DEFAULT 0,
  votes integer NOT NULL DEFAULT 0,
  helpful integer NOT NULL DEFAULT 0,
  reason_inaccurate integer NOT NULL DEFAULT 0,
  reason_hard_to_understand integer NOT NULL DEFAULT 0,
  reason_missing_information integer NOT NULL DEFAULT 0,
  reason_did_not_solve integer NOT NULL DEFAULT 0,
  reason_other integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, article_id, locale, revision_id)
);
CREATE INDEX insight_article_daily_article_idx ON insight_article_daily (article_id, locale, day);

-- Days whose rollup must be rebuilt (a backdated import, a vote changed later, late events); the job empties it.
CREATE TABLE insight_dirty_days (
  day date PRIMARY KEY,
  marked_at timestamptz NOT NULL DEFAULT now()
);

-- A changed vote (its answer, reason or comment) dirties the day it was first cast.
CREATE INDEX article_votes_updated_idx ON article_votes (updated_at);
-- Tickets tied to an article, for its contacts.
CREATE INDEX tickets_article_idx ON tickets (source_article_id, created_at) WHERE source_article_id IS NOT NULL;
