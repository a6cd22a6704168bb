/**
 * Feedback benchmark: (1) automatic categorisation, the background job that classifies new vote comments and
 * tickets, against the bare model on the same texts in memory (the ratio is what the database costs); (2) vote
 * submissions through the whole HTTP stack (validation, rate limit, transaction, job outbox) against the app's
 * cheapest route, both with `app.inject()` on the same embedded database.
 *
 * Run: node --import tsx bench/feedback.ts
 */

import fs from 'node:fs';
import { sql } from 'kysely';
import { loadDemoExamples } from '../src/cli/seed/seed-feedback.js';
import {
  ActiveModelCache,
  activateModel,
  addExampleItem,
  categorisePending,
  createModelVersion,
  importTaxonomy,
  inProcessTrainer,
  predictBatch,
  trainModelVersion,
  ZTaxonomyDocument,
} from '../src/modules/classify/index.js';
import { buildArticle } from '../src/modules/content/content.factories.js';
import { createTestApp } from '../src/server/test-app.js';

const ITEMS = 5_000;
const VOTES = 400;

export async function main(): Promise<string> {
  const t = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false' } });
  const { db } = t.database;
  const taxonomy = ZTaxonomyDocument.parse(
    JSON.parse(fs.readFileSync(new URL('../demo/feedback/taxonomy.json', import.meta.url), 'utf8')),
  );
  await importTaxonomy(db, taxonomy);
  const ids = new Map(
    (await db.selectFrom('taxonomy_categories').select(['id', 'slug']).execute()).map((c) => [c.slug, c.id]),
  );
  const examples = loadDemoExamples();
  const texts = examples.map((e) => (e.kind === 'comment' ? e.text : `${e.subject}\n\n${e.body}`));
  await db.transaction().execute(async (trx) => {
    for (const [i, e] of examples.entries()) {
      await addExampleItem(trx, {
        text: texts[i]!,
        locale: e.locale,
        categoryIds: e.labels.map((l) => ids.get(l)!),
        labeledBy: 'bench',
      });
    }
  });
  const { version } = await createModelVersion(db, { seed: 1 }, { enqueue: false });
  await trainModelVersion(db, version, { trainer: inProcessTrainer });
  await activateModel(db, version);

  // Unlabeled feedback to classify: the demo texts with a suffix, so none is a training text verbatim.
  const pending = Array.from({ length: ITEMS }, (_, i) => `${texts[i % texts.length]} (${i})`);
  for (let i = 0; i < pending.length; i += 1_000) {
    await db
      .insertInto('feedback_items')
      .values(
        pending
          .slice(i, i + 1_000)
          .map((text, j) => ({ kind: 'ticket' as const, source_id: i + j + 1, locale: 'en', text })),
      )
      .execute();
  }
  const models = new ActiveModelCache(db);
  const active = (await models.current())!;
  let started = performance.now();
  predictBatch(active.model, pending);
  const bareSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const result = await categorisePending(db, models, { failedSearches: false, maxItems: ITEMS * 2 });
  const jobSeconds = (performance.now() - started) / 1000;
  const stored = await sql<{ n: string }>`SELECT count(*) AS n FROM predictions`.execute(db);
  const bareRate = ITEMS / bareSeconds;
  const jobRate = result.classified / jobSeconds;
  console.log(
    `categorisation: ${result.classified} items in ${jobSeconds.toFixed(2)} s (${jobRate.toFixed(0)} items/s, ${stored.rows[0]!.n} predictions stored)`,
  );
  console.log(`bare predictBatch: ${ITEMS} texts in ${bareSeconds.toFixed(2)} s (${bareRate.toFixed(0)} texts/s)`);

  // Votes through HTTP, each from a new reader on one article.
  await buildArticle(db, { slug: 'bench-article', title: 'Bench article' });
  const vote = (i: number) =>
    t.app.inject({
      method: 'POST',
      url: '/api/feedback/votes',
      // Each from its own network, so neither the per-network rate limit nor the vote budgets apply.
      remoteAddress: `10.${(i >> 8) & 255}.${i & 255}.1`,
      payload: {
        article: 'bench-article',
        locale: 'en',
        helpful: false,
        reason: 'other',
        comment: `comment number ${i}`,
      },
    });
  await vote(0);
  started = performance.now();
  for (let i = 1; i <= VOTES; i++) {
    const res = await vote(i);
    if (res.statusCode !== 200) throw new Error(`vote ${i}: ${res.statusCode} ${res.body}`);
  }
  const voteRate = VOTES / ((performance.now() - started) / 1000);
  started = performance.now();
  for (let i = 0; i < VOTES; i++) await t.app.inject({ method: 'GET', url: '/api/health' });
  const healthRate = VOTES / ((performance.now() - started) / 1000);
  console.log(
    `votes with a comment: ${voteRate.toFixed(0)} per second; GET /api/health: ${healthRate.toFixed(0)} per second`,
  );
  await t.close();

  const line =
    `feedback: categorise_items_per_s=${jobRate.toFixed(0)} bare_predict_per_s=${bareRate.toFixed(0)} ratio=${(jobRate / bareRate).toFixed(3)}` +
    ` votes_per_s=${voteRate.toFixed(0)} health_per_s=${healthRate.toFixed(0)} ratio=${(voteRate / healthRate).toFixed(3)}`;
  console.log(line);
  return line;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
