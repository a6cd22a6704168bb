import type { DB } from '../../db/client.js';
import { type RegionsFile, saveRegions } from './region-catalog.js';
import { type SaveArticleResult, saveArticle } from './save-article.js';
import { saveTopic } from './save-topic.js';

let counter = 0;

/** Test factory: a topic with English (and optionally other) names. */
export async function buildTopic(
  db: DB,
  overrides: { slug?: string; parent?: string | null; names?: Record<string, string> } = {},
): Promise<{ id: number; slug: string }> {
  counter += 1;
  const slug = overrides.slug ?? `topic-${counter}`;
  const result = await saveTopic(db, {
    slug,
    parent: overrides.parent ?? null,
    names: { en: `Topic ${counter}`, ...overrides.names },
  });
  return { id: result.id, slug };
}

/** Test factory: a published article (creating its topic unless one is named). */
export async function buildArticle(
  db: DB,
  overrides: {
    slug?: string;
    topic?: string;
    locale?: 'en' | 'es' | 'ru' | 'ar' | 'he' | 'ja';
    title?: string;
    body?: string;
    keywords?: string[];
    publish?: boolean;
  } = {},
): Promise<SaveArticleResult> {
  counter += 1;
  const topic = overrides.topic ?? (await buildTopic(db)).slug;
  return saveArticle(db, {
    slug: overrides.slug ?? `article-${counter}`,
    topic,
    locale: overrides.locale ?? 'en',
    title: overrides.title ?? `Article ${counter}`,
    body: overrides.body ?? `Intro ${counter}.\n\n## First\n\nText.\n\n## Second\n\nMore text.`,
    keywords: overrides.keywords ?? [],
    publish: overrides.publish ?? true,
  });
}

/** Test factory: regions and prices; by default one US region in dollars. */
export async function buildRegions(
  db: DB,
  overrides: { regions?: RegionsFile['regions']; defaultRegion?: string; prices?: RegionsFile['prices'] } = {},
): Promise<void> {
  await saveRegions(db, {
    defaultRegion: overrides.defaultRegion ?? 'us',
    regions: overrides.regions ?? [{ code: 'us', name: 'US', currency: 'USD', countries: ['US'], theme: {} }],
    prices: overrides.prices ?? {},
  });
}
