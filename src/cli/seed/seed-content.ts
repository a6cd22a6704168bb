import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DB } from '../../db/client.js';
import { readArticleFiles, saveArticle, saveRegions, saveTopic, ZLocale, ZSlug } from '../../modules/content/index.js';
import { SUPPORTED_LOCALES } from '../../shared/locales.js';

export const DEMO_DIR = fileURLToPath(new URL('../../../demo/', import.meta.url));

const ZTopicsFile = z.array(
  z.object({
    slug: ZSlug,
    parent: ZSlug.nullable(),
    position: z.number().int().min(0),
    names: z.record(ZLocale, z.string().min(1)),
    descriptions: z.record(ZLocale, z.string()).optional(),
  }),
);

export interface SeedContentResult {
  topics: number;
  articles: number;
  translations: Record<string, number>;
}

/** Loads the Pinwheel demo's regions, topics and articles (source language first, then translations). */
export async function seedContent(
  db: DB,
  onProgress?: (done: number, total: number) => void,
  demoDir = DEMO_DIR,
): Promise<SeedContentResult> {
  await saveRegions(db, JSON.parse(fs.readFileSync(`${demoDir}/regions.json`, 'utf8')));
  const topics = ZTopicsFile.parse(JSON.parse(fs.readFileSync(`${demoDir}/topics.json`, 'utf8')));
  // Parents before children, whatever the file's order.
  const ordered = [...topics].sort((a, b) => Number(a.parent !== null) - Number(b.parent !== null));
  for (const topic of ordered) {
    await saveTopic(db, {
      slug: topic.slug,
      parent: topic.parent,
      position: topic.position,
      names: topic.names,
      descriptions: topic.descriptions ?? {},
    });
  }
  const files = SUPPORTED_LOCALES.filter((locale) => fs.existsSync(`${demoDir}/articles/${locale}`)).flatMap((locale) =>
    readArticleFiles(`${demoDir}/articles/${locale}`),
  );
  const sources = files.filter((f) => f.locale === 'en');
  const translations = files.filter((f) => f.locale !== 'en');
  const sourceSlugs = new Set(sources.map((f) => f.slug));
  const counts: Record<string, number> = {};
  let done = 0;
  for (const file of [...sources, ...translations]) {
    if (file.locale !== 'en' && !sourceSlugs.has(file.slug)) {
      throw new Error(`${file.file}: translation of "${file.slug}", which has no English source article`);
    }
    await saveArticle(db, {
      slug: file.slug,
      topic: file.topic,
      locale: file.locale,
      title: file.title,
      body: file.body,
      keywords: file.keywords,
      position: file.position,
      author: file.locale === 'en' ? 'Pinwheel Support' : 'Pinwheel Localization',
      publish: true,
    });
    counts[file.locale] = (counts[file.locale] ?? 0) + 1;
    done += 1;
    onProgress?.(done, files.length);
  }
  return { topics: topics.length, articles: sources.length, translations: counts };
}
