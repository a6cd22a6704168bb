import { analyzerFor } from './analyze-text.js';
import type { SuccessfulQuery } from './load-successful-queries.js';

export interface SuggestedSynonym {
  locale: string;
  terms: [string, string];
  readers: number;
  slug: string;
  examples: [string, string];
}

/** Levenshtein distance, stopping early past `max` (returns max + 1). */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Synonyms suggested from customer wording: two popular successful queries that led readers to the same article
 * and differ in exactly one word ("block someone" / "ban someone") suggest those two words mean the same here.
 * Spelling variants (within the typo budget) and pairs already in a group are left out.
 */
export function suggestSynonyms(
  queries: readonly SuccessfulQuery[],
  existing: ReadonlyMap<string, readonly (readonly string[])[]>,
  limit = 50,
): SuggestedSynonym[] {
  const byArticle = new Map<string, { q: SuccessfulQuery; words: string[]; stems: string[] }[]>();
  for (const q of queries) {
    const analyzer = analyzerFor(q.locale);
    const analyzed = analyzer.analyze(q.text).filter((w) => !w.stop);
    if (analyzed.length === 0) continue;
    const top = q.clicks[0];
    if (!top) continue;
    const key = `${q.locale}\u0000${top.slug}`;
    const list = byArticle.get(key) ?? [];
    list.push({ q, words: analyzed.map((w) => w.word), stems: analyzed.map((w) => w.stem) });
    byArticle.set(key, list);
  }
  const out = new Map<string, SuggestedSynonym>();
  for (const [key, list] of byArticle) {
    const [locale, slug] = key.split('\u0000') as [string, string];
    const known = (existing.get(locale) ?? []).map((g) => new Set(g.map((t) => t.toLowerCase())));
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        if (a.stems.length !== b.stems.length) continue;
        const differing = a.stems.flatMap((s, k) => (s === b.stems[k] ? [] : [k]));
        if (differing.length !== 1) continue;
        const k = differing[0]!;
        const wa = a.words[k]!;
        const wb = b.words[k]!;
        const budget = Math.max(1, Math.min(2, Math.floor(Math.min(wa.length, wb.length) / 4)));
        if (boundedDistance(wa, wb, budget) <= budget) continue;
        if (known.some((g) => g.has(wa) && g.has(wb))) continue;
        const terms = [wa, wb].sort() as [string, string];
        const pairKey = `${locale}\u0000${terms.join('\u0000')}`;
        const readers = Math.min(a.q.readers, b.q.readers);
        const previous = out.get(pairKey);
        if (!previous || previous.readers < readers) {
          out.set(pairKey, { locale, terms, readers, slug, examples: [a.q.text, b.q.text] });
        }
      }
    }
  }
  return [...out.values()]
    .sort((x, y) => y.readers - x.readers || x.terms.join().localeCompare(y.terms.join()))
    .slice(0, limit);
}
