-- Vote stuffing: votes beyond a plausible budget are kept but flagged (`suspect` says why) and left out of every
-- rating. Budgets are counted per client address and per network (IPv4 /24, IPv6 /64), kept only as keyed hashes
-- (HMAC with a key derived from the installation secret), so the table holds no address. Earlier votes, demo votes
-- and votes given through the operator side have no keys and are never flagged.
ALTER TABLE article_votes
  ADD COLUMN suspect text CHECK (suspect IN ('address_budget', 'network_budget', 'new_identity')),
  ADD COLUMN address_key text CHECK (length(address_key) BETWEEN 1 AND 64),
  ADD COLUMN network_key text CHECK (length(network_key) BETWEEN 1 AND 64);

-- The budget check: counted votes of one network on one article in the last day.
CREATE INDEX article_votes_budget_idx ON article_votes (article_id, network_key, created_at) WHERE suspect IS NULL;
-- The operator's summary of flagged votes.
CREATE INDEX article_votes_suspect_idx ON article_votes (created_at) WHERE suspect IS NOT NULL;
