import type { DB } from '../../db/client.js';
import { checkAgainstPlan } from '../../modules/events/compile-plan.js';
import { ensureMonthPartitions } from '../../modules/events/ensure-partitions.js';
import type { InboundMessage } from '../../modules/events/events.schema.js';
import { type EventRow, normalizeMessage } from '../../modules/events/normalize-message.js';
import { PlanStore } from '../../modules/events/plan-store.js';
import { writeEventBatch } from '../../modules/events/write-event-batch.js';
import { DEMO_FORM_JOURNEYS } from './seed-forms.js';
import { DEMO_ACTIVITY, DEMO_GAP_QUERIES, loadSimArticles } from './seed-search.js';
import { demoStories } from './seed-stories.js';
import { type SimArticle, type SimSession, type SimulateOptions, simulateActivity } from './simulate-activity.js';

/**
 * The exact simulation options of the demo: every module that seeds from `simulateActivity` (search analytics,
 * events, votes, tickets) must use these, with the same `now`, so that they describe the same sessions.
 */
export function demoSimulationOptions(articles: SimArticle[], now: Date): SimulateOptions {
  return {
    ...DEMO_ACTIVITY,
    until: now,
    articles,
    gapQueries: DEMO_GAP_QUERIES,
    stories: demoStories(now),
    forms: DEMO_FORM_JOURNEYS,
  };
}

const USER_AGENTS: Record<SimSession['device'], string> = {
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  tablet:
    'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
};

/** The ticket id the demo gives the ticket of a simulated session, so the feedback seeding can use the same. */
export function demoTicketId(session: SimSession): string {
  return `demo-${session.id}`;
}

/**
 * The plan messages a simulated session produces, as the help center would send them: page views, searches and
 * tickets from the server, clicks, article views, votes and contact-form steps from the browser snippet.
 */
export function sessionMessages(session: SimSession): InboundMessage[] {
  const { locale } = session;
  const messages: InboundMessage[] = [];
  const context = (path: string) => ({
    locale,
    userAgent: USER_AGENTS[session.device],
    page: { path },
    library: { name: 'answerloop.js', version: '1' },
  });
  let n = 0;
  const base = (at: Date) => ({
    messageId: `demo-${session.id}-${n++}`,
    anonymousId: session.anonymousId,
    timestamp: at.toISOString(),
  });
  const page = (at: Date, path: string) =>
    messages.push({ ...base(at), type: 'page', properties: { path, locale }, context: context(path) });
  const track = (at: Date, event: string, properties: Record<string, unknown>, path: string, server = false) =>
    messages.push({
      ...base(at),
      type: 'track',
      event,
      properties,
      context: server ? { locale, library: { name: 'answerloop-server', version: '1' } } : context(path),
    });
  const later = (at: Date, ms: number) => new Date(at.getTime() + ms);
  for (const [i, step] of session.steps.entries()) {
    switch (step.type) {
      case 'page':
        page(step.at, step.path);
        break;
      case 'search': {
        const searchPath = `/${locale}/search`;
        track(
          step.at,
          'Search Performed',
          { query: step.query, locale, results_count: step.resultSlugs.length, result_slugs: step.resultSlugs },
          searchPath,
          true,
        );
        // A suggestion picked while typing never shows the results page.
        if (session.steps[i + 1]?.type !== 'suggestion_click') page(later(step.at, 400), searchPath);
        break;
      }
      case 'suggestion_click':
        track(
          step.at,
          'Search Suggestion Clicked',
          { query: step.query, article_slug: step.slug, position: step.position, locale },
          `/${locale}`,
        );
        break;
      case 'result_click':
        track(
          step.at,
          'Search Result Clicked',
          { query: step.query, article_slug: step.slug, position: step.position, locale },
          `/${locale}/search`,
        );
        break;
      case 'article_view': {
        const path = `/${locale}/articles/${step.slug}`;
        page(step.at, path);
        track(
          later(step.at, 50),
          'Article Viewed',
          {
            article_slug: step.slug,
            article_locale: step.articleLocale,
            revision: step.revision,
            locale,
          },
          path,
        );
        break;
      }
      case 'vote':
        track(
          step.at,
          'Article Voted',
          {
            article_slug: step.slug,
            helpful: step.helpful,
            ...(step.reason ? { reason: step.reason } : {}),
            has_comment: step.comment !== undefined,
            locale,
          },
          `/${locale}/articles/${step.slug}`,
        );
        break;
      case 'contact_view': {
        const path = `/${locale}/contact`;
        page(step.at, path);
        track(
          later(step.at, 50),
          'Contact Form Viewed',
          { locale, ...(step.form ? { form: step.form } : {}), ...(step.slug ? { article_slug: step.slug } : {}) },
          path,
        );
        break;
      }
      case 'contact_suggestions':
        track(
          step.at,
          'Contact Form Suggestion Shown',
          { locale, form: step.form, article_slugs: step.slugs.slice(0, 10), count: step.slugs.length },
          `/${locale}/contact`,
        );
        break;
      case 'contact_deflected': {
        const path = `/${locale}/contact`;
        const about = { locale, form: step.form, article_slug: step.slug };
        track(later(step.at, -5_000), 'Contact Form Suggestion Clicked', { ...about, position: step.position }, path);
        track(step.at, 'Contact Form Deflected', { ...about, revision: step.revision }, path);
        break;
      }
      case 'contact_submit': {
        const path = `/${locale}/contact`;
        const about = step.slug ? { article_slug: step.slug } : {};
        const form = step.form ? { form: step.form } : {};
        track(
          later(step.at, -30_000),
          'Contact Form Step Completed',
          { locale, ...form, step: 1, step_name: 'describe' },
          path,
        );
        track(step.at, 'Contact Form Submitted', { locale, ...form, steps: 1, ...about }, path);
        track(
          later(step.at, 200),
          'Ticket Created',
          { ticket_id: demoTicketId(session), source: 'contact_form', locale, ...about },
          path,
          true,
        );
        break;
      }
    }
  }
  return messages;
}

export interface SeedEventsResult {
  sessions: number;
  events: number;
  flagged: number;
}

/**
 * Writes the demo's 90 days of reader activity as events, straight into storage in batches (not through HTTP),
 * each checked against the tracking plan. Deterministic message ids make a second run add nothing.
 */
export async function seedEvents(
  db: DB,
  options: { now?: Date; sessions?: SimSession[]; onProgress?: (done: number, total: number) => void } = {},
): Promise<SeedEventsResult> {
  const now = options.now ?? new Date();
  const sessions = options.sessions ?? simulateActivity(demoSimulationOptions(await loadSimArticles(db), now));
  const plans = new PlanStore(db);
  const plan = await plans.load();
  const first = sessions[0]?.startedAt ?? now;
  await ensureMonthPartitions(db, first, now);

  const receivedAt = now;
  const meta = { receivedAt, source: 'seed', anonymizeIp: () => null };
  let batch: EventRow[] = [];
  let events = 0;
  let flagged = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await writeEventBatch(db, { events: batch, violations: [] });
    events += batch.length;
    batch = [];
  };
  for (const [i, session] of sessions.entries()) {
    for (const message of sessionMessages(session)) {
      const normalized = normalizeMessage(message, meta);
      if (normalized.kind !== 'event') continue;
      const { row, payload } = normalized;
      // The forms' newer events are sent only once the tracking plan has them, so the demo never seeds flagged rows.
      if (row.type === 'track' && row.event?.startsWith('Contact Form ') && !plan.validators.has(row.event)) continue;
      const verdict = checkAgainstPlan(
        plan,
        row.type,
        row.type === 'track' ? (row.event ?? undefined) : undefined,
        payload,
      );
      row.planVersion = plan.version;
      row.flagged = verdict.flagged;
      if (verdict.flagged) flagged += 1;
      row.receivedAt = row.timestamp;
      batch.push(row);
    }
    if (batch.length >= 2_000) {
      await flush();
      options.onProgress?.(i + 1, sessions.length);
    }
  }
  await flush();
  return { sessions: sessions.length, events, flagged };
}
