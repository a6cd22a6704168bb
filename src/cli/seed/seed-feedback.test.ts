import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { loadTaxonomy } from '../../modules/classify/index.js';
import { LIMITS } from '../../shared/limits.js';
import { SUPPORTED_LOCALES } from '../../shared/locales.js';
import { seedContent } from './seed-content.js';
import {
  demoExampleText,
  demoHoldOut,
  demoVoteComments,
  loadDemoExamples,
  type SeedFeedbackResult,
  seedFeedback,
} from './seed-feedback.js';

/**
 * The demo model's held-out macro-F1 must not fall below this. The aim is 0.80; it is not reached (0.745 on
 * 2026-12-03, see docs/CLASSIFIER.md and bench/demo-model.ts), so this guards what is reached, with a little room.
 */
const DEMO_MACRO_F1_FLOOR = 0.7;

describe('the demo feedback', () => {
  let handle: DatabaseHandle;
  let result: SeedFeedbackResult;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await seedContent(handle.db);
    result = await seedFeedback(handle.db, { now: new Date('2026-03-01T12:00:00Z') });
  });
  afterAll(async () => {
    await handle.close();
  });

  it('has a Pinwheel taxonomy of 20 to 26 subcategories under a few parents, named and described in every locale', async () => {
    const categories = await loadTaxonomy(handle.db);
    const subcategories = categories.filter((c) => c.parentId !== null);
    expect(subcategories.length).toBeGreaterThanOrEqual(20);
    expect(subcategories.length).toBeLessThanOrEqual(26);
    for (const c of categories) {
      for (const locale of SUPPORTED_LOCALES) expect(c.names[locale], `${c.slug} in ${locale}`).toBeTruthy();
      expect(c.description.length, c.slug).toBeGreaterThan(10);
    }
  });

  it('has 120 to 200 hand-written examples per subcategory, at least 10 in every language, comments and tickets', async () => {
    const examples = loadDemoExamples();
    const categories = await loadTaxonomy(handle.db);
    for (const c of categories.filter((x) => x.parentId !== null)) {
      const mine = examples.filter((e) => e.labels.includes(c.slug));
      expect(mine.length, c.slug).toBeGreaterThanOrEqual(120);
      expect(mine.length, c.slug).toBeLessThanOrEqual(200);
      for (const locale of SUPPORTED_LOCALES) {
        expect(mine.filter((e) => e.locale === locale).length, `${c.slug} ${locale}`).toBeGreaterThanOrEqual(10);
      }
    }
    // Only subcategories are labels: a parent is what the model answers when it cannot tell its children apart.
    const parents = new Set(categories.filter((c) => c.parentId === null).map((c) => c.slug));
    expect(examples.filter((e) => e.labels.some((l) => parents.has(l)))).toEqual([]);
    // Some texts honestly belong to two categories and are labeled so.
    expect(examples.filter((e) => e.labels.length > 1).length).toBeGreaterThan(20);
    expect(examples.filter((e) => e.kind === 'ticket').length).toBeGreaterThan(150);
    const pools = demoVoteComments();
    for (const locale of SUPPORTED_LOCALES) expect(pools[locale]?.length, locale).toBeGreaterThan(20);
  });

  it('keeps a fifth of every category out of training, in every language, and never trains on it', async () => {
    const examples = loadDemoExamples();
    const held = demoHoldOut(examples);
    expect(held.size / examples.length).toBeGreaterThan(0.17);
    expect(held.size / examples.length).toBeLessThan(0.23);
    const heldExamples = examples.filter((e) => held.has(e.line));
    for (const slug of new Set(examples.map((e) => e.labels[0]!))) {
      expect(
        heldExamples.some((e) => e.labels[0] === slug),
        slug,
      ).toBe(true);
    }
    for (const locale of SUPPORTED_LOCALES)
      expect(
        heldExamples.some((e) => e.locale === locale),
        locale,
      ).toBe(true);
    const trained = await sql<{ text: string }>`
      SELECT DISTINCT i.text FROM feedback_items i JOIN human_labels h ON h.item_id = i.id`.execute(handle.db);
    const trainedTexts = new Set(trained.rows.map((r) => r.text));
    expect(heldExamples.filter((e) => trainedTexts.has(demoExampleText(e)))).toEqual([]);
    expect(trainedTexts.size).toBe(examples.length - held.size);
  });

  it('reports the demo model on the held-out examples: macro-F1, accuracy, and how much it answers how well', () => {
    const heldOut = result.heldOut!;
    expect(heldOut.examples).toBe(demoHoldOut(loadDemoExamples()).size);
    expect(heldOut.macroF1).toBeGreaterThanOrEqual(DEMO_MACRO_F1_FLOOR);
    expect(heldOut.accuracy).toBeGreaterThanOrEqual(DEMO_MACRO_F1_FLOOR);
    // At its own threshold the model answers a real share, mostly rightly, and says "unsure" for the rest.
    expect(heldOut.coverage).toBeGreaterThan(0.15);
    expect(heldOut.precision).toBeGreaterThan(0.75);
    expect(heldOut.unsure).toBeGreaterThan(0);
    expect(heldOut.coverage + heldOut.parentCoverage + heldOut.unsure).toBeCloseTo(1, 9);
  });

  it('trains and activates a model at seed time and classifies every unlabeled vote comment and ticket', async () => {
    expect(result.modelVersion).toBe(1);
    // The version's stored evaluation is the one on the held-out examples.
    expect(result.accuracy).toBeCloseTo(result.heldOut!.accuracy, 9);
    const active = await handle.db
      .selectFrom('model_versions')
      .select(['id', 'status', 'examples'])
      .where('is_active', '=', true)
      .executeTakeFirstOrThrow();
    expect(active).toMatchObject({ id: 1, status: 'ready' });
    expect(active.examples).toBeGreaterThan(300);
    expect(result.comments).toBeGreaterThan(100);
    expect(result.tickets).toBeGreaterThan(20);
    const { rows } = await sql<{ kind: string; total: number; classified: number }>`
      SELECT i.kind, count(*)::int AS total,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM predictions p WHERE p.item_id = i.id)
                                 OR EXISTS (SELECT 1 FROM human_labels h WHERE h.item_id = i.id))::int AS classified
        FROM feedback_items i GROUP BY i.kind`.execute(handle.db);
    for (const row of rows) expect(row.classified, row.kind).toBe(row.total);
    const commentLocales = await sql<{ reader_locale: string }>`
      SELECT DISTINCT reader_locale FROM article_votes WHERE comment IS NOT NULL`.execute(handle.db);
    expect(commentLocales.rows.map((r) => r.reader_locale).sort()).toEqual([...SUPPORTED_LOCALES].sort());
    // Some demo comments were kept out of training: the model is sure of some answers and unsure of others.
    const answers = await sql<{ unsure: number; sure: number }>`
      SELECT count(*) FILTER (WHERE category_id IS NULL)::int AS unsure,
             count(*) FILTER (WHERE category_id IS NOT NULL)::int AS sure FROM predictions`.execute(handle.db);
    expect(answers.rows[0]!.sure).toBeGreaterThan(0);
    expect(answers.rows[0]!.unsure).toBeGreaterThan(0);
    // Every simulated form submission records the prediction, as a live one does when it is filed.
    const recorded = await sql<{ total: number; predicted: number; bad: number }>`
      SELECT count(*)::int AS total,
             count(*) FILTER (WHERE jsonb_typeof(prediction) = 'object')::int AS predicted,
             count(*) FILTER (WHERE (prediction ->> 'confidence')::float NOT BETWEEN 0 AND 1)::int AS bad
        FROM form_submissions`.execute(handle.db);
    expect(recorded.rows[0]!.total).toBeGreaterThan(20);
    expect(recorded.rows[0]!.predicted).toBe(recorded.rows[0]!.total);
    expect(recorded.rows[0]!.bad).toBe(0);
  });

  it('seeds votes that all count, enough on popular articles for "X of Y found this helpful"', async () => {
    const { rows } = await sql<{ suspect: number; shown: number }>`
      SELECT (SELECT count(*) FROM article_votes WHERE suspect IS NOT NULL)::int AS suspect,
             (SELECT count(*) FROM (SELECT revision_id FROM article_votes WHERE suspect IS NULL
                                     GROUP BY revision_id HAVING count(*) >= ${LIMITS.helpfulSummaryMinVotes}) r)::int AS shown`.execute(
      handle.db,
    );
    expect(rows[0]!.suspect).toBe(0);
    expect(rows[0]!.shown).toBeGreaterThan(0);
  });

  it('adds nothing when run again', async () => {
    const count = async () =>
      Number(
        (
          await sql<{ n: string }>`SELECT (SELECT count(*) FROM article_votes) + (SELECT count(*) FROM tickets)
                                    + (SELECT count(*) FROM feedback_items) + (SELECT count(*) FROM model_versions) AS n`.execute(
            handle.db,
          )
        ).rows[0]!.n,
      );
    const before = await count();
    const again = await seedFeedback(handle.db, { now: new Date('2026-03-01T12:00:00Z') });
    expect(again.examples).toBe(0);
    expect(await count()).toBe(before);
  });
});
