import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { LIMITS } from '../../shared/limits.js';
import { type CompiledPlan, compilePlan, PlanSchemaError } from './compile-plan.js';
import { BUILT_IN_PLAN, type TrackingPlan, ZTrackingPlan } from './tracking-plan.js';

export interface PlanVersionInfo {
  version: number;
  note: string;
  createdAt: Date;
  eventCount: number;
}

/**
 * The tracking plan: versions in the database, the active (highest) one compiled in memory. A save announces
 * 'events.plan.changed' after commit; the events service of every process then calls `refresh()` (and every
 * minute as a safety net).
 */
export class PlanStore {
  private active: CompiledPlan | undefined;
  private readonly compiled = new Map<number, CompiledPlan>();

  constructor(
    private readonly db: DB,
    private readonly bus?: Bus,
  ) {}

  /** Loads the active plan, creating version 1 (the built-in help-center plan) in an empty database. */
  async load(): Promise<CompiledPlan> {
    await this.db
      .insertInto('event_plan_versions')
      .values({ version: 1, plan: JSON.stringify(BUILT_IN_PLAN), note: 'built-in help center plan' })
      .onConflict((oc) => oc.column('version').doNothing())
      .execute();
    return this.refresh();
  }

  /** The active plan; `load()` must have run. */
  current(): CompiledPlan {
    if (!this.active) throw new Error('the tracking plan has not been loaded');
    return this.active;
  }

  /** Re-reads the highest version when it changed. */
  async refresh(): Promise<CompiledPlan> {
    const row = await this.db
      .selectFrom('event_plan_versions')
      .select((eb) => eb.fn.max('version').as('version'))
      .executeTakeFirst();
    const version = Number(row?.version ?? 0);
    if (version === 0) throw new Error('no tracking plan version exists');
    if (this.active?.version !== version) this.active = await this.get(version);
    return this.active;
  }

  /** One version, compiled (cached). */
  async get(version: number): Promise<CompiledPlan> {
    const cached = this.compiled.get(version);
    if (cached) return cached;
    const row = await this.db
      .selectFrom('event_plan_versions')
      .select(['plan'])
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `tracking plan version ${version} was not found`);
    const plan = ZTrackingPlan.parse(typeof row.plan === 'string' ? JSON.parse(row.plan) : row.plan);
    const compiled = compilePlan(version, plan);
    this.compiled.set(version, compiled);
    // Keep the few most recent versions only: events carry their plan version, but validation uses the active one.
    if (this.compiled.size > 8) this.compiled.delete(Math.min(...this.compiled.keys()));
    return compiled;
  }

  /** Every version, newest first. */
  async list(): Promise<PlanVersionInfo[]> {
    const rows = await this.db
      .selectFrom('event_plan_versions')
      .select([
        'version',
        'note',
        'created_at',
        sql<number>`(SELECT count(*) FROM jsonb_object_keys(plan->'events'))`.as('n'),
      ])
      .orderBy('version', 'desc')
      .execute();
    return rows.map((r) => ({ version: r.version, note: r.note, createdAt: r.created_at, eventCount: Number(r.n) }));
  }

  /** Saves a new version after checking that every schema compiles; it becomes the active plan. */
  async save(plan: TrackingPlan, note: string): Promise<CompiledPlan> {
    const text = JSON.stringify(plan);
    if (Buffer.byteLength(text) > LIMITS.trackingPlanBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `a tracking plan may be at most ${LIMITS.trackingPlanBytes} bytes`);
    }
    try {
      compilePlan(0, plan);
    } catch (error) {
      if (error instanceof PlanSchemaError) throw new AppError('VALIDATION_FAILED', error.message, error.problems);
      throw error;
    }
    // Two editors saving at once: the primary key makes one fail, and it retries on top of the other's version.
    for (let attempt = 0; ; attempt++) {
      try {
        const row = await this.db
          .insertInto('event_plan_versions')
          .columns(['version', 'plan', 'note'])
          .expression((eb) =>
            eb
              .selectFrom('event_plan_versions')
              .select([
                sql<number>`coalesce(max(version), 0) + 1`.as('version'),
                sql<string>`${text}::jsonb`.as('plan'),
                sql<string>`${note}`.as('note'),
              ]),
          )
          .returning('version')
          .executeTakeFirstOrThrow();
        const saved = await this.get(row.version);
        // A concurrent save may have committed a higher version already: never step back to this one.
        if (!this.active || this.active.version < saved.version) this.active = saved;
        this.bus?.emit('events.plan.changed', { version: saved.version });
        return saved;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }
}
