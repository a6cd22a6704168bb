import { describe, expect, it } from 'vitest';
import { analyzerFor } from './analyze-text.js';
import { buildSnippet } from './build-snippet.js';

describe('buildSnippet', () => {
  it('never cuts a price placeholder in half, at either end', () => {
    const analyzer = analyzerFor('en');
    const filler = 'word '.repeat(30);
    for (let pad = 0; pad < 40; pad++) {
      const text = `Pinwheel ${'x'.repeat(pad)} Plus costs {{price:plus_monthly}} a month. ${filler}`;
      const snippet = buildSnippet(analyzer, text, new Set(['pinwheel']), 40 + pad);
      const opened = (snippet.match(/\{\{/g) ?? []).length;
      const closed = (snippet.match(/\}\}/g) ?? []).length;
      expect(opened, snippet).toBe(closed);
      expect(snippet).not.toMatch(/\{\{[^}]*$|^[^{]*\}\}/);
    }
  });
});
