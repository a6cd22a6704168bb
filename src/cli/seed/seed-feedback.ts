import fs from 'node:fs';
import { sql } from 'kysely';
import { z } from 'zod';
import type { FeedbackConfig } from '../../config/env.js';
import type { DB } from '../../db/client.js';
import {
  ActiveModelCache,
  activateModel,
  addExampleItem,
  categorisePending,
  createModelVersion,
  detectLanguages,
  type EvaluationReport,
  getModelVersion,
  importTaxonomy,
  inProcessTrainer,
  storeEvaluation,
  trainModelVersion,
  ZTaxonomyDocument,
} from '../../modules/classify/index.js';
import {
  cleanComment,
  requesterValue,
  ticketText,
  VOTE_REASONS,
  type VoteReason,
} from '../../modules/feedback/index.js';
import { loadInstanceKeys } from '../../shared/instance-keys.js';
import { mulberry32 } from '../../shared/random.js';
import { revisionsByKey } from './demo-revisions.js';
import { demoSimulationOptions } from './seed-events.js';
import { type SeedFormTicketsResult, seedFormTickets } from './seed-form-tickets.js';
import { loadSimArticles } from './seed-search.js';
import { type SimComment, type SimSession, simulateActivity } from './simulate-activity.js';

const DEMO_DIR = new URL('../../../demo/feedback/', import.meta.url);
/** Who labeled the demo's examples. */
const DEMO_ANALYST = 'demo-analyst';
/**
 * Every this-many-th example of a category, counted language by language, is kept out of training (~20 %): the demo
 * shows the model on text it never saw, and the seed measures it there.
 */
const HOLD_OUT_EVERY = 5;
/** The demo model's training seed (same data, same seed: the same model). */
const DEMO_MODEL_SEED = 42;

const ZExample = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('comment'),
    locale: z.string(),
    reason: z.enum(VOTE_REASONS),
    text: z.string().min(1),
    labels: z.array(z.string()).min(1),
  }),
  z.object({
    kind: z.literal('ticket'),
    locale: z.string(),
    channel: z.string(),
    subject: z.string().min(1),
    body: z.string(),
    labels: z.array(z.string()).min(1),
  }),
]);
export type DemoExample = z.infer<typeof ZExample> & { line: number };

/** The demo's labeled-feedback files: examples.jsonl, then any examples.<part>.jsonl in name order. */
function demoExampleFiles(): string[] {
  const parts = fs
    .readdirSync(DEMO_DIR)
    .filter((name) => /^examples\.[a-z0-9-]+\.jsonl$/.test(name))
    .sort();
  return ['examples.jsonl', ...parts];
}

/**
 * The demo's hand-written, labeled feedback (demo/feedback/examples*.jsonl). `line` numbers the examples across the
 * files in order, so it identifies one example.
 */
export function loadDemoExamples(): DemoExample[] {
  const examples: DemoExample[] = [];
  for (const file of demoExampleFiles()) {
    const lines = fs.readFileSync(new URL(file, DEMO_DIR), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const parsed = ZExample.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`demo/feedback/${file} line ${i + 1}: ${parsed.error.issues[0]?.message}`);
      examples.push({ ...parsed.data, line: examples.length + 1 });
    });
  }
  return examples;
}

/** The text the classifier reads for a demo example: a comment as written, a ticket as its feedback item holds it. */
export function demoExampleText(e: DemoExample): string {
  return e.kind === 'comment' ? e.text : ticketText(e.subject, e.body);
}

/**
 * The lines of the demo examples kept out of training: stratified by category (the first label) and language, every
 * HOLD_OUT_EVERY-th of a category once its examples are ordered by language, then by line. Deterministic, and
 * independent of the model, so the held-out figures are the same on every run.
 */
export function demoHoldOut(examples: readonly DemoExample[]): Set<number> {
  const byCategory = new Map<string, DemoExample[]>();
  for (const e of examples) {
    const group = byCategory.get(e.labels[0]!) ?? [];
    group.push(e);
    byCategory.set(e.labels[0]!, group);
  }
  const held = new Set<number>();
  for (const group of byCategory.values()) {
    group.sort((a, b) => (a.locale < b.locale ? -1 : a.locale > b.locale ? 1 : a.line - b.line));
    group.forEach((e, i) => {
      if (i % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1) held.add(e.line);
    });
  }
  return held;
}

/**
 * Readers' vote comments per locale for the activity simulation: every hand-written comment of the demo, in
 * en, es, ru, ar, he and ja, with the reason a reader would pick. Pass as `comments` to simulateActivity.
 */
export function demoVoteComments(): Record<string, SimComment[]> {
  const pools: Record<string, SimComment[]> = {};
  for (const e of loadDemoExamples()) {
    if (e.kind !== 'comment') continue;
    const pool = pools[e.locale] ?? [];
    pool.push({ text: e.text, reason: e.reason });
    pools[e.locale] = pool;
  }
  return pools;
}

export interface SeedFeedbackResult {
  categories: number;
  examples: number;
  votes: number;
  comments: number;
  tickets: number;
  /** Readers a contact form's suggestion answered (form_deflections rows). */
  deflections: number;
  classified: number;
  modelVersion: number | null;
  /** Accuracy in the model version's own evaluation (a split of its training data). */
  accuracy: number | null;
  /** The demo model on the demo examples kept out of its training (null when the model was trained earlier). */
  heldOut: DemoHeldOut | null;
}

/** The demo model on held-out demo examples: threshold-free metrics and its answers at its own unsure threshold. */
export interface DemoHeldOut {
  examples: number;
  accuracy: number;
  macroF1: number;
  /** Share answered with a subcategory, and how often that answer is one of the example's labels. */
  coverage: number;
  precision: number | null;
  /** Share answered with only a parent category, and share left unsure. */
  parentCoverage: number;
  unsure: number;
  /** The full report (labels are category ids), for per-category figures. */
  report: EvaluationReport;
}

/**
 * The demo's feedback: the Pinwheel taxonomy, hand-written labeled comments and tickets, a model trained on them
 * (in-process, a second or two) and activated, then the votes and tickets of the simulated reader sessions, all
 * classified. Safe to run again: existing demo rows are kept, not doubled.
 */
export async function seedFeedback(
  db: DB,
  options: { now?: Date; sessions?: SimSession[]; config?: FeedbackConfig } = {},
): Promise<SeedFeedbackResult> {
  const now = options.now ?? new Date();
  const config: FeedbackConfig = options.config ?? {
    requesterEmails: 'hash',
    requesterHashKey: undefined,
    redactTickets: true,
  };
  const requesterKey = (await loadInstanceKeys(db)).requesterEmail;
  const random = mulberry32(4242);
  const alreadySeeded = Boolean(
    await db.selectFrom('taxonomy_categories').select('id').where('slug', '=', 'account-access').executeTakeFirst(),
  );
  const taxonomy = ZTaxonomyDocument.parse(JSON.parse(fs.readFileSync(new URL('taxonomy.json', DEMO_DIR), 'utf8')));
  await importTaxonomy(db, taxonomy);
  const categoryIds = new Map(
    (await db.selectFrom('taxonomy_categories').select(['id', 'slug']).execute()).map((c) => [c.slug, c.id]),
  );

  const examples = loadDemoExamples();
  let exampleCount = 0;
  let modelVersion: number | null = null;
  let heldOut: DemoHeldOut | null = null;
  if (!alreadySeeded) {
    const held = demoHoldOut(examples);
    const daysAgo = (max: number) => new Date(now.getTime() - (1 + random() * max) * 86_400_000);
    await db.transaction().execute(async (trx) => {
      for (const e of examples) {
        const ids = e.labels.map((slug) => {
          const id = categoryIds.get(slug);
          if (id === undefined)
            throw new Error(`demo example ${e.line} (demo/feedback/examples*.jsonl): no category "${slug}"`);
          return id;
        });
        if (e.kind === 'comment') {
          // A held-out comment is left to the simulated readers, who post it unlabeled.
          if (held.has(e.line)) continue;
          await addExampleItem(trx, {
            text: e.text,
            locale: e.locale,
            categoryIds: ids,
            labeledBy: DEMO_ANALYST,
            createdAt: daysAgo(120),
          });
        } else {
          const createdAt = daysAgo(120);
          const { rows } = await sql<{ id: string }>`
            INSERT INTO tickets (external_id, subject, body, channel, locale, requester, status, source, created_at,
                                 updated_at)
            VALUES (${`demo-example-${e.line}`}, ${e.subject}, ${e.body}, ${e.channel}, ${e.locale},
                    ${requesterValue(`customer${e.line}@example.com`, config, requesterKey)}, ${random() < 0.7 ? 'solved' : 'closed'},
                    'demo', ${createdAt}, ${createdAt})
            ON CONFLICT (external_id) DO NOTHING
            RETURNING id::text AS id`.execute(trx);
          if (!rows[0]) continue;
          const item = await sql<{ id: string }>`
            INSERT INTO feedback_items (kind, source_id, locale, text, created_at)
            VALUES ('ticket', ${Number(rows[0].id)}, ${e.locale}, ${demoExampleText(e)}, ${createdAt})
            RETURNING id::text AS id`.execute(trx);
          // A held-out ticket stays unlabeled: the model categorises it like any new ticket.
          if (held.has(e.line)) continue;
          await trx
            .insertInto('human_labels')
            .values(ids.map((category_id) => ({ item_id: item.rows[0]!.id, category_id, labeled_by: DEMO_ANALYST })))
            .execute();
        }
        exampleCount += 1;
      }
    });
    const created = await createModelVersion(
      db,
      {
        seed: DEMO_MODEL_SEED,
        note: 'demo model, trained at seed time on the hand-labeled examples and tested on the ones held out',
      },
      { createdBy: 'seed', enqueue: false },
    );
    // One training: the version is evaluated on the demo's held-out examples (never trained on) rather than on a
    // split of its own training data, which would cost a second training at every start.
    await trainModelVersion(db, created.version, { trainer: inProcessTrainer, evaluate: false });
    await activateModel(db, created.version);
    modelVersion = created.version;
    heldOut = await evaluateHeldOut(
      db,
      created.version,
      created.examples,
      examples.filter((e) => held.has(e.line)),
      categoryIds,
    );
  }

  const sessions = options.sessions ?? simulateActivity(simulationOptions(await loadSimArticles(db), now));
  const votes = await seedVotes(db, sessions);
  const tickets = await seedTickets(db, sessions, config, requesterKey, now);
  const categorised = await categorisePending(db, new ActiveModelCache(db), { maxItems: 1_000_000 });
  await recordFormPredictions(db);
  const version = modelVersion ?? categorised.modelVersion;
  const evaluation = version ? (await getModelVersion(db, version))?.evaluation : null;
  return {
    categories: categoryIds.size,
    examples: exampleCount,
    votes: votes.votes,
    comments: votes.comments,
    tickets: tickets.tickets,
    deflections: tickets.deflections,
    classified: categorised.classified,
    modelVersion: version,
    accuracy: evaluation?.accuracy ?? null,
    heldOut,
  };
}

/**
 * The active (just trained) model on the held-out demo examples, labels as the model's (category ids), stored as the
 * version's evaluation so the model screens show it.
 */
async function evaluateHeldOut(
  db: DB,
  version: number,
  trainExamples: number,
  held: readonly DemoExample[],
  categoryIds: ReadonlyMap<string, number>,
): Promise<DemoHeldOut | null> {
  const active = await new ActiveModelCache(db).current();
  if (!active || held.length === 0) return null;
  const texts = held.map((e) => demoExampleText(e));
  const languages = await detectLanguages(held.map((e, i) => ({ text: texts[i]!, locale: e.locale })));
  const report = await storeEvaluation(
    db,
    version,
    active.model,
    held.map((e, i) => ({
      text: texts[i]!,
      labels: e.labels.map((slug) => String(categoryIds.get(slug))),
      language: languages[i]!.language,
    })),
    trainExamples,
  );
  const point = report.operatingPoint;
  return {
    examples: held.length,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    coverage: point.coverage,
    precision: point.precision,
    parentCoverage: point.parentCoverage,
    unsure: point.unsure,
    report,
  };
}

/**
 * The shared demo simulation, with the demo's vote comments. When the events seeding's options already carry
 * comments they are used as they are, so every module reads the same sessions.
 */
function simulationOptions(articles: Awaited<ReturnType<typeof loadSimArticles>>, now: Date) {
  const base = demoSimulationOptions(articles, now);
  return base.comments ? base : { ...base, comments: demoVoteComments() };
}

/** Votes of the simulated sessions (the last vote of a reader on a revision wins), written in batches. */
async function seedVotes(db: DB, sessions: SimSession[]): Promise<{ votes: number; comments: number }> {
  const revisions = await revisionsByKey(db);
  const byKey = new Map<
    string,
    {
      article_id: number;
      revision_id: number;
      revision: number;
      locale: string;
      reader_locale: string;
      reader_id: string;
      helpful: boolean;
      reason: VoteReason | null;
      comment: string | null;
      source: 'demo';
      created_at: Date;
      updated_at: Date;
    }
  >();
  for (const session of sessions) {
    let readLocale = session.locale;
    for (const step of session.steps) {
      if (step.type === 'article_view') readLocale = step.articleLocale;
      if (step.type !== 'vote') continue;
      // The revision the reader saw, in the translation read (else the source language's).
      const revision =
        revisions.get(`${step.slug}|${readLocale}|${step.revision}`) ??
        revisions.get(`${step.slug}|${readLocale}`) ??
        revisions.get(`${step.slug}|en`);
      if (!revision) continue;
      const key = `${revision.revisionId}|${session.anonymousId}`;
      const previous = byKey.get(key);
      byKey.set(key, {
        article_id: revision.articleId,
        revision_id: revision.revisionId,
        revision: revision.number,
        locale: revisions.has(`${step.slug}|${readLocale}`) ? readLocale : 'en',
        reader_locale: session.locale,
        reader_id: session.anonymousId,
        helpful: step.helpful,
        reason: step.helpful ? null : (step.reason ?? null),
        comment: step.helpful ? null : cleanComment(step.comment),
        source: 'demo',
        created_at: previous?.created_at ?? step.at,
        updated_at: step.at,
      });
    }
  }
  const rows = [...byKey.values()];
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('article_votes')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['revision_id', 'reader_id']).doNothing())
      .execute();
  }
  await sql`
    INSERT INTO feedback_items (kind, source_id, locale, text, created_at)
    SELECT 'vote', v.id, v.reader_locale, v.comment, v.updated_at
      FROM article_votes v
     WHERE v.source = 'demo' AND v.comment IS NOT NULL
    ON CONFLICT (kind, source_id) DO NOTHING`.execute(db);
  return { votes: rows.length, comments: rows.filter((r) => r.comment !== null).length };
}

/**
 * The simulated sessions' contact-form submissions become contact_form tickets with their form answers
 * (seed-form-tickets.ts), each with the feedback item the classifier reads.
 */
async function seedTickets(
  db: DB,
  sessions: SimSession[],
  config: FeedbackConfig,
  requesterKey: Buffer,
  now: Date,
): Promise<SeedFormTicketsResult> {
  const result = await seedFormTickets(db, sessions, { config, requesterKey, now });
  await sql`
    INSERT INTO feedback_items (kind, source_id, locale, text, created_at)
    SELECT 'ticket', t.id, t.locale, left(CASE WHEN btrim(t.body) = '' THEN t.subject
                                               ELSE t.subject || E'\n\n' || t.body END, 20000), t.created_at
      FROM tickets t
     WHERE t.source = 'contact_form' AND t.external_id LIKE 'demo-sim-%'
    ON CONFLICT (kind, source_id) DO NOTHING`.execute(db);
  return result;
}

/**
 * What a live submission records when it is filed (submit-form.ts): the active model's category for the ticket's
 * text, else its best guess, with the confidence. The demo files its tickets before the model has read them, so it
 * copies the prediction the categorisation just made.
 */
async function recordFormPredictions(db: DB): Promise<void> {
  await sql`
    UPDATE form_submissions s
       SET prediction = jsonb_build_object(
             'category', c.slug,
             'confidence', CASE WHEN p.category_id IS NOT NULL THEN p.confidence
                                ELSE (p.top -> 0 ->> 'confidence')::double precision END,
             'modelVersion', p.model_version_id)
      FROM feedback_items i
      JOIN predictions p ON p.item_id = i.id
      JOIN model_versions m ON m.id = p.model_version_id AND m.is_active
      JOIN taxonomy_categories c
        ON c.id = coalesce(p.category_id, (p.top -> 0 ->> 'categoryId')::integer)
     WHERE i.kind = 'ticket' AND i.source_id = s.ticket_id
       AND coalesce(s.prediction, 'null'::jsonb) = 'null'::jsonb`.execute(db);
}
