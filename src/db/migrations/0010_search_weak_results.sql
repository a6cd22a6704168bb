-- A search whose results only partly matched (articles matched some words, none above the relevance floor): a
-- content gap hiding behind results, which "no results" alone would miss. Earlier rows were not measured: false.
ALTER TABLE search_queries ADD COLUMN weak boolean NOT NULL DEFAULT false;
