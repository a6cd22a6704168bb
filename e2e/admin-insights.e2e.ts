import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../src/db/client.js';
import { createTestUser, TEST_PASSWORD } from '../src/modules/accounts/accounts.test-support.js';
import { buildArticle, buildTopic } from '../src/modules/content/content.factories.js';
import { saveArticle } from '../src/modules/content/index.js';
import { rollUpInsights } from '../src/modules/insights/index.js';
import { type Harness, startHarness } from './harness.js';

const AXE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
const DAY_MS = 86_400_000;
const today = new Date();
/** The UTC day `n` days before today. */
const daysAgo = (n: number) => new Date(today.getTime() - n * DAY_MS).toISOString().slice(0, 10);

let h: Harness;
const analyst = { email: 'ana.analyst@example.com', password: TEST_PASSWORD };
const editor = { email: 'eddie.editor@example.com', password: TEST_PASSWORD };
const cspViolations: string[] = [];
let axeRunning = false;
let batch = 0;
let seq = 0;

/**
 * `votes` counted votes on one revision over `days` days from `from`: `helpful` of them say yes, spread evenly in time
 * (a fixed permutation of the vote numbers: 97 is prime to every count used here), the rest give `reason` and `comments` in turn.
 */
async function plantVotes(
  db: DB,
  p: {
    slug: string;
    revision: number;
    from: string;
    days: number;
    votes: number;
    helpful: number;
    reason?: string;
    comments?: string[];
  },
): Promise<void> {
  batch += 1;
  const comments = p.comments ?? [];
  await sql`INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful,
              reason, comment, created_at, updated_at, source)
    SELECT a.id, r.id, r.number, t.locale, t.locale, ${`e2e${batch}-`} || g, v.yes,
           CASE WHEN NOT v.yes THEN ${p.reason ?? null}::text END,
           CASE WHEN NOT v.yes AND ${comments.length} > 0 THEN (${comments}::text[])[1 + g % ${Math.max(1, comments.length)}] END,
           ${`${p.from}T12:00:00Z`}::timestamptz + make_interval(days => (g % ${p.days})::int),
           ${`${p.from}T12:00:00Z`}::timestamptz + make_interval(days => (g % ${p.days})::int), 'demo'
    FROM generate_series(1, ${p.votes}) AS g
    CROSS JOIN LATERAL (SELECT (g * 97) % ${p.votes} < ${p.helpful} AS yes) v
    JOIN articles a ON a.slug = ${p.slug}
    JOIN article_translations t ON t.article_id = a.id AND t.locale = 'en'
    JOIN article_revisions r ON r.translation_id = t.id AND r.number = ${p.revision}`.execute(db);
}

/** Page views as the site counts them: `perDay` a day for `days` days from `from`. */
async function plantDailyViews(db: DB, p: { slug: string; from: string; days: number; perDay: number }) {
  await sql`INSERT INTO article_daily_views (article_id, locale, day, views)
    SELECT a.id, 'en', ${p.from}::date + g, ${p.perDay}
    FROM generate_series(0, ${p.days - 1}) AS g JOIN articles a ON a.slug = ${p.slug}`.execute(db);
}

/** `count` readers viewing one revision, one a day in turn over `days` days from `from`. */
async function plantViews(db: DB, p: { slug: string; revision: number; from: string; days: number; count: number }) {
  seq += 1;
  const properties = JSON.stringify({ article_slug: p.slug, article_locale: 'en', revision: p.revision, locale: 'en' });
  await sql`INSERT INTO events (message_id, type, event, anonymous_id, properties, "timestamp", received_at, source)
    SELECT ${`v${seq}-`} || g, 'track', 'Article Viewed', ${`reader${seq}-`} || g, ${properties}::jsonb,
           ${`${p.from}T09:00:00Z`}::timestamptz + make_interval(days => (g % ${p.days})::int),
           ${`${p.from}T09:00:00Z`}::timestamptz + make_interval(days => (g % ${p.days})::int), 'seed'
    FROM generate_series(1, ${p.count}) AS g`.execute(db);
}

async function backdate(db: DB, slug: string, spans: [number, string, string | null][]): Promise<void> {
  for (const [revision, start, end] of spans) {
    await sql`UPDATE revision_publications p SET started_at = ${start}::timestamptz, ended_at = ${end}::timestamptz
      FROM article_revisions r, article_translations t, articles a
      WHERE p.revision_id = r.id AND r.number = ${revision} AND r.translation_id = t.id AND t.article_id = a.id
        AND t.locale = 'en' AND a.slug = ${slug}`.execute(db);
  }
}

/**
 * 60 days of a help center: "Recover a locked account" was 50 % helpful ("missing information") until an edit 20 days ago
 * lifted it to 75 % ("hard to understand" remains); eight unchanged articles stay at 80 % throughout.
 */
async function prepare(db: DB): Promise<void> {
  const topic = (await buildTopic(db, { slug: 'account-help', names: { en: 'Account help', ar: 'مساعدة الحساب' } }))
    .slug;
  await buildArticle(db, { slug: 'recover-locked-account', title: 'Recover a locked account', topic });
  await saveArticle(db, {
    slug: 'recover-locked-account',
    locale: 'en',
    topic,
    title: 'Recover a locked account',
    body: 'Open Settings, then Security, then Reset password. We send a link to your recovery email.',
    keywords: [],
    publish: true,
  });
  const edit = `${daysAgo(20)}T12:00:00Z`;
  await backdate(db, 'recover-locked-account', [
    [1, `${daysAgo(120)}T00:00:00Z`, edit],
    [2, edit, null],
  ]);
  await plantVotes(db, {
    slug: 'recover-locked-account',
    revision: 1,
    from: daysAgo(60),
    days: 40,
    votes: 240,
    helpful: 120,
    reason: 'missing_information',
    comments: [
      'It never says where the recovery email goes. Write to me at jane.doe@example.com',
      'Nothing about the app',
    ],
  });
  await plantVotes(db, {
    slug: 'recover-locked-account',
    revision: 2,
    from: daysAgo(20),
    days: 20,
    votes: 200,
    helpful: 150,
    reason: 'hard_to_understand',
    comments: ['Which Settings? The one in the app or on the web?'],
  });
  await plantViews(db, { slug: 'recover-locked-account', revision: 1, from: daysAgo(60), days: 40, count: 600 });
  await plantViews(db, { slug: 'recover-locked-account', revision: 2, from: daysAgo(20), days: 20, count: 400 });
  await plantDailyViews(db, { slug: 'recover-locked-account', from: daysAgo(60), days: 61, perDay: 40 });
  for (let i = 0; i < 8; i++) {
    const slug = `unchanged-${i}`;
    await buildArticle(db, { slug, topic, title: `Unchanged article ${i}` });
    await backdate(db, slug, [[1, `${daysAgo(120)}T00:00:00Z`, null]]);
    await plantVotes(db, { slug, revision: 1, from: daysAgo(60), days: 60, votes: 120, helpful: 96 });
    await plantViews(db, { slug, revision: 1, from: daysAgo(60), days: 60, count: 200 });
    await plantDailyViews(db, { slug, from: daysAgo(60), days: 61, perDay: 10 });
  }
  await rollUpInsights(db, { from: daysAgo(120), to: daysAgo(0) });
}

async function newPage(width = 1280, height = 800): Promise<Page> {
  const page = await h.newPage({ width, height });
  page.setDefaultTimeout(20_000);
  page.on('console', (message) => {
    if (!axeRunning && /Content[- ]Security[- ]Policy/i.test(message.text()))
      cspViolations.push(`${page.url()} ${message.text().slice(0, 80)}`);
  });
  return page;
}

async function signIn(page: Page, who = analyst): Promise<void> {
  await page.goto(`${h.baseUrl}/admin`, { timeout: 120_000 });
  await page.getByLabel('Email').fill(who.email);
  await page.locator('input[autocomplete="current-password"]').fill(who.password);
  const login = page.waitForResponse((response) => response.url().endsWith('/api/auth/login'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect((await login).status()).toBe(200);
  await page.reload();
  await page.getByRole('navigation').first().waitFor();
}

async function setLanguage(page: Page, lng: string): Promise<void> {
  const status = await page.evaluate(async (locale) => {
    const me = await fetch('/api/auth/me');
    const { csrfToken } = (await me.json()) as { csrfToken: string };
    const response = await fetch('/api/auth/me', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ locale }),
    });
    return response.status;
  }, lng);
  expect(status).toBe(200);
}

async function axeSerious(page: Page): Promise<string[]> {
  axeRunning = true;
  try {
    await page.evaluate(AXE);
    const found = await page.evaluate(async () => {
      type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<Result> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id} (${v.impact}): ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(', ')}`,
        );
    });
    await page.waitForTimeout(100);
    return found;
  } finally {
    axeRunning = false;
  }
}

/** Nothing wider than the window (no sideways scrolling on a phone). */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Text without the bidi isolates the app puts around numbers and dates. */
function plain(text: string | null): string {
  return (text ?? '').replace(/[\u2066-\u2069]/g, '');
}

function strings(lng: string): Record<string, Record<string, string>> {
  return JSON.parse(fs.readFileSync(`web/src/locales/${lng}/insights.json`, 'utf8')) as Record<
    string,
    Record<string, string>
  >;
}

beforeAll(async () => {
  h = await startHarness({ prepare: { prepare: (database) => prepare(database.db) } });
  await createTestUser(h.app, { role: 'analyst', name: 'Ana Analyst', ...analyst });
  await createTestUser(h.app, { role: 'editor', name: 'Eddie Editor', ...editor });
}, 300_000);

afterAll(async () => {
  await h?.close();
});

describe('admin app: insights', () => {
  it('an analyst sees the overview, finds the failing article in the list, and drills into why and whether the edit helped', async () => {
    const page = await newPage();
    await signIn(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { level: 1, name: 'Insights overview' }).waitFor();

    // KPI: the rate with its 95 % interval in words, and the change in words (not colour alone).
    const helpful = page.getByTestId('kpi-helpfulRate');
    await helpful.getByText(/95% interval/).waitFor();
    expect(plain(await helpful.textContent())).toMatch(/95% interval \d+%–\d+%/);
    expect(plain(await helpful.textContent())).toMatch(/Up|Down|About the same|No previous period/);
    // The KPI's sparkline has its numbers as a table.
    await helpful.getByText('Table').click();
    await helpful.getByRole('table').waitFor();

    // Fix first: the article with its reason for being there.
    const fix = page.getByTestId('fix-first').filter({ hasText: 'Recover a locked account' });
    await fix.waitFor();
    expect(await fix.textContent()).toMatch(/readers \/ month to win back/);
    await h.screenshot(page, 'admin-insights-overview-en');

    // Articles: sorted by impact, filters in the URL, the failing article first, CSV offered.
    await page.getByRole('navigation').getByRole('link', { name: 'Articles to fix' }).click();
    await page.getByRole('heading', { level: 1, name: 'Articles to fix' }).waitFor();
    const first = page.getByRole('row').nth(1);
    await first.getByRole('link', { name: 'Recover a locked account' }).waitFor();
    await page.getByLabel('Below average only').check();
    await page.waitForURL(/belowAverage=true/);
    await page.getByRole('row', { name: /Recover a locked account/ }).waitFor();
    const csv = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(csv).toContain('format=csv');
    expect(csv).toContain('belowAverage=true');
    const download = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { type: response.headers.get('content-type') ?? '', text: await response.text() };
    }, csv!);
    expect(download.type).toContain('text/csv');
    expect(download.text).toContain('recover-locked-account');
    await h.screenshot(page, 'admin-insights-articles-en');

    // Detail: over time with revision markers, reasons with redacted comments, before/after with its uncertainty.
    await page.getByRole('link', { name: 'Recover a locked account' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Recover a locked account' }).waitFor();
    const chart = page.getByTestId('rate-chart');
    await chart.locator('.recharts-reference-line').first().waitFor({ state: 'attached' });
    expect(await chart.textContent()).toContain('r2');
    await chart.getByText('Table').click();
    await chart.getByRole('table').waitFor();
    expect(await chart.getByRole('table').textContent()).toContain('r2');

    const reasons = page.getByTestId('reasons-chart');
    await reasons.getByText('Table').click();
    expect(await reasons.getByRole('table').textContent()).toContain('Hard to understand');
    await page.getByTestId('comments-hard_to_understand').getByText('Which Settings?').waitFor();

    const card = page.getByTestId('revision-card-2');
    await card.waitFor();
    const text = plain(await card.textContent());
    expect(text).toContain('r2 against r1');
    expect(text).toMatch(/Helpful rate changed by \+\d/);
    expect(text).toMatch(/95% interval/);
    expect(text).toMatch(/Probability this revision is better than r1: \d+%/);
    expect(text).toMatch(/does not prove/);
    await page.getByRole('link', { name: 'Edit this article' }).waitFor();
    expect(await axeSerious(page)).toEqual([]);
    await h.screenshot(page, 'admin-insights-detail-en');

    // Comments on revision 1: an email in a comment is shown redacted.
    await page.getByTestId('comments-missing_information').waitFor();
    const comments = (await page.getByTestId('comments-missing_information').textContent()) ?? '';
    expect(comments).toContain('recovery email');
    expect(comments).not.toContain('jane.doe@example.com');
    await page.context().close();
  }, 180_000);

  it('reads right to left in Arabic and fits a phone, with no serious accessibility violation', async () => {
    const problems: string[] = [];
    for (const lng of ['en', 'ar'] as const) {
      const s = strings(lng);
      for (const [width, height, suffix] of [
        [1280, 800, ''],
        [390, 844, '-mobile'],
      ] as const) {
        const page = await newPage(width, height);
        await signIn(page);
        await setLanguage(page, lng);
        const screens = [
          ['overview', '/admin/insights', s.overview!.title!],
          ['articles', '/admin/insights/articles', s.articles!.title!],
          ['detail', '/admin/insights/articles/recover-locked-account?locale=en', 'Recover a locked account'],
          ['vocabulary', '/admin/insights/vocabulary', s.vocabulary!.title!],
          ['gaps', '/admin/insights/gaps', s.gaps!.title!],
          ['translations', '/admin/insights/translations', s.translations!.title!],
          ['alerts', '/admin/insights/alerts', s.alerts!.title!],
        ] as const;
        for (const [screen, url, title] of screens) {
          await page.goto(`${h.baseUrl}${url}`);
          await page.getByRole('heading', { level: 1, name: title }).waitFor();
          await page.waitForLoadState('networkidle');
          expect(await page.evaluate(() => document.documentElement.dir)).toBe(lng === 'ar' ? 'rtl' : 'ltr');
          if (screen === 'detail') {
            await page.getByTestId('revision-card-2').waitFor();
            // In RTL time runs right to left: the first week's tick sits right of the last one.
            const ticks = await page
              .getByTestId('rate-chart')
              .locator('.recharts-xAxis .recharts-cartesian-axis-tick')
              .evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().x));
            expect(ticks.length).toBeGreaterThan(1);
            if (lng === 'ar') expect(ticks[0]!).toBeGreaterThan(ticks[ticks.length - 1]!);
            else expect(ticks[0]!).toBeLessThan(ticks[ticks.length - 1]!);
          }
          const wide = await overflow(page);
          if (wide > 0) problems.push(`${screen} (${lng}, ${width}px): ${wide}px wider than the window`);
          if (width === 1280) for (const v of await axeSerious(page)) problems.push(`${screen} (${lng}): ${v}`);
          if (screen === 'overview' || screen === 'articles' || screen === 'detail' || width === 1280)
            await h.screenshot(page, `admin-insights-${screen}-${lng}${suffix}`);
        }
        // The help panel explains the numbers in the user's language.
        await page.getByRole('button', { name: lng === 'en' ? 'Help' : /مساعدة/ }).click();
        await page.getByRole('dialog').getByText(s.help!.title!).waitFor();
        await page.keyboard.press('Escape');
        await page.context().close();
      }
    }
    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 480_000);

  it('an editor has an insights panel beside the text, with the latest revision’s before/after card', async () => {
    const page = await newPage();
    await signIn(page, editor);
    await setLanguage(page, 'en');
    await page.goto(`${h.baseUrl}/admin/articles/recover-locked-account/en`);
    await page.getByRole('heading', { level: 1, name: 'Recover a locked account' }).waitFor();
    await page.getByRole('button', { name: 'Insights' }).click();
    const panel = page.getByRole('dialog', { name: 'Insights for this article' });
    await panel.waitFor();
    await panel.getByTestId('revision-card-2').waitFor();
    expect(await panel.getByTestId('revision-card-2').textContent()).toMatch(/votes so far/);
    await panel.getByTestId('comments-hard_to_understand').waitFor();
    // The text stays editable while the panel is open.
    expect(await page.getByLabel('Text (Markdown)').isEditable()).toBe(true);
    await h.screenshot(page, 'admin-insights-editor-en');
    await page.context().close();
  }, 120_000);
});
