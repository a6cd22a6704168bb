import type { AppConfig } from '../config/env.js';
import type { ChangeFeed } from '../db/change-feed.js';
import type { DB } from '../db/client.js';
import type { JobRunner } from '../jobs/index.js';
import type { SettingsCache } from '../modules/accounts/index.js';
import type { ActiveModelCache } from '../modules/classify/index.js';
import type { ContentReader, LocaleCatalog, RegionCatalog, ViewCounter } from '../modules/content/index.js';
import type { EventsService } from '../modules/events/index.js';
import type { SearchService } from '../modules/search/index.js';
import type { Bus } from '../shared/bus.js';
import type { InstanceKeys } from '../shared/instance-keys.js';
import type { ReaderIdentities } from '../shared/reader-identity.js';
import type { Authenticator } from './auth.js';

/** What every route plugin receives: the database, configuration and shared in-process services. */
export interface AppContext {
  config: AppConfig;
  db: DB;
  /**
   * For dashboards, insights and exports: the read replica (DATABASE_READ_URL) when configured, else `db`. It may lag
   * the primary; never write through it.
   */
  readDb: DB;
  /** Carries the bus's events to and from the other processes on the same database. */
  changes: ChangeFeed;
  /** Turns a request's session cookie or API token into an actor; operator routes guard with `requirePermission`. */
  auth: Authenticator;
  bus: Bus;
  /** The region catalogue, reloaded when regions change. */
  regions(): RegionCatalog;
  /** The content locales (configuration, not code), rebuilt from the bus event `locales.changed`. */
  locales(): LocaleCatalog;
  /** Settles once the reload started by the last `regions.changed` is done (a region write's answer waits for it). */
  regionsReloaded(): Promise<void>;
  views: ViewCounter;
  /** Cached reads of published content for public pages. */
  content: ContentReader;
  /** The in-memory search index, suggestions and search analytics. */
  search: SearchService;
  /** Event collection: the tracking plan, ingestion queue and `emitServerEvent()` for plan events seen server-side. */
  events: EventsService;
  /** Durable background jobs: `poke()` after enqueueing one so it starts at once. */
  jobs: JobRunner;
  /** The active classifier model of this process, reloaded when another version is activated. */
  classifier: ActiveModelCache;
  /** Keys derived from the installation secret (reader cookies, keyed hashes). */
  keys: InstanceKeys;
  /** The help center's settings (name, support email, session lifetimes), cached; `.get()` reads them. */
  settings: SettingsCache;
  /** Issues and verifies the signed anonymous reader cookie: the one reader identity. */
  readers: ReaderIdentities;
}
