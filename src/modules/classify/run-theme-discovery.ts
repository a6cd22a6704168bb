import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import { discoverThemes } from './discover-themes.js';
import { loadThemeInput } from './themes.queries.js';

/** The newest texts clustered per run: 5,000 take about 9 s of one core (bench/themes.ts). */
export const THEME_TEXT_CAP = 5_000;

let running = false;

/**
 * Clusters the window's unlabelled and unsure vote comments and tickets and stores the run with its proposals (one
 * transaction). Runs in this process and holds its event loop while clustering (seconds; bounded by the text cap),
 * so one run at a time: a second one is refused with THEME_DISCOVERY_RUNNING.
 */
export async function runThemeDiscovery(
  db: DB,
  options: { windowDays?: number; limit?: number; seed?: number; now?: Date; actor: AuditActor },
): Promise<{ runId: number }> {
  if (running) throw new AppError('THEME_DISCOVERY_RUNNING', 'theme discovery is already running; try again shortly');
  running = true;
  try {
    const windowDays = options.windowDays ?? 90;
    const limit = Math.min(options.limit ?? THEME_TEXT_CAP, THEME_TEXT_CAP);
    const now = options.now ?? new Date();
    const input = await loadThemeInput(db, { windowDays, limit, now });
    const started = performance.now();
    const result = discoverThemes(
      { texts: input.texts, labeled: input.labeled, categoryItems: input.categoryItems, now, windowDays },
      { seed: options.seed ?? 13 },
    );
    const seconds = (performance.now() - started) / 1000;
    return await db.transaction().execute(async (trx) => {
      const run = await trx
        .insertInto('theme_runs')
        .values({
          model_version_id: input.modelVersion,
          window_days: windowDays,
          texts: input.texts.length,
          capped: input.capped,
          k: result.k,
          noise: result.noise,
          seconds,
          created_by: options.actor.label.slice(0, 320) || 'unknown',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (result.proposals.length > 0) {
        await trx
          .insertInto('theme_proposals')
          .values(
            result.proposals.map((p, position) => ({
              run_id: run.id,
              position,
              kind: p.kind,
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
      await recordAudit(trx, {
        actor: options.actor,
        action: 'themes.discover',
        object: { type: 'theme_run', id: run.id },
        after: {
          windowDays,
          texts: input.texts.length,
          capped: input.capped,
          k: result.k,
          proposals: result.proposals.length,
          noise: result.noise,
        },
      });
      return { runId: run.id };
    });
  } finally {
    running = false;
  }
}
