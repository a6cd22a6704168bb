import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import type { DiscoverThemesResult } from './discover-themes.js';
import { discoverThemesInWorker } from './discover-themes-in-worker.js';
import { fillItemLanguages } from './fill-item-languages.js';
import { loadThemeInput, THEME_RUN_STALE_MS } from './themes.queries.js';

/** The newest texts clustered per run (bench/themes.ts times a run of this many). */
export const THEME_TEXT_CAP = 5_000;
const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

/**
 * Starts theme discovery over the window's unlabelled and unsure vote comments and tickets: records a 'running' run
 * and returns its id at once; `finished` settles when the run is 'ready' with its proposals (one transaction, with
 * the audit entry) or 'failed' with the reason (it never rejects). The clustering runs in a worker thread, one
 * language at a time, so the process keeps answering; progress is written to the run as it goes. One run at a time
 * across processes (a unique index): a second one is refused with THEME_DISCOVERY_RUNNING, except over a stale run,
 * which is marked failed first.
 */
export async function runThemeDiscovery(
  db: DB,
  options: {
    windowDays?: number;
    limit?: number;
    seed?: number;
    now?: Date;
    actor: AuditActor;
    /** Aborting (the server closing) stops the worker; the run is marked failed. */
    signal?: AbortSignal;
  },
): Promise<{ runId: number; finished: Promise<void> }> {
  const windowDays = options.windowDays ?? 90;
  const limit = Math.min(options.limit ?? THEME_TEXT_CAP, THEME_TEXT_CAP);
  const createdBy = options.actor.label.slice(0, 320) || 'unknown';
  let runId: number;
  try {
    runId = await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('theme_runs')
        .set({ status: 'failed', error: 'interrupted: the process running it stopped', finished_at: new Date() })
        .where('status', '=', 'running')
        .where('created_at', '<', new Date(Date.now() - THEME_RUN_STALE_MS))
        .execute();
      const run = await trx
        .insertInto('theme_runs')
        .values({
          status: 'running',
          progress: 0,
          window_days: windowDays,
          model_version_id: null,
          texts: 0,
          capped: false,
          k: 0,
          noise: 0,
          seconds: 0,
          created_by: createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return run.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('THEME_DISCOVERY_RUNNING', 'theme discovery is already running; wait for it to finish');
    }
    throw error;
  }
  const finished = completeRun(db, runId, { ...options, windowDays, limit }).catch(async (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    // The database may be gone too (the server closing); then the run stays 'running' until it is stale.
    await db
      .updateTable('theme_runs')
      .set({ status: 'failed', error: reason.slice(0, 500), finished_at: new Date() })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .execute()
      .catch(() => undefined);
  });
  return { runId, finished };
}

async function completeRun(
  db: DB,
  runId: number,
  options: { windowDays: number; limit: number; seed?: number; now?: Date; actor: AuditActor; signal?: AbortSignal },
): Promise<void> {
  const { windowDays, limit } = options;
  const now = options.now ?? new Date();
  // Every text gets its detected language first: the clustering groups by it.
  await fillItemLanguages(db);
  const input = await loadThemeInput(db, { windowDays, limit, now });
  const started = performance.now();
  // Progress writes are chained (never two at once) and only touch a run still running.
  let progressWrite: Promise<unknown> = Promise.resolve();
  const signals = [AbortSignal.timeout(THEME_RUN_STALE_MS), ...(options.signal ? [options.signal] : [])];
  const result: DiscoverThemesResult = await discoverThemesInWorker(
    { texts: input.texts, labeled: input.labeled, categoryItems: input.categoryItems, now, windowDays },
    { seed: options.seed ?? 13 },
    {
      signal: AbortSignal.any(signals),
      onProgress: (fraction) => {
        progressWrite = progressWrite
          .then(() =>
            db
              .updateTable('theme_runs')
              .set({ progress: Math.min(0.99, fraction) })
              .where('id', '=', runId)
              .where('status', '=', 'running')
              .execute(),
          )
          .catch(() => undefined);
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  await progressWrite;
  await db.transaction().execute(async (trx) => {
    if (result.proposals.length > 0) {
      await trx
        .insertInto('theme_proposals')
        .values(
          result.proposals.map((p, position) => ({
            run_id: runId,
            position,
            kind: p.kind,
            language: p.language,
            category_id: p.categoryId,
            similarity: p.similarity,
            name: (p.terms.slice(0, 3).join(', ') || `theme ${position + 1}`).slice(0, 120),
            terms: p.terms,
            item_ids: p.itemIds,
            example_ids: p.examples.map((e) => e.id),
            share: p.share,
            coherence: p.coherence,
            last_week: p.trend.lastWeek,
            weekly_before: p.trend.weeklyBefore,
          })),
        )
        .execute();
    }
    const languages = result.languages.map(({ language, texts, clustered, k }) => ({ language, texts, clustered, k }));
    const marked = await trx
      .updateTable('theme_runs')
      .set({
        status: 'ready',
        progress: 1,
        model_version_id: input.modelVersion,
        texts: input.texts.length,
        capped: input.capped,
        k: result.k,
        noise: result.noise,
        too_few: result.tooFew,
        languages: JSON.stringify(languages),
        seconds,
        finished_at: sql<Date>`now()`,
      })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    // Marked failed meanwhile (stale): its proposals are not kept.
    if (Number(marked.numUpdatedRows) === 0) throw new Error('the run was marked failed before it finished');
    await recordAudit(trx, {
      actor: options.actor,
      action: 'themes.discover',
      object: { type: 'theme_run', id: runId },
      after: {
        windowDays,
        texts: input.texts.length,
        capped: input.capped,
        k: result.k,
        proposals: result.proposals.length,
        noise: result.noise,
        tooFew: result.tooFew,
        languages,
      },
    });
  });
}
