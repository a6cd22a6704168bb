-- Votes imported from another help center: `external_id` is the other system's id, so importing the same file
-- again adds nothing; their source is 'import'. Their reader is derived from that id ('import:' || external_id).
ALTER TABLE article_votes
  ADD COLUMN external_id text UNIQUE CHECK (length(external_id) BETWEEN 1 AND 90);
ALTER TABLE article_votes DROP CONSTRAINT article_votes_source_check;
ALTER TABLE article_votes
  ADD CONSTRAINT article_votes_source_check CHECK (source IN ('site', 'api', 'demo', 'import'));
