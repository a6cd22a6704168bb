import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** Every setting the process reads from its environment; the only reader of `process.env`. */
const ZEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * A read replica of DATABASE_URL for dashboards, insights and exports (read-only; may lag the primary by the
   * replication delay). Unset: they read the primary.
   */
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Processes on one PostgreSQL server: how often each reads the change table even without a notification (ms). */
  ANSWERLOOP_CHANGE_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * Rate limits and abuse budgets: 'database' keeps the counters in PostgreSQL (shared by every process), 'memory' in
   * each process; 'auto' is 'database' with DATABASE_URL and 'memory' with the embedded single-process database.
   */
  ANSWERLOOP_RATE_LIMIT_STORE: z.enum(['auto', 'database', 'memory']).default('auto'),
  /** Public pages: cache rendered pages per locale, region and content version ('false' renders every request). */
  ANSWERLOOP_PAGE_CACHE: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Public pages: the page cache's size in MiB (compressed bodies and their plain text). */
  ANSWERLOOP_PAGE_CACHE_MB: z.coerce.number().int().min(1).max(4_096).default(64),
  /** Public pages: how long a CDN in front may serve a page without asking (s-maxage, seconds). */
  ANSWERLOOP_PAGE_S_MAXAGE: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Public pages: how long past that a CDN may serve it stale while it revalidates (seconds). */
  ANSWERLOOP_PAGE_STALE_S: z.coerce.number().int().min(0).max(604_800).default(600),
  /** Events: whole months of events kept; older monthly partitions are dropped by a daily job. 0 keeps everything. */
  ANSWERLOOP_EVENTS_RETENTION_MONTHS: z.coerce.number().int().min(0).max(1_200).default(25),
  ANSWERLOOP_DATA_DIR: z.string().min(1).default('./data'),
  ANSWERLOOP_ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters so it cannot be guessed')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** First start: the admin created when no user exists (and the password printed once when this one is unset). */
  ANSWERLOOP_ADMIN_EMAIL: z
    .string()
    .trim()
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')
    .default('admin@localhost'),
  ANSWERLOOP_ADMIN_PASSWORD: z
    .string()
    .min(10, 'must be at least 10 characters')
    .max(200, 'must be at most 200 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * Which peers may set X-Forwarded-For/-Host/-Proto: unset or 'false' trusts none (the socket address is the
   * client); a hop count ('1' behind one load balancer); or a comma-separated list of proxy addresses and CIDRs
   * (also 'loopback', 'linklocal', 'uniquelocal'). Never 'true': any client could then pick its own address.
   */
  ANSWERLOOP_TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, context): TrustProxy => {
      const text = (value ?? '').trim();
      if (text === '' || text === 'false' || text === 'off' || text === '0') return false;
      if (/^\d+$/.test(text)) {
        const hops = Number(text);
        if (hops > 20) context.addIssue({ code: 'custom', message: 'a hop count must be at most 20' });
        return hops;
      }
      if (text === 'true') {
        context.addIssue({
          code: 'custom',
          message: "'true' would let any client choose its own address; give a hop count or the proxies' addresses",
        });
        return false;
      }
      const entries = text
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0);
      for (const entry of entries) {
        if (!isProxyAddress(entry)) {
          context.addIssue({ code: 'custom', message: `'${entry}' is not an IP address, a CIDR or a named range` });
        }
      }
      return entries;
    }),
  /** Header set by a trusted proxy with the reader's ISO country code, e.g. CF-IPCountry. */
  ANSWERLOOP_COUNTRY_HEADER: z.string().min(1).default('cf-ipcountry'),
  /** Public base URL used in canonical and hreflang links; defaults to the request's host. */
  ANSWERLOOP_PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Events: 'queued' answers 200 once a message is validated and queued; 'durable' only after it is committed. */
  ANSWERLOOP_EVENTS_ACK: z.enum(['queued', 'durable']).default('queued'),
  /** Events: the ingestion queue's bounds; past either, the collector answers 503 with Retry-After. */
  ANSWERLOOP_EVENTS_QUEUE_MAX_EVENTS: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  ANSWERLOOP_EVENTS_QUEUE_MAX_MB: z.coerce.number().int().min(1).max(4096).default(64),
  /** Events: the queue holds at most what the database is measured to write in this long (at least one batch). */
  ANSWERLOOP_EVENTS_QUEUE_MAX_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** Events: a batch is written when this many events wait, or FLUSH_MS after the first one arrived. */
  ANSWERLOOP_EVENTS_BATCH_SIZE: z.coerce.number().int().min(1).max(20_000).default(2_000),
  ANSWERLOOP_EVENTS_FLUSH_MS: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Events: how a reader's IP address is kept: salted hash (salt rotates), truncated (/24, /48), or not at all. */
  ANSWERLOOP_EVENTS_IP: z.enum(['hash', 'truncate', 'none']).default('hash'),
  ANSWERLOOP_EVENTS_SALT_ROTATION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 366)
    .default(24),
  /** Events: drop messages from browsers that send DNT: 1 or Sec-GPC: 1 ('false' to disable). */
  ANSWERLOOP_EVENTS_HONOR_DNT: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Events: origins allowed to send to the collector from a browser, comma-separated; '*' for any. */
  ANSWERLOOP_EVENTS_CORS_ORIGINS: z.string().min(1).default('*'),
  /** Tickets: keep requester emails as a (keyed) hash, or as the address itself. */
  ANSWERLOOP_REQUESTER_EMAILS: z.enum(['hash', 'plain']).default('hash'),
  /** Tickets: a secret key for hashing requester emails (HMAC-SHA256); unset means a key derived from the installation secret. */
  ANSWERLOOP_REQUESTER_HASH_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Search: distinct readers and distinct networks whose clicks a query needs before it is suggested or boosts. */
  ANSWERLOOP_SEARCH_MIN_READERS: z.coerce.number().int().min(1).max(10_000).default(3),
  ANSWERLOOP_SEARCH_MIN_NETWORKS: z.coerce.number().int().min(1).max(10_000).default(3),
  /** Search: a reader identity younger than this (minutes) is not evidence; a cookie jar can't be backdated. */
  ANSWERLOOP_SEARCH_MIN_READER_AGE_MINUTES: z.coerce.number().int().min(0).max(525_600).default(60),
  /** Search: comma-separated words or phrases a suggested query must never contain. */
  ANSWERLOOP_SEARCH_BLOCKLIST: z.string().max(20_000).default(''),
  /** Tickets: replace emails, phone and other long numbers, links and codes in stored subjects and bodies ('false' keeps them). */
  ANSWERLOOP_TICKET_REDACT: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Background jobs: poll the jobs table every this many ms; 'false' in ANSWERLOOP_JOBS stops this process's runner. */
  ANSWERLOOP_JOBS_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  ANSWERLOOP_JOBS: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Logging: request lines carry the path only; 'true' logs full URLs with their query strings (search terms). */
  ANSWERLOOP_LOG_FULL_URLS: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Insights alerts: let the webhook point at loopback and private-network addresses (off: refused, against SSRF). */
  ANSWERLOOP_ALERT_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Forms: where tickets are forwarded (unset: they stay in Answerloop), and how. */
  ANSWERLOOP_HELPDESK_URL: z
    .string()
    .url('must be an http(s) URL')
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ANSWERLOOP_HELPDESK_KIND: z.enum(['webhook', 'zendesk']).default('webhook'),
  /** Signs every webhook body (X-Answerloop-Signature: sha256=<HMAC>); required with the webhook connector. */
  ANSWERLOOP_HELPDESK_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Zendesk: the agent's email with an API token (token auth) or a password (basic auth). */
  ANSWERLOOP_HELPDESK_EMAIL: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ANSWERLOOP_HELPDESK_TOKEN: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ANSWERLOOP_HELPDESK_PASSWORD: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Forwarding retries: the first delay (doubling, with jitter), its cap, attempts before a delivery is failed. */
  ANSWERLOOP_HELPDESK_RETRY_MS: z.coerce.number().int().min(1).max(3_600_000).default(1000),
  ANSWERLOOP_HELPDESK_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400_000)
    .default(15 * 60_000),
  ANSWERLOOP_HELPDESK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  ANSWERLOOP_HELPDESK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Zendesk: form field names to custom field ids, as JSON ('{"order_id":360001}'); answers fill those fields. */
  ANSWERLOOP_HELPDESK_ZENDESK_FIELDS: z
    .string()
    .max(10_000)
    .default('{}')
    .transform((text, check) => {
      try {
        const value: unknown = JSON.parse(text || '{}');
        const fields = z.record(z.string().min(1).max(40), z.number().int().positive()).parse(value);
        return fields;
      } catch {
        check.addIssue({ code: 'custom', message: 'must be a JSON object of field names to Zendesk field ids' });
        return z.NEVER;
      }
    }),
  /** Forms: the proof-of-work challenge (off for deployments that protect the form in front). */
  ANSWERLOOP_FORMS_CHALLENGE: z
    .enum(['on', 'off', 'true', 'false', '1', '0'])
    .default('on')
    .transform((v) => v === 'on' || v === 'true' || v === '1'),
  /** Forms: submissions one client network (/24, /64) may make, e.g. 5/10m; "off" for none. */
  ANSWERLOOP_FORMS_RATE_LIMIT: z
    .string()
    .default('5/10m')
    .transform((value, context) => parseRate(value, context)),
  /** Forms: submissions one form takes from everyone together, e.g. 300/10m; "off" for none. */
  ANSWERLOOP_FORMS_FORM_RATE_LIMIT: z
    .string()
    .default('300/10m')
    .transform((value, context) => parseRate(value, context)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

export type Env = z.infer<typeof ZEnv>;

/** A rate as "count/window" (window in s, m, h or d), or null for "off". */
export interface Rate {
  count: number;
  windowMs: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseRate(value: string, context: z.RefinementCtx): Rate | null {
  const text = value.trim().toLowerCase();
  if (text === 'off' || text === 'false' || text === '0') return null;
  const match = /^(\d{1,6})\s*\/\s*(\d{1,4})?\s*([smhd])$/.exec(text);
  if (!match) {
    context.addIssue({ code: 'custom', message: 'must be a count per window such as 5/10m, 100/1h, or off' });
    return null;
  }
  const count = Number(match[1]);
  const windowMs = Number(match[2] ?? '1') * (UNIT_MS[match[3] as string] as number);
  if (count < 1 || windowMs < 1000) context.addIssue({ code: 'custom', message: 'must allow at least 1 per second' });
  return { count, windowMs };
}

/** Fastify's `trustProxy`: none, a hop count, or the proxies' addresses and CIDRs. */
export type TrustProxy = false | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export interface AppConfig {
  port: number;
  host: string;
  /** Unset means the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  /** A read replica for dashboards and exports (only with `databaseUrl`). */
  databaseReadUrl: string | undefined;
  /** The change feed's safety-net poll (ms). */
  changePollMs: number;
  /** Where rate-limit counters live: shared in the database, or per process. */
  rateLimitStore: 'database' | 'memory';
  site: SiteConfig;
  dataDir: string;
  adminToken: string | undefined;
  /** The first admin's email and password (unset: generated on first start and printed once). */
  adminEmail: string;
  adminPassword: string | undefined;
  /** Proxies whose forwarding headers are believed (client address, host, scheme). */
  trustProxy: TrustProxy;
  countryHeader: string;
  publicUrl: string | undefined;
  events: EventsConfig;
  feedback: FeedbackConfig;
  jobs: JobsConfig;
  search: SearchConfig;
  logLevel: Env['LOG_LEVEL'];
  /** Log request URLs with their query strings (off: paths only). */
  logFullUrls: boolean;
  nodeEnv: Env['NODE_ENV'];
  alerts: AlertsConfig;
  forms: FormsConfig;
  helpdesk: HelpdeskConfig;
}

/** The public site's page cache and the Cache-Control it sends. */
export interface SiteConfig {
  pageCache: boolean;
  pageCacheBytes: number;
  sMaxAge: number;
  staleWhileRevalidate: number;
}

/** Anti-abuse settings of the contact forms. */
export interface FormsConfig {
  challenge: boolean;
  /** Per client network (/24, /64); null: no limit. */
  rateLimit: Rate | null;
  /** Per form, from everyone; null: no limit. */
  formRateLimit: Rate | null;
}

/** Where tickets are forwarded; `url` unset: nowhere (they stay in Answerloop). */
export interface HelpdeskConfig {
  url: string | undefined;
  kind: 'webhook' | 'zendesk';
  secret: string | undefined;
  email: string | undefined;
  token: string | undefined;
  password: string | undefined;
  retryMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  timeoutMs: number;
  /** Zendesk custom field ids by form field name. */
  zendeskFields: Record<string, number>;
}

/** Settings of the insights alerts' outbound webhook. */
export interface AlertsConfig {
  /** Loopback, private and link-local webhook addresses are allowed (tests, an intranet receiver). */
  webhookAllowPrivate: boolean;
}

/** Settings of the event collector and its ingestion queue (module events). */
export interface EventsConfig {
  ack: 'queued' | 'durable';
  queueMaxEvents: number;
  queueMaxBytes: number;
  /** The time bound of the queue, in ms of measured database write throughput. */
  queueMaxMs: number;
  batchSize: number;
  flushMs: number;
  ipMode: 'hash' | 'truncate' | 'none';
  saltRotationHours: number;
  honorDnt: boolean;
  /** '*' or a list of allowed origins. */
  corsOrigins: '*' | string[];
  /** Whole months of events kept (0: all). */
  retentionMonths: number;
}

/** Settings of the feedback module (tickets). */
export interface FeedbackConfig {
  requesterEmails: 'hash' | 'plain';
  requesterHashKey: string | undefined;
  /** Replace personal data (emails, numbers, links, codes) in stored ticket subjects and bodies. */
  redactTickets: boolean;
}

/** What the search module needs before readers' behaviour may change what other readers see. */
export interface SearchConfig {
  minReaders: number;
  minNetworks: number;
  minReaderAgeMinutes: number;
  blocklist: string[];
}

/** Settings of the background job runner. */
export interface JobsConfig {
  enabled: boolean;
  pollMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment, listing every problem at once. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  const helpdeskProblems: string[] = [];
  if (env.ANSWERLOOP_HELPDESK_URL && env.ANSWERLOOP_HELPDESK_KIND === 'webhook' && !env.ANSWERLOOP_HELPDESK_SECRET) {
    helpdeskProblems.push('ANSWERLOOP_HELPDESK_SECRET: the webhook help desk needs a secret to sign its bodies');
  }
  if (
    env.ANSWERLOOP_HELPDESK_URL &&
    env.ANSWERLOOP_HELPDESK_KIND === 'zendesk' &&
    (!env.ANSWERLOOP_HELPDESK_EMAIL || !(env.ANSWERLOOP_HELPDESK_TOKEN || env.ANSWERLOOP_HELPDESK_PASSWORD))
  ) {
    helpdeskProblems.push(
      'ANSWERLOOP_HELPDESK_EMAIL: the Zendesk help desk needs an agent email with ANSWERLOOP_HELPDESK_TOKEN or ANSWERLOOP_HELPDESK_PASSWORD',
    );
  }
  if (helpdeskProblems.length > 0) throw new ConfigError(helpdeskProblems);
  return {
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    databaseReadUrl: env.DATABASE_URL ? env.DATABASE_READ_URL : undefined,
    changePollMs: env.ANSWERLOOP_CHANGE_POLL_MS,
    rateLimitStore:
      env.ANSWERLOOP_RATE_LIMIT_STORE === 'auto'
        ? env.DATABASE_URL
          ? 'database'
          : 'memory'
        : env.ANSWERLOOP_RATE_LIMIT_STORE,
    site: {
      pageCache: env.ANSWERLOOP_PAGE_CACHE,
      pageCacheBytes: env.ANSWERLOOP_PAGE_CACHE_MB * 1024 * 1024,
      sMaxAge: env.ANSWERLOOP_PAGE_S_MAXAGE,
      staleWhileRevalidate: env.ANSWERLOOP_PAGE_STALE_S,
    },
    dataDir: path.resolve(env.ANSWERLOOP_DATA_DIR),
    adminToken: env.ANSWERLOOP_ADMIN_TOKEN,
    adminEmail: env.ANSWERLOOP_ADMIN_EMAIL.toLowerCase(),
    adminPassword: env.ANSWERLOOP_ADMIN_PASSWORD,
    trustProxy: env.ANSWERLOOP_TRUST_PROXY,
    countryHeader: env.ANSWERLOOP_COUNTRY_HEADER.toLowerCase(),
    publicUrl: env.ANSWERLOOP_PUBLIC_URL?.replace(/\/$/, ''),
    events: {
      ack: env.ANSWERLOOP_EVENTS_ACK,
      queueMaxEvents: env.ANSWERLOOP_EVENTS_QUEUE_MAX_EVENTS,
      queueMaxBytes: env.ANSWERLOOP_EVENTS_QUEUE_MAX_MB * 1024 * 1024,
      queueMaxMs: env.ANSWERLOOP_EVENTS_QUEUE_MAX_MS,
      batchSize: env.ANSWERLOOP_EVENTS_BATCH_SIZE,
      flushMs: env.ANSWERLOOP_EVENTS_FLUSH_MS,
      ipMode: env.ANSWERLOOP_EVENTS_IP,
      saltRotationHours: env.ANSWERLOOP_EVENTS_SALT_ROTATION_HOURS,
      honorDnt: env.ANSWERLOOP_EVENTS_HONOR_DNT,
      corsOrigins:
        env.ANSWERLOOP_EVENTS_CORS_ORIGINS.trim() === '*'
          ? '*'
          : env.ANSWERLOOP_EVENTS_CORS_ORIGINS.split(',')
              .map((o) => o.trim())
              .filter((o) => o.length > 0),
      retentionMonths: env.ANSWERLOOP_EVENTS_RETENTION_MONTHS,
    },
    feedback: {
      requesterEmails: env.ANSWERLOOP_REQUESTER_EMAILS,
      requesterHashKey: env.ANSWERLOOP_REQUESTER_HASH_KEY,
      redactTickets: env.ANSWERLOOP_TICKET_REDACT,
    },
    jobs: { enabled: env.ANSWERLOOP_JOBS, pollMs: env.ANSWERLOOP_JOBS_POLL_MS },
    search: {
      minReaders: env.ANSWERLOOP_SEARCH_MIN_READERS,
      minNetworks: env.ANSWERLOOP_SEARCH_MIN_NETWORKS,
      minReaderAgeMinutes: env.ANSWERLOOP_SEARCH_MIN_READER_AGE_MINUTES,
      blocklist: env.ANSWERLOOP_SEARCH_BLOCKLIST.split(',')
        .map((term) => term.trim())
        .filter((term) => term.length > 0),
    },
    logLevel: env.LOG_LEVEL,
    logFullUrls: env.ANSWERLOOP_LOG_FULL_URLS,
    nodeEnv: env.NODE_ENV,
    alerts: { webhookAllowPrivate: env.ANSWERLOOP_ALERT_WEBHOOK_ALLOW_PRIVATE },
    forms: {
      challenge: env.ANSWERLOOP_FORMS_CHALLENGE,
      rateLimit: env.ANSWERLOOP_FORMS_RATE_LIMIT,
      formRateLimit: env.ANSWERLOOP_FORMS_FORM_RATE_LIMIT,
    },
    helpdesk: {
      url: env.ANSWERLOOP_HELPDESK_URL,
      kind: env.ANSWERLOOP_HELPDESK_KIND,
      secret: env.ANSWERLOOP_HELPDESK_SECRET,
      email: env.ANSWERLOOP_HELPDESK_EMAIL,
      token: env.ANSWERLOOP_HELPDESK_TOKEN,
      password: env.ANSWERLOOP_HELPDESK_PASSWORD,
      retryMs: env.ANSWERLOOP_HELPDESK_RETRY_MS,
      retryMaxMs: env.ANSWERLOOP_HELPDESK_RETRY_MAX_MS,
      maxAttempts: env.ANSWERLOOP_HELPDESK_MAX_ATTEMPTS,
      timeoutMs: env.ANSWERLOOP_HELPDESK_TIMEOUT_MS,
      zendeskFields: env.ANSWERLOOP_HELPDESK_ZENDESK_FIELDS,
    },
  };
}
