import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { mulberry32 } from '../../shared/random.js';

/**
 * Generates `days` days of article page views per published translation: a popularity that falls with the
 * article's rank (Zipf-like) and a weekly rhythm, so "popular articles" has something plausible to show.
 */
export async function seedViews(db: DB, options: { days: number; seed: number }): Promise<number> {
  const random = mulberry32(options.seed);
  const translations = await db
    .selectFrom('article_translations as t')
    .innerJoin('articles as a', 'a.id', 't.article_id')
    .select(['t.article_id', 't.locale', 'a.slug'])
    .where('t.status', '=', 'published')
    .orderBy('a.slug')
    .execute();
  const localeWeight: Record<string, number> = { en: 1, es: 0.45, ja: 0.35, ru: 0.3, ar: 0.25, he: 0.12 };
  const slugs = [...new Set(translations.map((t) => t.slug))];
  const popularity = new Map(slugs.map((slug) => [slug, random()]));
  const ranked = [...slugs].sort((a, b) => popularity.get(b)! - popularity.get(a)!);
  const rank = new Map(ranked.map((slug, i) => [slug, i + 1]));
  const rows: { article_id: number; locale: string; day: string; views: number }[] = [];
  const today = new Date();
  for (const t of translations) {
    const base = (400 / rank.get(t.slug)! ** 0.8) * (localeWeight[t.locale] ?? 0.2);
    for (let d = 1; d <= options.days; d++) {
      const date = new Date(today.getTime() - d * 86_400_000);
      const weekday = date.getUTCDay();
      const weekly = weekday === 0 || weekday === 6 ? 0.7 : 1.1;
      const views = Math.round(base * weekly * (0.6 + random() * 0.8));
      if (views > 0)
        rows.push({ article_id: t.article_id, locale: t.locale, day: date.toISOString().slice(0, 10), views });
    }
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('article_daily_views')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.columns(['article_id', 'locale', 'day']).doUpdateSet({ views: sql`excluded.views` }))
      .execute();
  }
  return rows.length;
}
