-- Content: topics (a tree), articles, per-locale translations and their immutable numbered revisions.

CREATE TABLE topics (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
  parent_id integer REFERENCES topics (id) ON DELETE RESTRICT,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX topics_parent_idx ON topics (parent_id, position);

CREATE TABLE topic_translations (
  topic_id integer NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
  locale text NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  PRIMARY KEY (topic_id, locale)
);

CREATE TABLE articles (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
  topic_id integer NOT NULL REFERENCES topics (id) ON DELETE RESTRICT,
  source_locale text NOT NULL DEFAULT 'en',
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX articles_topic_idx ON articles (topic_id, position);

-- One row per article and locale; the source language is a translation like any other.
CREATE TABLE article_translations (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  locale text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
  published_revision_id integer,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (article_id, locale)
);
CREATE INDEX article_translations_locale_idx ON article_translations (locale, status);

-- Immutable: a change is a new revision with the next number.
CREATE TABLE article_revisions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  translation_id integer NOT NULL REFERENCES article_translations (id) ON DELETE CASCADE,
  number integer NOT NULL CHECK (number >= 1),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body_md text NOT NULL CHECK (length(body_md) <= 200000),
  keywords text[] NOT NULL DEFAULT '{}',
  author text NOT NULL CHECK (length(author) BETWEEN 1 AND 120),
  -- For a translation: the source-language revision it was translated from, so an outdated translation is known.
  source_revision_id integer REFERENCES article_revisions (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (translation_id, number)
);

ALTER TABLE article_translations
  ADD CONSTRAINT article_translations_published_revision_fk
  FOREIGN KEY (published_revision_id) REFERENCES article_revisions (id);

-- Regions set currency (for {{price:key}} placeholders) and the help center theme.
CREATE TABLE regions (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]{2,20}$'),
  name text NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  countries text[] NOT NULL DEFAULT '{}',
  theme jsonb NOT NULL DEFAULT '{}',
  is_default boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX regions_one_default ON regions (is_default) WHERE is_default;

CREATE TABLE prices (
  key text NOT NULL CHECK (key ~ '^[a-z0-9_]{1,60}$'),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (key, currency)
);

-- Article page views per day, flushed in batches by the site; drives "popular articles".
CREATE TABLE article_daily_views (
  article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  locale text NOT NULL,
  day date NOT NULL,
  views integer NOT NULL DEFAULT 0,
  PRIMARY KEY (article_id, locale, day)
);
