-- Search: analytics of searches and clicks (they drive query suggestions), contacts after a search, and synonyms.

-- One row per search a reader ran (results page, API, or a typeahead query they acted on). The query is stored with
-- personal data (emails, long numbers...) replaced; `normalized` groups spellings of the same words.
CREATE TABLE search_queries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  locale text NOT NULL CHECK (length(locale) BETWEEN 2 AND 10),
  query text NOT NULL CHECK (length(query) BETWEEN 1 AND 200),
  normalized text NOT NULL CHECK (length(normalized) <= 400),
  results integer NOT NULL CHECK (results >= 0),
  source text NOT NULL CHECK (source IN ('page', 'api', 'typeahead', 'demo')),
  session_id text CHECK (length(session_id) <= 64),
  reader_id text CHECK (length(reader_id) <= 64),
  had_personal_data boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_queries_locale_time_idx ON search_queries (locale, created_at);
CREATE INDEX search_queries_session_idx ON search_queries (session_id, created_at);

-- A click on a suggested article (typeahead) or on a result (results page), with its 1-based position.
CREATE TABLE search_clicks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  search_id bigint REFERENCES search_queries (id) ON DELETE CASCADE,
  locale text NOT NULL CHECK (length(locale) BETWEEN 2 AND 10),
  slug text NOT NULL CHECK (length(slug) <= 120),
  position integer NOT NULL CHECK (position BETWEEN 1 AND 100),
  kind text NOT NULL CHECK (kind IN ('suggestion', 'result')),
  session_id text CHECK (length(session_id) <= 64),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_clicks_search_idx ON search_clicks (search_id);

-- A reader who searched and then went to the contact page in the same session: the search did not help.
CREATE TABLE search_contacts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id text NOT NULL CHECK (length(session_id) BETWEEN 1 AND 64),
  locale text CHECK (length(locale) BETWEEN 2 AND 10),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_contacts_session_idx ON search_contacts (session_id, created_at);

-- Groups of words or phrases that mean the same in one locale ("login", "sign in", "log in").
CREATE TABLE search_synonyms (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  locale text NOT NULL CHECK (length(locale) BETWEEN 2 AND 10),
  terms text[] NOT NULL CHECK (cardinality(terms) BETWEEN 2 AND 20),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_synonyms_locale_idx ON search_synonyms (locale);
