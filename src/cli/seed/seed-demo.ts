import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { enqueueJob } from '../../jobs/index.js';
import { ALERTS_QUEUE, dayOf, rollUpInsights } from '../../modules/insights/index.js';
import { seedContent } from './seed-content.js';
import { demoSimulationOptions, seedEvents } from './seed-events.js';
import { type DemoHeldOut, demoVoteComments, seedFeedback } from './seed-feedback.js';
import { seedForms } from './seed-forms.js';
import { loadSimArticles, seedSearch } from './seed-search.js';
import { DEMO_HISTORY_DAYS, seedDemoHistory } from './seed-stories.js';
import { seedUsers } from './seed-users.js';
import { seedViews } from './seed-views.js';
import { simulateActivity } from './simulate-activity.js';

export interface SeedDemoResult {
  seeded: boolean;
  summary: string;
  /** The demo users created (one per role but admin) and their shared password. */
  users?: { emails: string[]; password: string };
}

/** True when the database has no content yet, so the demo may be loaded. */
export async function isDatabaseEmpty(db: DB): Promise<boolean> {
  const row = await db
    .selectFrom('topics')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

/** Loads the Pinwheel demo into an empty database; refuses (does nothing) when content exists. */
export async function seedDemo(
  db: DB,
  options: {
    force?: boolean;
    onProgress?: (done: number, total: number) => void;
    /** The demo users' password (the admin's, when known in this run); generated when unset. */
    usersPassword?: string;
  } = {},
): Promise<SeedDemoResult> {
  if (!options.force && !(await isDatabaseEmpty(db))) {
    return { seeded: false, summary: 'the database already has content; nothing seeded' };
  }
  const content = await seedContent(db, options.onProgress);
  const now = new Date();
  // History first: the simulated readers see the revision live on the day they read (seed-stories.ts).
  await seedDemoHistory(db, now);
  const views = await seedViews(db, { days: 90, seed: 42 });
  // The contact forms before the simulation: its tickets are filed through them.
  const forms = await seedForms(db);
  // One simulation feeds search analytics, events, votes and tickets, so every dashboard tells the same story.
  const sessions = simulateActivity({
    ...demoSimulationOptions(await loadSimArticles(db), now),
    comments: demoVoteComments(),
  });
  const search = await seedSearch(db, sessions);
  const events = await seedEvents(db, { now, sessions });
  const feedback = await seedFeedback(db, { now, sessions });
  const users = await seedUsers(db, { password: options.usersPassword });
  // The insights dashboards read the daily rollup: build it for the whole history now rather than wait for the job.
  await rollUpInsights(db, { from: dayOf(new Date(now.getTime() - DEMO_HISTORY_DAYS * 86_400_000)), to: dayOf(now) });
  // The alerts of the demo's stories on first start, not an hour later: the server's job runner takes this at once.
  await enqueueJob(db, { queue: ALERTS_QUEUE, dedupeKey: 'hourly' });
  // Fresh statistics for the planner: PGlite runs no autovacuum, so without this it plans against empty tables.
  await sql`ANALYZE`.execute(db);
  const perLocale = Object.entries(content.translations)
    .map(([locale, n]) => `${locale} ${n}`)
    .join(', ');
  return {
    seeded: true,
    users,
    summary: `seeded ${content.topics} topics, ${content.articles} articles (${perLocale}), ${views} article view days, ${search.searches} searches, ${events.events} events, ${feedback.votes} votes (${feedback.comments} comments), ${forms.forms.length} contact forms, ${feedback.tickets + feedback.examples} tickets and labeled examples, ${feedback.deflections} deflections, classifier v${feedback.modelVersion ?? '-'}${describeHeldOut(feedback.heldOut)}`,
  };
}

/** The demo model on the demo examples it never trained on, for the summary line. */
function describeHeldOut(heldOut: DemoHeldOut | null): string {
  if (!heldOut) return '';
  const pct = (x: number | null) => (x === null ? '-' : `${Math.round(100 * x)} %`);
  return (
    ` (on ${heldOut.examples} held-out examples: macro-F1 ${heldOut.macroF1.toFixed(2)}, accuracy ${pct(heldOut.accuracy)}, ` +
    `answers ${pct(heldOut.coverage)} at ${pct(heldOut.precision)} precision)`
  );
}
