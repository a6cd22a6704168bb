import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, slugifyHeading } from './render-markdown.js';

describe('renderMarkdown', () => {
  it('renders headings with anchors and builds a table of contents from ## and ###', () => {
    const out = renderMarkdown('Intro\n\n## Change your budget\n\nText\n\n### On iOS\n\nMore\n\n#### Deep\n');
    expect(out.toc).toEqual([
      { level: 2, id: 'change-your-budget', text: 'Change your budget' },
      { level: 3, id: 'on-ios', text: 'On iOS' },
    ]);
    expect(out.html).toContain('<h2 id="change-your-budget">Change your budget</h2>');
    expect(out.headings).toEqual(['Change your budget', 'On iOS']);
  });

  it('keeps Arabic, Cyrillic and Japanese letters in heading ids', () => {
    expect(slugifyHeading('تغيير كلمة المرور')).toBe('تغيير-كلمة-المرور');
    expect(slugifyHeading('Как удалить доску?')).toBe('как-удалить-доску');
    expect(slugifyHeading('パスワードの再設定')).toBe('パスワードの再設定');
    expect(slugifyHeading('!!!')).toBe('section');
  });

  it('escapes raw HTML and strips dangerous links', () => {
    const out = renderMarkdown(
      '<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>',
    );
    expect(out.html).not.toContain('<script');
    expect(out.html).not.toMatch(/href="javascript:/i);
    expect(out.html).not.toMatch(/<img/i);
    expect(out.html).toContain('&lt;script&gt;');
    // A Markdown link with a javascript: URL is not made into a link at all.
    expect(renderMarkdown('[x](javascript:alert(1))').html).not.toContain('<a');
  });

  it('marks external links noopener nofollow and keeps relative article links', () => {
    const out = renderMarkdown('[a](https://example.com) and [b](reset-password)');
    expect(out.html).toContain('<a href="https://example.com" rel="noopener nofollow">a</a>');
    expect(out.html).toContain('<a href="reset-password">b</a>');
  });

  it('renders tables and keeps the plain text for snippets', () => {
    const out = renderMarkdown('| A | B |\n|---|---|\n| 1 | 2 |\n\nSome **bold** words.');
    expect(out.html).toContain('<table>');
    expect(out.plainText).toContain('Some bold words.');
  });

  it('never lets a script tag or event handler through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const html = renderMarkdown(`${text}<script>x</script><a onclick="y">z</a>`).html;
        // Escaped text may mention "onclick"; what must never appear is a real tag or attribute.
        return !/<script/i.test(html) && !/<[a-z][^>]*\son[a-z]+=/i.test(html);
      }),
      { numRuns: 200 },
    );
  });
});
