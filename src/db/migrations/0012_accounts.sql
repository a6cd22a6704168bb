-- Accounts: users, their sessions and personal API tokens, login throttling, and the help center's settings.
-- Secrets are never stored: sessions and tokens keep the SHA-256 of their random secret, passwords an scrypt hash.
CREATE TABLE users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'translator', 'analyst', 'agent', 'viewer')),
  -- The admin app's language (en, es, ru, ar, he, ja); checked by the API so more can be added without a migration.
  locale text NOT NULL DEFAULT 'en' CHECK (length(locale) BETWEEN 2 AND 20),
  -- The content locales a translator may edit; empty for other roles.
  locales text[] NOT NULL DEFAULT '{}' CHECK (cardinality(locales) <= 50),
  active boolean NOT NULL DEFAULT true,
  password_hash text NOT NULL CHECK (length(password_hash) <= 400),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz
);
-- One account per address, whatever its case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_active_admins_idx ON users (id) WHERE role = 'admin' AND active;

CREATE TABLE sessions (
  -- The public half of the cookie (`<id>.<secret>`); the secret itself is kept only as its SHA-256.
  id text PRIMARY KEY CHECK (length(id) BETWEEN 16 AND 64),
  secret_hash bytea NOT NULL,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL CHECK (length(csrf_token) BETWEEN 16 AND 128),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  -- Absolute expiry at creation; a shorter sessionMaxDays set later is enforced from created_at as well.
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  -- The client's network (IPv4 /24, IPv6 /64) and user agent, clipped, so a user can recognise their sessions.
  network text CHECK (length(network) <= 60),
  user_agent text CHECK (length(user_agent) <= 300)
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE api_tokens (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  -- The token's first characters, shown in lists so its owner can tell tokens apart.
  prefix text NOT NULL CHECK (length(prefix) <= 20),
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at DESC);

-- Failed logins per account (keyed hash of the lowercased email, known or not) and per client address (keyed hash
-- of the IPv4 address or IPv6 /64). Kept in the database so that every process sharing it enforces the same locks.
CREATE TABLE login_throttle (
  key text PRIMARY KEY CHECK (length(key) <= 80),
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  locked_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The help center's settings: exactly one row.
CREATE TABLE settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  help_center_name text NOT NULL DEFAULT 'Pinwheel Help Center' CHECK (length(help_center_name) BETWEEN 1 AND 120),
  support_email text NOT NULL DEFAULT 'support@pinwheel.example' CHECK (length(support_email) BETWEEN 3 AND 320),
  session_idle_hours integer NOT NULL DEFAULT 12 CHECK (session_idle_hours BETWEEN 1 AND 720),
  session_max_days integer NOT NULL DEFAULT 30 CHECK (session_max_days BETWEEN 1 AND 365),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings DEFAULT VALUES;
