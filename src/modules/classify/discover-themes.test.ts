import { describe, expect, it } from 'vitest';
import { discoverThemes, type ThemeCategoryItem, type ThemeText } from './discover-themes.js';
import { reduceDimensions, symmetricEigen } from './reduce-dimensions.js';
import { createRandom } from './seeded-random.js';

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)]!;

/** Planted themes: texts built from a theme's own words plus words every text uses, in English and Russian. */
function plantedTexts(seed: number): { texts: ThemeText[]; truth: Map<number, string> } {
  const random = createRandom(seed);
  const filler = ['the', 'app', 'please', 'again', 'today', 'my', 'it', 'is', 'not', 'and', 'why', 'help', 'still'];
  const fillerRu = ['это', 'опять', 'пожалуйста', 'почему', 'мой', 'приложение', 'не', 'и', 'снова', 'сегодня'];
  // Every dark-mode text says "is" and every export text "не": stop words more frequent there than anywhere else.
  const themes = {
    dark: { words: ['dark', 'mode', 'theme', 'night', 'contrast', 'screen'], filler, locale: 'en', always: 'is' },
    export: {
      words: ['экспорт', 'pdf', 'выгрузка', 'файл', 'отчёт', 'скачать'],
      filler: fillerRu,
      locale: 'ru',
      always: 'не',
    },
    invoice: { words: ['invoice', 'vat', 'receipt', 'company', 'address', 'tax'], filler, locale: 'en', always: '' },
    password: {
      words: ['пароль', 'сбросить', 'вход', 'письмо', 'код', 'логин'],
      filler: fillerRu,
      locale: 'ru',
      always: '',
    },
  } as const;
  const noiseWords = [
    'banana',
    'weather',
    'guitar',
    'mountain',
    'bicycle',
    'coffee',
    'garden',
    'violin',
    'ocean',
    'pencil',
    'rocket',
    'tiger',
    'window',
    'candle',
    'soccer',
    'planet',
    'butter',
    'castle',
    'dragon',
    'forest',
    'island',
    'jacket',
  ];
  const texts: ThemeText[] = [];
  const truth = new Map<number, string>();
  const now = Date.UTC(2025, 5, 1);
  let id = 1;
  for (const [name, theme] of Object.entries(themes)) {
    for (let i = 0; i < 30; i++) {
      const words: string[] = [];
      for (let w = 0; w < 4; w++) words.push(pick(theme.words, random));
      for (let w = 0; w < 4; w++) words.push(pick(theme.filler, random));
      if (theme.always) words.push(theme.always);
      words.sort(() => random() - 0.5);
      truth.set(id, name);
      const createdAt = new Date(now - i * 86_400_000);
      texts.push({ id: id++, text: words.join(' '), locale: theme.locale, language: theme.locale, createdAt });
    }
  }
  // Fewer unrelated texts than a cluster's minimum (8): they share filler words, and a dozen could pass for one.
  for (let i = 0; i < 7; i++) {
    const words = [pick(noiseWords, random), pick(noiseWords, random), pick(filler, random), pick(filler, random)];
    truth.set(id, 'noise');
    const createdAt = new Date(now - i * 86_400_000);
    texts.push({ id: id++, text: words.join(' '), locale: 'en', language: 'en', createdAt });
  }
  // Too few German texts to cluster on their own, however alike.
  for (let i = 0; i < 6; i++) {
    truth.set(id, 'german');
    texts.push({ id: id++, text: 'dunkler modus bitte', locale: 'de', language: 'de', createdAt: new Date(now) });
  }
  return { texts, truth };
}

describe('discoverThemes', () => {
  it('recovers four planted themes in two languages, leaves the noise out and names each by its own words', () => {
    const { texts, truth } = plantedTexts(7);
    const result = discoverThemes({ texts, now: new Date(Date.UTC(2025, 5, 1)) }, { seed: 1, minClusterSize: 8 });
    expect(result.proposals).toHaveLength(4);
    // Each language is clustered on its own; German (6 texts, below 2 × 8) is counted, not clustered.
    expect(result.languages.map((l) => [l.language, l.texts, l.clustered])).toEqual([
      ['en', 67, true],
      ['ru', 60, true],
      ['de', 6, false],
    ]);
    expect(result.tooFew).toBe(6);
    const found = new Set<string>();
    for (const proposal of result.proposals) {
      const themes = proposal.itemIds.map((id) => truth.get(id));
      const theme = themes[0]!;
      found.add(theme);
      // Pure: every member is from one planted theme, and most of that theme is there.
      expect(themes.every((t) => t === theme)).toBe(true);
      expect(proposal.itemIds.length).toBeGreaterThanOrEqual(27);
      expect(proposal.kind).toBe('new');
      expect(proposal.terms.length).toBeGreaterThanOrEqual(3);
      expect(proposal.examples).toHaveLength(5);
      const ownWords = {
        password: 'пароль сбросить вход письмо код логин',
        dark: 'dark mode theme night contrast screen',
        export: 'экспорт pdf выгрузка файл отчет скачать',
        invoice: 'invoice vat receipt company address tax',
      }[theme as 'dark'];
      // Named by the theme's own words, not by the words every text shares.
      for (const term of proposal.terms.slice(0, 3)) expect(ownWords.split(' ')).toContain(term);
      // Stop words of the proposal's language never name it, however frequent in the cluster.
      expect(proposal.terms).not.toContain('is');
      expect(proposal.terms).not.toContain('не');
      expect(proposal.language).toBe(theme === 'export' || theme === 'password' ? 'ru' : 'en');
    }
    expect([...found].sort()).toEqual(['dark', 'export', 'invoice', 'password']);
    expect(result.noise).toBeGreaterThanOrEqual(7);
  });

  it("proposes a merge when a cluster sits on a category's labelled examples", () => {
    const { texts, truth } = plantedTexts(11);
    const labeled = texts
      .filter((t) => truth.get(t.id) === 'invoice')
      .slice(0, 15)
      .map((t) => ({ text: t.text, categoryId: 42, language: 'en' }));
    const result = discoverThemes({ texts, labeled }, { seed: 3, minClusterSize: 8 });
    const merge = result.proposals.filter((p) => p.kind === 'merge');
    expect(merge).toHaveLength(1);
    expect(merge[0]!.categoryId).toBe(42);
    expect(merge[0]!.itemIds.every((id) => truth.get(id) === 'invoice')).toBe(true);
    expect(result.proposals.filter((p) => p.kind === 'new')).toHaveLength(3);
  });

  it("proposes a split when a busy category's recent items form two separated groups, and none for one group", () => {
    const random = createRandom(4);
    const now = new Date(Date.UTC(2025, 5, 1));
    const card = ['card', 'charged', 'twice', 'declined', 'visa', 'statement'];
    const plan = ['subscription', 'cancel', 'renewal', 'yearly', 'plan', 'trial'];
    const common = ['refund', 'please', 'my', 'the', 'money', 'back', 'still'];
    const categoryItems: ThemeCategoryItem[] = [];
    let id = 1000;
    for (const [categoryId, groups] of [
      [7, [card, plan]],
      [8, [card]],
    ] as const) {
      for (const words of groups) {
        for (let i = 0; i < 50 / groups.length; i++) {
          const text = [0, 1, 2, 3].map(() => pick(words, random)).concat([pick(common, random), pick(common, random)]);
          categoryItems.push({
            id: id++,
            text: text.join(' '),
            locale: 'en',
            language: 'en',
            createdAt: now,
            categoryId,
          });
        }
      }
    }
    const result = discoverThemes({ texts: [], categoryItems, now }, { seed: 2 });
    const splits = result.proposals.filter((p) => p.kind === 'split');
    expect(splits).toHaveLength(2);
    const parts = splits.map((p) => {
      expect(p.categoryId).toBe(7);
      expect(p.share).toBeCloseTo(0.5, 1);
      // Each part is one of the two groups, named by its words.
      const texts = p.itemIds.map((i) => categoryItems.find((c) => c.id === i)!.text);
      const group = texts.every((t) => card.some((w) => t.includes(w))) ? 'card' : 'plan';
      expect(texts.every((t) => (group === 'card' ? card : plan).some((w) => t.split(' ').includes(w)))).toBe(true);
      expect((group === 'card' ? card : plan).includes(p.terms[0]!)).toBe(true);
      return group;
    });
    expect(parts.sort()).toEqual(['card', 'plan']);
  });

  it('is deterministic for a seed', () => {
    const { texts } = plantedTexts(5);
    const a = discoverThemes({ texts }, { seed: 9 });
    const b = discoverThemes({ texts }, { seed: 9 });
    expect(a).toEqual(b);
  });

  it('finds the eigenvectors of a symmetric matrix', () => {
    const m = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(m, 3);
    for (let j = 0; j < 3; j++) {
      for (let r = 0; r < 3; r++) {
        let mv = 0;
        for (let c = 0; c < 3; c++) mv += m[r * 3 + c]! * vectors[c * 3 + j]!;
        expect(mv).toBeCloseTo(values[j]! * vectors[r * 3 + j]!, 9);
      }
    }
    expect(values[0]).toBeGreaterThan(values[1]!);
    expect(reduceDimensions([], 0, { dimensions: 5, seed: 1 }).rows).toBe(0);
  });
});
