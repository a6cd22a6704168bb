import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, type Harness, startHarness } from '../../../e2e/harness.js';

// The public site instrumented end to end: real Chromium runs the snippet under the site's CSP.
describe.skipIf(!fs.existsSync(CHROMIUM_PATH))('the help center in a real browser', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends page views, Article Viewed and Contact Form Viewed to the same-origin collector', async () => {
    const article = await h.app.database.db
      .selectFrom('article_translations as t')
      .innerJoin('articles as a', 'a.id', 't.article_id')
      .innerJoin('article_revisions as r', 'r.id', 't.published_revision_id')
      .select(['a.slug', 'r.number'])
      .where('t.locale', '=', 'en')
      .where('t.status', '=', 'published')
      .orderBy('a.slug')
      .executeTakeFirstOrThrow();
    const page = await h.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${h.baseUrl}/en/articles/${article.slug}`);
    await page.goto(`${h.baseUrl}/en/contact`);
    // Leaving the page sends the rest with sendBeacon.
    await page.goto('about:blank');
    const deadline = Date.now() + 20_000;
    let rows: {
      type: string;
      event: string | null;
      anonymous_id: string | null;
      properties: unknown;
      flagged: boolean;
    }[] = [];
    while (Date.now() < deadline) {
      await h.app.ctx.events.flush();
      rows = await h.app.database.db
        .selectFrom('events')
        .select(['type', 'event', 'anonymous_id', 'properties', 'flagged'])
        .orderBy('timestamp')
        .execute();
      if (rows.length >= 4) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.context().close();
    // Events of one page share a millisecond, so compare them unordered.
    expect(rows.map((r) => r.event).sort()).toEqual([
      'Article Viewed',
      'Contact Form Viewed',
      'Page Viewed',
      'Page Viewed',
    ]);
    const viewed = rows.find((r) => r.event === 'Article Viewed')!.properties as Record<string, unknown>;
    expect(viewed).toMatchObject({
      article_slug: article.slug,
      article_locale: 'en',
      revision: article.number,
      locale: 'en',
    });
    expect(new Set(rows.map((r) => r.anonymous_id)).size).toBe(1);
    expect(rows.every((r) => !r.flagged)).toBe(true);
    expect(requests.every((url) => url.startsWith(h.baseUrl) || url === 'about:blank')).toBe(true);
  });
});
