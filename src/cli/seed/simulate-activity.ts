import { mulberry32 } from '../../shared/random.js';

/**
 * A deterministic simulation of reader activity for the demo: sessions that search, click suggestions or
 * results, read articles, vote, and sometimes open and submit the contact form. Every module that seeds
 * demo data (search analytics, events, votes and tickets) reads the same sessions, so the demo is consistent.
 */

export interface SimArticle {
  slug: string;
  locale: string;
  title: string;
  keywords: string[];
  /** When each revision went live, oldest first; a reader sees the one live at the moment (default: revision 1). */
  revisions?: { number: number; from: Date }[];
}

/**
 * A planted story about one article: its popularity, and the chance a reader finds it helpful at a moment and
 * revision, with the comments unhappy readers leave (per reader locale). The demo uses these so that a new user
 * sees an article break after a product change, an edit fix it, and a translation fall behind.
 */
export interface SimStory {
  slug: string;
  /** The translation read (default: every translation of the slug). */
  articleLocale?: string;
  /** Traffic weight, 0..1 (the simulation's own is random, mostly small). */
  popularity?: number;
  helpfulRate: (at: Date, revision: number) => number;
  /** The chance a reader votes (default 0.3, as every article). */
  voteRate?: number;
  /** "No" comments per reader locale (falls back to `en`), used for most unhappy readers. */
  comments?: (at: Date, revision: number) => Record<string, SimComment[]> | undefined;
}

export interface SimComment {
  text: string;
  /** The vote reason a reader would pick with this comment. */
  reason: 'inaccurate' | 'hard_to_understand' | 'missing_information' | 'did_not_solve' | 'other';
}

export type SimStep =
  | { type: 'page'; at: Date; path: string }
  | { type: 'search'; at: Date; query: string; typed: string[]; resultSlugs: string[] }
  | { type: 'suggestion_click'; at: Date; query: string; slug: string; position: number }
  | { type: 'result_click'; at: Date; query: string; slug: string; position: number }
  | { type: 'article_view'; at: Date; slug: string; articleLocale: string; revision: number }
  | {
      type: 'vote';
      at: Date;
      slug: string;
      /** The revision the reader saw. */
      revision: number;
      helpful: boolean;
      reason?: SimComment['reason'];
      comment?: string;
    }
  | { type: 'contact_view'; at: Date; slug?: string }
  | { type: 'contact_submit'; at: Date; slug?: string; subject: string; body: string };

export interface SimSession {
  id: string;
  anonymousId: string;
  locale: string;
  region: string;
  device: 'desktop' | 'mobile' | 'tablet';
  startedAt: Date;
  steps: SimStep[];
}

export interface SimulateOptions {
  days: number;
  sessionsPerDay: number;
  seed: number;
  /** "Now": the end of the simulated window. */
  until: Date;
  articles: SimArticle[];
  /** Vote comments per locale, for "no" votes. */
  comments?: Record<string, SimComment[]>;
  /** Extra queries per locale that match no article (content gaps), typed by several readers. */
  gapQueries?: Record<string, string[]>;
  stories?: SimStory[];
}

/** The revision of `article` live at `at` (its history's latest start not after `at`). */
export function revisionAt(article: SimArticle, at: Date): number {
  let live = article.revisions?.[0]?.number ?? 1;
  for (const r of article.revisions ?? []) if (r.from.getTime() <= at.getTime()) live = r.number;
  return live;
}

const LOCALE_SHARE: [string, number][] = [
  ['en', 0.45],
  ['es', 0.16],
  ['ja', 0.12],
  ['ru', 0.11],
  ['ar', 0.1],
  ['he', 0.06],
];
const REGION_BY_LOCALE: Record<string, string[]> = {
  en: ['us', 'us', 'gb', 'global'],
  es: ['eu', 'global', 'us'],
  ja: ['jp'],
  ru: ['eu', 'global'],
  ar: ['sa', 'sa', 'global'],
  he: ['il'],
};

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function weighted(random: () => number, entries: [string, number][]): string {
  let r = random() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [value, weight] of entries) {
    r -= weight;
    if (r <= 0) return value;
  }
  return entries[entries.length - 1]![0];
}

/** The prefixes a reader types on the way to a query, as a typeahead sees them. */
function typedPrefixes(query: string): string[] {
  const chars = Array.from(query);
  const out: string[] = [];
  for (let i = 2; i <= chars.length; i += 1 + (i % 3 === 0 ? 1 : 0)) out.push(chars.slice(0, i).join(''));
  if (out[out.length - 1] !== query) out.push(query);
  return out;
}

/** Drops or swaps a letter now and then, as people do when typing fast. */
function misspell(random: () => number, query: string): string {
  const chars = Array.from(query);
  if (chars.length < 5 || random() > 0.15) return query;
  const i = 1 + Math.floor(random() * (chars.length - 2));
  if (random() < 0.5) chars.splice(i, 1);
  else [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
  return chars.join('');
}

/** Generates the sessions, deterministically for a given seed and input. */
export function simulateActivity(options: SimulateOptions): SimSession[] {
  const random = mulberry32(options.seed);
  const byLocale = new Map<string, SimArticle[]>();
  for (const article of options.articles) {
    const list = byLocale.get(article.locale) ?? [];
    list.push(article);
    byLocale.set(article.locale, list);
  }
  const english = byLocale.get('en') ?? [];
  // A stable popularity per article: a few articles get most of the traffic, as in real help centers.
  const popularity = new Map(english.map((a) => [a.slug, random() ** 2.5]));
  for (const story of options.stories ?? [])
    if (story.popularity !== undefined) popularity.set(story.slug, story.popularity);
  const storyOf = (slug: string, articleLocale: string) =>
    options.stories?.find(
      (x) => x.slug === slug && (x.articleLocale === undefined || x.articleLocale === articleLocale),
    );
  const readerPool = Math.max(50, Math.round(options.sessionsPerDay * options.days * 0.35));
  const sessions: SimSession[] = [];
  let counter = 0;
  for (let day = options.days; day >= 1; day--) {
    const dayStart = options.until.getTime() - day * 86_400_000;
    const weekday = new Date(dayStart).getUTCDay();
    const count = Math.round(
      options.sessionsPerDay * (weekday === 0 || weekday === 6 ? 0.7 : 1.1) * (0.8 + random() * 0.4),
    );
    for (let s = 0; s < count; s++) {
      counter += 1;
      const locale = weighted(random, LOCALE_SHARE);
      const readable = byLocale.get(locale) ?? [];
      const candidates =
        readable.length > 0
          ? [...readable, ...english.filter((e) => !readable.some((r) => r.slug === e.slug))]
          : english;
      const target = weightedArticle(random, candidates, popularity);
      let at = dayStart + Math.floor(random() * 86_000_000);
      const step = (seconds: number) => {
        at += Math.round(seconds * 1000 * (0.5 + random()));
        return new Date(at);
      };
      const steps: SimStep[] = [{ type: 'page', at: new Date(at), path: `/${locale}` }];
      const gaps = options.gapQueries?.[locale] ?? [];
      const searchesGap = gaps.length > 0 && random() < 0.08;
      if (searchesGap) {
        const query = pick(random, gaps);
        steps.push({ type: 'search', at: step(6), query, typed: typedPrefixes(query), resultSlugs: [] });
      } else if (random() < 0.75 && target) {
        const phrase = target.keywords.length > 0 ? pick(random, target.keywords) : target.title;
        const query = misspell(random, phrase.toLowerCase());
        const others = candidates
          .filter((c) => c.slug !== target.slug)
          .slice(0, 4)
          .map((c) => c.slug);
        const resultSlugs =
          random() < 0.85 ? [target.slug, ...others.slice(0, 3)] : [...others.slice(0, 2), target.slug];
        steps.push({ type: 'search', at: step(5), query, typed: typedPrefixes(query), resultSlugs });
        const position = resultSlugs.indexOf(target.slug) + 1;
        if (random() < 0.45) steps.push({ type: 'suggestion_click', at: step(2), query, slug: target.slug, position });
        else if (random() < 0.85) steps.push({ type: 'result_click', at: step(4), query, slug: target.slug, position });
        else {
          steps.push({ type: 'contact_view', at: step(10) });
          if (random() < 0.5) steps.push(contactSubmit(random, step(90), undefined, query));
          sessions.push(session(counter, random, locale, readerPool, new Date(dayStart), steps));
          continue;
        }
      }
      if (target && !searchesGap) {
        const readAt = step(3);
        const revision = revisionAt(target, readAt);
        steps.push({ type: 'article_view', at: readAt, slug: target.slug, articleLocale: target.locale, revision });
        const unhelpfulBias = (popularity.get(target.slug) ?? 0.5) < 0.15 ? 0.45 : 0.2;
        const story = storyOf(target.slug, target.locale);
        if (random() < (story?.voteRate ?? 0.3)) {
          const helpful = story ? random() < story.helpfulRate(readAt, revision) : random() > unhelpfulBias;
          const storyComments = story?.comments?.(readAt, revision);
          const storyPool = storyComments?.[locale] ?? storyComments?.en ?? [];
          const comments = options.comments?.[locale] ?? options.comments?.en ?? [];
          if (!helpful && storyPool.length > 0 && random() < 0.75) {
            const comment = pick(random, storyPool);
            steps.push({
              type: 'vote',
              at: step(75),
              slug: target.slug,
              revision,
              helpful: false,
              reason: comment.reason,
              comment: comment.text,
            });
          } else if (helpful || comments.length === 0 || random() < 0.4) {
            steps.push({ type: 'vote', at: step(60), slug: target.slug, revision, helpful });
          } else {
            const comment = pick(random, comments);
            steps.push({
              type: 'vote',
              at: step(75),
              slug: target.slug,
              revision,
              helpful: false,
              reason: comment.reason,
              comment: comment.text,
            });
          }
          const last = steps[steps.length - 1];
          if (last?.type === 'vote' && !last.helpful && random() < 0.35) {
            steps.push({ type: 'contact_view', at: step(8), slug: target.slug });
            if (random() < 0.6) steps.push(contactSubmit(random, step(120), target.slug, last.comment ?? target.title));
          }
        }
      } else if (searchesGap && random() < 0.4) {
        steps.push({ type: 'contact_view', at: step(10) });
        const search = steps.find((x) => x.type === 'search');
        if (random() < 0.6)
          steps.push(contactSubmit(random, step(90), undefined, search?.type === 'search' ? search.query : ''));
      }
      sessions.push(session(counter, random, locale, readerPool, new Date(dayStart), steps));
    }
  }
  return sessions;
}

function weightedArticle(
  random: () => number,
  candidates: SimArticle[],
  popularity: Map<string, number>,
): SimArticle | undefined {
  if (candidates.length === 0) return undefined;
  const entries = candidates.map((c, i) => [String(i), 0.02 + (popularity.get(c.slug) ?? 0.1)] as [string, number]);
  return candidates[Number(weighted(random, entries))];
}

function contactSubmit(_random: () => number, at: Date, slug: string | undefined, about: string): SimStep {
  const subject = about.length > 0 ? about.slice(0, 80) : 'Question';
  // The reader's own words (their search or vote comment), in their language.
  return { type: 'contact_submit', at, slug, subject, body: about };
}

function session(
  counter: number,
  random: () => number,
  locale: string,
  readerPool: number,
  day: Date,
  steps: SimStep[],
): SimSession {
  const reader = Math.floor(random() ** 1.3 * readerPool);
  const regions = REGION_BY_LOCALE[locale] ?? ['global'];
  const deviceRoll = random();
  return {
    id: `sim-${counter.toString(36)}`,
    anonymousId: `anon-${locale}-${reader.toString(36)}`,
    locale,
    region: pick(random, regions),
    device: deviceRoll < 0.55 ? 'mobile' : deviceRoll < 0.9 ? 'desktop' : 'tablet',
    startedAt: steps[0]?.at ?? day,
    steps,
  };
}
