-- Insights in the readers' words: the queries that led readers to one article (its search clicks in a period) are
-- read per article page; without this index each read would scan every click.
CREATE INDEX search_clicks_article_time_idx ON search_clicks (slug, locale, created_at);
