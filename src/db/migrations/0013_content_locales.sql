-- Content locales are configuration: the site serves every enabled row, in `position` order, falling back along
-- `fallback` (an ordered chain of other codes; the application refuses unknown codes and cycles). A locale is never
-- deleted, only disabled, so the content written in it keeps its meaning.
CREATE TABLE content_locales (
  code text PRIMARY KEY CHECK (
    length(code) <= 35 AND code ~ '^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3}|-[0-9]{3})?$'
  ),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  direction text NOT NULL DEFAULT 'ltr' CHECK (direction IN ('ltr', 'rtl')),
  fallback text[] NOT NULL DEFAULT '{}' CHECK (cardinality(fallback) <= 10 AND NOT (code = ANY (fallback))),
  enabled boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 1000000),
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO content_locales (code, name, direction, fallback, position) VALUES
  ('en', 'English', 'ltr', '{}', 0),
  ('es', 'Español', 'ltr', '{en}', 1),
  ('ru', 'Русский', 'ltr', '{en}', 2),
  ('ar', 'العربية', 'rtl', '{en}', 3),
  ('he', 'עברית', 'rtl', '{en}', 4),
  ('ja', '日本語', 'ltr', '{en}', 5);

-- Content can only be written in a configured locale (until now the six built-ins, so existing rows all fit).
ALTER TABLE topic_translations
  ADD CONSTRAINT topic_translations_locale_fk FOREIGN KEY (locale) REFERENCES content_locales (code);
ALTER TABLE article_translations
  ADD CONSTRAINT article_translations_locale_fk FOREIGN KEY (locale) REFERENCES content_locales (code);
ALTER TABLE articles
  ADD CONSTRAINT articles_source_locale_fk FOREIGN KEY (source_locale) REFERENCES content_locales (code);
