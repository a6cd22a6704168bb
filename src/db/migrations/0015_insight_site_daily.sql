-- Insights: the help center's own daily figures per reader locale, for the overview's KPIs (contact rate,
-- self-service score, search exit rate), rebuilt with insight_article_daily by the 'insights.rollup' job so the
-- overview never reads raw events. Definitions are those of the events module's KPIs (query-kpis.ts), per day:
--   visitors         distinct people (stitched identity) with a counted track, page or screen event
--   searches         counted "Search Performed" events
--   search_exits     of those, the searches after which the same reader did nothing else within 30 minutes
--                    (besides the results page)
--   contact_viewers  distinct people who opened the contact form
--   ticket_creators  distinct people who filed a ticket
-- People are distinct within a day and locale: summed over days they are person-days, so a period's rate divides
-- person-days by person-days. `locale` is the event's reader locale, '' when the event had none.
CREATE TABLE insight_site_daily (
  day date NOT NULL,
  locale text NOT NULL CHECK (length(locale) <= 20),
  visitors integer NOT NULL DEFAULT 0,
  searches integer NOT NULL DEFAULT 0,
  search_exits integer NOT NULL DEFAULT 0,
  contact_viewers integer NOT NULL DEFAULT 0,
  ticket_creators integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, locale)
);
