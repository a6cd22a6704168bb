/** A relative link to another article in Markdown: `[link text](slug)` or `[text](slug#section)`. */
const ARTICLE_LINK = /\[([^\]\n]{2,160})\]\(([a-z0-9]+(?:-[a-z0-9]+)*)(?:#[^)\s]*)?\)/g;

export interface LinkedArticle {
  slug: string;
  /** The texts this locale's articles use for the link, most used first. */
  texts: string[];
}

/**
 * Untranslated articles as a locale's own articles name them: every relative link from an article in `locale` to a
 * slug with no translation there. Its link texts are words in the reader's language for that article, so the
 * reader can still find it (like anchor text in web search).
 */
export function findLinkedUntranslated(
  markdownInLocale: readonly { slug: string; markdown: string }[],
  translated: ReadonlySet<string>,
): LinkedArticle[] {
  const texts = new Map<string, Map<string, number>>();
  for (const { slug: from, markdown } of markdownInLocale) {
    for (const match of markdown.matchAll(ARTICLE_LINK)) {
      const text = match[1]!.replace(/[*_`]/g, '').trim();
      const slug = match[2]!;
      if (slug === from || translated.has(slug) || text.length === 0) continue;
      const counts = texts.get(slug) ?? new Map<string, number>();
      counts.set(text, (counts.get(text) ?? 0) + 1);
      texts.set(slug, counts);
    }
  }
  return [...texts]
    .map(([slug, counts]) => ({
      slug,
      texts: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t),
    }))
    .sort((a, b) => a.slug.localeCompare(b.slug));
}
