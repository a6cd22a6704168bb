import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { z } from 'zod';
import { ZLocale, ZSlug } from './content.schema.js';

export interface ArticleFile {
  file: string;
  slug: string;
  title: string;
  topic: string;
  locale: string;
  keywords: string[];
  position: number | undefined;
  body: string;
}

const ZFrontMatter = z.object({
  slug: ZSlug,
  title: z.string().trim().min(1).max(200),
  topic: ZSlug,
  locale: ZLocale.optional(),
  keywords: z.array(z.coerce.string()).max(30).default([]),
  position: z.number().int().min(0).optional(),
});

export class ArticleFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ArticleFileError';
  }
}

function listMarkdownFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listMarkdownFiles(full);
      return entry.isFile() && /\.(md|markdown)$/i.test(entry.name) ? [full] : [];
    })
    .sort();
}

/**
 * Reads a folder of Markdown files with front matter (`slug`, `title`, `topic`, `locale`, `keywords`, `position`).
 * A file without `locale` takes it from its folder's name when that is a locale (`articles/es/x.md`).
 */
export function readArticleFiles(dir: string): ArticleFile[] {
  return listMarkdownFiles(dir).map((file) => {
    let parsed: matter.GrayMatterFile<string>;
    try {
      parsed = matter(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ArticleFileError(file, `front matter is not valid YAML: ${(error as Error).message}`);
    }
    const folderLocale = path.basename(path.dirname(file));
    const data = { ...parsed.data };
    if (data.locale === undefined && ZLocale.safeParse(folderLocale).success) data.locale = folderLocale;
    const front = ZFrontMatter.safeParse(data);
    if (!front.success) {
      throw new ArticleFileError(
        file,
        front.error.issues.map((i) => `${i.path.join('.') || 'front matter'}: ${i.message}`).join('; '),
      );
    }
    if (!front.data.locale) throw new ArticleFileError(file, 'locale: missing (add `locale:` to the front matter)');
    return {
      file,
      slug: front.data.slug,
      title: front.data.title,
      topic: front.data.topic,
      locale: front.data.locale,
      keywords: front.data.keywords,
      position: front.data.position,
      body: parsed.content.trim(),
    };
  });
}
