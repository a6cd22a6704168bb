import { describe, expect, it } from 'vitest';
import { nearMissOf } from './article-vocabulary.js';

describe('a typo of a word the article has', () => {
  const misspelt = nearMissOf(new Set(['change', 'username', 'profile', 'name', 'display', 'taken', 'receipt', 'な']));

  it('is recognised: one edit, or a swap of neighbours, two edits for long words', () => {
    for (const typo of [
      'usernme',
      'usename',
      'profiel',
      'prfile',
      'cange',
      'changen',
      'displa',
      'naem',
      'atken',
      'ame',
    ])
      expect(misspelt(typo), typo).toBe(true);
    expect(misspelt('userrnam')).toBe(true); // two edits in an 8-letter word
  });

  it('leaves real words alone, short words and scripts written without spaces', () => {
    for (const word of ['invoice', 'refund', 'export', 'password', 'pdf', 'ab', 'なに'])
      expect(misspelt(word), word).toBe(false);
    expect(misspelt('prfle')).toBe(false); // two edits in a 7-letter word is another word
  });
});
