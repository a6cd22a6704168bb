-- Insights for one article: who read it in a period, to tie the tickets its readers filed within 24 hours to it
-- (its categories). Without this, that lookup scans every "Article Viewed" of the period (millions of rows).
CREATE INDEX events_article_viewed_idx ON events ((properties->>'article_slug'), "timestamp")
  WHERE event = 'Article Viewed';
