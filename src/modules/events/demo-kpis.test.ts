import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedContent } from '../../cli/seed/seed-content.js';
import { demoSimulationOptions, seedEvents } from '../../cli/seed/seed-events.js';
import { loadSimArticles } from '../../cli/seed/seed-search.js';
import { type SimSession, simulateActivity } from '../../cli/seed/simulate-activity.js';
import { createTestApp, type TestApp } from '../../server/test-app.js';

const NOW = new Date('2025-06-15T12:00:00Z');
const FROM = new Date(NOW.getTime() - 91 * 86_400_000).toISOString();
const TO = new Date(NOW.getTime() + 86_400_000).toISOString();

describe('funnels and KPIs on the demo activity', () => {
  let t: TestApp;
  let sessions: SimSession[];
  beforeAll(async () => {
    t = await createTestApp({ prepare: async ({ db }) => void (await seedContent(db)) });
    sessions = simulateActivity(demoSimulationOptions(await loadSimArticles(t.database.db), NOW));
    const seeded = await seedEvents(t.database.db, { now: NOW });
    expect(seeded.flagged).toBe(0);
    expect(seeded.sessions).toBe(sessions.length);
    // Seeding twice adds nothing: message ids are deterministic.
    const again = await seedEvents(t.database.db, { now: NOW });
    const n = await t.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(again.events);
  });
  afterAll(async () => {
    await t.close();
  });

  it('covers 90 days in every demo locale and stores the events in monthly partitions', async () => {
    const locales = await t.database.db.selectFrom('events').select('locale').distinct().execute();
    expect(locales.map((l) => l.locale).sort()).toEqual(['ar', 'en', 'es', 'he', 'ja', 'ru']);
    const inDefault = await t.database.db
      .selectFrom('events_default' as 'events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(inDefault.n)).toBe(0);
  });

  it('gives KPIs that agree with the simulated sessions', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/events/kpis?from=${FROM}&to=${TO}`,
      headers: t.operator,
    });
    expect(res.statusCode).toBe(200);
    const { totals, days } = res.json();
    const steps = sessions.flatMap((s) => s.steps.map((step) => ({ s, step })));
    const votes = steps.filter((x) => x.step.type === 'vote');
    const helpful = votes.filter((x) => x.step.type === 'vote' && x.step.helpful);
    const readers = new Set(sessions.map((s) => s.anonymousId));
    const ticketers = new Set(steps.filter((x) => x.step.type === 'contact_submit').map((x) => x.s.anonymousId));
    const contactViewers = new Set(steps.filter((x) => x.step.type === 'contact_view').map((x) => x.s.anonymousId));
    expect(totals.searches).toBe(steps.filter((x) => x.step.type === 'search').length);
    expect(totals.visitors).toBe(readers.size);
    expect(totals.votes).toBe(votes.length);
    expect(totals.helpfulVotes).toBe(helpful.length);
    expect(totals.ticketCreators).toBe(ticketers.size);
    expect(totals.contactViewers).toBe(contactViewers.size);
    expect(totals.selfServiceScore).toBeCloseTo(readers.size / ticketers.size, 1);
    expect(totals.searchExitRate).toBeGreaterThan(0);
    expect(totals.searchExitRate).toBeLessThan(0.5);
    expect(days.length).toBeGreaterThanOrEqual(90);
    expect(days.reduce((sum: number, d: { searches: number }) => sum + d.searches, 0)).toBe(totals.searches);

    const ja = await t.app.inject({
      method: 'GET',
      url: `/api/events/kpis?from=${FROM}&to=${TO}&locale=ja`,
      headers: t.operator,
    });
    expect(ja.json().totals.searches).toBe(steps.filter((x) => x.step.type === 'search' && x.s.locale === 'ja').length);
  });

  it('counts a search exit only when nothing followed the search', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/events/kpis?from=${FROM}&to=${TO}`,
      headers: t.operator,
    });
    // A session's search is an exit when it is the session's last step (the simulated readers do nothing after).
    const expected = sessions.filter((s) => {
      const i = s.steps.findIndex((x) => x.type === 'search');
      return i >= 0 && i === s.steps.length - 1;
    }).length;
    const exits = res.json().totals.searchExits;
    // Sessions of one reader can follow each other within 30 minutes, so a few exits are hidden; never more.
    expect(exits).toBeLessThanOrEqual(expected);
    expect(exits).toBeGreaterThan(expected * 0.9);
  });

  it('returns the help center funnel (search → article → vote or contact), broken down by locale and article', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/events/funnels',
      headers: t.operator,
      payload: { preset: 'help-center', from: FROM, to: TO, windowMinutes: 60, breakdown: 'locale' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.steps.map((s: { events: string[] }) => s.events)).toEqual([
      ['Search Performed'],
      ['Article Viewed'],
      ['Article Voted', 'Contact Form Viewed'],
    ]);
    const [searched, read, acted] = body.total.counts;
    expect(searched).toBe(
      new Set(sessions.filter((s) => s.steps.some((x) => x.type === 'search')).map((s) => s.anonymousId)).size,
    );
    expect(read).toBeGreaterThan(searched * 0.5);
    expect(acted).toBeGreaterThan(0);
    expect(acted).toBeLessThan(read);
    expect(body.breakdown.map((b: { value: string }) => b.value).sort()).toEqual(['ar', 'en', 'es', 'he', 'ja', 'ru']);
    const sum = body.breakdown.reduce((n: number, b: { counts: number[] }) => n + b.counts[0]!, 0);
    expect(sum).toBe(searched);

    const byArticle = await t.app.inject({
      method: 'POST',
      url: '/api/events/funnels',
      headers: t.operator,
      payload: {
        steps: [{ events: ['Article Viewed'] }, { events: ['Article Voted'] }],
        from: FROM,
        to: TO,
        windowMinutes: 30,
        breakdown: 'article',
      },
    });
    expect(byArticle.statusCode).toBe(200);
    const top = byArticle.json().breakdown[0];
    expect(top.value).toMatch(/^[a-z0-9-]+$/);
    expect(top.counts[1]).toBeLessThanOrEqual(top.counts[0]);
  });

  it('refuses a range that ends before it starts', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/events/kpis?from=${TO}&to=${FROM}`,
      headers: t.operator,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/after/);
  });
});
