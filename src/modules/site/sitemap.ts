import { escapeHtml } from '../../shared/escape-html.js';
import { DEFAULT_LOCALE } from '../../shared/locales.js';
import type { ContentReader } from '../content/index.js';

/** One page for search engines: its path, when its text last changed, and the same page in other languages. */
export interface SitemapUrl {
  path: string;
  lastmod?: Date;
  /** Every language version of the page (this one included), as locale → path. */
  alternates: { locale: string; path: string }[];
}

/**
 * Every public page worth indexing in the given (enabled) locales: each locale's home and topic pages, and every published article translation
 * (an untranslated article's fallback page is not listed: its canonical URL is the source-language one).
 */
export async function listSitemapUrls(content: ContentReader, locales: readonly string[]): Promise<SitemapUrl[]> {
  const everyLocale = (path: string) => locales.map((locale) => ({ locale, path: `/${locale}${path}` }));
  const [topics, ...perLocale] = await Promise.all([
    content.topics(DEFAULT_LOCALE),
    ...locales.map((locale) => content.articles({ locale, fallback: false })),
  ]);
  const urls: SitemapUrl[] = [];
  for (const locale of locales) {
    urls.push({ path: `/${locale}`, alternates: everyLocale('') });
    for (const topic of topics) {
      urls.push({ path: `/${locale}/topics/${topic.slug}`, alternates: everyLocale(`/topics/${topic.slug}`) });
    }
  }
  const translations = new Map<string, { locale: string; updatedAt: Date }[]>();
  locales.forEach((locale, i) => {
    for (const article of perLocale[i] ?? []) {
      const list = translations.get(article.slug) ?? [];
      list.push({ locale, updatedAt: article.updatedAt });
      translations.set(article.slug, list);
    }
  });
  for (const [slug, list] of translations) {
    const alternates = list.map(({ locale }) => ({ locale, path: `/${locale}/articles/${slug}` }));
    for (const { locale, updatedAt } of list) {
      urls.push({ path: `/${locale}/articles/${slug}`, lastmod: updatedAt, alternates });
    }
  }
  return urls;
}

const HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A `<urlset>` with `xhtml:link` hreflang alternates (and x-default: English when it exists). */
export function renderUrlSet(urls: SitemapUrl[], origin: string): string {
  const body = urls.map((url) => {
    const links = url.alternates.map(
      (alt) => `<xhtml:link rel="alternate" hreflang="${alt.locale}" href="${escapeHtml(origin + alt.path)}"/>`,
    );
    const fallback = url.alternates.find((alt) => alt.locale === DEFAULT_LOCALE);
    if (fallback) {
      links.push(`<xhtml:link rel="alternate" hreflang="x-default" href="${escapeHtml(origin + fallback.path)}"/>`);
    }
    const lastmod = url.lastmod ? `<lastmod>${url.lastmod.toISOString()}</lastmod>` : '';
    return `<url><loc>${escapeHtml(origin + url.path)}</loc>${lastmod}${links.join('')}</url>`;
  });
  return (
    `${HEADER}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" ` +
    `xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${body.join('\n')}\n</urlset>\n`
  );
}

/** A `<sitemapindex>` pointing at `/sitemaps/1.xml` … `/sitemaps/<parts>.xml`. */
export function renderSitemapIndex(parts: number, origin: string): string {
  const entries = Array.from(
    { length: parts },
    (_, i) => `<sitemap><loc>${escapeHtml(`${origin}/sitemaps/${i + 1}.xml`)}</loc></sitemap>`,
  );
  return `${HEADER}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</sitemapindex>\n`;
}

/**
 * What `/sitemap.xml` and `/sitemaps/<n>.xml` answer: one urlset while the URLs fit in one file, else an index
 * at `/sitemap.xml` and the URLs in parts of `maxUrls` (null for a part that does not exist).
 */
export function sitemapDocument(
  urls: SitemapUrl[],
  origin: string,
  maxUrls: number,
  part: number | 'root',
): string | null {
  const parts = Math.ceil(urls.length / maxUrls);
  if (part === 'root') return parts <= 1 ? renderUrlSet(urls, origin) : renderSitemapIndex(parts, origin);
  if (parts <= 1 || !Number.isInteger(part) || part < 1 || part > parts) return null;
  return renderUrlSet(urls.slice((part - 1) * maxUrls, part * maxUrls), origin);
}

/** `/robots.txt`: crawl the help center, not the API, the collector or the back office; here is the sitemap. */
export function robotsTxt(origin: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    'Disallow: /api/',
    'Disallow: /v1/',
    'Disallow: /admin',
    `Sitemap: ${origin}/sitemap.xml`,
    '',
  ].join('\n');
}
