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
  | { type: 'contact_view'; at: Date; slug?: string; form?: string }
  | {
      type: 'contact_submit';
      at: Date;
      slug?: string;
      subject: string;
      body: string;
      /** The contact form the reader used (set when the simulation has forms). */
      form?: string;
      /** The article the reader was after (the one read, else the search's first result), for the form's answers. */
      about?: string;
    }
  /** Articles the form suggested while the reader typed. */
  | { type: 'contact_suggestions'; at: Date; form: string; slugs: string[] }
  /** "This answered my question" on a suggestion: the session ends without a ticket. */
  | {
      type: 'contact_deflected';
      at: Date;
      form: string;
      slug: string;
      articleLocale: string;
      revision: number;
      position: number;
    };

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
  /** The contact forms: which one a reader picks and the articles each suggests (absent: no form journeys). */
  forms?: SimForms;
}

/** How simulated readers use the contact forms. */
export interface SimForms {
  /** The form a reader picks, from the article they were after (undefined: none known). */
  formFor(slug: string | undefined): string;
  /** The articles a form suggests while the reader types, best first, per form key. */
  suggestions: Record<string, string[]>;
  /** Share of contact-form views where suggestions appear (the reader typed enough). Default 0.7. */
  suggestionRate?: number;
  /** Share of the readers shown suggestions who do not send the form and find their answer in one. Default 0.45. */
  deflectionRate?: number;
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
  // The form journeys draw from their own generator, so adding them changed none of the sessions' other steps.
  const formRandom = mulberry32(options.seed ^ 0x0f0f_f0f0);
  const articleOf = (slug: string, locale: string) =>
    byLocale.get(locale)?.find((a) => a.slug === slug) ?? english.find((a) => a.slug === slug);
  const journeys = (steps: SimStep[], locale: string): SimStep[] =>
    options.forms ? withFormJourneys(steps, locale, options.forms, formRandom, articleOf) : steps;
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
          sessions.push(session(counter, random, locale, readerPool, new Date(dayStart), journeys(steps, locale)));
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
      sessions.push(session(counter, random, locale, readerPool, new Date(dayStart), journeys(steps, locale)));
    }
  }
  return sessions;
}

/**
 * Adds the contact forms to a session's contact steps: the form picked (from the article the reader was after), the
 * articles it suggested while they typed, and, for some who sent nothing, the suggestion that answered them.
 */
function withFormJourneys(
  steps: SimStep[],
  locale: string,
  forms: SimForms,
  random: () => number,
  articleOf: (slug: string, locale: string) => SimArticle | undefined,
): SimStep[] {
  const out: SimStep[] = [];
  const search = steps.find((s) => s.type === 'search');
  for (const [i, step] of steps.entries()) {
    if (step.type !== 'contact_view') {
      out.push(step);
      continue;
    }
    const about = step.slug ?? (search?.type === 'search' ? search.resultSlugs[0] : undefined);
    const form = forms.formFor(about);
    out.push({ ...step, form });
    const submit = steps.slice(i + 1).find((s) => s.type === 'contact_submit');
    if (submit?.type === 'contact_submit') {
      submit.form = form;
      if (about !== undefined) submit.about = about;
    }
    if (random() >= (forms.suggestionRate ?? 0.7)) continue;
    const pool = [...new Set([...(about ? [about] : []), ...(forms.suggestions[form] ?? [])])].filter(
      (slug) => articleOf(slug, locale) !== undefined,
    );
    const first = pool[0];
    const rest = pool.slice(1);
    for (let j = rest.length - 1; j > 0; j--) {
      const k = Math.floor(random() * (j + 1));
      [rest[j], rest[k]] = [rest[k]!, rest[j]!];
    }
    const slugs = (first ? [first, ...rest] : rest).slice(0, 3);
    if (slugs.length === 0) continue;
    const shownAt = new Date(step.at.getTime() + Math.round((15 + random() * 25) * 1000));
    out.push({ type: 'contact_suggestions', at: shownAt, form, slugs });
    if (submit || random() >= (forms.deflectionRate ?? 0.45)) continue;
    const position = random() < 0.7 ? 1 : 1 + Math.floor(random() * slugs.length);
    const article = articleOf(slugs[position - 1]!, locale)!;
    const at = new Date(shownAt.getTime() + Math.round((20 + random() * 40) * 1000));
    out.push({
      type: 'contact_deflected',
      at,
      form,
      slug: article.slug,
      articleLocale: article.locale,
      revision: revisionAt(article, at),
      position,
    });
  }
  return out;
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
