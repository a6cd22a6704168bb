import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

/** What has keyboard focus: its tag, name and value (enough to tell a reason radio from the honeypot). */
const focused = () => {
  const el = document.activeElement as HTMLInputElement | null;
  return { tag: el?.tagName ?? null, name: el?.getAttribute('name') ?? null, value: el?.value ?? null };
};

describe('vote widget in Chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('after "No" moves focus to the first reason, and the honeypot is never reachable', async () => {
    const page = await h.newPage();
    await page.goto(`${h.baseUrl}/en/articles/set-ads-budget`);
    const widget = page.getByRole('region', { name: 'Was this article helpful?' });
    await widget.getByRole('button', { name: 'No' }).click();
    await page.locator('section[data-vote][data-state="no"]').waitFor();
    // The vote went through the island and focus is on the next question.
    expect(await page.evaluate(focused)).toEqual({ tag: 'INPUT', name: 'reason', value: 'inaccurate' });
    // Hidden from assistive technology: no textbox by the honeypot's label in the accessibility tree.
    expect(await page.getByRole('textbox', { name: 'Leave this field empty', includeHidden: false }).count()).toBe(0);
    // Out of the tab order: tabbing through the whole pane never lands on it.
    const names: (string | null)[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      names.push((await page.evaluate(focused)).name);
    }
    expect(names).not.toContain('website');
    expect(names).toContain('comment');
    const stored = await h.app.database.db.selectFrom('article_votes').select(['helpful', 'suspect']).execute();
    expect(stored).toEqual([{ helpful: false, suspect: null }]);
    // The page is the same for every reader (cached, it asks the question); the island shows this reader's answer.
    await page.reload();
    await page.locator('section[data-vote][data-state="no"]').waitFor();
    await page.context().close();
  });

  it('tells a reader whose page predates a publish that the article changed, with and without JavaScript', async () => {
    const page = await h.newPage();
    await page.goto(`${h.baseUrl}/en/articles/create-a-board`);
    const { topic } = (
      await h.app.app.inject({ method: 'GET', url: '/api/articles/create-a-board?locale=en' })
    ).json() as { topic: string };
    const published = await h.app.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: h.app.operator,
      payload: { slug: 'create-a-board', topic, locale: 'en', title: 'Create a board', body: 'New.', publish: true },
    });
    expect(published.statusCode).toBeLessThan(300);
    const widget = page.getByRole('region', { name: 'Was this article helpful?' });
    await widget.getByRole('button', { name: 'Yes' }).click();
    const changed = page.locator('[data-message="changed"]');
    await changed.waitFor();
    expect(await changed.textContent()).toContain('This article was updated after you opened it');
    expect(await page.locator('section[data-vote]').getAttribute('data-state')).toBe('ask');

    // Without JavaScript: the form's post redirects to the current version with the same message. (This post is
    // also what needs the site's same-origin Referrer-Policy: under helmet's default no-referrer, Chromium sends
    // `Origin: null` with a form navigation, which the vote routes refuse.)
    const context = await h.browser.newContext({ javaScriptEnabled: false });
    const plain = await context.newPage();
    await plain.goto(`${h.baseUrl}/en/articles/reset-password`);
    const { topic: resetTopic } = (
      await h.app.app.inject({ method: 'GET', url: '/api/articles/reset-password?locale=en' })
    ).json() as { topic: string };
    await h.app.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers: h.app.operator,
      payload: { slug: 'reset-password', topic: resetTopic, locale: 'en', title: 'Reset', body: 'New.', publish: true },
    });
    await plain.locator('button[name=helpful][value=no]').click();
    await plain.waitForURL(/vote=changed/);
    expect(await plain.locator('[data-message="changed"]').isVisible()).toBe(true);
    await h.screenshot(plain, 'vote-changed-en-nojs');
    await context.close();
    const votes = await h.app.database.db.selectFrom('article_votes').select('id').execute();
    expect(votes).toHaveLength(1);
    await page.context().close();
  });
});
