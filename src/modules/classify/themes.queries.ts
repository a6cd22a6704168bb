/** Reads and small shared writes of theme discovery: its input, the latest run's proposals, labelling items. */

import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import type {
  ThemeProposalKind,
  ThemeProposalStatus,
  ThemeRunLanguage,
  ThemeRunStatus,
  ThemeRunsTable,
} from './classify.tables.js';
import type { ThemeCategoryItem, ThemeLabeledText, ThemeText } from './discover-themes.js';

/**
 * A run still 'running' after this long was left by a process that died, or hangs: it counts as failed, and a run's
 * worker is stopped at this age so a run marked failed never finishes after all.
 */
export const THEME_RUN_STALE_MS = 10 * 60_000;

/** Labelled examples per category and language used as background and merge targets (the newest). */
const LABELED_PER_CATEGORY = 60;
/** Recent items per category and language checked for a split. */
const ITEMS_PER_CATEGORY = 400;

/** What discovery reads: unlabelled vote comments and tickets the active model was unsure of (or has not seen). */
export async function loadThemeInput(
  db: DB,
  options: { windowDays: number; limit: number; now: Date },
): Promise<{
  modelVersion: number | null;
  texts: ThemeText[];
  capped: boolean;
  labeled: ThemeLabeledText[];
  categoryItems: ThemeCategoryItem[];
}> {
  const active = await db.selectFrom('model_versions').select('id').where('is_active', '=', true).executeTakeFirst();
  const version = active?.id ?? -1;
  const since = new Date(options.now.getTime() - options.windowDays * 86_400_000);
  // Unsure: no answer at all (category null) or no level; a parent-level answer is a partial classification.
  const { rows } = await sql<{
    id: string;
    text: string;
    locale: string | null;
    language: string | null;
    created_at: Date;
  }>`
    SELECT i.id::text AS id, i.text, i.locale, i.language, i.created_at
      FROM feedback_items i
      LEFT JOIN predictions p ON p.item_id = i.id AND p.model_version_id = ${version}
     WHERE i.kind IN ('vote', 'ticket')
       AND i.created_at >= ${since} AND i.created_at <= ${options.now}
       AND NOT EXISTS (SELECT 1 FROM human_labels h WHERE h.item_id = i.id)
       AND (p.item_id IS NULL OR p.category_id IS NULL OR p.level IS NULL)
     ORDER BY i.created_at DESC, i.id DESC
     LIMIT ${options.limit + 1}`.execute(db);
  const capped = rows.length > options.limit;
  const texts = rows.slice(0, options.limit).map((r) => ({
    id: Number(r.id),
    text: r.text,
    locale: r.locale,
    language: r.language,
    createdAt: new Date(r.created_at),
  }));
  const labeled = await sql<{ text: string; category_id: number; language: string | null }>`
    SELECT text, category_id, language FROM (
      SELECT i.text, h.category_id, i.language,
             row_number() OVER (PARTITION BY h.category_id, i.language ORDER BY h.labeled_at DESC, i.id DESC) AS n
        FROM human_labels h
        JOIN feedback_items i ON i.id = h.item_id
        JOIN taxonomy_categories c ON c.id = h.category_id AND c.archived_at IS NULL
    ) ranked
     WHERE n <= ${LABELED_PER_CATEGORY}
     ORDER BY category_id, text`.execute(db);
  const items = await sql<{
    id: string;
    text: string;
    locale: string | null;
    language: string | null;
    created_at: Date;
    category_id: number;
  }>`
    SELECT id, text, locale, language, created_at, category_id FROM (
      SELECT i.id::text AS id, i.text, i.locale, i.language, i.created_at, p.category_id,
             row_number() OVER (PARTITION BY p.category_id, i.language ORDER BY i.created_at DESC, i.id DESC) AS n
        FROM feedback_items i
        JOIN predictions p ON p.item_id = i.id AND p.model_version_id = ${version}
       WHERE i.kind IN ('vote', 'ticket') AND i.created_at >= ${since} AND p.level = 'leaf'
         AND NOT EXISTS (SELECT 1 FROM human_labels h WHERE h.item_id = i.id)
    ) ranked
     WHERE n <= ${ITEMS_PER_CATEGORY}
     ORDER BY category_id, created_at DESC, id DESC`.execute(db);
  return {
    modelVersion: active?.id ?? null,
    texts,
    capped,
    labeled: labeled.rows.map((r) => ({ text: r.text, categoryId: r.category_id, language: r.language })),
    categoryItems: items.rows.map((r) => ({
      id: Number(r.id),
      text: r.text,
      locale: r.locale,
      language: r.language,
      createdAt: new Date(r.created_at),
      categoryId: r.category_id,
    })),
  };
}

export interface ThemeProposalRow {
  id: number;
  runId: number;
  kind: ThemeProposalKind;
  status: ThemeProposalStatus;
  name: string;
  itemIds: number[];
}

/** Locks an open proposal for a decision; 404 when it does not exist, THEME_DECIDED when it was decided. */
export async function lockOpenProposal(trx: DB, id: number): Promise<ThemeProposalRow> {
  const row = await trx
    .selectFrom('theme_proposals')
    .select(['id', 'run_id', 'kind', 'status', 'name', 'item_ids', 'decided_by', 'decided_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound(`theme proposal ${id}`);
  if (row.status !== 'open') {
    const when = row.decided_at ? new Date(row.decided_at).toISOString().slice(0, 16).replace('T', ' ') : '';
    throw new AppError(
      'THEME_DECIDED',
      `this theme was already ${row.status} by ${row.decided_by ?? 'someone'} ${when}`,
    );
  }
  return {
    id: row.id,
    runId: row.run_id,
    kind: row.kind,
    status: row.status,
    name: row.name,
    itemIds: row.item_ids.map(Number),
  };
}

/**
 * The items to label: all of the proposal's, or the chosen subset (which must belong to it). Items deleted since the
 * run are left out.
 */
export async function itemsToLabel(
  trx: DB,
  proposal: ThemeProposalRow,
  chosen: number[] | undefined,
): Promise<number[]> {
  const own = new Set(proposal.itemIds);
  const wanted = chosen ?? proposal.itemIds;
  const foreign = wanted.filter((id) => !own.has(id));
  if (foreign.length > 0) {
    throw new AppError('VALIDATION_FAILED', `items ${foreign.slice(0, 5).join(', ')} are not part of this theme`);
  }
  if (wanted.length === 0) throw new AppError('VALIDATION_FAILED', 'choose at least one item to label');
  const existing = await trx.selectFrom('feedback_items').select('id').where('id', 'in', wanted).execute();
  return existing.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** Adds a human label of one category to each item (kept when already there). */
export async function labelItems(trx: DB, itemIds: number[], categoryId: number, labeledBy: string): Promise<void> {
  for (let start = 0; start < itemIds.length; start += 1000) {
    const part = itemIds.slice(start, start + 1000);
    await trx
      .insertInto('human_labels')
      .values(part.map((item_id) => ({ item_id, category_id: categoryId, labeled_by: labeledBy.slice(0, 120) })))
      .onConflict((oc) => oc.columns(['item_id', 'category_id']).doNothing())
      .execute();
  }
}

/** Marks a proposal decided. */
export async function markDecided(
  trx: DB,
  id: number,
  decision: { status: ThemeProposalStatus; resultCategoryId: number | null; labeled: number | null; by: string },
): Promise<void> {
  await trx
    .updateTable('theme_proposals')
    .set({
      status: decision.status,
      result_category_id: decision.resultCategoryId,
      labeled: decision.labeled,
      decided_by: decision.by.slice(0, 320),
      decided_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export interface ThemeProposalView {
  id: number;
  kind: ThemeProposalKind;
  status: ThemeProposalStatus;
  name: string;
  terms: string[];
  /** merge: the category it resembles; split: the category it is part of. */
  category: string | null;
  similarity: number | null;
  items: number;
  share: number;
  coherence: number;
  trend: { lastWeek: number; weeklyBefore: number };
  examples: { itemId: number; text: string; locale: string | null }[];
  itemIds: number[];
  /** The language its texts are in; null for runs before languages were recorded. */
  language: string | null;
  result: { category: string | null; labeled: number | null; decidedBy: string; decidedAt: string } | null;
}

export interface ThemeRunView {
  id: number;
  /** running → ready or failed; a run left running past THEME_RUN_STALE_MS is shown as failed. */
  status: ThemeRunStatus;
  progress: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string;
  modelVersion: number | null;
  windowDays: number;
  texts: number;
  capped: boolean;
  k: number;
  noise: number;
  tooFew: number;
  languages: ThemeRunLanguage[];
  seconds: number;
}

type ThemeRunRow = Selectable<ThemeRunsTable>;

function presentRun(run: ThemeRunRow): ThemeRunView {
  const stale = run.status === 'running' && Date.now() - new Date(run.created_at).getTime() > THEME_RUN_STALE_MS;
  return {
    id: run.id,
    status: stale ? 'failed' : run.status,
    progress: run.progress,
    error: stale ? 'interrupted: the process running it stopped' : run.error,
    createdAt: new Date(run.created_at).toISOString(),
    finishedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null,
    createdBy: run.created_by,
    modelVersion: run.model_version_id,
    windowDays: run.window_days,
    texts: run.texts,
    capped: run.capped,
    k: run.k,
    noise: run.noise,
    tooFew: run.too_few,
    languages: run.languages,
    seconds: run.seconds,
  };
}

/** One run's state (for polling), or null. */
export async function themeRunById(db: DB, id: number): Promise<ThemeRunView | null> {
  const run = await db.selectFrom('theme_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return run ? presentRun(run) : null;
}

/**
 * The latest finished run (or a given one) with its proposals, open ones first then by volume, and the newest run
 * when it is newer (running, or failed); run is null before any run finished.
 */
export async function latestThemeRun(
  db: DB,
  runId?: number,
): Promise<{ run: ThemeRunView | null; proposals: ThemeProposalView[]; current: ThemeRunView | null }> {
  const newest = await db.selectFrom('theme_runs').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  let query = db.selectFrom('theme_runs').selectAll().where('status', '=', 'ready').orderBy('id', 'desc').limit(1);
  if (runId !== undefined) query = query.where('id', '=', runId);
  const run = await query.executeTakeFirst();
  const current = newest && newest.id !== run?.id && runId === undefined ? presentRun(newest) : null;
  if (!run) return { run: null, proposals: [], current };
  const proposals = await db
    .selectFrom('theme_proposals')
    .selectAll()
    .where('run_id', '=', run.id)
    .orderBy('position')
    .execute();
  const exampleIds = [...new Set(proposals.flatMap((p) => p.example_ids.map(Number)))];
  const examples = new Map(
    exampleIds.length === 0
      ? []
      : (
          await db.selectFrom('feedback_items').select(['id', 'text', 'locale']).where('id', 'in', exampleIds).execute()
        ).map((r) => [Number(r.id), { text: r.text, locale: r.locale }] as const),
  );
  const categoryIds = [
    ...new Set(proposals.flatMap((p) => [p.category_id, p.result_category_id]).filter((id) => id !== null)),
  ] as number[];
  const slugs = new Map(
    categoryIds.length === 0
      ? []
      : (
          await db.selectFrom('taxonomy_categories').select(['id', 'slug']).where('id', 'in', categoryIds).execute()
        ).map((r) => [r.id, r.slug] as const),
  );
  const order: Record<ThemeProposalStatus, number> = { open: 0, accepted: 1, merged: 1, dismissed: 2 };
  return {
    run: presentRun(run),
    current,
    proposals: proposals
      .map((p) => ({
        id: p.id,
        kind: p.kind,
        status: p.status,
        name: p.name,
        terms: p.terms,
        category: p.category_id === null ? null : (slugs.get(p.category_id) ?? null),
        similarity: p.similarity,
        items: p.item_ids.length,
        share: p.share,
        coherence: p.coherence,
        trend: { lastWeek: p.last_week, weeklyBefore: p.weekly_before },
        examples: p.example_ids
          .map(Number)
          .filter((id) => examples.has(id))
          .map((id) => ({ itemId: id, ...examples.get(id)! })),
        itemIds: p.item_ids.map(Number),
        language: p.language,
        result:
          p.status === 'open'
            ? null
            : {
                category: p.result_category_id === null ? null : (slugs.get(p.result_category_id) ?? null),
                labeled: p.labeled,
                decidedBy: p.decided_by ?? '',
                decidedAt: p.decided_at ? new Date(p.decided_at).toISOString() : '',
              },
      }))
      .sort((a, b) => order[a.status] - order[b.status]),
  };
}
