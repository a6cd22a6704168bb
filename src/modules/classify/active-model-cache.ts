import type { DB } from '../../db/client.js';
import type { Bus } from '../../shared/bus.js';
import type { ModelCategory } from './classify.tables.js';
import type { TrainedModel } from './classify.types.js';
import { deserializeModel } from './serialize-model.js';

/** The active model of this process, with the categories it knew when trained. */
export interface ActiveModel {
  version: number;
  model: TrainedModel;
  categories: Map<number, ModelCategory>;
}

/**
 * Each process keeps the active model in memory and checks which version is active before using it (one indexed
 * read), so an activation by any process is picked up by all of them without a restart. The bus events
 * ('classify.model.activated', 'cluster.resync') only release the memory of a model no longer active.
 */
export class ActiveModelCache {
  private cached: ActiveModel | null = null;
  private loading: Promise<ActiveModel | null> | undefined;

  constructor(
    private readonly db: DB,
    bus?: Bus,
  ) {
    bus?.on('classify.model.activated', ({ version }) => {
      if (this.cached?.version !== version) this.cached = null;
    });
    bus?.on('cluster.resync', () => {
      this.cached = null;
    });
  }

  /** The active model, or null when no version has been activated. */
  async current(): Promise<ActiveModel | null> {
    const active = await this.db
      .selectFrom('model_versions')
      .select('id')
      .where('is_active', '=', true)
      .executeTakeFirst();
    if (!active) {
      this.cached = null;
      return null;
    }
    if (this.cached?.version === active.id) return this.cached;
    this.loading ??= this.load(active.id).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** A specific version's model (for comparisons), not cached. */
  async version(version: number): Promise<ActiveModel | null> {
    if (this.cached?.version === version) return this.cached;
    return this.read(version);
  }

  private async load(version: number): Promise<ActiveModel | null> {
    const loaded = await this.read(version);
    if (loaded) this.cached = loaded;
    return loaded;
  }

  private async read(version: number): Promise<ActiveModel | null> {
    const row = await this.db
      .selectFrom('model_versions')
      .select(['id', 'model', 'categories'])
      .where('id', '=', version)
      .where('status', '=', 'ready')
      .executeTakeFirst();
    if (!row?.model) return null;
    const bytes = row.model instanceof Uint8Array ? row.model : new Uint8Array(row.model);
    return {
      version: row.id,
      model: deserializeModel(bytes),
      categories: new Map((row.categories as ModelCategory[]).map((c) => [c.id, c])),
    };
  }
}
