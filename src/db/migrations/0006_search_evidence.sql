-- Search evidence: suggestions and learned boosts come only from what the server itself observed. A search the
-- server ran gets an unguessable public id and keeps the articles it returned; a click must name that search and one
-- of those articles, and is stored with its reader and a keyed hash of its network, flagged when it must not count.

-- The id handed to the client (random, or the signature of a typeahead answer the reader acted on); never the
-- sequential row id, which anyone could guess.
ALTER TABLE search_queries ADD COLUMN public_id text CHECK (length(public_id) BETWEEN 16 AND 64);
-- The article slugs the server returned, in order: a click on anything else is refused.
ALTER TABLE search_queries ADD COLUMN returned_slugs text[] NOT NULL DEFAULT '{}'
  CHECK (cardinality(returned_slugs) <= 100);
-- HMAC of the client's network (/24, /64) with an installation key: distinct networks can be counted, addresses
-- are never stored.
ALTER TABLE search_queries ADD COLUMN network_key text CHECK (length(network_key) <= 64);
CREATE UNIQUE INDEX search_queries_public_id_idx ON search_queries (public_id);

ALTER TABLE search_clicks ADD COLUMN reader_id text CHECK (length(reader_id) <= 64);
ALTER TABLE search_clicks ADD COLUMN network_key text CHECK (length(network_key) <= 64);
-- Why a click does not count as evidence (NULL: it counts). Stored rather than dropped, so an operator can see it.
ALTER TABLE search_clicks ADD COLUMN suspect text
  CHECK (suspect IN ('unverified', 'young-reader', 'reader-budget', 'network-budget'));
-- Clicks from before this migration were not bound to a search the server returned: they no longer count.
UPDATE search_clicks SET suspect = 'unverified';
CREATE INDEX search_clicks_reader_time_idx ON search_clicks (reader_id, created_at) WHERE suspect IS NULL;
CREATE INDEX search_clicks_network_time_idx ON search_clicks (network_key, created_at) WHERE suspect IS NULL;

-- An operator's decision about a suggested query in one locale: pinned (always offered) or banned (never offered,
-- and no learned boosts from it). Keyed by the query's folded words, like the analytics.
CREATE TABLE search_suggestion_rules (
  locale text NOT NULL CHECK (length(locale) BETWEEN 2 AND 10),
  normalized text NOT NULL CHECK (length(normalized) BETWEEN 1 AND 400),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
  status text NOT NULL CHECK (status IN ('pinned', 'banned')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (locale, normalized)
);
