import type { AppConfig } from '../config/env.js';
import type { DB } from '../db/client.js';
import type { ContentReader, RegionCatalog, ViewCounter } from '../modules/content/index.js';
import type { Bus } from '../shared/bus.js';

/** What every route plugin receives: the database, configuration and shared in-process services. */
export interface AppContext {
  config: AppConfig;
  db: DB;
  bus: Bus;
  /** The region catalogue, reloaded when regions change. */
  regions(): RegionCatalog;
  views: ViewCounter;
  /** Cached reads of published content for public pages. */
  content: ContentReader;
}
